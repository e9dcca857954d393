/**
 * Whiteboard, second round, through the UI of the built client with two Chromium contexts in
 * one room: a style button restyles the selection (the other sees it), copy / paste, duplicate,
 * z-order and lock (through the keyboard and the context menu), the notice when the other one
 * clears the board, an empty export, and screenshots of the phone style popover and of the help.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test, vi } from 'vitest';
import {
  BOARD_CANVAS,
  createRoom,
  DESKTOP,
  joinRoom,
  openInNewContext,
  openPair,
  PHONE,
  screenshot,
  useBrowserSession,
  visibleInPage,
  withDebug,
} from './harness';

const SYNC = { timeout: 45_000, interval: 200 };

interface El {
  id: string;
  type: string;
  z: string;
  x: number;
  y: number;
  colour: string;
  strokeWidth: number;
  locked?: boolean;
}

/** The board's document as the page sees it, in paint order (src/debug.ts). */
const elements = (page: Page): Promise<El[]> =>
  page.evaluate(() => {
    const hook = (globalThis as { __peerboard?: { board?: { elements(): El[] } } }).__peerboard;
    return hook?.board?.elements() ?? [];
  });

async function at(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = await page.locator('[data-board-layer="elements"]').boundingBox();
  if (!box) throw new Error('no board canvas');
  return { x: box.x + x, y: box.y + y };
}

async function drag(page: Page, from: [number, number], to: [number, number], alt = false) {
  const a = await at(page, ...from);
  const b = await at(page, ...to);
  if (alt) await page.keyboard.down('Alt');
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 10 });
  await page.mouse.up();
  if (alt) await page.keyboard.up('Alt');
}

async function click(page: Page, x: number, y: number, button: 'left' | 'right' = 'left') {
  const p = await at(page, x, y);
  await page.mouse.click(p.x, p.y, { button });
}

const count = (page: Page) => elements(page).then((e) => e.length);
const pressed = (page: Page, name: string) =>
  page.getByRole('button', { name, exact: true }).getAttribute('aria-pressed');

/** Every shortcut row of the open help is on screen: nothing below a scroll area, no cue needed */
async function phoneHelpFits(page: Page, viewport: { width: number; height: number }) {
  const list = page.locator('.shortcut-list');
  const [scrollHeight, clientHeight] = await list.evaluate((el) => [
    el.scrollHeight,
    el.clientHeight,
  ]);
  expect(scrollHeight).toBeLessThanOrEqual(clientHeight! + 1);
  const rows = page.locator('.shortcut-row');
  expect(await rows.count()).toBeGreaterThan(30);
  const last = (await rows.last().boundingBox())!;
  expect(last.y + last.height).toBeLessThanOrEqual(viewport.height);
  expect(last.x + last.width).toBeLessThanOrEqual(viewport.width);
  expect(await page.locator('.shortcut-more').isVisible()).toBe(false);
}

describe('board: selection, clipboard, order, lock, notices', () => {
  const session = useBrowserSession();

  test('two people: restyle, copy/paste, duplicate, z-order, lock, clear notice, empty export', async () => {
    const clipboard = ['clipboard-read', 'clipboard-write'];
    const {
      alice: { page: a },
      bob: { page: b },
    } = await openPair(session, {
      debug: true,
      board: true,
      alice: { permissions: clipboard },
      bob: { permissions: clipboard },
    });

    // Alice draws a black, medium rectangle, selects it, then picks Red and Bold.
    await a.getByRole('button', { name: 'Rectangle' }).click();
    await drag(a, [300, 200], [500, 350]);
    await a.keyboard.press('v');
    await click(a, 300, 275); // its left edge
    await expect.poll(() => a.locator('.board').getAttribute('data-element-count')).toBe('1');
    await a.getByRole('button', { name: 'Colour: Red' }).click();
    await a.getByRole('button', { name: 'Stroke width: Bold' }).click();
    await vi.waitFor(async () => {
      expect(await elements(b)).toEqual([
        expect.objectContaining({ type: 'rect', colour: '#e03131', strokeWidth: 8 }),
      ]);
    }, SYNC);
    // the toolbar shows the selection's style
    expect(await pressed(a, 'Colour: Red')).toBe('true');
    expect(await pressed(a, 'Stroke width: Bold')).toBe('true');
    await click(a, 900, 600); // empty space: deselect
    const rect = (await elements(a))[0]!;

    // Copy and paste (system clipboard), then duplicate with Ctrl+D and with Alt-drag.
    await click(a, 300, 275);
    await a.keyboard.press('Control+c');
    const pastePoint = await at(a, 700, 500);
    await a.mouse.move(pastePoint.x, pastePoint.y);
    await a.keyboard.press('Control+v');
    await vi.waitFor(async () => expect(await count(b)).toBe(2), SYNC);
    const pasted = (await elements(a)).find((e) => e.id !== rect.id)!;
    expect(pasted).toMatchObject({ type: 'rect', colour: '#e03131', strokeWidth: 8 });
    expect(Math.round(pasted.x + 100)).toBe(700); // centred under the pointer
    await a.keyboard.press('Control+d');
    await vi.waitFor(async () => expect(await count(b)).toBe(3), SYNC);
    await click(a, 900, 600);
    await drag(a, [300, 275], [300, 600], true);
    await vi.waitFor(async () => expect(await count(b)).toBe(4), SYNC);
    expect((await elements(a)).find((e) => e.id === rect.id)!.y).toBe(rect.y); // original stayed

    // Bob pastes what Alice copied into his own board: the clipboard is the system's.
    // (Bob's copy of the first rectangle arrives from Alice, his paste is his own element.)
    const bobPaste = await at(b, 1000, 200);
    await b.mouse.move(bobPaste.x, bobPaste.y);
    await b.keyboard.press('Control+v');
    await vi.waitFor(async () => expect(await count(a)).toBe(5), SYNC);
    // plain text pastes as a text element
    await b.evaluate(() => navigator.clipboard.writeText('Hello from the clipboard'));
    await b.keyboard.press('Control+v');
    await vi.waitFor(async () => {
      expect((await elements(a)).some((e) => e.type === 'text')).toBe(true);
    }, SYNC);

    // Z-order: the original rectangle goes to the front (Ctrl+Shift+]) then to the back.
    await click(a, 900, 600);
    await click(a, 300, 275);
    await a.keyboard.press('Control+Shift+BracketRight');
    await vi.waitFor(async () => expect((await elements(b)).at(-1)!.id).toBe(rect.id), SYNC);
    await a.keyboard.press('Control+Shift+BracketLeft');
    await vi.waitFor(async () => expect((await elements(b))[0]!.id).toBe(rect.id), SYNC);

    // Lock through the context menu: the menu opens on right-click with the actions.
    await click(a, 300, 275, 'right');
    const menu = a.getByRole('menu', { name: 'Board actions' });
    await menu.waitFor();
    await screenshot(a, 'board-more-context-menu');
    await menu.getByRole('menuitem', { name: /^Lock/ }).click();
    await vi.waitFor(async () => {
      expect((await elements(b)).find((e) => e.id === rect.id)?.locked).toBe(true);
    }, SYNC);
    // a locked shape does not move, and Delete leaves it
    await drag(a, [300, 275], [420, 500]);
    await a.keyboard.press('Delete');
    await a.waitForTimeout(300);
    expect((await elements(a)).find((e) => e.id === rect.id)).toMatchObject({
      x: rect.x,
      y: rect.y,
      locked: true,
    });
    // Shift+F10 opens the same menu from the keyboard; it now offers Unlock
    await a.keyboard.press('Shift+F10');
    await a.getByRole('menuitem', { name: /^Unlock/ }).click();
    await vi.waitFor(async () => {
      expect((await elements(b)).find((e) => e.id === rect.id)?.locked).toBeUndefined();
    }, SYNC);

    // Alice clears the board: Bob is told who did it, and that the Undo is theirs.
    await a.getByRole('button', { name: 'Clear board' }).click();
    await a.getByRole('button', { name: 'Clear board', exact: true }).last().click();
    await vi.waitFor(async () => expect(await count(b)).toBe(0), SYNC);
    const notice = b.locator('.board-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Alice cleared the board');
    await screenshot(b, 'board-more-clear-notice');

    // Exporting the empty board is disabled, and its tooltip says why.
    const exportPng = b.getByRole('button', { name: 'Export PNG' });
    expect(await exportPng.isDisabled()).toBe(true);
    expect(await exportPng.getAttribute('title')).toMatch(/^The board is empty/);
  });

  test('help shows every shortcut at once, on a phone too; a phone gets a style popover', async () => {
    const { page: d } = await openInNewContext(session.browser, session.app.origin, {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
    });
    await createRoom(d, 'Carol');
    await visibleInPage(d, BOARD_CANVAS);
    await d.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    const list = d.locator('.shortcut-list');
    await list.waitFor();
    // nothing hidden below a scroll area
    const sizes = await list.evaluate((el) => [el.scrollHeight, el.clientHeight]);
    expect(sizes[0]).toBeLessThanOrEqual(sizes[1]! + 1);
    const last = d.locator('.shortcut-row').last();
    expect(await last.isVisible()).toBe(true);
    const box = (await last.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(DESKTOP.height);
    await screenshot(d, 'board-more-help-desktop');
    await d.keyboard.press('Escape');

    // desktop "Fill and opacity": on a board narrow enough to wrap the actions row under the
    // tools (1024) and at 1280, the open popover lies over no tool and not the actions row
    await d.getByRole('button', { name: 'Fill and opacity' }).click();
    for (const [width, height, colorScheme] of [
      [1024, 768, 'light'],
      [1280, 800, 'light'],
      [1024, 768, 'dark'],
    ] as const) {
      await d.setViewportSize({ width, height });
      await d.emulateMedia({ colorScheme });
      await d.locator('#board-style-more').waitFor();
      expect(await coveredByStyle(d, '#board-style-more'), `${width}`).toEqual([]);
      await screenshot(d, `board-more-fill-${width}-${colorScheme}`);
    }
    await d.keyboard.press('Escape');
    await d.setViewportSize(DESKTOP);
    await d.emulateMedia({ colorScheme: 'light' });

    const { page: p } = await openInNewContext(session.browser, d.url(), {
      contexts: session.contexts,
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'light',
    });
    await joinRoom(p, 'Dan');
    await visibleInPage(p, BOARD_CANVAS);
    // no colour swatches in the toolbar itself: they are behind the Style button
    expect(await p.locator('.board-toolbar > .board-group .board-swatch').count()).toBe(0);
    // every tool is on screen (the toolbar wraps rather than scrolling sideways)
    for (const name of ['Select', 'Diamond', 'Eraser', 'Colour and style']) {
      const tool = (await p.getByRole('button', { name, exact: true }).boundingBox())!;
      expect(tool.x + tool.width, name).toBeLessThanOrEqual(PHONE.width);
    }
    await p.getByRole('button', { name: 'Colour and style' }).click();
    const red = p.getByRole('button', { name: 'Colour: Red' });
    await red.waitFor();
    // the open popover covers neither toolbar row: every tool and board action stays in view
    expect(await coveredByStyle(p)).toEqual([]);
    const redBox = (await red.boundingBox())!;
    expect(redBox.x + redBox.width).toBeLessThanOrEqual(PHONE.width);
    await red.click();
    expect(await red.getAttribute('aria-pressed')).toBe('true');
    await screenshot(p, 'board-more-phone-style');
    await p.keyboard.press('Escape');
    await p.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await p.locator('.shortcut-list').waitFor();
    await phoneHelpFits(p, PHONE);
    await screenshot(p, 'board-more-help-phone');
    await p.keyboard.press('Escape');

    // the phone the issue was filed with, in the dark theme as well (the same page: the theme
    // follows the system's, as the desktop's did above)
    const phone390 = { width: 390, height: 844 };
    const { page: q } = await openInNewContext(session.browser, d.url(), {
      contexts: session.contexts,
      viewport: phone390,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'light',
    });
    await joinRoom(q, 'Eve');
    await visibleInPage(q, BOARD_CANVAS);
    for (const colorScheme of ['light', 'dark'] as const) {
      await q.emulateMedia({ colorScheme });
      await expect.poll(() => q.locator('html').getAttribute('data-theme')).toBe(colorScheme);
      await q.getByRole('button', { name: 'Keyboard shortcuts' }).click();
      await q.locator('.shortcut-list').waitFor();
      await phoneHelpFits(q, phone390);
      await screenshot(q, `board-more-help-phone-390-${colorScheme}`);
      await q.keyboard.press('Escape');
      await q.getByRole('button', { name: 'Colour and style' }).click();
      await q.getByRole('button', { name: 'Colour: Red' }).waitFor();
      expect(await coveredByStyle(q)).toEqual([]);
      await screenshot(q, `board-more-phone-style-${colorScheme}`);
      await q.keyboard.press('Escape');
      await q.getByRole('button', { name: 'Colour: Red' }).waitFor({ state: 'hidden' });
    }
  }, 300_000);

  test('colours: the newcomer gives way, a reload keeps yours, a second tab shares it', async () => {
    type Hook = { __peerboard?: { session?: { doc: { awareness: AwarenessLike } } } };
    interface AwarenessLike {
      clientID: number;
      getStates(): Map<number, { name?: string; colour?: string }>;
    }
    /** [own colour, the others' names and colours] as this page's awareness has them */
    const presence = (page: Page) =>
      page.evaluate(() => {
        const aw = (globalThis as Hook).__peerboard?.session?.doc.awareness;
        if (!aw) return null;
        const all = [...aw.getStates()].map(([id, s]) => ({ id, name: s.name, colour: s.colour }));
        return {
          colour: all.find((s) => s.id === aw.clientID)?.colour,
          others: all.filter((s) => s.id !== aw.clientID),
        };
      });
    const { context: aliceCtx, page: a } = await openInNewContext(
      session.browser,
      session.app.origin + '/?debug',
      { contexts: session.contexts, viewport: DESKTOP, colorScheme: 'light' },
    );
    const link = withDebug(await createRoom(a, 'Alice'));
    await visibleInPage(a, BOARD_CANVAS);
    const aliceColour = (await presence(a))!.colour!;
    // Bob's browser prefers the very colour Alice has
    const { page: b } = await openInNewContext(session.browser, link, {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
      prepare: (ctx) =>
        ctx.addInitScript((c) => localStorage.setItem('peerboard.colour', c), aliceColour),
    });
    await joinRoom(b, 'Bob');
    await vi.waitFor(async () => {
      const seen = await presence(b);
      expect(seen?.others.map((o) => o.colour)).toEqual([aliceColour]);
      expect(seen?.colour).not.toBe(aliceColour);
    }, SYNC);
    const bobColour = (await presence(b))!.colour;
    await vi.waitFor(async () => {
      expect((await presence(a))?.others.map((o) => o.colour)).toEqual([bobColour]);
    }, SYNC);
    expect((await presence(a))!.colour).toBe(aliceColour); // the one already there kept hers

    // Alice reloads: same colour
    await a.goto(link); // a reload (the link keeps ?debug for the test hook)
    await visibleInPage(a, BOARD_CANVAS);
    await vi.waitFor(async () => expect((await presence(a))?.colour).toBe(aliceColour), SYNC);

    // a second tab of Alice's: her colour (one person, one colour), "Alice · tab 2" for Bob
    const a2 = await aliceCtx.newPage();
    await a2.goto(link);
    await visibleInPage(a2, BOARD_CANVAS);
    await vi.waitFor(async () => {
      const others = (await presence(b))?.others ?? [];
      expect(others.map((o) => o.name).sort()).toEqual(['Alice', 'Alice · tab 2']);
      expect(others.map((o) => o.colour)).toEqual([aliceColour, aliceColour]);
      expect((await presence(a2))?.colour).toBe(aliceColour);
    }, SYNC);
    expect(bobColour).not.toBe(aliceColour);
    // one colour per person on Bob's screen: her cursor, her People row, her header avatar
    const box = (await a.locator('[data-board-layer="elements"]').boundingBox())!;
    await a.mouse.move(box.x + 200, box.y + 200);
    await a.mouse.move(box.x + 240, box.y + 230, { steps: 4 });
    const colourOf = (selector: string) =>
      b.evaluate(
        (sel) => document.querySelector<HTMLElement>(sel)?.style.getPropertyValue('--peer-color'),
        selector,
      );
    await vi.waitFor(async () => {
      expect(await colourOf('.board-cursor[data-peer-name="Alice"]')).toBe(aliceColour);
      expect(await colourOf('#panel-people li.peer:not(.peer-self) .avatar')).toBe(aliceColour);
      expect(await colourOf('.avatar-peer .avatar')).toBe(aliceColour);
      // and Bob's own row and avatar show the colour his cursor has at Alice's
      expect(await colourOf('#panel-people li.peer-self .avatar')).toBe(bobColour);
      expect(await colourOf('.self-btn .avatar')).toBe(bobColour);
    }, SYNC);
    // the People list shows her once, with her tab count (board-presence.test.ts goes further)
    await vi.waitFor(async () => {
      const listed = await b.locator('#panel-people li.peer .peer-name').allTextContents();
      expect(listed.map((t) => t.trim())).toContain('Alice · 2 tabs');
    }, SYNC);
    await screenshot(b, 'board-more-two-tabs');
  }, 300_000);
});

/** the tools and board actions the open style popover lies over (their labels) */
function coveredByStyle(page: Page, popover = '#board-style-all'): Promise<string[]> {
  return page.evaluate((popover) => {
    const pop = document.querySelector(popover)!.getBoundingClientRect();
    const under = [
      ...document.querySelectorAll('button[data-tool], .board-style-btn, .board-actions'),
    ];
    return under
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.left < pop.right && pop.left < r.right && r.top < pop.bottom && pop.top < r.bottom;
      })
      .map((el) => el.getAttribute('aria-label') ?? el.className);
  }, popover);
}
