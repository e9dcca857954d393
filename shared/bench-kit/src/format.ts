/** Numbers and Markdown tables for benchmark output (Node and browser). */
import type { Summary } from './stats';

export type Cell = string | number;

/** Fixed decimals with thousands separators; '-' for NaN (a figure that was not measured). */
export const fmt = (n: number, digits = 1): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '-';

/** A Markdown table (readable as plain text too), columns padded to line up. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    '| ' +
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') +
    ' |';
  const rule =
    '|' +
    widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') +
    '|';
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

/** `a` as a multiple of `b` ("1.25x"): a figure beside its same-run reference. */
export const ratio = (a: number, b: number, digits = 2): string => `${fmt(a / b, digits)}x`;

/** Headers of `latencyRow` tables, `what` naming the first column. */
export const latencyHeaders = (what: string): string[] => [
  what,
  'n',
  'p50 ms',
  'p99 ms',
  'max ms',
  'p50 / reference',
];

/** A latency figure beside its same-run reference; `ref` null marks the reference row itself. */
export const latencyRow = (label: string, s: Summary, ref: Summary | null): string[] => [
  label,
  String(s.n),
  fmt(s.p50),
  fmt(s.p99),
  fmt(s.max),
  ref ? ratio(s.p50, ref.p50) : '(reference)',
];
