/**
 * Token bucket per connection. A rejected message is dropped; the first rejection of a run is
 * reported to the client once (NOTIFY), later ones silently (DROP), so a flood does not turn into
 * an error flood back. A connection still sending after `maxStrikes` rejections in a row is cut
 * off (CLOSE). Any accepted message ends the run.
 */
export declare const ALLOW = 0;
export declare const NOTIFY = 1;
export declare const DROP = 2;
export declare const CLOSE_CONN = 3;
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
export declare function makeTokenBucket(opts: RateLimitOptions, nowMs: number): TokenBucket;
