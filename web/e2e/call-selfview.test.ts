/**
 * Our own small view on the call stage (issue 15), through the UI of the built client: three
 * contexts of one headless Chromium with fake devices, the real server. Alice sends her camera,
 * Bob and Carol listen only (no encoder of theirs loads the machine), so Alice's stage is a
 * gallery of two tiles and her own view.
 *
 * The self-view moves by keyboard (its corner button, clockwise through all four corners) and by
 * dragging; in every corner, on desktop and on a phone, its box must not intersect any gallery
 * tile (bounding boxes of the figures). Before, the gallery laid its tiles out over the whole
 * stage and the self-view sat on top of the top-right tile's corner (on a phone, across the first
 * tile, which is the full width).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import {
  DESKTOP,
  joinRoom,
  openInNewContext,
  openPair,
  PHONE,
  SCREENSHOT_DIR,
  useBrowserSession,
  waitDirect,
} from './harness';

/** a shared two-core machine, often loaded far past its cores: generous, not a measure */
const TIMEOUT = 90_000;
const POLL = { timeout: TIMEOUT, interval: 250 };

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** the self-view's box, the gallery tiles' boxes, and the stage's corner attribute */
const geometry = (page: Page) =>
  page.evaluate(() => {
    const box = (el: Element): Box => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    };
    const self = document.querySelector('[data-slot="self"] figure.tile');
    const area = document.querySelector<HTMLElement>('.stage-tiles');
    return {
      mode: document.querySelector<HTMLElement>('.call-stage')?.dataset.mode ?? null,
      corner: area?.dataset.selfCorner ?? null,
      area: area ? box(area) : null,
      self: self ? box(self) : null,
      tiles: [...document.querySelectorAll('[data-slot="grid"] figure.tile')].map(box),
    };
  });

/** overlap in px² of two boxes (0 when they only touch) */
const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

/** what the self-view covers of the gallery, and whether it is inside the stage: for expect.poll */
async function placement(page: Page) {
  const g = await geometry(page);
  if (!g.self || !g.area || g.mode !== 'gallery') return { ready: false, corner: g.corner };
  const s = g.self;
  const a = g.area;
  return {
    ready: g.tiles.length === 2,
    corner: g.corner,
    covered: g.tiles.map((t) => Math.round(overlap(s, t))),
    inside:
      s.x >= a.x - 1 && s.y >= a.y - 1 && s.x + s.w <= a.x + a.w + 1 && s.y + s.h <= a.y + a.h + 1,
    // a self-view shrunk to nothing would also overlap nothing
    visible: s.w >= 80 && s.h >= 60,
  };
}

/** harness.screenshot with more time: four live pages on a loaded two-core machine */
const screenshot = (page: Page, name: string) =>
  page.screenshot({
    path: path.join(SCREENSHOT_DIR, `${name}.png`),
    animations: 'disabled',
    timeout: TIMEOUT,
  });

const clear = (corner: string) => ({
  ready: true,
  corner,
  covered: [0, 0],
  inside: true,
  visible: true,
});

describe('call: our own view never covers the gallery (Chromium)', () => {
  const session = useBrowserSession({ media: true });
  afterEach(async () => {
    for (const c of session.contexts.splice(0)) await c.close().catch(() => undefined);
  });

  async function joinCall(page: Page, button: 'Start call' | 'Join to listen only') {
    await page.getByRole('tab', { name: 'Call' }).click();
    await page.getByRole('button', { name: button }).click({ timeout: TIMEOUT });
  }

  /** the corner button by keyboard: focus it, Enter; the view lands clear of every tile */
  async function cycleCorners(page: Page, corners: string[]) {
    for (const corner of corners) {
      await page.getByRole('button', { name: 'Move your view to the next corner' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => placement(page), POLL).toEqual(clear(corner));
    }
  }

  test('by keyboard and by drag, every corner, desktop light and dark, phone', async () => {
    const { alice: a, bob: b, roomLink } = await openPair(session);
    const c = await openInNewContext(session.browser, roomLink, {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
    });
    await joinRoom(c.page, 'Carol');
    await waitDirect(a.page, 'Carol', TIMEOUT);
    await joinCall(a.page, 'Start call');
    await joinCall(b.page, 'Join to listen only');
    await joinCall(c.page, 'Join to listen only');

    // the gallery opens with our view top right, clear of both tiles
    await expect.poll(() => placement(a.page), POLL).toEqual(clear('tr'));
    await screenshot(a.page, 'call-selfview-desktop-light');
    // clockwise by keyboard, back to the start
    await cycleCorners(a.page, ['br', 'bl', 'tl', 'tr']);

    // dragged to the lower left half, it snaps to that corner, still clear
    const self = a.page.locator('[data-slot="self"]');
    const from = (await self.boundingBox())!;
    await a.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await a.page.mouse.down();
    await a.page.mouse.move(200, DESKTOP.height - 150, { steps: 5 });
    await a.page.mouse.up();
    await expect.poll(() => placement(a.page), POLL).toEqual(clear('bl'));

    await a.page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => a.page.locator('html').getAttribute('data-theme')).toBe('dark');
    await screenshot(a.page, 'call-selfview-desktop-dark');

    // a phone: one column of full-width tiles; every corner still clear
    await a.page.emulateMedia({ colorScheme: 'light' });
    await a.page.setViewportSize(PHONE);
    await expect.poll(() => placement(a.page), POLL).toEqual(clear('bl'));
    await screenshot(a.page, 'call-selfview-phone-light');
    await cycleCorners(a.page, ['tl', 'tr', 'br', 'bl']);
    await a.page.getByRole('button', { name: 'Move your view to the next corner' }).focus();
    await a.page.keyboard.press('Enter');
    await expect.poll(() => placement(a.page), POLL).toEqual(clear('tl'));
    await screenshot(a.page, 'call-selfview-phone-top');

    for (const p of [a, b, c]) expect(p.errors).toEqual([]);
  }, 480_000);
});
