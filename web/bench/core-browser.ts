/**
 * Chromium side of the client-core benchmarks: one headless Chromium (flags from the E2E
 * harness) and the real server serving the built app (web/dist, build it first). Pages open a
 * room with `?debug`, which makes the app publish its room as `window.__peerboard`
 * (state/createRoomState.ts); an init script catches that assignment and timestamps the room's
 * creation and every peer_open with performance.now() inside the page, so no poll interval
 * enters a figure.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { defaultConfig } from '../../signal-server/src/config';
import { startServer } from '../../signal-server/src/server';
import { launchBrowser, startApp, type RunningApp } from '../e2e/harness';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface BrowserBench {
  app: RunningApp;
  browser: Browser;
  /** a context whose pages have a display name and the timing hook */
  context(name: string): Promise<BrowserContext>;
  roomUrl(roomId: string): string;
  close(): Promise<void>;
}

/** What the init script records in each page (performance.now() of that page). */
export interface PageMarks {
  /** when the app assigned window.__peerboard, i.e. right after makeRoom() returned */
  made: number | null;
  /** a setTimeout(0) queued at `made` ran: how long the app's start-up held the main thread */
  firstTask: number | null;
  /** first WebSocket 'open' event */
  wsOpen: number | null;
  /** first 'open' signaling status (hello + join answered) */
  joined: number | null;
  /** per RTCPeerConnection: created, ICE connected, DTLS connected */
  pcs: { created: number; ice: number | null; connected: number | null }[];
  /** main-thread tasks over 50 ms: [start, duration] */
  longTasks: [number, number][];
  opens: { id: string; t: number; epoch: number }[];
  closes: { id: string; t: number }[];
}

/**
 * tsx (which runs the benchmarks) compiles with esbuild's keepNames, so functions that
 * playwright serialises into a page call a `__name` helper the page lacks: define it there.
 */
export const NAME_SHIM = 'globalThis.__name ??= (f) => f';

type Hooked = { room?: import('@peerboard/core').Room };

/** Runs in the page before any of its scripts. */
function installHook(name: string): void {
  const w = window as unknown as { __marks: PageMarks; __peerboard?: Hooked };
  try {
    localStorage.setItem('peerboard.name', name);
  } catch {
    // about:blank has no storage; the app pages do
  }
  const marks: PageMarks = {
    made: null,
    firstTask: null,
    wsOpen: null,
    joined: null,
    pcs: [],
    longTasks: [],
    opens: [],
    closes: [],
  };
  w.__marks = marks;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) marks.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no longtask timing: the breakdown just lacks that row
  }
  const NativeWs = window.WebSocket;
  window.WebSocket = class extends NativeWs {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('open', () => (marks.wsOpen ??= performance.now()));
    }
  };
  // simple-peer reads the global constructor when it makes a connection: time its stages
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      const pc = {
        created: performance.now(),
        ice: null as number | null,
        connected: null as number | null,
      };
      marks.pcs.push(pc);
      this.addEventListener('iceconnectionstatechange', () => {
        if (this.iceConnectionState === 'connected') pc.ice ??= performance.now();
      });
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected') pc.connected ??= performance.now();
      });
    }
  };
  let value: Hooked | undefined;
  Object.defineProperty(w, '__peerboard', {
    configurable: true,
    get: () => value,
    set(v: Hooked) {
      const before = value?.room;
      value = v;
      // debug.ts also assigns the object for other hooks (file counters) before the room exists
      if (v.room === undefined || v.room === before) return;
      marks.made = performance.now();
      setTimeout(() => (marks.firstTask = performance.now()), 0);
      v.room.on('peer_open', ({ id }) => {
        const t = performance.now();
        marks.opens.push({ id, t, epoch: performance.timeOrigin + t });
      });
      v.room.on('change', (snap) => {
        if (snap.signaling === 'open') marks.joined ??= performance.now();
      });
      v.room.on('peer_close', ({ id }) => marks.closes.push({ id, t: performance.now() }));
    },
  });
}

/**
 * The real server serving another build of the app (a copy of an older web/dist), so that a
 * benchmark can alternate two builds in one run.
 */
export async function serveDist(dist: string): Promise<RunningApp> {
  const server = await startServer({
    ...defaultConfig(),
    port: 0,
    host: '127.0.0.1',
    staticDir: path.resolve(dist),
    logLevel: 'warn',
  });
  return {
    origin: `http://127.0.0.1:${server.port}`,
    port: server.port,
    stop: () => server.close(),
  };
}

/**
 * Bytes of JavaScript a build's index.html loads before the app runs: its module script and
 * every modulepreload (what the browser must fetch, parse and run before the first line of app
 * code), and all the JavaScript in the build.
 */
export function entryBytes(dist: string): {
  entry: number;
  /** the module script alone: what runs first (and, since issue 18, opens the room's socket) */
  script: number;
  total: number;
  files: number;
} {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const srcs = [
    ...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g),
  ];
  const size = (p: string) => statSync(path.join(dist, p)).size;
  const entry = srcs.reduce((n, m) => n + size(m[1]!), 0);
  const script = /<script[^>]*src="([^"]+\.js)"/.exec(html);
  const assets = path.join(dist, 'assets');
  const all = readdirJs(assets);
  return {
    entry,
    script: script ? size(script[1]!) : 0,
    total: all.reduce((n, f) => n + size(path.join('assets', f)), 0),
    files: all.length,
  };
}

const readdirJs = (dir: string): string[] =>
  // the example apps (editor-*) are other pages of the same build
  readdirSync(dir).filter((f) => f.endsWith('.js') && !f.startsWith('editor-'));

export async function startBrowserBench(): Promise<BrowserBench> {
  const app = await startApp();
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await app.stop();
    throw e;
  }
  const contexts: BrowserContext[] = [];
  return {
    app,
    browser,
    async context(name) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      contexts.push(ctx);
      await ctx.addInitScript(`${NAME_SHIM}; (${installHook.toString()})(${JSON.stringify(name)})`);
      return ctx;
    },
    roomUrl: (roomId) => `${app.origin}/r/${roomId}?debug`,
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await app.stop();
    },
  };
}

/** A 22-character base64url room id, like the app's own. */
export function randomRoomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Buffer.from(bytes).toString('base64url');
}

export const marks = (page: Page) =>
  page.evaluate(() => (window as unknown as { __marks: PageMarks }).__marks);

/** The page's room id in the mesh, once the app has made its room. */
export async function clientId(page: Page): Promise<string> {
  await page.waitForFunction(
    () => (window as unknown as { __peerboard?: Hooked }).__peerboard?.room,
  );
  return page.evaluate(
    () => (window as unknown as { __peerboard: Hooked }).__peerboard.room!.clientId,
  );
}

/**
 * The scheduler-sweep page code (core-page.ts and what it imports) bundled into one IIFE with
 * the app's own toolchain (vite), to be added to a page with addScriptTag.
 */
export async function bundlePageScript(): Promise<string> {
  const { build } = await import('vite');
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    root: path.join(BENCH_DIR, '..'),
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(BENCH_DIR, 'core-page.ts'), formats: ['iife'], name: 'corePage' },
    },
  });
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs)
    if ('output' in o)
      for (const chunk of o.output) if (chunk.type === 'chunk' && chunk.isEntry) return chunk.code;
  throw new Error('vite produced no entry chunk for core-page.ts');
}
