/**
 * Transfer speed as an exponentially weighted moving average of bytes per second (half-life
 * `halfLifeMs`), sampled at most every 250 ms so bursts of chunks do not make it jump.
 *
 * A window in which no byte arrived for `staleMs` has no speed at all (null), rather than an
 * average decayed towards zero: a decayed rate turns into absurd ETAs (billions of hours) when
 * a peer left. When bytes flow again the average starts over from that moment.
 */
export interface Rate {
  /** total bytes so far at time `now` (ms) */
  update(bytes: number, now: number): void;
  /** bytes per second; null until two samples exist or when nothing arrived for `staleMs` */
  speed(now: number): number | null;
  /** bytes flowed once and none arrived for `staleMs`: stalled, not starting */
  stalled(now: number): boolean;
  /** seconds until `total`; null whenever speed() is */
  eta(bytes: number, total: number, now: number): number | null;
  reset(bytes: number, now: number): void;
}

const MIN_SAMPLE_MS = 250;
export const RATE_STALE_MS = 3000;

export function makeRate(halfLifeMs = 2000, staleMs = RATE_STALE_MS): Rate {
  let lastT: number | null = null;
  let lastBytes = 0;
  let avg = 0;
  let samples = 0;
  /** when the byte count last grew */
  let progressT: number | null = null;
  let progressBytes = 0;
  const reset = (bytes: number, now: number) => {
    lastT = now;
    lastBytes = bytes;
    progressT = now;
    progressBytes = bytes;
    avg = 0;
    samples = 0;
  };
  return {
    update(bytes, now) {
      if (lastT === null || progressT === null) return reset(bytes, now);
      if (bytes > progressBytes) {
        // resuming after a stall: the stalled stretch says nothing about the new speed
        if (now - progressT > staleMs) return reset(bytes, now);
        progressT = now;
        progressBytes = bytes;
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
    speed(now) {
      if (samples === 0 || progressT === null || now - progressT > staleMs) return null;
      return Math.max(0, avg);
    },
    stalled: (now) => samples > 0 && progressT !== null && now - progressT > staleMs,
    eta(bytes, total, now) {
      const s = this.speed(now);
      if (s === null || s <= 0) return null;
      return Math.max(0, (total - bytes) / s);
    },
    reset,
  };
}
