/**
 * Exponential backoff with jitter: attempt 0 waits ~base, each further attempt doubles up to max.
 * The delay is drawn from [d/2, d] ("equal jitter") so a restarted server is not hit by every
 * client at the same instant, yet no client waits far longer than the nominal delay.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const nominal = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(nominal / 2 + (random() * nominal) / 2);
}
