/**
 * Shapes, second round, through the UI of the built client with two Chromium contexts in one
 * room: an arrow drawn to a rectangle stays attached when Alice moves the rectangle (Bob sees
 * the arrow's end follow), a label typed inside the rectangle, a group that one click selects,
 * aligning it from the context menu, and the grid snap. Element data is read through the
 * `?debug` hooks (src/debug.ts).
 */
import type { Page } from 'playwright-core';
import { describe, expect, test, vi } from 'vitest';
import { openPair, screenshot, useBrowserSession } from './harness';
import type { El } from './boardElements';

const SYNC = { timeout: 45_000, interval: 200 };

const elements = (page: Page): Promise<El[]> =>
  page.evaluate(() => {
    const hook = (globalThis as { __peerboard?: { board?: { elements(): El[] } } }).__peerboard;
    return hook?.board?.elements() ?? [];
  });
const one = async (page: Page, type: string): Promise<El> => {
  const found = (await elements(page)).filter((e) => e.type === type);
  expect(found).toHaveLength(1);
  return found[0]!;
};

async function at(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = await page.locator('[data-board-layer="elements"]').boundingBox();
  if (!box) throw new Error('no board canvas');
  return { x: box.x + x, y: box.y + y };
}

async function drag(page: Page, from: [number, number], to: [number, number]) {
  const a = await at(page, ...from);
  const b = await at(page, ...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

async function click(
  page: Page,
  x: number,
  y: number,
  o: { button?: 'left' | 'right'; shift?: boolean } = {},
) {
  const p = await at(page, x, y);
  if (o.shift) await page.keyboard.down('Shift');
  await page.mouse.click(p.x, p.y, { button: o.button ?? 'left' });
  if (o.shift) await page.keyboard.up('Shift');
}

const end = (a: El) => ({ x: a.x + a.w, y: a.y + a.h });

describe('board: attached arrows, labels, groups, align, grid', () => {
  const session = useBrowserSession();

  test('Bob sees the arrow follow the rectangle Alice moves, her label, group and alignment', async () => {
    const {
      alice: { page: a },
      bob: { page: b },
    } = await openPair(session, { debug: true, board: true });

    // A rectangle, and an arrow from the left ending inside it: the arrow is attached and
    // stops short of the rectangle's left edge.
    await a.getByRole('button', { name: 'Rectangle' }).click();
    await drag(a, [500, 200], [700, 350]);
    await a.getByRole('button', { name: 'Arrow' }).click();
    await drag(a, [200, 275], [600, 275]);
    await vi.waitFor(async () => expect(await elements(b)).toHaveLength(2), SYNC);
    const rect = await one(a, 'rect');
    const arrow = await one(a, 'arrow');
    expect(arrow.endBinding).toMatchObject({ id: rect.id });
    expect(arrow.startBinding).toBeUndefined();
    expect(end(arrow).x).toBeLessThan(rect.x);
    expect(end(arrow).x).toBeGreaterThan(rect.x - 12);

    // Alice moves the rectangle 150 px down; Bob's copy of the arrow ends at its new place.
    await a.keyboard.press('v');
    await drag(a, [700, 275], [700, 425]);
    await vi.waitFor(async () => {
      const r = await one(b, 'rect');
      expect(r.y).toBeCloseTo(rect.y + 150, 0);
      const e = end(await one(b, 'arrow'));
      expect(e.x).toBeLessThan(r.x);
      expect(e.x).toBeGreaterThan(r.x - 12);
      expect(e.y).toBeGreaterThan(r.y);
      expect(e.y).toBeLessThan(r.y + r.h);
    }, SYNC);
    const bobArrow = await one(b, 'arrow');
    expect(bobArrow).toMatchObject({ x: arrow.x, y: arrow.y, endBinding: { id: rect.id } });

    // A label: double-click inside the rectangle and type. Bob's rectangle carries it.
    await click(a, 300, 650); // deselect
    const inside = await at(a, 600, 425);
    await a.mouse.dblclick(inside.x, inside.y);
    const editor = a.getByRole('textbox', { name: 'Label' });
    await editor.waitFor();
    await a.keyboard.type('Launch plan for the spring');
    await screenshot(a, 'board-shapes-label-editing');
    await a.keyboard.press('Escape');
    await vi.waitFor(
      async () =>
        expect(await one(b, 'rect')).toMatchObject({ label: 'Launch plan for the spring' }),
      SYNC,
    );
    expect((await elements(a)).filter((e) => e.type === 'text')).toHaveLength(0);

    // An ellipse and a diamond on the right, grouped with Ctrl+G.
    await a.getByRole('button', { name: 'Ellipse' }).click();
    await drag(a, [760, 180], [900, 260]);
    await a.getByRole('button', { name: 'Diamond' }).click();
    await drag(a, [760, 580], [900, 680]);
    await a.keyboard.press('v');
    await click(a, 760, 220); // the ellipse's left end
    await click(a, 760, 630, { shift: true }); // the diamond's left corner
    await a.keyboard.press('Control+g');
    await vi.waitFor(async () => {
      const els = await elements(b);
      const e = els.find((x) => x.type === 'ellipse');
      const d = els.find((x) => x.type === 'diamond');
      expect(e?.group).toBeDefined();
      expect(d?.group).toBe(e?.group);
    }, SYNC);

    // One click on the ellipse selects the group; Shift-click adds the rectangle; the menu's
    // Align left lines up the group's box with the rectangle: the diamond moves as well.
    await click(a, 300, 650);
    await click(a, 760, 220);
    await click(a, 700, 425, { shift: true });
    await click(a, 700, 425, { button: 'right' });
    const menu = a.getByRole('menu', { name: 'Board actions' });
    await menu.waitFor();
    await screenshot(a, 'board-shapes-menu');
    await menu.getByRole('menuitem', { name: /^Align left/ }).click();
    await vi.waitFor(async () => {
      const r = await one(b, 'rect');
      expect((await one(b, 'ellipse')).x).toBeCloseTo(r.x, 0);
      expect((await one(b, 'diamond')).x).toBeCloseTo(r.x, 0);
    }, SYNC);
    // the arrow is still attached to the rectangle, which did not move
    expect(await one(b, 'arrow')).toMatchObject({ endBinding: { id: rect.id } });

    // Grid snap: on with ', a new rectangle's corners land on the 20 px grid.
    await click(a, 100, 700);
    await a.keyboard.press("'");
    await a.getByRole('button', { name: 'Rectangle' }).click();
    await drag(a, [213, 553], [351, 677]);
    await vi.waitFor(async () => {
      const rects = (await elements(b)).filter((e) => e.type === 'rect');
      expect(rects).toHaveLength(2);
      const snapped = rects.find((r) => r.id !== rect.id)!;
      for (const v of [snapped.x, snapped.y, snapped.w, snapped.h])
        expect(Math.abs(v % 20)).toBe(0);
    }, SYNC);
    await screenshot(a, 'board-shapes-alice');
    await screenshot(b, 'board-shapes-bob');
  }, 300_000);
});
