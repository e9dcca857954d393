/** The benchmark kit that runs in Node and in bench pages; Node-only process helpers: ./proc. */
export type { Benchmark } from './benchmark';
export { fmt, formatTable, latencyHeaders, latencyRow, ratio, type Cell } from './format';
export {
  makeHistogram,
  summarize,
  summary,
  type Histogram,
  type LatencySummary,
  type SparseHistogram,
  type Summary,
} from './stats';
export { sleep, until } from './wait';
