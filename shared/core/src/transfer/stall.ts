/**
 * Which holders stopped sending. A peer that announced `have` becomes a source, and a block
 * requested from it used to wait forever: one fake holder froze the receive window behind it.
 * Here every holder with requests outstanding must show progress (a chunk accepted) within a
 * limit that adapts to the transfer's speed: a few seconds at least, more while the data it
 * owes would take longer than that at the best speed seen so far. The best, not the average:
 * while one holder stalls, the window behind it stops everyone, and an average that fell with
 * it would keep stretching the limit.
 */
export const STALL_MIN_MS = 4_000;
export const STALL_MAX_MS = 60_000;
/** a holder may take this many times the expected time for what it owes */
const SLACK = 3;
/** speed is measured over windows of at least this long */
const SPEED_WINDOW_MS = 500;

export interface StallWatch {
  /** the holder got its first outstanding request (bytes 0), or delivered `bytes` */
  progress(holder: string, now: number, bytes: number): void;
  /** the holder owes nothing any more (released, closed, distrusted) */
  forget(holder: string): void;
  /** holders that owe `owedBytes(h)` and sent nothing for longer than allowed */
  stalled(now: number, owedBytes: (holder: string) => number): string[];
}

export function makeStallWatch(minMs = STALL_MIN_MS): StallWatch {
  const last = new Map<string, number>();
  let windowStart: number | null = null;
  let windowBytes = 0;
  /** best bytes/s over a window so far (0 = not measured yet) */
  let peak = 0;
  return {
    progress(holder, now, bytes) {
      last.set(holder, now);
      if (bytes === 0) return;
      windowStart ??= now;
      windowBytes += bytes;
      if (now - windowStart >= SPEED_WINDOW_MS) {
        peak = Math.max(peak, (windowBytes * 1000) / (now - windowStart));
        windowStart = now;
        windowBytes = 0;
      }
    },
    forget(holder) {
      last.delete(holder);
    },
    stalled(now, owedBytes) {
      const out: string[] = [];
      for (const [holder, t] of last) {
        const owed = owedBytes(holder);
        if (owed <= 0) continue;
        const expected = peak > 0 ? (SLACK * owed * 1000) / peak : 0;
        const limit = Math.min(STALL_MAX_MS, Math.max(minMs, expected));
        if (now - t > limit) out.push(holder);
      }
      return out;
    },
  };
}
