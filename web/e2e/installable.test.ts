/**
 * The installable app in Chromium, against the real relay serving the built client:
 * - the manifest is served and valid, its icons are PNGs of the sizes it declares;
 * - the service worker controls the page after the first load and caches only the build's
 *   files (never /ws, /healthz, /readyz, /metrics, never a URL with the room's key);
 * - offline, a room page reloads from the cache and shows the board drawn before (IndexedDB);
 * - "Share to Peerboard" (a multipart form POST to /share-target, as a phone's share sheet
 *   sends it) lands in the last room: "Offer here" puts the file into Files as an offer, and a
 *   peer receives it;
 * - a page on another origin posting to /share-target gets nothing offered unasked;
 * - a newly deployed version shows "A new version of Peerboard is ready" and Reload runs it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultConfig } from '../../signal-server/src/config';
import { startServer } from '../../signal-server/src/server';
import {
  BOARD_CANVAS,
  createRoom,
  DESKTOP,
  joinRoom,
  launchBrowser,
  openInNewContext,
  PHONE,
  screenshot,
  startForwarder,
  useBrowserSession,
  visibleInPage,
  waitDirect,
  WEB_DIST,
} from './harness';

const POLL = { timeout: 45_000, interval: 200 };

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const controlled = (page: Page) =>
  page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null);

async function drawStroke(page: Page, x: number, y: number): Promise<void> {
  const box = await page.locator('[data-board-layer="elements"]').boundingBox();
  if (!box) throw new Error('no board canvas');
  await page.mouse.move(box.x + x, box.y + y);
  await page.mouse.down();
  await page.mouse.move(box.x + x + 90, box.y + y + 40, { steps: 10 });
  await page.mouse.up();
}

const elementCount = async (page: Page) =>
  Number(await page.locator('.board').getAttribute('data-element-count'));

/** Records in this page's sealed room stores (databases named peerboard-sealed:<hash>). */
const storedRecords = (page: Page) =>
  page.evaluate(async () => {
    let total = 0;
    for (const info of await indexedDB.databases()) {
      if (!info.name?.startsWith('peerboard-sealed:')) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      for (const store of db.objectStoreNames)
        total += await new Promise<number>((resolve) => {
          const req = db.transaction(store, 'readonly').objectStore(store).count();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => resolve(0);
        });
      db.close();
    }
    return total;
  });

/** Posts files to /share-target the way a share sheet does: a multipart form navigation. */
async function shareFiles(page: Page, action: string, files: { name: string; text: string }[]) {
  await page.evaluate(
    ({ action, files }) => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = action;
      form.enctype = 'multipart/form-data';
      const input = document.createElement('input');
      input.type = 'file';
      input.name = 'files';
      input.multiple = true;
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([f.text], f.name, { type: 'text/plain' }));
      input.files = dt.files;
      form.append(input);
      document.body.append(form);
      form.submit();
    },
    { action, files },
  );
}

/** Whether the boxes of the first elements matching two selectors intersect. */
const overlap = (page: Page, a: string, b: string) =>
  page.evaluate(
    ([a, b]) => {
      const r = document.querySelector(a!)!.getBoundingClientRect();
      const q = document.querySelector(b!)!.getBoundingClientRect();
      return r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom;
    },
    [a, b],
  );

/** The shared toast's widths (200-420 px, every 1 px) at which its size text breaks in two. */
const splitSizeWidths = (page: Page) =>
  page.evaluate(() => {
    const toast = document.querySelector<HTMLElement>('.shared-toast')!;
    const size = toast.querySelector('.file-toast-size')!;
    const split: number[] = [];
    for (let w = 200; w <= 420; w++) {
      toast.style.width = `${w}px`;
      toast.style.maxWidth = `${w}px`;
      // one rect per text piece: rects on two different lines mean the size was split
      const lines = new Set([...size.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) split.push(w);
    }
    toast.style.width = '';
    toast.style.maxWidth = '';
    return split;
  });

describe('installable app', () => {
  const session = useBrowserSession();

  test('the manifest is served and valid; its icons are PNGs of the declared sizes', async () => {
    const res = await fetch(`${session.app.origin}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/manifest+json');
    const m = (await res.json()) as Record<string, unknown> & {
      icons: { src: string; sizes: string; type: string; purpose: string }[];
      share_target: { action: string; method: string; enctype: string; params: unknown };
    };
    expect(m).toMatchObject({
      name: 'Peerboard',
      short_name: 'Peerboard',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      // the light theme's page colour (web/src/ui/styles/tokens.css --bg)
      background_color: '#f5f6fa',
      theme_color: '#f5f6fa',
    });
    expect(m.share_target).toEqual({
      action: '/share-target',
      method: 'POST',
      enctype: 'multipart/form-data',
      params: { files: [{ name: 'files', accept: ['*/*'] }] },
    });
    const wanted = ['192x192 any', '512x512 any', '512x512 maskable'];
    expect(m.icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual(wanted);
    for (const icon of m.icons) {
      const r = await fetch(new URL(icon.src, session.app.origin));
      expect(r.status, icon.src).toBe(200);
      expect(r.headers.get('content-type'), icon.src).toBe('image/png');
      const { width, height } = pngSize(Buffer.from(await r.arrayBuffer()));
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
    }
    // the page links it, and the service worker script has no eval (CSP: script-src 'self')
    const { page } = await openInNewContext(session.browser, `${session.app.origin}/`, {
      contexts: session.contexts,
      viewport: DESKTOP,
    });
    expect(
      await page.evaluate(
        () => document.querySelector<HTMLLinkElement>('link[rel=manifest]')?.href,
      ),
    ).toBe(`${session.app.origin}/manifest.webmanifest`);
    const sw = readFileSync(path.join(WEB_DIST, 'sw.js'), 'utf8');
    expect(sw).not.toMatch(/\beval\(|new Function\(/);
  });

  test('offline: the service worker serves the room page and the board comes back from IndexedDB', async () => {
    const { context, page } = await openInNewContext(session.browser, `${session.app.origin}/`, {
      contexts: session.contexts,
      viewport: PHONE,
      colorScheme: 'light',
    });
    // first load: the worker installs and takes the page (clients.claim), no reload needed
    await expect.poll(() => controlled(page), POLL).toBe(`${session.app.origin}/sw.js`);

    const roomLink = await createRoom(page, 'Alice');
    expect(roomLink).toMatch(/#k=/);
    await visibleInPage(page, BOARD_CANVAS);
    // below the phone toolbar's two rows (tools, then actions across its width)
    await drawStroke(page, 40, 260);
    await drawStroke(page, 60, 400);
    await expect.poll(() => elementCount(page), POLL).toBe(2);

    // nothing the worker cached is a server endpoint, and no cached URL holds the room or its key
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys())
        for (const req of await (await caches.open(name)).keys()) urls.push(req.url);
      return urls;
    });
    expect(cached.length).toBeGreaterThan(5);
    for (const url of cached) {
      const u = new URL(url);
      expect(u.pathname, url).not.toMatch(/^\/(ws|healthz|readyz|metrics)\b|^\/r\//);
      expect(url, url).not.toContain('k=');
      expect(u.hash, url).toBe('');
    }
    // the worker leaves /healthz to the server even as a navigation
    const health = await context.newPage();
    await health.goto(`${session.app.origin}/healthz`);
    expect(JSON.parse(await health.locator('body').innerText())).toMatchObject({ status: 'ok' });
    await health.close();

    // both strokes are in the (sealed) room store before the network goes
    await expect.poll(() => storedRecords(page), POLL).toBeGreaterThanOrEqual(2);
    await context.setOffline(true);
    await page.reload();
    await page.locator('[data-board-layer="elements"]').waitFor({ timeout: 15_000 });
    // offline and alone in the room: the strokes can only come from this browser's IndexedDB
    await expect.poll(() => elementCount(page), POLL).toBe(2);
    // really offline: the server cannot be reached from this page
    expect(
      await page.evaluate(() =>
        fetch('/healthz').then(
          () => 'reached',
          () => 'offline',
        ),
      ),
    ).toBe('offline');
    await page.locator('[data-banner]').first().waitFor();
    await screenshot(page, 'installable-offline-room-phone');
  });

  test('a share lands in the last room: "Offer here" makes it an offer in Files, and a peer receives it', async () => {
    const { page, errors } = await openInNewContext(session.browser, `${session.app.origin}/`, {
      contexts: session.contexts,
      viewport: PHONE,
      colorScheme: 'light',
    });
    await expect.poll(() => controlled(page), POLL).toBe(`${session.app.origin}/sw.js`);
    const roomLink = await createRoom(page, 'Alice');
    const bob = await openInNewContext(session.browser, roomLink, {
      contexts: session.contexts,
      viewport: DESKTOP,
    });
    await joinRoom(bob.page, 'Bob');
    await waitDirect(page, 'Bob');
    await waitDirect(bob.page, 'Alice');

    // Alice shares a file to Peerboard from "another app"
    await shareFiles(page, '/share-target', [{ name: 'shared-note.txt', text: 'from the phone' }]);
    // the share page sends this tab back to its last room (the full link, key included)
    await page.waitForURL(roomLink, { timeout: 15_000 });
    const toast = page.locator('.shared-toast');
    await expect.poll(() => toast.textContent(), POLL).toContain('shared-note.txt');
    await screenshot(page, 'installable-shared-toast-phone');
    // the size never splits across lines ("(14 / B)"), whatever width the text gets
    expect(await splitSizeWidths(page)).toEqual([]);
    await toast.getByRole('button', { name: 'Offer here' }).click();
    const offered = page.locator('li.file-item[data-direction="out"]', {
      hasText: 'shared-note.txt',
    });
    await offered.waitFor({ timeout: 15_000 });
    await expect.poll(() => toast.count()).toBe(0);

    // Bob receives it: the file kept in the browser's IndexedDB is readable to the end
    await bob.page.getByRole('tab', { name: /Files/ }).click();
    const incoming = bob.page.locator('li.file-item[data-direction="in"]', {
      hasText: 'shared-note.txt',
    });
    await incoming.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => incoming.getAttribute('data-state'), POLL).toBe('done');
    expect(errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });
});

describe('share page without a room to go to', () => {
  const session = useBrowserSession();

  test('lists the shared files and says what to do; an empty share says it did not work', async () => {
    const { page } = await openInNewContext(session.browser, `${session.app.origin}/`, {
      contexts: session.contexts,
      viewport: PHONE,
      colorScheme: 'light',
    });
    await expect.poll(() => controlled(page), POLL).toBe(`${session.app.origin}/sw.js`);
    await shareFiles(page, '/share-target', [
      { name: 'a.txt', text: 'one' },
      { name: 'b.txt', text: 'two' },
    ]);
    const card = page.locator('[data-share-page="none"]');
    await card.waitFor({ timeout: 15_000 });
    expect(await card.locator('h1').textContent()).toBe('Your files are ready to share');
    await expect
      .poll(() => card.getByRole('list', { name: 'Files waiting to be shared' }).textContent())
      .toMatch(/a\.txt.*b\.txt/);
    await screenshot(page, 'installable-share-page-phone');
    await card.getByRole('button', { name: 'Discard the shared files' }).click();
    await expect.poll(() => card.getByRole('listitem').count()).toBe(0);

    await shareFiles(page, '/share-target', []);
    const failed = page.locator('[data-share-page="error"]');
    await failed.waitFor({ timeout: 15_000 });
    expect(await failed.textContent()).toContain('the app you shared from sent no file');
  });
});

describe('share target from another origin', () => {
  const session = useBrowserSession();
  let attacker: http.Server;
  let attackerOrigin = '';
  beforeAll(async () => {
    // a page on another origin that posts its own file to the app's share target on load
    attacker = http.createServer((req, res) => {
      const target = new URL(req.url ?? '/', 'http://x').searchParams.get('target') ?? '';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>prize</title><form id="f" method="post"
        enctype="multipart/form-data" action="${target}/share-target">
        <input type="file" name="files" id="i"></form><script>
        const dt = new DataTransfer();
        dt.items.add(new File(['MZ not an invoice'], 'invoice.pdf.exe'));
        document.getElementById('i').files = dt.files;
        document.getElementById('f').submit();</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const address = attacker.address();
    if (address === null || typeof address === 'string') throw new Error('no attacker port');
    attackerOrigin = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => attacker.close(() => resolve())));

  test('a page on another origin cannot get its file offered in the last room', async () => {
    const { page } = await openInNewContext(session.browser, `${session.app.origin}/`, {
      contexts: session.contexts,
      viewport: DESKTOP,
    });
    await expect.poll(() => controlled(page), POLL).toBe(`${session.app.origin}/sw.js`);
    const roomLink = await createRoom(page, 'Alice');
    await visibleInPage(page, BOARD_CANVAS);

    // the person follows a link to the attacker's page, which posts to /share-target at once
    await page.goto(`${attackerOrigin}/?target=${encodeURIComponent(session.app.origin)}`);
    await page.waitForURL(roomLink, { timeout: 15_000 });
    // the room names what arrived and offers nothing until asked
    const toast = page.locator('.shared-toast');
    await expect.poll(() => toast.textContent(), POLL).toContain('invoice.pdf.exe');
    await page.getByRole('tab', { name: /Files/ }).click();
    await page.locator('#panel-files').waitFor();
    expect(await page.locator('li.file-item[data-direction="out"]').count()).toBe(0);
    await screenshot(page, 'installable-foreign-share-desktop');

    await toast.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => toast.count()).toBe(0);
    await page.reload();
    await visibleInPage(page, BOARD_CANVAS);
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const req = indexedDB.open('peerboard-share-inbox');
              req.onsuccess = () => {
                const tx = req.result.transaction('files', 'readonly');
                const count = tx.objectStore('files').count();
                count.onsuccess = () => resolve(count.result);
              };
            }),
        ),
      )
      .toBe(0);
    expect(await page.locator('li.file-item[data-direction="out"]').count()).toBe(0);
    expect(await toast.count()).toBe(0);
  });
});

describe('update prompt', () => {
  let dist: string;
  let stopServer: (() => Promise<void>) | null = null;
  const serve = async () => {
    const server = await startServer({
      ...defaultConfig(),
      port: 0,
      host: '127.0.0.1',
      staticDir: dist,
      logLevel: 'warn',
    });
    stopServer = () => server.close();
    return server.port;
  };
  afterAll(async () => {
    await stopServer?.();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  test('a newly deployed version shows "A new version of Peerboard is ready"; Reload runs it', async () => {
    // a copy of the build, so the test can deploy a changed sw.js as a new version would bring
    dist = mkdtempSync(path.join(os.tmpdir(), 'peerboard-pwa-dist-'));
    cpSync(WEB_DIST, dist, { recursive: true });
    const front = await startForwarder(await serve());
    const origin = `http://127.0.0.1:${front.port}`;
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light' });
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      await expect.poll(() => controlled(page), POLL).toBe(`${origin}/sw.js`);
      const toast = page.locator('.update-toast');
      expect(await toast.count()).toBe(0);

      // deploy: a new sw.js that also answers which version it is
      const swFile = path.join(dist, 'sw.js');
      writeFileSync(
        swFile,
        readFileSync(swFile, 'utf8') +
          "\nself.addEventListener('message', (e) => { if (e.data === 'version?') e.ports[0].postMessage('next'); });\n",
      );
      await stopServer?.();
      front.setTarget(await serve());

      await page.reload();
      await toast.waitFor({ timeout: 30_000 });
      expect(await toast.textContent()).toContain('A new version of Peerboard is ready.');
      await screenshot(page, 'installable-update-toast');
      const phone = await context.newPage();
      await phone.setViewportSize(PHONE);
      await phone.goto(`${origin}/`);
      await phone.locator('.update-toast').waitFor({ timeout: 30_000 });
      // on a phone the toast leaves the landing page's heading in view, and after scrolling to
      // the end the last feature line is above it, in both themes and at 375 and 390 px
      for (const [size, colorScheme] of [
        [PHONE, 'light'],
        [PHONE, 'dark'],
        [{ width: 390, height: 844 }, 'light'],
      ] as const) {
        await phone.setViewportSize(size);
        await phone.emulateMedia({ colorScheme });
        await phone.evaluate(() => window.scrollTo(0, 0));
        expect(await overlap(phone, '.update-toast', '.hero-title')).toBe(false);
        await screenshot(phone, `installable-update-toast-phone-${size.width}-${colorScheme}`);
        await phone.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        expect(await overlap(phone, '.update-toast', '.features li:last-child')).toBe(false);
      }
      await phone.close();

      await Promise.all([
        page.waitForEvent('load', { timeout: 30_000 }),
        toast.getByRole('button', { name: 'Reload' }).click(),
      ]);
      const version = await page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = (e) => resolve(String(e.data));
            navigator.serviceWorker.controller?.postMessage('version?', [channel.port2]);
          }),
      );
      expect(version).toBe('next');
      expect(await page.locator('.update-toast').count()).toBe(0);
      await context.close();
    } finally {
      await browser.close();
      await front.close();
    }
  });
});
