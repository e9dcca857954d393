/**
 * Command-line options and sizes of the client benchmarks (web/bench/*.ts): `--key value` or
 * `--key=value`, every value a string with a default, sizes as "256K" / "1M".
 */

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
