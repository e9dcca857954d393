/**
 * The whiteboard through the UI of the built client, two Chromium contexts in one room, real
 * mouse events on the canvas: what Alice draws appears for Bob (document state and pixels),
 * Bob's undo removes only Bob's stroke, Alice's pointer shows in Bob's view with her name, and
 * after Bob has left, Alice's reload brings the board back from IndexedDB alone.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  collectPageErrors,
  eventually,
  launchBrowser,
  openApp,
  screenshot,
  startApp,
  type RunningApp,
} from './harness';

const DESKTOP = { width: 1280, height: 800 };
const SYNC_TIMEOUT_MS = 45_000;

interface ElementInfo {
  id: string;
  type: string;
  author: number;
}

/** The board's document as the page sees it (debug hook installed by createBoardState). */
const elements = (page: Page): Promise<ElementInfo[]> =>
  page.evaluate(() => {
    const hook = (globalThis as { __peerboard?: { board?: { elements(): ElementInfo[] } } })
      .__peerboard;
    return (hook?.board?.elements() ?? []).map((e) => ({
      id: e.id,
      type: e.type,
      author: e.author,
    }));
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
  const box = await page.locator('.board-canvas').boundingBox();
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
    const canvas = document.querySelector<HTMLCanvasElement>('.board-canvas')!;
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
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  test('draw in A appears in B; undo is per person; live cursor; reload restores from IndexedDB', async () => {
    const alice = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light' });
    contexts.push(alice);
    const a = await alice.newPage();
    const aErrors = collectPageErrors(a);
    await openApp(a, app.origin + '/', aErrors);
    await a.getByLabel('Your name').fill('Alice');
    await a.getByRole('button', { name: 'Create a room' }).click();
    await a.waitForURL(/\/r\//);
    const roomLink = a.url();
    await a.locator('.board-canvas').waitFor();

    const bob = await browser.newContext({ viewport: DESKTOP, colorScheme: 'dark' });
    contexts.push(bob);
    const b = await bob.newPage();
    const bErrors = collectPageErrors(b);
    await openApp(b, roomLink, bErrors);
    await b.getByLabel('Your name').fill('Bob');
    await b.getByRole('button', { name: 'Join room' }).click();
    await b.locator('.board-canvas').waitFor();

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
    const box = await cursor.boundingBox();
    const canvasBox = await b.locator('.board-canvas').boundingBox();
    // same viewport on both sides: the cursor sits where Alice's pointer is
    expect(Math.abs(box!.x - canvasBox!.x - 700)).toBeLessThan(4);
    expect(Math.abs(box!.y - canvasBox!.y - 500)).toBeLessThan(4);
    await screenshot(b, 'board-bob-sees-alice-cursor');

    // Bob leaves; Alice reloads with nobody to sync from: IndexedDB brings the board back.
    await bob.close();
    contexts.splice(contexts.indexOf(bob), 1);
    await a.reload();
    await a.locator('.board-canvas').waitFor();
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
