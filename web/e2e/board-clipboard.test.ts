/**
 * Copies that keep their meaning, through the UI of the built client: an arrow copied with the
 * shapes it joins is pasted (and duplicated) joined to the new shapes, so moving a pasted shape
 * drags the pasted arrow along; an arrow copied alone is pasted loose. A rubber band around one
 * member of a group selects the whole group. Copying in one room and pasting in another (another
 * browser context, the system clipboard between them) makes new elements there, image bytes
 * included. Element data is read through the `?debug` hooks (src/debug.ts).
 */
import type { Page } from 'playwright-core';
import { describe, expect, test, vi } from 'vitest';
import {
  BOARD_CANVAS,
  createRoom,
  DESKTOP,
  openInNewContext,
  screenshot,
  useBrowserSession,
  visibleInPage,
} from './harness';
import type { El } from './boardElements';
import { bandsOf, pasteImage, pixelsOf } from './boardPixels';

const SYNC = { timeout: 45_000, interval: 200 };
const IMAGE_COLOUR = '#7c3aed';

interface View {
  x: number;
  y: number;
  zoom: number;
}
type Hook = {
  __peerboard?: {
    board?: { elements(): El[]; viewport(): View | undefined };
    session?: { doc: { awareness: { getLocalState(): { selection?: string[] } | null } } };
  };
};

const elements = (page: Page): Promise<El[]> =>
  page.evaluate(() => (globalThis as Hook).__peerboard?.board?.elements() ?? []);
/** what this page publishes as its selection (presence) */
const selection = (page: Page): Promise<string[]> =>
  page.evaluate(
    () => (globalThis as Hook).__peerboard?.session?.doc.awareness.getLocalState()?.selection ?? [],
  );

/** client coordinates of a world point on this page's board */
async function screenOf(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('[data-board-layer="elements"]').boundingBox())!;
  const v = (await page.evaluate(() => (globalThis as Hook).__peerboard?.board?.viewport()))!;
  return { x: box.x + (x - v.x) * v.zoom, y: box.y + (y - v.y) * v.zoom };
}

async function dragWorld(page: Page, from: [number, number], to: [number, number]) {
  const a = await screenOf(page, ...from);
  const b = await screenOf(page, ...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

async function clickWorld(page: Page, x: number, y: number, shift = false) {
  const p = await screenOf(page, x, y);
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.click(p.x, p.y);
  if (shift) await page.keyboard.up('Shift');
}

const arrowEnd = (a: El) => ({ x: a.x + a.w, y: a.y + a.h });
const byId = (els: El[]) => new Map(els.map((e) => [e.id, e]));

describe('board: copies keep their bindings, groups, and travel between rooms', () => {
  const session = useBrowserSession();
  const clipboard = ['clipboard-read', 'clipboard-write'];

  test('a pasted arrow joins the pasted shapes; alone it is loose; a band selects a whole group', async () => {
    const { page: a } = await openInNewContext(session.browser, session.app.origin + '/?debug', {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
      permissions: clipboard,
    });
    await createRoom(a, 'Alice');
    await visibleInPage(a, BOARD_CANVAS);

    // two rectangles and an arrow drawn from inside the first to inside the second
    await a.getByRole('button', { name: 'Rectangle' }).click();
    await dragWorld(a, [100, 220], [250, 300]);
    await a.getByRole('button', { name: 'Rectangle' }).click(); // a shape hands back to Select
    await dragWorld(a, [500, 220], [650, 300]);
    await a.getByRole('button', { name: 'Arrow' }).click();
    await dragWorld(a, [175, 260], [575, 260]);
    await vi.waitFor(async () => expect(await elements(a)).toHaveLength(3), SYNC);
    const originals = await elements(a);
    const [r1, r2] = originals.filter((e) => e.type === 'rect').sort((p, q) => p.x - q.x);
    const arrow = originals.find((e) => e.type === 'arrow')!;
    expect(arrow.startBinding?.id).toBe(r1!.id);
    expect(arrow.endBinding?.id).toBe(r2!.id);

    // copy all three, paste below: a new arrow joined to the new rectangles
    await a.keyboard.press('v');
    await a.keyboard.press('Control+a');
    await a.keyboard.press('Control+c');
    const below = await screenOf(a, 375, 460);
    await a.mouse.move(below.x, below.y);
    await a.keyboard.press('Control+v');
    await vi.waitFor(async () => expect(await elements(a)).toHaveLength(6), SYNC);
    const old = new Set(originals.map((e) => e.id));
    const pasted = (await elements(a)).filter((e) => !old.has(e.id));
    const [p1, p2] = pasted.filter((e) => e.type === 'rect').sort((p, q) => p.x - q.x);
    const pArrow = pasted.find((e) => e.type === 'arrow')!;
    expect(pArrow.startBinding?.id).toBe(p1!.id);
    expect(pArrow.endBinding?.id).toBe(p2!.id);

    // move the pasted right rectangle down by 100: its arrow's end follows, the original stays
    await a.keyboard.press('Escape');
    await clickWorld(a, p2!.x + p2!.w, p2!.y + p2!.h / 2); // its right edge (the arrow is left)
    await expect.poll(() => selection(a), SYNC).toEqual([p2!.id]);
    // dragged by the inside of its selection frame (its edge would be a resize handle)
    const mid: [number, number] = [p2!.x + p2!.w / 2, p2!.y + p2!.h / 2];
    await dragWorld(a, mid, [mid[0], mid[1] + 100]);
    await vi.waitFor(async () => {
      const now = byId(await elements(a));
      expect(now.get(p2!.id)!.y).toBeCloseTo(p2!.y + 100, 0);
      // its end still stops just short of the moved rectangle's left edge, at its new height
      const moved = now.get(p2!.id)!;
      const e = arrowEnd(now.get(pArrow.id)!);
      expect(e.y).toBeGreaterThan(arrowEnd(pArrow).y + 50);
      expect(e.y).toBeGreaterThan(moved.y);
      expect(e.y).toBeLessThan(moved.y + moved.h);
      expect(e.x).toBeLessThan(moved.x);
      expect(e.x).toBeGreaterThan(moved.x - 12);
      // its start stays at the pasted left rectangle, which did not move
      const start = now.get(pArrow.id)!;
      expect(start.x).toBeGreaterThan(p1!.x + p1!.w);
      expect(start.x).toBeLessThan(p1!.x + p1!.w + 12);
      expect(start.y).toBeGreaterThan(p1!.y);
      expect(start.y).toBeLessThan(p1!.y + p1!.h);
      expect(now.get(arrow.id)).toMatchObject({ x: arrow.x, y: arrow.y, w: arrow.w, h: arrow.h });
    }, SYNC);
    await screenshot(a, 'board-clipboard-pasted-arrow-follows');

    // Ctrl+D of the pasted trio (a band around them): the duplicate arrow joins the duplicates
    await a.keyboard.press('Escape');
    await dragWorld(a, [p1!.x - 20, p1!.y - 20], [p2!.x + p2!.w + 20, p2!.y + p2!.h + 120]);
    await expect.poll(async () => (await selection(a)).length, SYNC).toBe(3);
    await a.keyboard.press('Control+d');
    await vi.waitFor(async () => expect(await elements(a)).toHaveLength(9), SYNC);
    const seen = new Set([...old, ...pasted.map((e) => e.id)]);
    const dups = (await elements(a)).filter((e) => !seen.has(e.id));
    const dupIds = new Set(dups.map((e) => e.id));
    const dArrow = dups.find((e) => e.type === 'arrow')!;
    expect(dupIds.has(dArrow.startBinding!.id)).toBe(true);
    expect(dupIds.has(dArrow.endBinding!.id)).toBe(true);

    // the original arrow alone: its copy is pasted loose (no binding to anything)
    await a.keyboard.press('Escape');
    await clickWorld(a, arrow.x + arrow.w / 2, arrow.y + arrow.h / 2);
    await expect.poll(() => selection(a), SYNC).toEqual([arrow.id]);
    await a.keyboard.press('Control+c');
    const before = new Set((await elements(a)).map((e) => e.id));
    const gap = await screenOf(a, 600, 360); // between the originals and the pasted ones
    await a.mouse.move(gap.x, gap.y);
    await a.keyboard.press('Control+v');
    await vi.waitFor(async () => expect(await elements(a)).toHaveLength(10), SYNC);
    const loose = (await elements(a)).find((e) => !before.has(e.id))!;
    expect(loose.type).toBe('arrow');
    expect(loose.startBinding).toBeUndefined();
    expect(loose.endBinding).toBeUndefined();

    // group the two original rectangles; a band around only the left one selects both
    await a.keyboard.press('Escape');
    await clickWorld(a, r1!.x, r1!.y + r1!.h / 2);
    await clickWorld(a, r2!.x + r2!.w, r2!.y + r2!.h / 2, true); // right edge: the arrow is left
    await a.keyboard.press('Control+g');
    await vi.waitFor(async () => {
      const g = byId(await elements(a));
      expect(g.get(r1!.id)!.group).toBeDefined();
      expect(g.get(r1!.id)!.group).toBe(g.get(r2!.id)!.group);
    }, SYNC);
    await a.keyboard.press('Escape');
    await expect.poll(() => selection(a), SYNC).toEqual([]);
    await dragWorld(a, [r1!.x - 30, r1!.y - 30], [r1!.x + r1!.w + 20, r1!.y + r1!.h + 20]);
    await expect
      .poll(async () => (await selection(a)).sort(), SYNC)
      .toEqual([r1!.id, r2!.id].sort());
    await screenshot(a, 'board-clipboard-band-selects-group');
  }, 240_000);

  test('copied in one room, pasted in another: new ids, the image bytes come along', async () => {
    const opts = {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light' as const,
      permissions: clipboard,
    };
    const { page: a } = await openInNewContext(
      session.browser,
      session.app.origin + '/?debug',
      opts,
    );
    await createRoom(a, 'Alice');
    await visibleInPage(a, BOARD_CANVAS);
    await a.getByRole('button', { name: 'Rectangle' }).click();
    await dragWorld(a, [100, 400], [250, 500]);
    await a.getByRole('button', { name: 'Arrow' }).click();
    await dragWorld(a, [400, 450], [175, 450]); // ends inside the rectangle: bound to it
    await a.keyboard.press('v');
    const pastePoint = await screenOf(a, 600, 200);
    await a.mouse.move(pastePoint.x, pastePoint.y);
    await pasteImage(a, IMAGE_COLOUR);
    await vi.waitFor(async () => expect(await elements(a)).toHaveLength(3), SYNC);
    await expect.poll(() => pixelsOf(a, IMAGE_COLOUR), SYNC).toBeGreaterThan(10_000);
    const source = await elements(a);
    await a.keyboard.press('Escape');
    await a.keyboard.press('Control+a');
    await a.keyboard.press('Control+c');

    // Carol, in another room of another browser context: nobody there has the image
    const { page: c } = await openInNewContext(
      session.browser,
      session.app.origin + '/?debug',
      opts,
    );
    await createRoom(c, 'Carol');
    await visibleInPage(c, BOARD_CANVAS);
    expect(new URL(c.url()).pathname).not.toBe(new URL(a.url()).pathname);
    const middle = await screenOf(c, 500, 350);
    await c.mouse.move(middle.x, middle.y);
    await c.keyboard.press('Control+v');
    await vi.waitFor(async () => expect(await elements(c)).toHaveLength(3), SYNC);
    const copied = await elements(c);
    const sourceIds = new Set(source.map((e) => e.id));
    expect(copied.every((e) => !sourceIds.has(e.id))).toBe(true);
    expect(copied.map((e) => e.type).sort()).toEqual(['arrow', 'image', 'rect']);
    const srcImage = source.find((e) => e.type === 'image')!;
    expect(copied.find((e) => e.type === 'image')!.sha256).toBe(srcImage.sha256);
    const cArrow = copied.find((e) => e.type === 'arrow')!;
    expect(cArrow.endBinding?.id).toBe(copied.find((e) => e.type === 'rect')!.id);
    // the bytes came inside the clipboard: Carol's canvas shows the picture
    await expect.poll(() => pixelsOf(c, IMAGE_COLOUR), SYNC).toBeGreaterThan(10_000);
    await screenshot(c, 'board-clipboard-other-room');

    // a payload naming an image nobody holds (past the clipboard's byte cap): a placeholder
    await c.evaluate((sha) => {
      const dt = new DataTransfer();
      const image = {
        type: 'image',
        x: 0,
        y: 0,
        w: 240,
        h: 160,
        colour: '#1e1e1e',
        strokeWidth: 2,
        sha256: sha,
        mime: 'image/png',
        naturalW: 240,
        naturalH: 160,
      };
      dt.setData(
        'text/plain',
        JSON.stringify({ type: 'peerboard/elements', version: 1, elements: [image] }),
      );
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
    }, 'ab'.repeat(32));
    await vi.waitFor(async () => expect(await elements(c)).toHaveLength(4), SYNC);
    // it says so in text readable at 100 %: the icon, then two lines at least 10 px tall
    const lost = (await elements(c)).find((e) => e.sha256 === 'ab'.repeat(32))!;
    const [from, to] = [
      await screenOf(c, lost.x, lost.y),
      await screenOf(c, lost.x + lost.w, lost.y + lost.h),
    ];
    const inside = { x: from.x + 4, y: from.y + 4, w: to.x - from.x - 8, h: to.y - from.y - 8 };
    await expect
      .poll(async () => (await bandsOf(c, '#6b7280', inside)).map((b) => b.height >= 10), SYNC)
      .toEqual([true, true, true]);
    await screenshot(c, 'board-clipboard-image-placeholder');

    // the context menu on the pasted picture, light and dark
    const img = copied.find((e) => e.type === 'image')!;
    const onImage = await screenOf(c, img.x + img.w / 2, img.y + img.h / 2);
    for (const colorScheme of ['light', 'dark'] as const) {
      await c.emulateMedia({ colorScheme });
      await c.keyboard.press('Escape');
      const menu = c.locator('.board-menu[role=menu]');
      await menu.waitFor({ state: 'hidden' });
      await c.mouse.click(onImage.x, onImage.y, { button: 'right' });
      await menu.waitFor();
      // one loose element: neither Group nor Ungroup applies, so neither is offered
      const item = (name: RegExp) => menu.getByRole('menuitem', { name });
      await expect.poll(() => item(/^Copy/).isEnabled()).toBe(true);
      expect(await item(/^Ungroup/).isDisabled()).toBe(true);
      expect(await item(/^Group/).isDisabled()).toBe(true);
      await screenshot(c, `board-clipboard-context-menu-${colorScheme}`);
    }
    await c.keyboard.press('Escape');
  }, 240_000);
});
