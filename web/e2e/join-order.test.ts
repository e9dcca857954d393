/**
 * Joining opens the relay socket first (issue 18): the first chunk holds the session and a
 * light room shell; the board, call, files and chat code loads in chunks of their own only
 * after the signaling socket is open and has spoken (ui/lazyRoom.tsx). While the board's chunk
 * is on its way the board area says so, and the board comes when it arrives.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  BOARD_CANVAS,
  createRoom,
  DESKTOP,
  openInNewContext,
  screenshot,
  useBrowserSession,
  visibleInPage,
  waitDirect,
} from './harness';

const BOARD_CHUNK = /\/assets\/Board-[\w-]+\.js$/;
const APP_CHUNK = /\/assets\/app-[\w-]+\.js$/;

/** The scripts index.html itself loads (module entry + modulepreloads), as absolute URLs. */
async function entryScripts(page: Page, origin: string): Promise<Set<string>> {
  const html = await (await page.request.get(origin + '/')).text();
  const urls = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+)"/g),
  ].map((m) => new URL(m[1]!, origin).href);
  return new Set(urls);
}

describe('join: the signaling socket before the room chunks', () => {
  const session = useBrowserSession();

  /** Alice on the landing page creates a (protected) room: her page and its link. */
  const aliceRoom = async () => {
    const { page } = await openInNewContext(session.browser, session.app.origin + '/', {
      contexts: session.contexts,
      viewport: DESKTOP,
    });
    return { page, link: await createRoom(page, 'Alice', /\/r\/.+#k=/) };
  };
  /** Another browser for the visitor (its init scripts are the test's own), closed with the suite. */
  const visitorContext = async () => {
    const ctx = await session.browser.newContext({ viewport: DESKTOP, colorScheme: 'light' });
    session.contexts.push(ctx);
    return ctx;
  };

  test('a room link opens the relay socket before the board chunk is requested', async () => {
    const { page: a, link } = await aliceRoom();
    await visibleInPage(a, BOARD_CANVAS);

    // Bob has a name already: the link takes him straight into the room, as in the benchmark
    const ctx = await visitorContext();
    await ctx.addInitScript(() => {
      localStorage.setItem('peerboard.name', 'Bob');
      // the page's own clock: CDP's request and WebSocket events come from different processes
      const w = window as unknown as { __wsOpen?: number };
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          this.addEventListener('open', () => (w.__wsOpen ??= performance.now()));
        }
      };
    });
    const b = await ctx.newPage();
    const entry = await entryScripts(b, session.app.origin);
    await b.goto(link);
    await visibleInPage(b, BOARD_CANVAS);
    await waitDirect(b, 'Alice');

    const { wsOpen, scripts } = await b.evaluate(() => ({
      wsOpen: (window as unknown as { __wsOpen?: number }).__wsOpen ?? null,
      scripts: performance
        .getEntriesByType('resource')
        .filter((e) => e.name.endsWith('.js'))
        .map((e) => ({ url: e.name, start: e.startTime })),
    }));
    const summary = JSON.stringify({ wsOpen, scripts }, null, 1);
    expect(wsOpen, summary).not.toBeNull();
    const board = scripts.find((r) => BOARD_CHUNK.test(r.url));
    expect(board, summary).toBeDefined();
    expect(board!.start, summary).toBeGreaterThan(wsOpen!);
    // before the socket opened, the page fetched only what index.html names
    const early = scripts.filter((r) => r.start < wsOpen!).map((r) => r.url);
    expect(early.length, summary).toBeGreaterThan(0);
    expect(early.filter((u) => !entry.has(u))).toEqual([]);
    await screenshot(b, 'join-order-room');
  });

  test('while the board chunk loads the board area says so; the board comes when it arrives', async () => {
    const ctx = await visitorContext();
    await ctx.addInitScript(() => localStorage.setItem('peerboard.name', 'Carol'));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    await ctx.route(BOARD_CHUNK, async (route) => {
      await released;
      await route.continue();
    });
    const page = await ctx.newPage();
    await page.goto(session.app.origin + '/');
    await page.getByRole('button', { name: 'Create a room' }).click();
    const skeleton = page.getByRole('status').filter({ hasText: 'Opening the board' });
    await skeleton.waitFor();
    // the app's one spinner, at its default size (the board's preview status sets it smaller)
    const ring = await skeleton.locator('.spinner').evaluate((el) => {
      const cs = getComputedStyle(el);
      return { width: cs.width, height: cs.height, animation: cs.animationName };
    });
    expect(ring).toEqual({ width: '14px', height: '14px', animation: 'spin' });
    await expect.poll(() => page.locator('[data-board-layer]').count()).toBe(0);
    await screenshot(page, 'join-order-board-loading');
    release();
    await visibleInPage(page, BOARD_CANVAS);
    await expect.poll(() => skeleton.count()).toBe(0);
  });

  test('the relay socket opens while the app code is still on its way, and the session joins over that socket', async () => {
    const { link } = await aliceRoom();

    const ctx = await visitorContext();
    await ctx.addInitScript(() => {
      localStorage.setItem('peerboard.name', 'Dave');
      // every socket the page makes, in order: whether it opened and the types of what it sent
      type Log = { open: boolean; sent: string[] };
      const sockets: Log[] = ((window as unknown as { __sockets?: Log[] }).__sockets = []);
      const logs = new WeakMap<WebSocket, Log>();
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          const log: Log = { open: false, sent: [] };
          sockets.push(log);
          logs.set(this, log);
          this.addEventListener('open', () => (log.open = true));
        }
        override send(data: string | ArrayBufferLike | Blob | ArrayBufferView) {
          if (typeof data === 'string')
            logs.get(this)?.sent.push(/"type":"(\w+)"/.exec(data)?.[1] ?? '?');
          super.send(data);
        }
      };
    });
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let appRequested = false;
    await ctx.route(APP_CHUNK, async (route) => {
      appRequested = true;
      await released;
      await route.continue();
    });
    const b = await ctx.newPage();
    await b.goto(link);
    // the app's code is held back, yet the page's socket to the relay opens
    await expect
      .poll(() => b.evaluate(() => (window as unknown as { __sockets: unknown[] }).__sockets))
      .toEqual([{ open: true, sent: [] }]);
    expect(appRequested).toBe(true);
    release();
    await waitDirect(b, 'Alice');
    const sockets = await b.evaluate(
      () => (window as unknown as { __sockets: { open: boolean; sent: string[] }[] }).__sockets,
    );
    // the one socket, opened before the app ran, carried the hello and the join
    expect(sockets[0]!.sent.slice(0, 2), JSON.stringify(sockets)).toEqual(['hello', 'join']);
    await visibleInPage(b, BOARD_CANVAS);
  });

  test('alone in a room, the board chunk is requested on the join answer, with no timer to wait for', async () => {
    const ctx = await visitorContext();
    // The page's timers never fire: the old 150 ms "alone" wait and the 10 s cap cannot open
    // the gate, only what the join answer says can.
    await ctx.clock.install();
    await ctx.clock.pauseAt(new Date('2026-01-01T00:00:00Z'));
    await ctx.addInitScript((chunk) => {
      localStorage.setItem('peerboard.name', 'Dana');
      // the order of events in the page: the join answer, then the board chunk's request
      const w = window as unknown as { __events: string[]; __listed?: number };
      w.__events = [];
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          this.addEventListener('message', (e) => {
            if (typeof e.data !== 'string') return;
            const msg = JSON.parse(e.data) as { type?: string; members?: unknown[] };
            if (msg.type !== 'joined') return;
            w.__listed = msg.members?.length;
            w.__events.push('joined');
          });
        }
      };
      const board = new RegExp(chunk);
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (board.test(e.name)) w.__events.push('board');
      }).observe({ type: 'resource' });
    }, BOARD_CHUNK.source);
    const page = await ctx.newPage();
    await page.goto(session.app.origin + '/');
    await page.getByRole('button', { name: 'Create a room' }).click();
    await visibleInPage(page, BOARD_CANVAS);
    const seen = () =>
      page.evaluate(() => {
        const w = window as unknown as { __events: string[]; __listed?: number };
        return { events: w.__events, listed: w.__listed };
      });
    await expect.poll(seen).toEqual({ events: ['joined', 'board'], listed: 0 });
  });

  test('a first visit by a room link installs the service worker only once the join has settled', async () => {
    const { link } = await aliceRoom();
    const ctx = await visitorContext();
    await ctx.addInitScript(() => {
      // the order in the page: the join sent, the peer connection connected, the worker registered
      const w = window as unknown as { __order: string[] };
      w.__order = [];
      const register = ServiceWorkerContainer.prototype.register;
      ServiceWorkerContainer.prototype.register = function (...args) {
        w.__order.push('register');
        return register.apply(this, args);
      };
      const Ws = window.WebSocket;
      window.WebSocket = class extends Ws {
        override send(data: string | ArrayBufferLike | Blob | ArrayBufferView) {
          if (typeof data === 'string' && data.includes('"type":"join"')) w.__order.push('join');
          super.send(data);
        }
      };
      const Pc = window.RTCPeerConnection;
      window.RTCPeerConnection = class extends Pc {
        constructor(config?: RTCConfiguration) {
          super(config);
          this.addEventListener('connectionstatechange', () => {
            if (this.connectionState === 'connected') w.__order.push('connected');
          });
        }
      };
    });
    const b = await ctx.newPage();
    await b.goto(link);
    // the name prompt, its page loaded: before this change the worker was registered by now
    await b.getByLabel('Your name').fill('Bob');
    await b.getByRole('button', { name: 'Join room' }).click();
    await waitDirect(b, 'Alice');
    // and it does install: it takes this page (clients.claim), as on the landing page
    await expect
      .poll(() => b.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), {
        timeout: 30_000,
      })
      .toBe(`${session.app.origin}/sw.js`);
    const order = await b.evaluate(() => (window as unknown as { __order: string[] }).__order);
    expect(order).toEqual(['join', 'connected', 'register']);
  });
});
