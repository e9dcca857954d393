/**
 * Following someone from the People list and from the header avatars, through the UI of the
 * built client with two Chromium contexts (Alice, Bob): a click (or Enter on the focused avatar)
 * follows Alice's view like her avatar on the board does, says so ("Following Alice — Esc to
 * stop", a "Following" pill, the pressed state), and a second click or Escape stops it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPair, screenshot, useBrowserSession } from './harness';

const SYNC = { timeout: 45_000, interval: 100 };

interface View {
  x: number;
  y: number;
  zoom: number;
}
type Hook = { __peerboard?: { board?: { viewport(): View | undefined } } };
const viewport = (page: Page): Promise<View | undefined> =>
  page.evaluate(() => (globalThis as Hook).__peerboard?.board?.viewport());

/** Alice zooms in around a point of her own: her zoom is then one no one else has by chance */
async function aliceZooms(a: Page): Promise<number> {
  const box = (await a.locator('[data-board-layer="elements"]').boundingBox())!;
  await a.mouse.move(box.x + 300, box.y + 200);
  await a.mouse.wheel(250, 120);
  await a.getByRole('button', { name: 'Zoom in' }).click();
  return (await viewport(a))!.zoom;
}

describe('board: follow from the People list and the header', () => {
  const session = useBrowserSession();

  test('Bob follows Alice from her People row and from her header avatar; click and Esc stop', async () => {
    const {
      alice: { page: a },
      bob: { page: b },
    } = await openPair(session, { debug: true, board: true });

    const row = b.locator('#panel-people li.peer:not(.peer-self)');
    const rowButton = row.locator('button.peer-follow');
    const banner = b.locator('.board-follow');
    // the button appears once Alice's board shares her view
    await expect.poll(() => rowButton.count(), SYNC).toBe(1);
    expect(await rowButton.getAttribute('aria-label')).toBe('Follow Alice’s view on the board');

    // a click anywhere on her row (not only on the avatar) follows her
    await row.click();
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Following Alice — Esc to stop');
    expect(await rowButton.getAttribute('aria-pressed')).toBe('true');
    expect(await row.locator('.peer-following').textContent()).toBe('Following');
    const zoom = await aliceZooms(a);
    expect(zoom).toBeGreaterThan(1);
    await expect.poll(async () => (await viewport(b))?.zoom, SYNC).toBe(zoom);
    await screenshot(b, 'board-people-following-from-list');

    // the same click again stops it
    await rowButton.click();
    await banner.waitFor({ state: 'hidden' });
    expect(await rowButton.getAttribute('aria-pressed')).toBe('false');
    expect(await row.locator('.peer-following').count()).toBe(0);

    // keyboard: Enter on the focused avatar follows, Escape stops
    await rowButton.focus();
    await b.keyboard.press('Enter');
    await banner.waitFor();
    await b.keyboard.press('Escape');
    await banner.waitFor({ state: 'hidden' });

    // her avatar in the header: the same, and it shows it is pressed
    const headerAvatar = b.locator('.header-people button.avatar-peer');
    expect(await headerAvatar.count()).toBe(1);
    expect(await headerAvatar.isEnabled()).toBe(true);
    await headerAvatar.click();
    await banner.waitFor();
    expect(await headerAvatar.getAttribute('aria-pressed')).toBe('true');
    expect(await rowButton.getAttribute('aria-pressed')).toBe('true');
    const zoom2 = await aliceZooms(a);
    await expect.poll(async () => (await viewport(b))?.zoom, SYNC).toBe(zoom2);
    await screenshot(b, 'board-people-following-from-header');
    await headerAvatar.click();
    await banner.waitFor({ state: 'hidden' });
    expect(await headerAvatar.getAttribute('aria-pressed')).toBe('false');
  }, 120_000);
});
