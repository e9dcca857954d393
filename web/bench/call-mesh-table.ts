/**
 * The call-mesh tables (call-mesh.ts, call-mesh-mix.ts): every configuration ran twice, with the
 * caps and with the reference (no caps); each gives a caps row, a reference row and a ratio row
 * (caps / reference) for the columns that have a ratio. A configuration with only one of the
 * two runs still prints the run it has.
 */
import { fmt, formatTable, ratio } from '@peerboard/bench-kit';

export interface Column<R> {
  title: string;
  /** a number is formatted with `digits` and gets a ratio; a string is printed as is */
  value: (r: R) => number | string;
  digits?: number;
  /** the ratio row leaves this column empty */
  noRatio?: boolean;
}

export interface Pair<R> {
  /** the configuration, e.g. "4 people" */
  name: string;
  caps?: R;
  ref?: R;
}

export function capsTable<R>(columns: Column<R>[], pairs: Pair<R>[], extra: string[][] = []) {
  const cell = (c: Column<R>, r: R) => {
    const v = c.value(r);
    return typeof v === 'number' ? fmt(v, c.digits) : v;
  };
  const rows: string[][] = [];
  for (const { name, caps, ref } of pairs) {
    if (caps) rows.push([`${name}, caps`, ...columns.map((c) => cell(c, caps))]);
    if (ref) rows.push([`${name}, reference: no caps`, ...columns.map((c) => cell(c, ref))]);
    if (caps && ref)
      rows.push([
        `${name}, caps / reference`,
        ...columns.map((c) => {
          const a = c.value(caps);
          const b = c.value(ref);
          return c.noRatio || typeof a !== 'number' || typeof b !== 'number' ? '' : ratio(a, b);
        }),
      ]);
  }
  return formatTable(['run', ...columns.map((c) => c.title)], [...extra, ...rows]);
}

/** P1's caps per video sender as maxBitrate/scale, and its capture */
export const capsCell = (caps: (number | null)[], scales: (number | null)[], capture: string) =>
  caps.map((x, i) => (x === null ? 'none' : `${x / 1000}k/${scales[i] ?? 1}x`)).join(' ') +
  `; capture ${capture}`;
