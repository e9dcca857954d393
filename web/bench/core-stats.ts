/**
 * Small helpers shared by the client-core benchmarks (web/bench/core-*.ts): percentiles over raw
 * samples (trial counts here are tens to thousands, no histogram needed), option parsing and a
 * Markdown table. signal-server/bench/lib has similar helpers, but web's TypeScript project cannot import
 * files outside web/.
 */

/** The shape signal-server/bench/run.ts expects of a benchmark module. */
export interface CoreBenchmark {
  readonly name: string;
  readonly description: string;
  run(args: string[]): Promise<void>;
}

export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles; with fewer than 100 samples p99 is the maximum. */
export function summary(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (s.length === 0 ? NaN : s[Math.max(0, Math.ceil(q * s.length) - 1)]!);
  return { n: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

export const fmt = (n: number, digits = 1): string =>
  Number.isFinite(n) ? n.toFixed(digits) : '-';

/** Markdown table, columns padded so it reads as plain text too. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    '| ' +
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') +
    ' |';
  const rule =
    '|' + widths.map((w, i) => '-'.repeat(w + 1) + (i === 0 ? '-' : ':')).join('|') + '|';
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

/** `--key value` / `--key=value` options with defaults; unknown keys are an error. */
export function options<K extends string>(
  args: string[],
  defaults: Record<K, string>,
): Record<K, string> {
  const out = { ...defaults };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const key = (eq < 0 ? arg.slice(2) : arg.slice(2, eq)) as K;
    if (!(key in defaults))
      throw new Error(`unknown option --${key} (known: ${Object.keys(defaults).join(', ')})`);
    const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new Error(`--${key} needs a value`);
    out[key] = value;
  }
  return out;
}

export const list = (v: string): string[] =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

export function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves when `check` is true; rejects after `timeoutMs` (a broken setup, not a figure). */
export async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** "256K" / "1M" / "65536" -> bytes */
export function bytes(v: string): number {
  const m = /^(\d+)([KM]?)(i?B)?$/i.exec(v.trim());
  if (!m) throw new Error(`not a size: "${v}"`);
  const unit = m[2]!.toUpperCase();
  return Number(m[1]) * (unit === 'K' ? KiB : unit === 'M' ? MiB : 1);
}

export const sizeLabel = (n: number): string =>
  n % MiB === 0 ? `${n / MiB} MiB` : n % KiB === 0 ? `${n / KiB} KiB` : `${n} B`;
