/**
 * Leaving through the UI of the built client, two Chromium contexts in one room: when Bob closes
 * his tab, Alice's People list drops him and his cursor leaves her board at once.
 *
 * Before the `bye` frame (sent on `pagehide`, web/src/state/createSession.ts) this took 15-17 s in
 * Chromium: a closed tab does not close its peers' data channels, they notice only when ICE
 * consent fails. The polls below allow 5 s, a third of that; Alice's `peer_close` reason (through
 * the `?debug` hook) says which path removed Bob: 'bye' = his goodbye arrived.
 *
 * Two ways out: `page.close({ runBeforeUnload: true })` (a user closing the tab: Chromium runs
 * the page's unload handlers, pagehide included) and navigating to about:blank (a user typing
 * another address).
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPair, useBrowserSession, visibleInPage } from './harness';

const CONNECT_TIMEOUT_MS = 45_000;
/** well under the 15+ s a closed tab used to linger */
const GONE_WITHIN_MS = 5_000;

type Hooked = {
  __peerboard?: { room?: { on(e: 'peer_close', fn: (p: { reason: string }) => void): void } };
  __closes?: string[];
};

const peerState = (page: Page, name: string) =>
  page.evaluate((peerName) => {
    const rows = [...document.querySelectorAll<HTMLElement>('#panel-people li.peer')];
    const row = rows.find((li) => li.querySelector('.peer-name')?.textContent?.trim() === peerName);
    return row ? (row.dataset.state ?? '') : null;
  }, name);

const cursorCount = (page: Page, name: string) =>
  page.locator(`.board-cursor[data-peer-name="${name}"]`).count();

/** Alice (with `?debug`, recording her peer_close reasons) and Bob, connected, Bob's cursor shown. */
async function aliceAndBob(session: ReturnType<typeof useBrowserSession>) {
  const {
    alice: { page: a, errors: aErrors },
    bob: { page: b },
  } = await openPair(session, { start: '/?debug', board: true });
  await a.evaluate(() => {
    const w = globalThis as Hooked;
    w.__closes = [];
    w.__peerboard!.room!.on('peer_close', ({ reason }) => w.__closes!.push(reason));
  });
  const canvas = (await b.locator('[data-board-layer="elements"]').boundingBox())!;
  await b.mouse.move(canvas.x + 300, canvas.y + 300, { steps: 5 });
  await visibleInPage(a, '.board-cursor[data-peer-name="Bob"]', CONNECT_TIMEOUT_MS);
  return { a, b, aErrors };
}

async function expectBobGone(a: Page) {
  await expect.poll(() => peerState(a, 'Bob'), { timeout: GONE_WITHIN_MS }).toBeNull();
  await expect.poll(() => cursorCount(a, 'Bob'), { timeout: GONE_WITHIN_MS }).toBe(0);
  // his goodbye removed him, not the relay's peer_left plus a silent link ('left')
  expect(await a.evaluate(() => (globalThis as Hooked).__closes)).toEqual(['bye']);
  expect(await a.getByRole('heading', { name: /In this room/ }).textContent()).toMatch(/1/);
}

describe('presence: leaving a room', () => {
  const session = useBrowserSession();

  test("Bob closes his tab: he leaves Alice's People list and board at once", async () => {
    const { a, b, aErrors } = await aliceAndBob(session);
    await b.close({ runBeforeUnload: true });
    await expectBobGone(a);
    expect(aErrors).toEqual([]);
  });

  test('Bob navigates away: the same', async () => {
    const { a, b, aErrors } = await aliceAndBob(session);
    await b.goto('about:blank');
    await expectBobGone(a);
    expect(aErrors).toEqual([]);
  });
});
