/**
 * Browser E2E harness: the one place that knows how to launch Chromium for WebRTC here, how to
 * run the real signal server over the built client, and where screenshots go.
 * Tests drive the app like a user through playwright-core; nothing is mocked.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type CDPSession,
  type Page,
  type WebSocketRoute,
} from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { defaultConfig, type ServerConfig } from '../../signal-server/src/config';
import { startServer } from '../../signal-server/src/server';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIST = path.join(WEB_DIR, 'dist');
export const SCREENSHOT_DIR = path.join(WEB_DIR, 'test-results', 'screenshots');

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Chromium honours only the last --disable-features, so ours repeats playwright-core's list
 * (chromiumSwitches.ts, 1.65.1) before adding to it; harness-flags.test.ts fails when the
 * installed playwright-core's list differs.
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];
/**
 * New headless Chromium is the whole browser: each context is a window of its own, and each
 * window built its address bar's popups (chrome://omnibox-popup.top-chrome/ and its AI-mode
 * page) as WebUI pages, in renderer processes of their own. No test can see them; they cost
 * CPU on every context the run opens (see BENCHMARKS.md, suite12).
 */
const UNSEEN_BROWSER_UI = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

/**
 * Flags that make headless Debian Chromium usable for WebRTC on these machines. Two contexts of
 * one browser connect a data channel over loopback with no STUN server and no extra flags.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox', // runs as root in containers/CI
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking', // no calls home that hang without internet
  '--disable-component-update',
  '--disable-sync',
  // after playwright-core's own --disable-features: the last one is the one Chromium reads
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...UNSEEN_BROWSER_UI].join(',')}`,
];
/** getUserMedia without a permission prompt and with synthetic camera/microphone streams. */
const MEDIA_ARGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

export async function launchBrowser(
  options: {
    media?: boolean;
    /** a wrapper that starts Chromium elsewhere (e.g. in a test network namespace) */
    executablePath?: string;
    extraArgs?: string[];
  } = {},
): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it with "apt-get install -y chromium" ` +
        'or set CHROMIUM_PATH.',
    );
  }
  return chromium.launch({
    executablePath: options.executablePath ?? CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.media ? MEDIA_ARGS : []), ...(options.extraArgs ?? [])],
  });
}

/**
 * One browser per kind for the whole E2E run, not one per test file: launching and closing
 * Chromium cost ~3 s a file on the 2-core CI box. The e2e project runs its files one after another
 * in one worker without isolation (vitest.config.ts), so this module, and these browsers, outlive
 * a file. Each file still gets fresh contexts (their own storage, permissions and pages) and
 * closes every one of them when it ends (useBrowserSession). A browser that went away (a crash)
 * is launched again for the next file.
 */
const sharedBrowsers = new Map<'plain' | 'media', Promise<Browser>>();

/**
 * The run's browser of that kind (see above), for a file that starts its own app: it must close
 * every context it opened (closeContexts) and never the browser itself.
 */
export function sharedBrowser(media: boolean): Promise<Browser> {
  const kind = media ? 'media' : 'plain';
  let browser = sharedBrowsers.get(kind);
  if (browser === undefined) {
    browser = launchBrowser({ media });
    sharedBrowsers.set(kind, browser);
    const forget = () => {
      if (sharedBrowsers.get(kind) === browser) sharedBrowsers.delete(kind);
    };
    browser.then((b) => b.on('disconnected', forget), forget);
  }
  return browser;
}

/** Viewports the suites use: a desktop window and a 375 px phone. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };

/** What a describe block shares: the app, one browser, and every context opened in it. */
export interface BrowserSession {
  readonly app: RunningApp;
  readonly browser: Browser;
  /** pass to openInNewContext so afterAll closes them */
  readonly contexts: BrowserContext[];
}

/**
 * Starts the app and takes the run's browser (sharedBrowser) before the block's tests; closes
 * every context of that browser and the app after them. Call it in the body of a `describe`.
 */
export function useBrowserSession(options: { media?: boolean } = {}): BrowserSession {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    app = await startApp();
    browser = await sharedBrowser(options.media === true);
    // what an earlier file left open (it failed in its afterAll) is not this file's
    await closeContexts(browser);
  });
  afterAll(async () => {
    // every context of the browser, also those a test opened without listing them in `contexts`
    for (const c of contexts) await c.close().catch(() => undefined);
    if (browser) await closeContexts(browser);
    await app?.stop();
  });
  const ready = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`${what} is not started: use it inside a test`);
    return v;
  };
  return {
    get app() {
      return ready(app, 'the app');
    },
    get browser() {
      return ready(browser, 'the browser');
    },
    contexts,
  };
}

/** Closes every context of `browser` (what a file opened in the run's shared browser). */
export async function closeContexts(browser: Browser): Promise<void> {
  for (const c of browser.contexts()) await c.close().catch(() => undefined);
}

export interface RunningApp {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The real signal server on a free loopback port, serving web/dist (build it first);
 * `overrides` over its default config (say, `cluster`: one instance of a rolling deploy).
 */
export async function startApp(overrides: Partial<ServerConfig> = {}): Promise<RunningApp> {
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) {
    throw new Error(
      `The web client is not built (${WEB_DIST}/index.html is missing). ` +
        'Run "pnpm --filter @peerboard/web build" before the e2e project (the root "pnpm test" does).',
    );
  }
  const server = await startServer({
    ...defaultConfig(),
    port: 0,
    host: '127.0.0.1',
    staticDir: WEB_DIST,
    logLevel: 'warn',
    ...overrides,
  });
  let stopped = false;
  return {
    origin: `http://127.0.0.1:${server.port}`,
    port: server.port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
    },
  };
}

export interface Forwarder {
  /** the port pages use; stays the same while the server behind it changes */
  port: number;
  /** where new connections go from now on */
  setTarget(port: number): void;
  close(): Promise<void>;
}

/**
 * A plain TCP forwarder on loopback, standing in for the load balancer in front of a server.
 * Restart tests need it because the relay cannot listen again on its old port at once:
 * connections it closed sit in TIME_WAIT and uWS here binds without SO_REUSEADDR. While the
 * target is down, connections are refused by closing them, as a real front door would.
 */
export async function startForwarder(targetPort: number): Promise<Forwarder> {
  let target = targetPort;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = net.createServer((client) => {
    track(client);
    const upstream = net.connect({ host: '127.0.0.1', port: target });
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('forwarder has no port');
  let closed: Promise<void> | null = null;
  return {
    port: address.port,
    setTarget(port) {
      target = port;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      return closed;
    },
  };
}

/** Saves web/test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Fonts load asynchronously; a screenshot before they settle shows fallback text.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  // Finished transitions: a theme switch just before must not be caught half-way.
  await page.screenshot({ path: file, fullPage: false, animations: 'disabled' });
  return file;
}

/**
 * Collects uncaught page errors and console errors, so a test fails when the bundle breaks at
 * run time (e.g. a Node built-in missing in the browser) even if the page still renders.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  return errors;
}

/**
 * Navigates and waits until the app has rendered its page heading; if it does not, fails with
 * the page's own errors (a bundle that crashes on load leaves an empty #root, nothing else).
 * The wait runs in the page (visibleInPage): a locator's wait re-checks every 500 ms once the
 * first ~300 ms have passed, which added up to half a second to every page the suite opens.
 */
export async function openApp(page: Page, url: string, errors: string[]): Promise<void> {
  await page.goto(url);
  try {
    await visibleInPage(page, 'h1', 15_000);
  } catch {
    throw new Error(`the app did not render at ${url}; page errors: ${JSON.stringify(errors)}`);
  }
}

/** How often the waits that run inside the page (visibleInPage, waitDirect) look again. */
const IN_PAGE_POLL_MS = 50;

/**
 * Resolves once an element matching `selector` is on the page and visible, checked inside the
 * page every IN_PAGE_POLL_MS (a locator's `waitFor()` re-checks only every 500 ms after its
 * first ~300 ms).
 */
export async function visibleInPage(
  page: Page,
  selector: string,
  timeoutMs = 30_000,
): Promise<void> {
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.checkVisibility() === true,
    selector,
    { timeout: timeoutMs, polling: IN_PAGE_POLL_MS },
  );
}

/**
 * Closes `page` the moment `check`, run in the page every IN_PAGE_POLL_MS, returns a truthy
 * value: the page stops in its debugger in the same task that saw the value, and is closed from
 * there (its pagehide runs; what it handles before is only what arrives in the close's round
 * trip). A test closes a tab "part-way" through a transfer this way on a fast
 * machine too, where a poll from the test would race the transfer. Resolves once the check runs
 * in the page, with `ended`: that value (as JSON), once the page is closed.
 *
 * `check` and each of `helpers` run in the page: they must use nothing from the test's scope
 * except the helpers, which are declared before it under their keys.
 */
export async function closePageWhen<T>(
  page: Page,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  options: { helpers?: Record<string, (...args: never[]) => unknown>; timeoutMs?: number } = {},
): Promise<{ ended: Promise<T> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Debugger.enable');
  const paused = new Promise<string>((resolve) =>
    cdp.on('Debugger.paused', (e) => resolve(e.callFrames[0]!.callFrameId)),
  );
  const helpers = Object.entries(options.helpers ?? {})
    .map(([name, fn]) => `const ${name} = ${fn.toString()};`)
    .join('\n');
  await page.evaluate(
    `(() => { ${helpers}\n(${watchThenPause.toString()})(${check.toString()}, ${IN_PAGE_POLL_MS}); })()`,
  );
  return { ended: endWhenPaused<T>(page, cdp, paused, options.timeoutMs ?? 120_000) };
}

async function endWhenPaused<T>(
  page: Page,
  cdp: CDPSession,
  paused: Promise<string>,
  timeoutMs: number,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = await Promise.race([
    paused,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        page
          .evaluate(() =>
            JSON.stringify((globalThis as { __closePageLast?: unknown }).__closePageLast),
          )
          .catch(() => 'the page is gone')
          .then((last) =>
            reject(new Error(`closePageWhen: no value after ${timeoutMs} ms; last seen: ${last}`)),
          );
      }, timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  const { result } = await cdp.send('Debugger.evaluateOnCallFrame', {
    callFrameId: frame,
    expression: 'JSON.stringify(value)',
    returnByValue: true,
  });
  // closed as a person closes it (pagehide, the app's goodbye); a page paused in its debugger
  // would outlive close(), so its scripts run again first, for the close's round trip
  await cdp.send('Debugger.resume');
  await page.close();
  return JSON.parse(result.value as string) as T;
}

/** The page side of closePageWhen (stringified: nothing from this module's scope). */
function watchThenPause(check: () => Promise<unknown>, pollMs: number): void {
  const tick = async () => {
    let value: unknown;
    try {
      value = await check();
    } catch (e) {
      value = e instanceof Error ? e.message : e;
      (globalThis as { __closePageLast?: unknown }).__closePageLast = value;
      setTimeout(() => void tick(), pollMs);
      return;
    }
    (globalThis as { __closePageLast?: unknown }).__closePageLast = value;
    if (value) {
      // the point of closePageWhen: stop here, before the page handles anything else
      // eslint-disable-next-line no-debugger
      debugger;
      return;
    }
    setTimeout(() => void tick(), pollMs);
  };
  void tick();
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** page errors collected from the start (collectPageErrors) */
  errors: string[];
}

export interface NewPageOptions extends BrowserContextOptions {
  /** the suite's contexts, closed in its afterAll: the new one is added */
  contexts?: BrowserContext[];
  /** runs on the new context before its page opens (permissions, init scripts) */
  prepare?: (context: BrowserContext) => Promise<unknown>;
}

/**
 * A new context (its own storage, like another browser) with one page on `url`, resolved once
 * the app has rendered there (openApp).
 */
export async function openInNewContext(
  browser: Browser,
  url: string,
  options: NewPageOptions = {},
): Promise<OpenedPage> {
  const opened = await newContextPage(browser, options);
  await openApp(opened.page, url, opened.errors);
  return opened;
}

/** A new context with one blank page (its errors collected), for openApp to take later. */
async function newContextPage(browser: Browser, options: NewPageOptions): Promise<OpenedPage> {
  const { contexts, prepare, ...contextOptions } = options;
  const context = await browser.newContext(contextOptions);
  contexts?.push(context);
  if (prepare) await prepare(context);
  const page = await context.newPage();
  return { context, page, errors: collectPageErrors(page) };
}

/** On the landing page: types the name and creates a room; returns the room link once open. */
export async function createRoom(
  page: Page,
  name: string,
  link: RegExp = /\/r\//,
): Promise<string> {
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Create a room' }).click();
  await page.waitForURL(link);
  return page.url();
}

/** On a room link's name prompt: types the name and joins. */
export async function joinRoom(page: Page, name: string): Promise<void> {
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join room' }).click();
}

/**
 * The default pause between two checks of `eventually`: most checks are one page.evaluate of a
 * few milliseconds, and at 250 ms each wait overran what it waited for by 125 ms on average.
 */
const EVENTUALLY_INTERVAL_MS = 100;

/**
 * Polls `check` until it returns a truthy value or the time is up; the last value and error go
 * into the failure message so a timeout says what was seen.
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (e) {
      last = e instanceof Error ? e.message : e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? EVENTUALLY_INTERVAL_MS));
  }
}

/**
 * Waits until the People list of `page` shows `name` connected directly (data channel open).
 * The check runs in the page every IN_PAGE_POLL_MS; a timeout names the rows seen.
 */
export async function waitDirect(page: Page, name: string, timeoutMs = 45_000): Promise<void> {
  try {
    await page.waitForFunction(
      (n) =>
        [...document.querySelectorAll<HTMLElement>('#panel-people li.peer')].some(
          (li) =>
            li.querySelector('.peer-name')?.textContent?.trim() === n &&
            li.dataset.state === 'direct',
        ),
      name,
      { timeout: timeoutMs, polling: IN_PAGE_POLL_MS },
    );
  } catch (e) {
    const rows = await page
      .evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('#panel-people li.peer')].map(
          (li) => `${li.querySelector('.peer-name')?.textContent?.trim()}: ${li.dataset.state}`,
        ),
      )
      .catch(() => 'the page is gone');
    throw new Error(
      `timed out waiting for ${name} Direct; People list: ${JSON.stringify(rows)} (${String(e)})`,
    );
  }
}

/**
 * `url` with `?debug`, which makes the app install its test hooks (src/debug.ts). The flag is
 * read when the page loads, so it survives the in-app navigation from `/?debug` to a new room,
 * but not a reload of the room's address (which has no query).
 */
export function withDebug(url: string): string {
  const u = new URL(url);
  u.search = 'debug';
  return u.href;
}

/** The board's drawing canvas: mounted once the room's board chunk has run. */
export const BOARD_CANVAS = '[data-board-layer="elements"]';

export interface PairOptions {
  /** path + query of Alice's landing page (default '/'), e.g. '/?debug' */
  start?: string;
  /** Bob's URL from the room link (default: the link itself), e.g. to add `?debug` */
  bobUrl?: (roomLink: string) => string;
  /** both pages with the test hooks (withDebug): Alice starts at '/?debug', Bob adds it */
  debug?: boolean;
  /** resolve only once both boards are mounted (BOARD_CANVAS shown on both pages) */
  board?: boolean;
  /** names typed into the name fields (default Alice and Bob) */
  names?: readonly [string, string];
  /** context options of each; both default to a light desktop window */
  alice?: NewPageOptions;
  bob?: NewPageOptions;
}

export interface Pair {
  alice: OpenedPage;
  bob: OpenedPage;
  roomLink: string;
}

/**
 * The start of most two-person tests: Alice creates a room in one context, Bob joins its link in
 * another, and both see the other Direct (data channel open). The contexts are the session's,
 * closed in its afterAll.
 */
export async function openPair(session: BrowserSession, options: PairOptions = {}): Promise<Pair> {
  const [aliceName, bobName] = options.names ?? ['Alice', 'Bob'];
  const base = { contexts: session.contexts, viewport: DESKTOP, colorScheme: 'light' as const };
  // Bob's context and blank page need nothing of Alice's: made while she opens her room
  const bobBlank = newContextPage(session.browser, { ...base, ...options.bob });
  bobBlank.catch(() => undefined); // reported by the await below, if Alice's side got that far
  const start = options.start ?? (options.debug ? '/?debug' : '/');
  const alice = await openInNewContext(session.browser, session.app.origin + start, {
    ...base,
    ...options.alice,
  });
  const roomLink = await createRoom(alice.page, aliceName);
  const bob = await bobBlank;
  const bobUrl = options.bobUrl?.(roomLink) ?? (options.debug ? withDebug(roomLink) : roomLink);
  await openApp(bob.page, bobUrl, bob.errors);
  await joinRoom(bob.page, bobName);
  const pages = [alice.page, bob.page];
  await Promise.all([
    waitDirect(alice.page, bobName),
    waitDirect(bob.page, aliceName),
    ...(options.board ? pages.map((p) => visibleInPage(p, BOARD_CANVAS)) : []),
  ]);
  return { alice, bob, roomLink };
}

/**
 * The same person coming back: a new tab of `context` (its IndexedDB, origin private file system
 * and remembered name stay) on `url`, resolved once the app has rendered there.
 */
export async function reopenPersistent(context: BrowserContext, url: string): Promise<OpenedPage> {
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await openApp(page, url, errors);
  return { context, page, errors };
}

/**
 * Headless Chromium has showDirectoryPicker but nothing can answer its dialog: in `context` the
 * person "picks" the origin private file system's root, a real FileSystemDirectoryHandle (stored
 * in IndexedDB, permission asked again on use); everything after is the app's. Each pick is
 * counted (directoryPicks).
 */
export async function answerDirectoryPicker(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { showDirectoryPicker: () => unknown; __picked: number };
    w.__picked = 0;
    w.showDirectoryPicker = () => {
      w.__picked++;
      return navigator.storage.getDirectory();
    };
  });
}

/** How often the page's directory picker has been answered (answerDirectoryPicker). */
export const directoryPicks = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { __picked: number }).__picked);

/**
 * A page's relay socket through a Playwright route that can go down like a dead relay (`cut`:
 * open sockets closed, new ones refused) and come back (`restore`). Pass `via` to
 * `context.routeWebSocket(/\/ws$/, ...)`.
 */
export function relaySwitch(): {
  via: (route: WebSocketRoute) => void;
  cut(): Promise<void>;
  restore(): void;
} {
  let down = false;
  const routes: WebSocketRoute[] = [];
  return {
    via(route) {
      if (down) return void route.close();
      route.connectToServer();
      routes.push(route);
    },
    async cut() {
      down = true;
      for (const r of routes.splice(0)) await r.close();
    },
    restore() {
      down = false;
    },
  };
}
