/**
 * Our own small view on the call stage with the camera off, through the UI of the built client:
 * two contexts of one headless Chromium with fake devices, the real server. Alice calls with her
 * camera, Bob listens only (no second encoder on a loaded machine), Alice turns her camera off.
 *
 * On a phone (390x844) her small view shows her initials in a circle above her name label; the
 * label is readable (at least 12 px) and the two boxes do not intersect. Before, the 56 px circle
 * sat in the middle of the 88x66 view and the label at its foot ran across it.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import { openPair, screenshot, useBrowserSession } from './harness';

/** two contexts with fake media on a shared two-core machine: generous, not a measure */
const TIMEOUT = 60_000;
const POLL = { timeout: TIMEOUT, interval: 250 };
const PHONE_390 = { width: 390, height: 844 };

/** the self-view with the camera off: its circle and label, and whether they stay apart */
const selfView = (page: Page) =>
  page.evaluate(() => {
    const tile = document.querySelector<HTMLElement>('[data-slot="self"] figure.tile');
    const circle = tile?.querySelector('.tile-avatar');
    const label = tile?.querySelector<HTMLElement>('.tile-name');
    if (!tile || !circle || !label || tile.dataset.video !== 'off') return { ready: false };
    const t = tile.getBoundingClientRect();
    const c = circle.getBoundingClientRect();
    const l = label.getBoundingClientRect();
    const inside = (r: DOMRect) =>
      r.left >= t.left - 0.5 &&
      r.top >= t.top - 0.5 &&
      r.right <= t.right + 0.5 &&
      r.bottom <= t.bottom + 0.5;
    return {
      ready: true,
      intersect: c.left < l.right && l.left < c.right && c.top < l.bottom && l.top < c.bottom,
      labelFontPx: parseFloat(getComputedStyle(label).fontSize),
      // a circle shrunk to a dot would also stay clear of the label
      circlePx: Math.round(c.width),
      circleAboveLabel: c.bottom <= l.top,
      bothInside: inside(c) && inside(l),
      initials: circle.textContent?.trim(),
    };
  });

describe('call: our own view with the camera off keeps initials and name apart (Chromium)', () => {
  const session = useBrowserSession({ media: true });
  afterEach(async () => {
    for (const c of session.contexts.splice(0)) await c.close().catch(() => undefined);
  });

  test('phone and desktop, light and dark: the name label is readable and clear of the circle', async () => {
    const { alice: a, bob: b } = await openPair(session);
    await a.page.getByRole('tab', { name: 'Call' }).click();
    await a.page.getByRole('button', { name: 'Start call' }).click({ timeout: TIMEOUT });
    await b.page.getByRole('tab', { name: 'Call' }).click();
    await b.page.getByRole('button', { name: 'Join to listen only' }).click({ timeout: TIMEOUT });
    await a.page.getByRole('button', { name: 'Turn camera off' }).click({ timeout: TIMEOUT });

    const clear = (minCircle: number) => ({
      ready: true,
      intersect: false,
      labelFontPx: expect.toSatisfy((px: number) => px >= 12),
      circlePx: expect.toSatisfy((px: number) => px >= minCircle),
      circleAboveLabel: true,
      bothInside: true,
      initials: 'AL',
    });

    await expect.poll(() => selfView(a.page), POLL).toEqual(clear(48));
    await screenshot(a.page, 'call-selfview-camera-off-desktop-light');

    await a.page.setViewportSize(PHONE_390);
    await expect.poll(() => selfView(a.page), POLL).toEqual(clear(24));
    await screenshot(a.page, 'call-selfview-camera-off-phone-light');
    await a.page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => a.page.locator('html').getAttribute('data-theme')).toBe('dark');
    await expect.poll(() => selfView(a.page), POLL).toEqual(clear(24));
    await screenshot(a.page, 'call-selfview-camera-off-phone-dark');

    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  }, 240_000);
});
