/**
 * The whiteboard through the UI of the built client, two Chromium contexts in one room, real
 * mouse events on the canvas: what Alice draws appears for Bob (document state and pixels),
 * Bob's undo removes only Bob's stroke, Alice's pointer shows in Bob's view with her name, Bob
 * sees Alice's stroke while she is still drawing it, and after Bob has left, Alice's reload
 * brings the board back from IndexedDB alone.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  BOARD_CANVAS,
  createRoom,
  DESKTOP,
  eventually,
  joinRoom,
  openInNewContext,
  openPair,
  screenshot,
  useBrowserSession,
  visibleInPage,
  withDebug,
} from './harness';

const SYNC_TIMEOUT_MS = 45_000;

interface ElementInfo {
  id: string;
  type: string;
  author: number;
  x: number;
  y: number;
  w?: number;
  h?: number;
  text?: string;
}

/** The board's document as the page sees it (`__peerboard.board`, src/debug.ts). */
const elements = (page: Page): Promise<ElementInfo[]> =>
  page.evaluate(() => {
    const hook = (globalThis as { __peerboard?: { board?: { elements(): ElementInfo[] } } })
      .__peerboard;
    return hook?.board?.elements() ?? [];
  });

const elementCount = async (page: Page): Promise<number> =>
  Number(await page.locator('.board').getAttribute('data-element-count'));

async function waitForCount(page: Page, n: number, what: string): Promise<void> {
  await eventually(`${what}: ${n} elements`, async () => (await elementCount(page)) === n, {
    timeoutMs: SYNC_TIMEOUT_MS,
  });
}

/** Canvas-relative point -> page coordinates. */
async function canvasPoint(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = await page.locator('[data-board-layer="elements"]').boundingBox();
  if (!box) throw new Error('no board canvas');
  return { x: box.x + x, y: box.y + y };
}

async function drag(page: Page, from: [number, number], to: [number, number], steps = 12) {
  const a = await canvasPoint(page, ...from);
  const b = await canvasPoint(page, ...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps });
  await page.mouse.up();
}

/** A wavy freehand line through real pointer events. */
async function scribble(page: Page, x: number, y: number, width: number) {
  const start = await canvasPoint(page, x, y);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= 30; i++) {
    const t = i / 30;
    await page.mouse.move(start.x + t * width, start.y + Math.sin(t * Math.PI * 3) * 40);
  }
  await page.mouse.up();
}

/** Count of non-transparent pixels of `colour` (#rrggbb) in the board canvas. */
const inkPixels = (page: Page, colour: string): Promise<number> =>
  page.evaluate((hex) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-board-layer="elements"]')!;
    const ctx = canvas.getContext('2d')!;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const r = parseInt(hex.slice(1, 3), 16);
    const g = parseInt(hex.slice(3, 5), 16);
    const b = parseInt(hex.slice(5, 7), 16);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (
        data[i + 3]! > 200 &&
        Math.abs(data[i]! - r) < 40 &&
        Math.abs(data[i + 1]! - g) < 40 &&
        Math.abs(data[i + 2]! - b) < 40
      )
        n++;
    }
    return n;
  }, colour);

describe('board: two browser contexts', () => {
  const session = useBrowserSession();

  test('draw in A appears in B; undo is per person; live cursor; reload restores from IndexedDB', async () => {
    const {
      alice: { page: a, errors: aErrors },
      bob: { context: bob, page: b, errors: bErrors },
    } = await openPair(session, { debug: true, board: true, bob: { colorScheme: 'dark' } });

    // Alice draws a red freehand stroke (P, then a colour) and a blue rectangle (toolbar).
    await a.keyboard.press('p');
    expect(
      await a.getByRole('button', { name: 'Pen', exact: true }).getAttribute('aria-pressed'),
    ).toBe('true');
    await a.getByRole('button', { name: 'Colour: Red' }).click();
    await scribble(a, 200, 300, 300);
    await a.getByRole('button', { name: 'Rectangle' }).click();
    await a.getByRole('button', { name: 'Colour: Blue' }).click();
    await drag(a, [600, 220], [820, 400]);
    await waitForCount(a, 2, 'Alice');
    const aliceElements = await elements(a);
    expect(aliceElements.map((e) => e.type).sort()).toEqual(['rect', 'stroke']);

    // Bob receives both over the data channel: the document and the pixels.
    await waitForCount(b, 2, 'Bob');
    expect((await elements(b)).map((e) => e.id).sort()).toEqual(
      aliceElements.map((e) => e.id).sort(),
    );
    await eventually(
      "red and blue ink on Bob's canvas",
      async () => (await inkPixels(b, '#e03131')) > 200 && (await inkPixels(b, '#1971c2')) > 200,
    );
    await screenshot(a, 'board-alice-drew');
    await screenshot(b, 'board-bob-received');

    // Bob draws his own stroke; then his undo removes it and nothing of Alice's.
    await b.keyboard.press('p');
    await b.getByRole('button', { name: 'Colour: Green' }).click();
    await scribble(b, 200, 520, 400);
    await waitForCount(b, 3, 'Bob after drawing');
    await waitForCount(a, 3, "Alice sees Bob's stroke");
    const bobStroke = (await elements(b)).find((e) => !aliceElements.some((x) => x.id === e.id));
    expect(bobStroke?.type).toBe('stroke');
    expect(bobStroke?.author).not.toBe(aliceElements[0]!.author);

    await b.keyboard.press('Control+z');
    await waitForCount(b, 2, 'Bob after undo');
    expect((await elements(b)).map((e) => e.id).sort()).toEqual(
      aliceElements.map((e) => e.id).sort(),
    );
    await waitForCount(a, 2, "Alice after Bob's undo");
    // A second undo in Bob's window has nothing of his left to undo: Alice's work stays.
    expect(await b.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);
    await b.keyboard.press('Control+z');
    await b.waitForTimeout(300);
    expect(await elementCount(b)).toBe(2);

    // Alice's pointer shows in Bob's view, labelled with her name.
    const over = await canvasPoint(a, 700, 500);
    await a.mouse.move(over.x, over.y, { steps: 5 });
    const cursor = b.locator('.board-cursor[data-peer-name="Alice"]');
    await cursor.waitFor({ timeout: SYNC_TIMEOUT_MS });
    expect(await cursor.locator('.board-cursor-name').textContent()).toBe('Alice');
    const canvasBox = (await b.locator('[data-board-layer="elements"]').boundingBox())!;
    // same viewport on both sides: the cursor glides to where Alice's pointer is
    await eventually("Alice's cursor at her pointer in Bob's view", async () => {
      const box = await cursor.boundingBox();
      return (
        box !== null &&
        Math.abs(box.x - canvasBox.x - 700) < 4 &&
        Math.abs(box.y - canvasBox.y - 500) < 4
      );
    });
    await screenshot(b, 'board-bob-sees-alice-cursor');

    // Pointer moves reach the others at most once per animation frame: many pointermoves in
    // one task cause no awareness broadcast until the frame, then exactly one carries them all.
    const throttle = await a.evaluate(async () => {
      const board = (
        globalThis as unknown as { __peerboard: { board: { localPresenceUpdates(): number } } }
      ).__peerboard.board;
      const canvas = document.querySelector<HTMLCanvasElement>('[data-board-layer="elements"]')!;
      const box = canvas.getBoundingClientRect();
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      await frame();
      await frame();
      const before = board.localPresenceUpdates();
      for (let i = 0; i < 40; i++)
        canvas.dispatchEvent(
          new PointerEvent('pointermove', {
            clientX: box.left + 300 + i * 5,
            clientY: box.top + 200,
            pointerType: 'mouse',
            pointerId: 1,
            bubbles: true,
          }),
        );
      const sameTask = board.localPresenceUpdates() - before;
      await frame();
      await frame();
      return { sameTask, afterFrames: board.localPresenceUpdates() - before };
    });
    expect(throttle.sameTask).toBe(0);
    expect(throttle.afterFrames).toBeGreaterThanOrEqual(1);
    expect(throttle.afterFrames).toBeLessThanOrEqual(2); // 1, or 1 + y-protocols' 15 s renewal

    // Live strokes: while Alice's button is still down, Bob sees her stroke being drawn (an
    // awareness draft on his overlay); on release it becomes a document element for both.
    await a.getByRole('button', { name: 'Pen', exact: true }).click();
    await a.getByRole('button', { name: 'Colour: Violet' }).click();
    const liveFrom = await canvasPoint(a, 150, 650);
    await a.mouse.move(liveFrom.x, liveFrom.y);
    await a.mouse.down();
    for (let i = 1; i <= 20; i++)
      await a.mouse.move(liveFrom.x + i * 20, liveFrom.y + Math.sin(i / 3) * 30);
    await eventually(
      "Alice's draft on Bob's board while her button is down",
      async () => (await b.locator('.board').getAttribute('data-remote-drafts')) === '1',
      { timeoutMs: SYNC_TIMEOUT_MS },
    );
    await eventually("violet ink of the draft on Bob's canvas", async () => {
      return (await inkPixels(b, '#7048e8')) > 100;
    });
    expect(await elementCount(b)).toBe(2); // not in the document yet
    await screenshot(b, 'board-bob-sees-alice-drawing');
    await a.mouse.up();
    await waitForCount(b, 3, "Bob after Alice's live stroke");
    await eventually(
      "Alice's draft gone from Bob's board",
      async () => (await b.locator('.board').getAttribute('data-remote-drafts')) === '0',
    );
    const liveStroke = (await elements(a)).find((e) => !aliceElements.some((x) => x.id === e.id));
    expect(liveStroke?.type).toBe('stroke');
    expect((await elements(b)).map((e) => e.id).sort()).toEqual(
      [...aliceElements.map((e) => e.id), liveStroke!.id].sort(),
    );
    // one undoable step: Alice's undo removes the whole live stroke, for both
    await a.keyboard.press('Control+z');
    await waitForCount(a, 2, "Alice's undo of the live stroke");
    await waitForCount(b, 2, "Bob after Alice's undo of the live stroke");

    // Bob leaves; Alice reloads with nobody to sync from: IndexedDB brings the board back.
    await bob.close();
    session.contexts.splice(session.contexts.indexOf(bob), 1);
    // a reload, with the flag that the in-app navigation left out of the address
    await a.goto(withDebug(a.url()));
    await visibleInPage(a, BOARD_CANVAS);
    await eventually(
      'board restored from IndexedDB',
      async () =>
        (await a.locator('.board').getAttribute('data-load')) === 'ready' &&
        (await elementCount(a)) === 2,
    );
    expect((await elements(a)).map((e) => e.id).sort()).toEqual(
      aliceElements.map((e) => e.id).sort(),
    );
    await eventually(
      "restored ink on Alice's canvas",
      async () => (await inkPixels(a, '#e03131')) > 200 && (await inkPixels(a, '#1971c2')) > 200,
    );
    await screenshot(a, 'board-alice-restored');

    const unexpected = (errors: string[]) =>
      errors.filter((e) => !/WebSocket connection to .* failed/.test(e));
    expect(unexpected(aErrors)).toEqual([]);
    expect(unexpected(bErrors)).toEqual([]);
  });
});

/** Board camera as the page sees it. */
const viewport = (page: Page) =>
  page.evaluate(() => {
    const hook = (
      globalThis as {
        __peerboard?: { board?: { viewport(): { x: number; y: number; zoom: number } } };
      }
    ).__peerboard;
    return hook!.board!.viewport();
  });

const pressed = (page: Page, name: string) =>
  page.getByRole('button', { name, exact: true }).getAttribute('aria-pressed');

/** Touch input through the DevTools protocol: Playwright's touchscreen only taps. */
async function touchDrag(page: Page, paths: [number, number][][], steps = 10): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const box = (await page.locator('[data-board-layer="elements"]').boundingBox())!;
  const at = (i: number) =>
    paths.map((p, id) => {
      const [x0, y0] = p[0]!;
      const [x1, y1] = p[1]!;
      const t = i / steps;
      return { x: box.x + x0 + (x1 - x0) * t, y: box.y + y0 + (y1 - y0) * t, id };
    });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  for (let i = 1; i <= steps; i++)
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(i) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

describe('board tools: one person through the UI', () => {
  const session = useBrowserSession();

  test('shapes, select/move/resize/delete, text, eraser, pan/zoom, help, export, clear, phone touch', async () => {
    const { page, errors } = await openInNewContext(
      session.browser,
      session.app.origin + '/?debug',
      {
        contexts: session.contexts,
        viewport: DESKTOP,
        colorScheme: 'light',
        acceptDownloads: true,
      },
    );
    await createRoom(page, 'Carol');
    await visibleInPage(page, BOARD_CANVAS);

    // A rectangle (R), then select it by its outline (V) and drag it 100 px right.
    await page.keyboard.press('r');
    expect(await pressed(page, 'Rectangle')).toBe('true');
    await drag(page, [300, 300], [500, 420]);
    await waitForCount(page, 1, 'rectangle');
    const [rect] = await elements(page);
    expect(rect).toMatchObject({ type: 'rect', x: 300, y: 300, w: 200, h: 120 });
    await page.keyboard.press('v');
    await drag(page, [300, 360], [400, 360]);
    let [moved] = await elements(page);
    expect(moved).toMatchObject({ x: 400, y: 300, w: 200, h: 120 });
    await page.getByRole('button', { name: 'Delete selection' }).waitFor();

    // Resize from the bottom-right handle (frame = ink bounds + 4 px padding).
    await drag(page, [400 + 200 + 7, 300 + 120 + 7], [400 + 200 + 7 + 100, 300 + 120 + 7 + 60]);
    [moved] = await elements(page);
    expect(moved!.w!).toBeGreaterThan(280);
    expect(moved!.h!).toBeGreaterThan(160);
    expect(moved!.x).toBeGreaterThanOrEqual(399);
    await screenshot(page, 'board-tools-selected');

    // Delete, then undo brings it back.
    await page.keyboard.press('Delete');
    await waitForCount(page, 0, 'after Delete');
    await page.keyboard.press('Control+z');
    await waitForCount(page, 1, 'after undo of Delete');

    // Text: typing letters that are also shortcuts goes into the editor, not to the tools.
    await page.keyboard.press('t');
    const spot = await canvasPoint(page, 160, 200);
    await page.mouse.click(spot.x, spot.y);
    const editor = page.getByRole('textbox', { name: 'Text' });
    await editor.waitFor();
    await page.keyboard.type('Hello board, eraser and arrows');
    expect(await pressed(page, 'Text')).toBe('true');
    await page.keyboard.press('Escape');
    await waitForCount(page, 2, 'after text');
    const text = (await elements(page)).find((e) => e.type === 'text');
    expect(text?.text).toBe('Hello board, eraser and arrows');
    expect(text!.w!).toBeGreaterThan(200);

    // Pen stroke, then the eraser swept across it removes it (and nothing else).
    await page.keyboard.press('p');
    await scribble(page, 150, 600, 500);
    await waitForCount(page, 3, 'after pen');
    await page.keyboard.press('e');
    await drag(page, [400, 520], [400, 700], 6);
    await waitForCount(page, 2, 'after eraser');
    expect((await elements(page)).map((e) => e.type).sort()).toEqual(['rect', 'text']);

    // Marquee selection around both, Escape clears it.
    await page.keyboard.press('v');
    await drag(page, [100, 150], [900, 560]);
    await page.getByRole('button', { name: 'Delete selection' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Delete selection' }).waitFor({ state: 'hidden' });

    // The cached renderer (layer bitmap shifted by strips, Path2D cache, culling) paints the
    // same pixels as the naive one after a series of pans across the layer's edges.
    const mismatch = await page.evaluate(async () => {
      type Dbg = {
        setViewport(v: { x: number; y: number; zoom: number }): void;
        renderNow(): number;
        setRenderMode(m: 'fast' | 'naive'): void;
      };
      const board = (globalThis as unknown as { __peerboard: { board: Dbg } }).__peerboard.board;
      const canvas = document.querySelector<HTMLCanvasElement>('[data-board-layer="elements"]')!;
      const grab = () =>
        canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      board.setViewport({ x: -900, y: -500, zoom: 1.3 });
      board.renderNow();
      for (let i = 0; i < 40; i++) {
        board.setViewport({ x: -900 + i * 37.3, y: -500 + i * 21.1, zoom: 1.3 });
        board.renderNow();
        if (i % 10 === 0) await frame(); // let idle work (margin, paths) interleave
      }
      const fast = grab();
      board.setRenderMode('naive');
      board.renderNow();
      const naive = grab();
      board.setRenderMode('fast');
      let diff = 0;
      let ink = 0;
      for (let i = 3; i < fast.length; i += 4) {
        if (naive[i]! > 0) ink++;
        if (Math.abs(fast[i]! - naive[i]!) > 24) diff++;
      }
      return { diff, ink };
    });
    expect(mismatch.ink).toBeGreaterThan(1000);
    expect(mismatch.diff).toBeLessThan(mismatch.ink * 0.002);

    // Ctrl+wheel zooms around the pointer; space-drag pans; zoom-to-fit shows everything.
    const before = await viewport(page);
    const p = await canvasPoint(page, 500, 400);
    await page.mouse.move(p.x, p.y);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    const zoomed = await eventually('zoomed in', async () => {
      const v = await viewport(page);
      return v.zoom > before.zoom * 1.5 ? v : null;
    });
    // the world point under the pointer stayed under it (to the device pixel the camera snaps to)
    const drift = before.x + 500 / before.zoom - (zoomed.x + 500 / zoomed.zoom);
    expect(Math.abs(drift * zoomed.zoom)).toBeLessThan(1);
    expect(await page.locator('.board-zoom-label').textContent()).toBe(
      `${Math.round(zoomed.zoom * 100)}%`,
    );
    await page.keyboard.down('Space');
    await drag(page, [600, 400], [400, 300], 5);
    await page.keyboard.up('Space');
    const panned = await viewport(page);
    expect(panned.zoom).toBe(zoomed.zoom);
    expect(Math.abs((panned.x - zoomed.x) * panned.zoom - 200)).toBeLessThan(1);
    expect(await elementCount(page)).toBe(2); // panning drew nothing
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    await screenshot(page, 'board-tools-fit');

    // "?" opens the shortcut overlay.
    await page.keyboard.press('Shift+Slash');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Zoom to fit');
    await screenshot(page, 'board-tools-help');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // Export: an SVG with the text in it, a real PNG.
    const svgDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export SVG' }).click();
    const svg = await svgDownload;
    expect(svg.suggestedFilename()).toMatch(/^peerboard-.*\.svg$/);
    const svgText = await readFile((await svg.path())!, 'utf8');
    expect(svgText).toContain('<svg');
    expect(svgText).toContain('Hello board, eraser and arrows');
    const pngDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export PNG' }).click();
    const png = await pngDownload;
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    const bytes = await readFile((await png.path())!);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');

    // Clear asks first: Cancel keeps the board, confirming clears it, undo restores it.
    await page.getByRole('button', { name: 'Clear board' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Clear the board?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await elementCount(page)).toBe(2);
    await page.getByRole('button', { name: 'Clear board' }).click();
    await confirm.getByRole('button', { name: 'Clear board' }).click();
    await waitForCount(page, 0, 'after clear');
    await page.getByRole('button', { name: 'Undo' }).click();
    await waitForCount(page, 2, 'after undo of clear');

    // A phone joins: the toolbar fits 375 px, a finger draws, two fingers pinch-zoom.
    const { page: m, errors: mErrors } = await openInNewContext(
      session.browser,
      withDebug(page.url()),
      {
        contexts: session.contexts,
        viewport: { width: 375, height: 812 },
        isMobile: true,
        hasTouch: true,
        colorScheme: 'dark',
      },
    );
    await joinRoom(m, 'Dave');
    await visibleInPage(m, BOARD_CANVAS);
    await waitForCount(m, 2, 'phone synced');
    const toolbar = (await m.locator('.board-toolbar').boundingBox())!;
    expect(toolbar.x).toBeGreaterThanOrEqual(0);
    expect(toolbar.x + toolbar.width).toBeLessThanOrEqual(375);
    await m.getByRole('button', { name: 'Pen', exact: true }).tap();
    const canvasBox = (await m.locator('[data-board-layer="elements"]').boundingBox())!;
    const midY = canvasBox.height / 2;
    await touchDrag(m, [
      [
        [60, midY],
        [300, midY + 80],
      ],
    ]);
    await waitForCount(m, 3, 'phone touch stroke');
    await waitForCount(page, 3, 'desktop sees the phone stroke');
    const z0 = (await viewport(m)).zoom;
    await touchDrag(m, [
      [
        [150, midY],
        [100, midY],
      ],
      [
        [220, midY],
        [290, midY],
      ],
    ]);
    const z1 = (await viewport(m)).zoom;
    expect(z1).toBeGreaterThan(z0 * 1.5);
    expect(await elementCount(m)).toBe(3); // the pinch drew nothing
    await screenshot(m, 'board-phone-dark');

    const unexpected = (list: string[]) =>
      list.filter((e) => !/WebSocket connection to .* failed/.test(e));
    expect(unexpected(errors)).toEqual([]);
    expect(unexpected(mErrors)).toEqual([]);
  });
});
