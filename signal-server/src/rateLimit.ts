/**
 * Token bucket per connection. A rejected message is dropped; the first rejection of a run is
 * reported to the client once (NOTIFY), later ones silently (DROP), so a flood does not turn into
 * an error flood back. A connection still sending after `maxStrikes` rejections in a row is cut
 * off (CLOSE). Any accepted message ends the run.
 */

export const ALLOW = 0;
export const NOTIFY = 1;
export const DROP = 2;
export const CLOSE_CONN = 3;
export type Verdict = typeof ALLOW | typeof NOTIFY | typeof DROP | typeof CLOSE_CONN;

export interface RateLimitOptions {
  ratePerSecond: number;
  burst: number;
  maxStrikes: number;
}

export interface TokenBucket {
  /** `nowMs` from a monotonic clock (performance.now()). */
  take(nowMs: number): Verdict;
}

// A class rather than a closure: one small object per connection, methods shared on the prototype.
class Bucket implements TokenBucket {
  private tokens: number;
  private last: number;
  private strikes = 0;

  constructor(
    private readonly opts: RateLimitOptions,
    nowMs: number,
  ) {
    this.tokens = opts.burst;
    this.last = nowMs;
  }

  take(nowMs: number): Verdict {
    const elapsed = nowMs - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(
        this.opts.burst,
        this.tokens + (elapsed * this.opts.ratePerSecond) / 1000,
      );
      this.last = nowMs;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.strikes = 0;
      return ALLOW;
    }
    this.strikes += 1;
    if (this.strikes > this.opts.maxStrikes) return CLOSE_CONN;
    return this.strikes === 1 ? NOTIFY : DROP;
  }
}

export function makeTokenBucket(opts: RateLimitOptions, nowMs: number): TokenBucket {
  return new Bucket(opts, nowMs);
}
