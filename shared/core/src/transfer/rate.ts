/**
 * Transfer speed as an exponentially weighted moving average of bytes per second (half-life
 * `halfLifeMs`), sampled at most every 250 ms so bursts of chunks do not make it jump.
 */
export interface Rate {
  /** total bytes so far at time `now` (ms) */
  update(bytes: number, now: number): void;
  /** bytes per second, 0 until two samples exist */
  speed(): number;
  /** seconds until `total`, null while unknown */
  eta(bytes: number, total: number): number | null;
  reset(bytes: number, now: number): void;
}

const MIN_SAMPLE_MS = 250;

export function makeRate(halfLifeMs = 2000): Rate {
  let lastT: number | null = null;
  let lastBytes = 0;
  let avg = 0;
  let samples = 0;
  return {
    update(bytes, now) {
      if (lastT === null) {
        lastT = now;
        lastBytes = bytes;
        return;
      }
      const dt = now - lastT;
      if (dt < MIN_SAMPLE_MS) return;
      const inst = ((bytes - lastBytes) * 1000) / dt;
      const alpha = samples === 0 ? 1 : 1 - 2 ** (-dt / halfLifeMs);
      avg += alpha * (inst - avg);
      samples++;
      lastT = now;
      lastBytes = bytes;
    },
    speed: () => Math.max(0, avg),
    eta(bytes, total) {
      if (avg <= 0 || samples === 0) return null;
      return Math.max(0, (total - bytes) / avg);
    },
    reset(bytes, now) {
      lastT = now;
      lastBytes = bytes;
      avg = 0;
      samples = 0;
    },
  };
}
