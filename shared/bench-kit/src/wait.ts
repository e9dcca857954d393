/** Waiting in benchmarks; runs in Node and in the pages the Chromium benchmarks bundle. */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves when `check` is true, asked every `everyMs`; rejects after `timeoutMs` (a broken
 * setup, not a figure).
 */
export async function until(
  what: string,
  check: () => boolean,
  timeoutMs = 20_000,
  everyMs = 2,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
