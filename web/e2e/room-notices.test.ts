/**
 * The room page's notices (web/src/ui/RoomPage.tsx `.room-notices`: connection, version,
 * "blocked") at narrow widths, in Chromium: on a 360 px phone, in an 800 px window and on both
 * sides of the 1200 px step where they move from the bottom to the top right, one notice and
 * then two at once. Real notices: an older page (Bob, on the older relay of a rolling
 * deploy, core's test kit) is cut off -> "Bob is on another version"; then the relay goes away
 * -> "Reconnecting". Each notice must lie fully in the window, clear of the board's tools and
 * its actions row (image, export, help) and of the other notice. Then, with both up, Alice
 * starts a call: on the stage, in the in-call bar and (phone) in the Call sheet, the notices
 * cover neither the call's controls (mute, camera, leave) nor its video, and every control lies
 * whole on the board (light, then a look in dark).
 */
import { PROTOCOL_VERSION } from '@peerboard/protocol';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { rawPeer, type RawPeer } from '../../shared/core/test/kit/rawPeer';
import { startRollingDeploy } from '../../shared/core/test/kit/rollingDeploy';
import { keyParam, roomIdFromPath } from '../src/state/roomId';
import {
  createRoom,
  openInNewContext,
  relaySwitch,
  screenshot,
  startApp,
  useBrowserSession,
} from './harness';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const apart = (a: Box, b: Box) =>
  a.x >= b.x + b.width || a.x + a.width <= b.x || a.y >= b.y + b.height || a.y + a.height <= b.y;

/** Boxes of the notices, the tools row and the actions row, and the window's size. */
const layout = (page: Page) =>
  page.evaluate(() => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    return {
      notices: [...document.querySelectorAll('.room-notices > .banner')].map((el) => ({
        text: (el as HTMLElement).innerText,
        box: box(el),
      })),
      tools: box(document.querySelector('.board-toolbar')!),
      actions: box(document.querySelector('.board-actions')!),
      window: { width: innerWidth, height: innerHeight },
    };
  });

/**
 * Boxes of what a call shows on the board area: the call's controls (in-call bar, stage or
 * panel: the one toolbar on screen), the stage's tiles and the in-call bar's picture.
 */
const callLayout = (page: Page) =>
  page.evaluate(() => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const shown = (el: Element) => (el as HTMLElement).checkVisibility();
    const controls = [
      ...document.querySelectorAll('[role="toolbar"][aria-label="Call controls"]'),
    ].filter(shown);
    return {
      controls: controls.map(box),
      buttons: controls.flatMap((c) => [...c.querySelectorAll('button')].filter(shown).map(box)),
      board: box(document.querySelector('#board')!),
      video: [...document.querySelectorAll('.call-stage .stage-slot, .call-dock .dock-pip')]
        .filter(shown)
        .map(box),
      where: controls[0]?.closest('.call-dock')
        ? 'dock'
        : controls[0]?.closest('.call-stage')
          ? 'stage'
          : 'panel',
    };
  });

/**
 * The notices lie clear of the call's controls (and of its video, unless `video` is false),
 * which are on screen, where `where` says.
 */
async function expectClearOfCall(
  page: Page,
  what: string,
  where: 'stage' | 'dock' | 'panel',
  video = true,
): Promise<void> {
  const l = await layout(page);
  const c = await callLayout(page);
  expect(c.where, what).toBe(where);
  expect(c.controls.length, `${what}: the call's controls on screen`).toBe(1);
  expect(l.notices.length, what).toBe(2);
  // every control whole on the board (the bar never runs past its edge), or in the window
  const area = where === 'panel' ? { x: 0, y: 0, ...l.window } : c.board;
  for (const b of c.buttons) {
    const inside =
      b.x >= area.x &&
      b.y >= area.y &&
      b.x + b.width <= area.x + area.width &&
      b.y + b.height <= area.y + area.height;
    expect(inside, `${what}: control ${JSON.stringify(b)} in ${JSON.stringify(area)}`).toBe(true);
  }
  for (const n of l.notices)
    expect(n.box.y + n.box.height, `${what}: notice in the window`).toBeLessThanOrEqual(
      l.window.height,
    );
  expectNoticesApart(l.notices, [...c.controls, ...(video ? c.video : [])], what);
}

/** No notice overlaps any of `boxes`. */
function expectNoticesApart(notices: { box: Box }[], boxes: Box[], what: string): void {
  for (const n of notices)
    for (const b of boxes)
      expect(
        apart(n.box, b),
        `${what}: notice ${JSON.stringify(n.box)} over ${JSON.stringify(b)}`,
      ).toBe(true);
}

async function expectClear(page: Page, count: number): Promise<void> {
  const l = await layout(page);
  expect(l.notices).toHaveLength(count);
  for (const [i, n] of l.notices.entries()) {
    const what = `notice ${i + 1} (${n.text.slice(0, 40)}) at ${JSON.stringify(n.box)}`;
    expect(apart(n.box, l.tools), `${what} covers the tools ${JSON.stringify(l.tools)}`).toBe(true);
    expect(apart(n.box, l.actions), `${what} covers the actions ${JSON.stringify(l.actions)}`).toBe(
      true,
    );
    // readable: whole in the window, and wide enough for a line of words
    expect(n.box.x).toBeGreaterThanOrEqual(0);
    expect(n.box.y).toBeGreaterThanOrEqual(0);
    expect(n.box.x + n.box.width).toBeLessThanOrEqual(l.window.width);
    expect(n.box.y + n.box.height).toBeLessThanOrEqual(l.window.height);
    expect(n.box.width).toBeGreaterThanOrEqual(Math.min(300, l.window.width - 32));
    for (const m of l.notices.slice(i + 1)) expect(apart(n.box, m.box), what).toBe(true);
  }
}

/** On a phone, the open sheet's own controls (buttons, fields) lie clear of both notices. */
async function expectClearOfSheet(page: Page, tab: string): Promise<void> {
  await page.getByRole('tab', { name: tab }).click();
  const l = await layout(page);
  const controls = await page.evaluate(() =>
    [...document.querySelectorAll('.tab-panel')]
      .filter((p) => (p as HTMLElement).checkVisibility())
      .flatMap((p) => [...p.querySelectorAll('button, input, textarea')])
      .filter((el) => (el as HTMLElement).checkVisibility())
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      })
      .filter((b) => b.width > 0 && b.y < innerHeight),
  );
  expect(controls.length, `${tab} sheet: its controls on screen`).toBeGreaterThan(0);
  expect(l.notices.length, `${tab} sheet`).toBe(2);
  expectNoticesApart(l.notices, controls, `${tab} sheet`);
  await screenshot(page, `notices-${tab.toLowerCase()}-sheet-phone-360`);
  await page.getByRole('tab', { name: tab }).click();
}

/**
 * One page per kind of device; a window is resized through its widths (the notices stay up
 * while it is: the layout alone is under test, so one room per device is enough).
 */
const DEVICES: [BrowserContextOptions, string[]][] = [
  [{ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, ['phone-360']],
  // 800 px, then either side of the 1200 px step (notices at the bottom / top right of the board)
  [{ viewport: { width: 800, height: 700 } }, ['window-800', 'window-1180', 'window-1200']],
];
const widthOf = (name: string) => Number(name.split('-')[1]);

describe('room notices at narrow widths (Chromium)', () => {
  const session = useBrowserSession({ media: true });

  test('one notice, then two at once, stay clear of the tools and the actions row from a phone to a wide window', async () => {
    const deploy = await startRollingDeploy();
    const app = await startApp({ cluster: deploy.cluster });
    const peers: RawPeer[] = [];
    try {
      const older = await deploy.relay(PROTOCOL_VERSION - 1);
      for (const [options, names] of DEVICES) {
        const relay = relaySwitch();
        const { page, errors } = await openInNewContext(session.browser, app.origin + '/', {
          contexts: session.contexts,
          ...options,
          prepare: (c) => c.routeWebSocket(/\/ws$/, relay.via),
        });
        const url = new URL(await createRoom(page, 'Alice'));
        await page.locator('.board-actions').waitFor();
        const bob = rawPeer(
          older.url,
          roomIdFromPath(url.pathname)!,
          'Bob',
          undefined,
          keyParam(url.hash) ?? undefined,
          { version: PROTOCOL_VERSION - 1 },
        );
        peers.push(bob);
        const eachWidth = async (count: number, shot: string) => {
          for (const name of names) {
            if (!options.isMobile)
              await page.setViewportSize({ width: widthOf(name), height: 720 });
            await expectClear(page, count);
            await screenshot(page, `notices-${shot}-${name}`);
          }
        };
        await page.locator('[data-banner="peer_outdated"]').waitFor();
        await eachWidth(1, 'one');

        await relay.cut();
        await page.locator('[data-banner="reconnecting"]').waitFor();
        await eachWidth(2, 'two');
        if (options.isMobile) {
          await expectClearOfSheet(page, 'Chat');
          await expectClearOfSheet(page, 'Files');
        }

        // a call (Alice alone in it) with both notices up: its stage, then its in-call bar
        await page.getByRole('tab', { name: 'Call' }).click();
        await page.getByRole('button', { name: 'Start call' }).click();
        await page.getByRole('toolbar', { name: 'Call controls' }).waitFor();
        if (options.isMobile) {
          // the Call sheet gave way to the call it opened; opened again over the stage, its
          // controls stay clear (the stage above it is a strip the sheet and the notices share)
          await expect.poll(async () => (await callLayout(page)).where).toBe('stage');
          await page.getByRole('tab', { name: 'Call' }).click();
          await expectClearOfCall(page, 'call sheet', 'panel', false);
          await screenshot(page, 'notices-call-sheet-phone-360');
          await page.getByRole('tab', { name: 'Call' }).click();
        }
        const eachCallWidth = async (where: 'stage' | 'dock') => {
          for (const name of names) {
            if (!options.isMobile)
              await page.setViewportSize({ width: widthOf(name), height: 720 });
            await expectClearOfCall(page, `${name} ${where}`, where);
            // a look at the narrowest and the widest (1180 lays out as 800 does)
            if (name === names[0] || name === names.at(-1))
              await screenshot(page, `notices-call-${where}-${name}`);
          }
        };
        await eachCallWidth('stage');
        await page.locator('.call-stage').getByRole('button', { name: 'Back to board' }).click();
        if (!options.isMobile) await page.getByRole('tab', { name: 'People' }).click();
        await eachCallWidth('dock');
        await page.emulateMedia({ colorScheme: 'dark' });
        await screenshot(page, `notices-call-dock-dark-${names.at(-1)}`);
        await page
          .getByRole('region', { name: 'Call in progress' })
          .getByRole('button', { name: /Open the call stage/ })
          .click();
        await page.locator('.call-stage').waitFor();
        await screenshot(page, `notices-call-stage-dark-${names.at(-1)}`);
        expect(errors.filter((e) => !/WebSocket/.test(e))).toEqual([]);
        await page.context().close();
      }
    } finally {
      for (const p of peers) p.destroy();
      await app.stop();
      await deploy.close();
    }
  }, 120_000);
});
