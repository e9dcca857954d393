/**
 * Presence on the board through the UI of the built client, two Chromium contexts (Alice, Bob)
 * in one room: Alice's cursor over Bob's empty-board hint hides the hint until she moves on;
 * Alice's laser pointer reaches Bob and fades without touching the document; Bob follows
 * Alice's viewport and stops on his own pan and on Escape; Alice's hidden tab shows as away;
 * a second tab of Alice (same browser context) shows once with "2 tabs"; an export takes
 * only the selection; Alice leaving ends Bob's following with a notice.
 */
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { BOARD_CANVAS, openPair, screenshot, useBrowserSession, visibleInPage } from './harness';

const SYNC = { timeout: 45_000, interval: 100 };

interface View {
  x: number;
  y: number;
  zoom: number;
}

type Hook = {
  __peerboard?: {
    board?: {
      viewport(): View | undefined;
      setViewport(v: View): void;
      elements(): { type: string }[];
    };
  };
};
const viewport = (page: Page): Promise<View | undefined> =>
  page.evaluate(() => (globalThis as Hook).__peerboard?.board?.viewport());
const elementCount = (page: Page): Promise<number> =>
  page.evaluate(() => (globalThis as Hook).__peerboard?.board?.elements().length ?? -1);

async function at(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = await page.locator('[data-board-layer="elements"]').boundingBox();
  if (!box) throw new Error('no board canvas');
  return { x: box.x + x, y: box.y + y };
}

async function drag(page: Page, from: [number, number], to: [number, number], steps = 10) {
  const a = await at(page, ...from);
  const b = await at(page, ...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps });
  await page.mouse.up();
}

/** Bob's People list: the rows whose name starts with `name` (tab suffixes included) */
const peopleRows = (page: Page, name: string) =>
  page.evaluate((n) => {
    const rows = [...document.querySelectorAll<HTMLElement>('#panel-people li.peer')];
    return rows
      .filter((li) => li.querySelector('.peer-name bdi')?.textContent?.startsWith(n))
      .map((li) => ({
        tabs: li.dataset.tabs,
        away: li.dataset.away,
        text: li.textContent ?? '',
      }));
  }, name);

const lasers = (page: Page) =>
  page
    .locator('.board')
    .getAttribute('data-lasers')
    .then((v) => Number(v ?? 0));

/** The world point at the middle of the canvas (what a follower centres on) */
const centreOf = (v: View, box: { width: number; height: number }) => ({
  x: v.x + box.width / 2 / v.zoom,
  y: v.y + box.height / 2 / v.zoom,
});

async function hide(page: Page, hidden: boolean) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (h ? 'hidden' : 'visible'),
    });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** Whether someone's cursor (arrow or name) lies over the empty-board hint's box */
const cursorOverHint = (page: Page) =>
  page.evaluate(() => {
    const h = document.querySelector('.board-hint')!.getBoundingClientRect();
    return [...document.querySelectorAll('.board-cursor svg, .board-cursor-name')].some((el) => {
      const r = el.getBoundingClientRect();
      return r.left < h.right && h.left < r.right && r.top < h.bottom && h.top < r.bottom;
    });
  });

describe('board presence: laser, follow, away, two tabs, export of the selection', () => {
  const session = useBrowserSession();
  let a: Page;
  let b: Page;
  let aliceContext: BrowserContext;
  let roomLink: string;

  test('Alice and Bob meet; the export of an empty board is disabled', async () => {
    const pair = await openPair(session, { debug: true, board: true });
    ({ page: a, context: aliceContext } = pair.alice);
    b = pair.bob.page;
    roomLink = pair.roomLink;
    const exportPng = a.getByRole('button', { name: 'Export PNG' });
    expect(await exportPng.isDisabled()).toBe(true);
    expect(await exportPng.getAttribute('title')).toMatch(/^The board is empty/);
  });

  test("Alice's cursor over Bob's empty-board hint: the hint steps aside, then comes back", async () => {
    const hint = b.locator('.board-hint');
    await hint.waitFor();
    const box = (await hint.boundingBox())!;
    // the same window size and camera on both sides: a point over Bob's hint is one at Alice's
    await a.mouse.move(box.x + box.width / 2 - 20, box.y - 8, { steps: 5 });
    await expect.poll(() => cursorOverHint(b), SYNC).toBe(true);
    await expect.poll(() => hint.isVisible(), SYNC).toBe(false);
    for (const colorScheme of ['light', 'dark'] as const) {
      await b.emulateMedia({ colorScheme });
      await screenshot(b, `board-presence-cursor-over-hint-${colorScheme}`);
    }
    await b.emulateMedia({ colorScheme: 'light' });
    // she moves on: the hint is back, clear of her cursor
    await a.mouse.move(box.x + box.width / 2 - 20, box.y - 160, { steps: 5 });
    await expect.poll(() => hint.isVisible(), SYNC).toBe(true);
    expect(await cursorOverHint(b)).toBe(false);
  });

  test("Alice's laser is seen by Bob and gone after it fades; nothing is stored", async () => {
    await a.keyboard.press('k');
    expect(await a.locator('.board').getAttribute('data-tool')).toBe('laser');
    // Bob looks while Alice is still pointing (her drag runs alongside)
    const pointing = drag(a, [200, 300], [700, 420], 150);
    await expect.poll(() => lasers(b), SYNC).toBeGreaterThan(0);
    await screenshot(b, 'board-presence-laser-bob');
    await pointing;
    // a second after the last point the trail is gone on both sides
    await expect.poll(() => lasers(b), { timeout: 5_000, interval: 100 }).toBe(0);
    await expect.poll(() => lasers(a), { timeout: 5_000, interval: 100 }).toBe(0);
    expect(await elementCount(a)).toBe(0);
    expect(await elementCount(b)).toBe(0);
    await a.keyboard.press('p');
  });

  test("Bob follows Alice's viewport; his own pan and Escape stop it", async () => {
    const alice = b.locator('.board-person[data-person="Alice"]');
    await expect.poll(() => alice.isEnabled(), SYNC).toBe(true);
    await alice.click();
    const banner = b.locator('.board-follow');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Following Alice — Esc to stop');

    // Alice pans and zooms; Bob's camera shows the same centre at the same zoom
    const canvas = (await a.locator('[data-board-layer="elements"]').boundingBox())!;
    await a.mouse.move(canvas.x + 400, canvas.y + 300);
    await a.mouse.wheel(600, 450);
    await a.getByRole('button', { name: 'Zoom in' }).click();
    const target = (await viewport(a))!;
    expect(target.zoom).toBeGreaterThan(1);
    const bobBox = (await b.locator('[data-board-layer="elements"]').boundingBox())!;
    await expect
      .poll(async () => {
        const v = await viewport(b);
        if (!v) return null;
        const c = centreOf(v, bobBox);
        return [Math.round(c.x), Math.round(c.y), v.zoom];
      }, SYNC)
      .toEqual([
        Math.round(centreOf(target, canvas).x),
        Math.round(centreOf(target, canvas).y),
        target.zoom,
      ]);
    await screenshot(b, 'board-presence-following');

    // Bob pans himself: following stops, and Alice's next move no longer moves him
    await b.mouse.move(bobBox.x + 300, bobBox.y + 300);
    await b.mouse.wheel(0, 200);
    await banner.waitFor({ state: 'hidden' });
    const own = (await viewport(b))!;
    await a.mouse.move(canvas.x + 400, canvas.y + 300);
    await a.mouse.wheel(-300, 0);
    await expect.poll(async () => (await viewport(a))!.x, SYNC).not.toBe(target.x);
    // her pointer moves after the pan: once Bob sees it move, her new view has reached him too
    const aliceCursor = b.locator('.board-cursor[data-peer-name="Alice"]');
    const before = await aliceCursor.getAttribute('style');
    await a.mouse.move(canvas.x + 450, canvas.y + 350, { steps: 5 });
    await expect.poll(() => aliceCursor.getAttribute('style'), SYNC).not.toBe(before);
    expect(await viewport(b)).toEqual(own);

    // following again, Escape stops it
    await alice.click();
    await banner.waitFor();
    await b.keyboard.press('Escape');
    await banner.waitFor({ state: 'hidden' });
  });

  test('a hidden tab shows as away, back when it is visible again', async () => {
    await hide(a, true);
    await expect.poll(async () => (await peopleRows(b, 'Alice'))[0]?.away, SYNC).toBe('true');
    expect((await peopleRows(b, 'Alice'))[0]?.text).toContain('Away');
    expect(await b.locator('.board-person[data-person="Alice"]').getAttribute('data-away')).toBe(
      'true',
    );
    await screenshot(b, 'board-presence-away');
    await hide(a, false);
    await expect.poll(async () => (await peopleRows(b, 'Alice'))[0]?.away, SYNC).toBe('false');
  });

  test('a second tab of Alice shows once at Bob, with "2 tabs"; both cursors show', async () => {
    const a2 = await aliceContext.newPage();
    // the browser remembers her name: the second tab opens straight into the room
    await a2.goto(roomLink);
    await visibleInPage(a2, BOARD_CANVAS);
    await expect
      .poll(() => peopleRows(b, 'Alice'), SYNC)
      .toEqual([expect.objectContaining({ tabs: '2' })]);
    expect((await peopleRows(b, 'Alice'))[0]!.text).toContain('2 tabs');
    expect(await b.locator('.board-person[data-person="Alice"]').getAttribute('data-tabs')).toBe(
      '2',
    );
    expect(await b.locator('.board-person').count()).toBe(1);
    // Alice's own People list folds her other tab into her own row
    await expect
      .poll(() => a.locator('#panel-people li.peer-self').textContent(), SYNC)
      .toContain('2 tabs');
    expect(await peopleRows(a, 'Bob')).toHaveLength(1);

    // one camera for all three, so both of Alice's pointers are in Bob's view
    for (const page of [a, a2, b])
      await page.evaluate(() =>
        (globalThis as Hook).__peerboard?.board?.setViewport({ x: 0, y: 0, zoom: 1 }),
      );
    for (const page of [a, a2]) {
      const box = (await page.locator('[data-board-layer="elements"]').boundingBox())!;
      await page.mouse.move(box.x + 200, box.y + 200);
      await page.mouse.move(box.x + 260, box.y + 240, { steps: 5 });
    }
    await expect.poll(() => b.locator('.board-cursor').count(), SYNC).toBe(2);
    await screenshot(b, 'board-presence-two-tabs');
    await a2.close({ runBeforeUnload: true });
    await expect
      .poll(() => peopleRows(b, 'Alice'), SYNC)
      .toEqual([expect.objectContaining({ tabs: '1' })]);
  });

  test('with a selection, the export takes only the selected elements', async () => {
    await a.getByRole('button', { name: 'Rectangle', exact: true }).click();
    await a.getByRole('button', { name: 'Colour: Red', exact: true }).click();
    await drag(a, [150, 200], [300, 300]);
    await a.keyboard.press('Escape');
    await a.getByRole('button', { name: 'Rectangle', exact: true }).click();
    await a.getByRole('button', { name: 'Colour: Blue', exact: true }).click();
    await drag(a, [450, 200], [600, 300]);
    await a.keyboard.press('Escape');
    await expect.poll(() => elementCount(a), SYNC).toBe(2);

    // select the red one (its left edge) and export
    await a.keyboard.press('v');
    const edge = await at(a, 150, 250);
    await a.mouse.click(edge.x, edge.y);
    const exportSvg = a.getByRole('button', { name: 'Export selection SVG' });
    await exportSvg.waitFor();
    await screenshot(a, 'board-presence-export-selection');
    const download = a.waitForEvent('download');
    await exportSvg.click();
    const svg = await readFile((await (await download).path())!, 'utf8');
    expect(svg).toContain('stroke="#e03131"');
    expect(svg).not.toContain('stroke="#1971c2"');
  });

  test('Alice leaving ends Bob’s following with a notice', async () => {
    await b.locator('.board-person[data-person="Alice"]').click();
    await b.locator('.board-follow').waitFor();
    await a.close({ runBeforeUnload: true });
    const notice = b.locator('.board-notice');
    await notice.waitFor({ timeout: SYNC.timeout });
    expect(await notice.textContent()).toContain('Alice left: you are no longer following.');
    expect(await b.locator('.board-follow').count()).toBe(0);
    await screenshot(b, 'board-presence-left');
  });
});
