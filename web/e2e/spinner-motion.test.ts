/**
 * Spinners and reduced motion, in the built client in Chromium:
 *
 * - The call's "asking for your camera" ring is the shared `.spinner` at 28 px with a 3 px ring
 *   (it was a ring of its own, `.call-spinner`, spun by `.spin`).
 * - Under `prefers-reduced-motion: reduce` no spinner turns: `.spinner` and `.spin` (the
 *   "still connecting" icon) have no animation, and the blanket reduce rule plays any other
 *   animation once instead of for ever. Without the preference they do spin, so the check can
 *   tell the two apart. Before, the call ring kept `.spin`'s endless turn, cut to 0.01 ms per
 *   turn by the blanket rule: a ring jumping to a random angle on every frame.
 *
 * The call stays on "asking for your camera" as long as the browser's prompt is unanswered: an
 * init script stands in for that prompt with a getUserMedia that never settles.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { createRoom, DESKTOP, openInNewContext, screenshot, useBrowserSession } from './harness';

/** Init script: getUserMedia waits for ever, like a permission prompt nobody answers. */
function unansweredPrompt() {
  navigator.mediaDevices.getUserMedia = () => new Promise<MediaStream>(() => {});
}

/** computed motion of the call's ring, of a `.spin` icon and of a `.state-dot` pulse */
function motionOf(page: Page) {
  return page.evaluate(() => {
    const ring = document.querySelector('.call-intro .spinner')!;
    // the "still connecting" banner's icon shows only after 4 s of trouble: one like it
    const icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    icon.classList.add('spin');
    document.body.append(icon);
    const r = getComputedStyle(ring);
    const i = getComputedStyle(icon);
    const seen = {
      ring: { name: r.animationName, size: r.width, ringWidth: r.borderTopWidth },
      icon: i.animationName,
    };
    icon.remove();
    return seen;
  });
}

describe('spinners under reduced motion (Chromium)', () => {
  const session = useBrowserSession();

  for (const [reducedMotion, spins] of [
    ['reduce', false],
    ['no-preference', true],
  ] as const)
    test(`reducedMotion '${reducedMotion}': the call's ring and .spin ${spins ? 'turn' : 'stand still'}`, async () => {
      const { page, errors } = await openInNewContext(session.browser, session.app.origin + '/', {
        contexts: session.contexts,
        viewport: DESKTOP,
        reducedMotion,
        prepare: (context) => context.addInitScript(unansweredPrompt),
      });
      await createRoom(page, 'Alice');
      await page.getByRole('tab', { name: 'Call' }).click();
      await page.getByRole('button', { name: 'Start call' }).click();
      await page.getByText('Asking for your camera and microphone…').waitFor();
      const turning = spins ? 'spin' : 'none';
      expect(await motionOf(page)).toEqual({
        ring: { name: turning, size: '28px', ringWidth: '3px' },
        icon: turning,
      });
      if (!spins)
        // what runs anyway (the connection dot's pulse) plays once, not for ever
        expect(
          await page.evaluate(() => getComputedStyle(document.body).animationIterationCount),
        ).toBe('1');
      await screenshot(page, `call-spinner-${reducedMotion}`);
      expect(errors).toEqual([]);
    }, 60_000);
});
