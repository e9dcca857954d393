/**
 * Joining a big board shows the joiner's screen first (core collab/firstScreen.ts): Alice's
 * board holds 4,000 strokes over ~39 screens (the board bench's synthetic board, core's test kit
 * syntheticBoard.ts); Bob opens the link and is sent the strokes in his view before the full
 * board. His page draws them greyed under a "Loading the board…" status, then the whole board
 * replaces them once it has synced. Two Chromium contexts, the built app.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { boardUpdate } from '../../shared/core/test/kit/syntheticBoard';
import { pixelsOf } from './boardPixels';
import {
  BOARD_CANVAS,
  collectPageErrors,
  createRoom,
  DESKTOP,
  eventually,
  joinRoom,
  openInNewContext,
  openPair,
  screenshot,
  type BrowserSession,
  useBrowserSession,
  visibleInPage,
} from './harness';

const STROKES = 4000;
const SYNC_TIMEOUT_MS = 90_000;
/** one way, on every HTTP request and relay message of the first-time visitor's slow link */
const LINK_LATENCY_MS = 600;
const BOARD_CODE = /\/assets\/Board-[\w-]+\.(js|css)$/;

type Hook = {
  firstScreens?: { elements: number; docElements: number; at: number }[];
  board?: {
    applyUpdate(u: Uint8Array): void;
    loadTimings(): { firstPreviewFrame: number; firstContentFrame: number };
    setViewport(v: { x: number; y: number; zoom: number }): void;
    viewport(): { x: number; y: number; zoom: number };
    zoomToFit(): void;
    renderNow(): number;
    count(): number;
    stats(): { waiting: number; drafts: number; drafted: boolean };
    setRenderMode(mode: 'fast' | 'exact'): void;
  };
};

const count = async (page: Page, attr: string): Promise<number> =>
  Number(await page.locator('.board').getAttribute(attr));

/** Alice's room holding the big board; resolves with its link, opened with the debug hook. */
async function aliceWithBigBoard(session: BrowserSession): Promise<URL> {
  const alice = await openInNewContext(session.browser, `${session.app.origin}/?debug`, {
    contexts: session.contexts,
    viewport: DESKTOP,
    colorScheme: 'light',
  });
  const link = await createRoom(alice.page, 'Alice');
  const update = Buffer.from(boardUpdate(STROKES)).toString('base64');
  await alice.page.evaluate((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    (globalThis as { __peerboard?: Hook }).__peerboard!.board!.applyUpdate(bytes);
  }, update);
  await eventually(
    'Alice holds the board',
    async () => (await count(alice.page, 'data-element-count')) === STROKES,
  );
  const url = new URL(link);
  url.search = 'debug';
  return url;
}

/**
 * Bob, in Alice's room: a preview (or the synced board) on screen, screenshot `shot`; then the
 * whole board, no preview left; the preview was drawn from a part of the board, before the
 * board's first frame with content.
 */
async function expectPreviewThenBoard(bob: Page, errors: string[], shot: string): Promise<void> {
  // the preview or, if the machine was quick, the synced board: screenshot what Bob has
  await eventually(
    'a preview or the board on Bob’s screen',
    async () =>
      (await count(bob, 'data-preview-count')) > 0 || (await count(bob, 'data-element-count')) > 0,
    { timeoutMs: SYNC_TIMEOUT_MS, intervalMs: 20 },
  );
  await screenshot(bob, shot);
  await eventually(
    'Bob holds the board',
    async () => (await count(bob, 'data-element-count')) === STROKES,
    { timeoutMs: SYNC_TIMEOUT_MS },
  );
  await eventually(
    'the preview is gone',
    async () => (await count(bob, 'data-preview-count')) === 0,
  );
  expect(await bob.locator('[data-board-layer="preview"].shown').count()).toBe(0);
  expect(await bob.getByText('Loading the board…').count()).toBe(0);
  await screenshot(bob, `${shot}-synced`);

  const log = await bob.evaluate(() => {
    const hook = (globalThis as { __peerboard?: Hook }).__peerboard!;
    return { screens: hook.firstScreens, timings: hook.board!.loadTimings() };
  });
  // shown while Bob's document was still empty: a part of the board, not all of it
  expect(log.screens).toHaveLength(2);
  const [shown, dropped] = log.screens ?? [];
  if (!shown || !dropped) throw new Error('no first screen log');
  expect(shown.docElements).toBe(0);
  expect(shown.elements).toBeGreaterThan(10);
  expect(shown.elements).toBeLessThan(STROKES / 4);
  // dropped as the board synced, with every stroke in it
  expect(dropped).toMatchObject({ elements: 0, docElements: STROKES });
  // drawn, and before the board's first frame with content
  expect(log.timings.firstPreviewFrame, JSON.stringify(log.timings)).toBeLessThan(
    log.timings.firstContentFrame,
  );
  expect(errors.filter((e) => !/WebSocket connection to .* failed/.test(e))).toEqual([]);
}

interface FrameInPage {
  /** the big board, arriving as a peer's would, viewed at (x, y) at 100% */
  arrive?: { b64: string; x: number; y: number };
  mode?: 'fast' | 'exact';
}

/**
 * In the page: what `o` asks, then a frame painted now (in the same task: an animation frame
 * could come after idle time), its renderer stats and a fingerprint of the canvas's pixels.
 */
function frameInPage(o: FrameInPage) {
  const board = (globalThis as { __peerboard?: Hook }).__peerboard!.board!;
  let waiting = 0;
  if (o.arrive) {
    board.setViewport({ x: o.arrive.x, y: o.arrive.y, zoom: 1 });
    board.applyUpdate(Uint8Array.from(atob(o.arrive.b64), (c) => c.charCodeAt(0)));
    waiting = board.stats().waiting;
  }
  if (o.mode) board.setRenderMode(o.mode);
  board.renderNow();
  const canvas = document.querySelector<HTMLCanvasElement>('[data-board-layer="elements"]')!;
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let print = 2166136261;
  for (let i = 0; i < data.length; i++) print = Math.imul(print ^ data[i]!, 16777619);
  return { ...board.stats(), waiting, print: print >>> 0 };
}

/** Carol's room of her own, the big board arriving in it, viewed at (x, y) at 100%. */
async function arriveAlone(session: BrowserSession, x: number, y: number) {
  const { page } = await openInNewContext(session.browser, `${session.app.origin}/?debug`, {
    contexts: session.contexts,
    viewport: DESKTOP,
    colorScheme: 'light',
  });
  await createRoom(page, 'Carol');
  await visibleInPage(page, BOARD_CANVAS);
  const b64 = Buffer.from(boardUpdate(STROKES)).toString('base64');
  return { page, ...(await page.evaluate(frameInPage, { arrive: { b64, x, y } })) };
}

describe('joining a big board', () => {
  const session = useBrowserSession();

  test('Bob sees the strokes in his view, greyed, before the board syncs; then the whole board', async () => {
    const url = await aliceWithBigBoard(session);
    // Bob's browser has had Peerboard's board open before (a room of his own), so its code is
    // cached: the preview needs the board's code on screen before the whole board lands, and a
    // first-ever download of that code could lose the race against 4,000 strokes on a fast link
    const bob = await openInNewContext(session.browser, `${session.app.origin}/?debug`, {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
    });
    await createRoom(bob.page, 'Bob');
    await visibleInPage(bob.page, BOARD_CANVAS);
    // this browser knows his name now: the link takes him straight into Alice's room
    await bob.page.goto(url.href);
    await expectPreviewThenBoard(bob.page, bob.errors, 'board-join-preview');
  });

  test('a first-time visitor on a slow link sees the preview too: the board’s code is on its way while his link to Alice opens', async () => {
    const url = await aliceWithBigBoard(session);
    // Nothing cached, and the service worker (whose install would fetch the code too) kept out:
    // the page's own request for the board's code is what is tested.
    const context = await session.browser.newContext({
      viewport: DESKTOP,
      colorScheme: 'light',
      serviceWorkers: 'block',
    });
    session.contexts.push(context);
    // A slow link for every HTTP request and relay message; the peer-to-peer strokes stay fast
    // (the worst case: the whole board lands quickly once the link is open). DevTools' network
    // emulation is not used: it slows the data channel too. Before the board's code was fetched
    // on the join answer, it set off only once that link was open and landed after the board:
    // no preview was ever drawn.
    await context.routeWebSocket(/\/ws$/, (socket) => {
      const relay = socket.connectToServer();
      socket.onMessage((m) => setTimeout(() => relay.send(m), LINK_LATENCY_MS));
      relay.onMessage((m) => setTimeout(() => socket.send(m), LINK_LATENCY_MS));
    });
    const requested: string[] = [];
    await context.route('**/*', async (route) => {
      requested.push(route.request().url());
      await new Promise((r) => setTimeout(r, LINK_LATENCY_MS));
      await route.continue();
    });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(url.href);
    // the name prompt, before any room: index.html names the board's code but fetches none of it
    await page.getByLabel('Your name').waitFor();
    expect(requested.filter((u) => BOARD_CODE.test(u))).toEqual([]);
    await joinRoom(page, 'Bob');
    await expectPreviewThenBoard(page, errors, 'board-join-preview-first-visit');
  });

  test('a board that arrives is read near the view first; a fit reads the rest at once, idle time reads it anyway', async () => {
    const arrive = (x: number, y: number) => arriveAlone(session, x, y);
    const hook = (page: Page) =>
      page.evaluate(() => {
        const board = (globalThis as { __peerboard?: Hook }).__peerboard!.board!;
        return {
          count: board.count(),
          waiting: board.stats().waiting,
          zoom: board.viewport().zoom,
        };
      });

    // read in its view's neighbourhood only; a fit in the same task needs, and reads, all of it
    const fit = await arrive(2000, 1500);
    expect(fit.waiting).toBeGreaterThan(STROKES / 2);
    const fitted = await fit.page.evaluate(() => {
      const board = (globalThis as { __peerboard?: Hook }).__peerboard!.board!;
      board.zoomToFit();
      return { waiting: board.stats().waiting, zoom: board.viewport().zoom };
    });
    // the whole 8,000 x 5,000 board in a 1,280 px window, not the ~2,000 px read first
    expect(fitted.waiting).toBe(0);
    expect(fitted.zoom).toBeLessThan(0.2);
    expect((await hook(fit.page)).count).toBe(STROKES);

    // left alone, the page reads the rest in idle time, and draws it where the view goes
    const idle = await arrive(2000, 1500);
    expect(idle.waiting).toBeGreaterThan(STROKES / 2);
    await eventually(
      'the rest of the board read in idle time',
      async () => (await hook(idle.page)).waiting === 0,
    );
    await idle.page.evaluate(() => {
      const board = (globalThis as { __peerboard?: Hook }).__peerboard!.board!;
      board.setViewport({ x: 6000, y: 3500, zoom: 1 });
      board.renderNow();
    });
    // the synthetic board's strokes are near-black (#1e1e1e) among other colours
    expect(await pixelsOf(idle.page, '#1e1e1e')).toBeGreaterThan(500);
    await screenshot(idle.page, 'board-read-near-first-far-corner');
  });
  test('an empty board warms its load path in idle time, in a document of its own: the room sees none of it; a stored board needs none', async () => {
    const { alice, bob } = await openPair(session, { board: true });
    const warmUps = (page: Page) =>
      page.evaluate(() =>
        performance
          .getEntriesByType('measure')
          .filter((m) => m.name.startsWith('peerboard: warm-up'))
          .map((m) => m.name),
      );
    for (const page of [alice.page, bob.page])
      await eventually('the warm-up ran', async () => (await warmUps(page)).length === 2);
    expect(await warmUps(alice.page)).toEqual([
      'peerboard: warm-up board made',
      'peerboard: warm-up board loaded',
    ]);
    // nothing of its 576 elements reached either board, nor went between them
    await alice.page.waitForTimeout(500);
    for (const page of [alice.page, bob.page])
      expect(await count(page, 'data-element-count')).toBe(0);

    // a board with something in it needs no warm-up: Alice draws, reloads, and her stored
    // board is in before the warm-up would start
    const box = (await alice.page.locator(BOARD_CANVAS).boundingBox())!;
    await alice.page.mouse.move(box.x + 200, box.y + 200);
    await alice.page.mouse.down();
    for (let i = 1; i <= 10; i++)
      await alice.page.mouse.move(box.x + 200 + i * 15, box.y + 200 + i * 5);
    await alice.page.mouse.up();
    await eventually(
      'Alice drew',
      async () => (await count(alice.page, 'data-element-count')) === 1,
    );
    await alice.page.reload();
    await visibleInPage(alice.page, BOARD_CANVAS);
    await eventually(
      'her board restored',
      async () =>
        (await alice.page.locator('.board').getAttribute('data-load')) === 'ready' &&
        (await count(alice.page, 'data-element-count')) === 1,
    );
    await alice.page.evaluate(
      () => new Promise((done) => requestIdleCallback(() => requestIdleCallback(done))),
    );
    expect(await warmUps(alice.page)).toEqual([]);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });

  test('a board that arrives is painted as a draft first, then exactly once its outlines are built', async () => {
    const carol = await arriveAlone(session, 2000, 1500);
    // its strokes in view were painted as polylines, not outlines, in the frame that showed them
    expect(carol.drafts).toBeGreaterThan(50);
    expect(carol.drafted).toBe(true);
    await eventually('the drafts painted again exactly', async () => {
      const stats = await carol.page.evaluate(() =>
        (globalThis as { __peerboard?: Hook }).__peerboard!.board!.stats(),
      );
      return !stats.drafted;
    });
    const settled = await carol.page.evaluate(frameInPage, {});
    expect(settled.drafted).toBe(false);
    // the same view painted exactly from the start (no level of detail, no drafts): the same
    // pixels as the settled board, and not those of the draft
    const exact = await carol.page.evaluate(frameInPage, { mode: 'exact' } as FrameInPage);
    expect(exact.print).toBe(settled.print);
    expect(carol.print).not.toBe(settled.print);
    await screenshot(carol.page, 'board-arrived-drafts-painted-exactly');
  });
});
