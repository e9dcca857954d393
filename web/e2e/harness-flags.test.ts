import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test } from 'vitest';
import { PLAYWRIGHT_DISABLED_FEATURES } from './harness';

/**
 * Chromium reads only the last --disable-features, so the harness's own list (after
 * playwright-core's) must repeat playwright-core's: a feature it adds on an upgrade would
 * otherwise be switched back on without anyone seeing it. playwright-core does not export its
 * list, so this reads it from the installed bundle's source.
 */
test("the harness repeats the installed playwright-core's disabled Chromium features", () => {
  const bundle = readFileSync(
    createRequire(import.meta.url).resolve('playwright-core/lib/coreBundle'),
    'utf8',
  );
  const list = /\bdisabledFeatures = \[([^\]]*)\]/.exec(bundle);
  expect(list, 'disabledFeatures not found in playwright-core/lib/coreBundle.js').not.toBeNull();
  const installed = [...list![1]!.matchAll(/^\s*"([^"]+)",?\s*$/gm)].map((m) => m[1]);
  expect(installed.length).toBeGreaterThan(5);
  expect(PLAYWRIGHT_DISABLED_FEATURES).toEqual(installed);
});
