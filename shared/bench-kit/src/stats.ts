/**
 * Percentiles. Trial counts of tens to thousands keep their raw samples (`summary`); the load
 * generators record millions of round trips into a histogram with 1 us buckets up to 200 ms
 * (plus one overflow bucket), cheap on the hot path and mergeable across load processes (sent
 * over IPC in sparse form).
 */
const BUCKETS = 200_000;

/** [bucket in us, count] pairs for non-empty buckets. */
export type SparseHistogram = Array<[number, number]>;

export interface Histogram {
  record(ms: number): void;
  toSparse(): SparseHistogram;
}

export function makeHistogram(): Histogram {
  const counts = new Uint32Array(BUCKETS + 1);
  return {
    record(ms) {
      const us = Math.floor(ms * 1000);
      counts[us < 0 ? 0 : us > BUCKETS ? BUCKETS : us]!++;
    },
    toSparse() {
      const out: SparseHistogram = [];
      for (let i = 0; i <= BUCKETS; i++) if (counts[i]! > 0) out.push([i, counts[i]!]);
      return out;
    },
  };
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** Merges sparse histograms and returns percentiles in milliseconds (NaN if empty). */
export function summarize(parts: SparseHistogram[]): LatencySummary {
  const merged = new Map<number, number>();
  for (const part of parts) for (const [b, c] of part) merged.set(b, (merged.get(b) ?? 0) + c);
  const buckets = [...merged.entries()].sort((x, y) => x[0] - y[0]);
  const count = buckets.reduce((n, [, c]) => n + c, 0);
  const at = (q: number): number => {
    if (count === 0) return NaN;
    const rank = Math.ceil(q * count);
    let seen = 0;
    for (const [b, c] of buckets) {
      seen += c;
      if (seen >= rank) return (b + 0.5) / 1000;
    }
    return NaN;
  };
  const last = buckets[buckets.length - 1];
  return {
    count,
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: last ? last[0] / 1000 : NaN,
  };
}

export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of raw samples (NaN if none); under 100 samples p99 is the max. */
export function summary(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (s.length === 0 ? NaN : s[Math.max(0, Math.ceil(q * s.length) - 1)]!);
  return { n: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}
