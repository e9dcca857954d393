/**
 * Images on the board through the UI of the built client, Chromium contexts in one room: Alice
 * pastes a PNG (a real paste event carrying an image file), Bob sees its pixels; after Alice has
 * left, Carol joins and gets the image from Bob alone. Dropping a large image on the board puts
 * it there scaled to 2048 px and re-encoded; dropping an SVG says plainly why it is refused.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test, vi } from 'vitest';
import {
  BOARD_CANVAS,
  DESKTOP,
  joinRoom,
  openInNewContext,
  openPair,
  screenshot,
  useBrowserSession,
  visibleInPage,
  withDebug,
} from './harness';
import { pixelsOf } from './boardPixels';

const SYNC = { timeout: 45_000, interval: 250 };
/** the test image's colour (not in the board's palette, so only the image has it) */
const IMAGE_COLOUR = '#7c3aed';

interface El {
  id: string;
  type: string;
  sha256?: string;
  mime?: string;
  naturalW?: number;
  naturalH?: number;
}

const elements = (page: Page): Promise<El[]> =>
  page.evaluate(() => {
    const hook = (globalThis as { __peerboard?: { board?: { elements(): El[] } } }).__peerboard;
    return hook?.board?.elements() ?? [];
  });

/** A generated image file inside the page, handed to the board as a user's paste or drop. */
function givePageImage(
  page: Page,
  how: 'paste' | 'drop',
  spec: { w: number; h: number; colour: string; type?: string; svg?: boolean },
): Promise<void> {
  return page.evaluate(
    async ({ how, spec }) => {
      let file: File;
      if (spec.svg) {
        const text = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>`;
        file = new File([text], 'evil.svg', { type: 'image/svg+xml' });
      } else {
        const c = document.createElement('canvas');
        c.width = spec.w;
        c.height = spec.h;
        const ctx = c.getContext('2d')!;
        // a gradient so it is a real picture, the test colour over most of it
        const g = ctx.createLinearGradient(0, 0, spec.w, spec.h);
        g.addColorStop(0, '#ffd43b');
        g.addColorStop(1, '#ff6b6b');
        ctx.fillStyle = g;
        ctx.fillRect(0, 0, spec.w, spec.h);
        ctx.fillStyle = spec.colour;
        ctx.fillRect(spec.w * 0.1, spec.h * 0.1, spec.w * 0.8, spec.h * 0.8);
        const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), 'image/png'));
        file = new File([blob], 'picture.png', { type: 'image/png' });
      }
      const dt = new DataTransfer();
      dt.items.add(file);
      if (how === 'paste') {
        window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
        return;
      }
      const canvas = document.querySelector<HTMLCanvasElement>('[data-board-layer="elements"]')!;
      const box = canvas.getBoundingClientRect();
      const at = { clientX: box.left + box.width / 2, clientY: box.top + box.height / 2 };
      const init = { dataTransfer: dt, bubbles: true, cancelable: true, ...at };
      canvas.dispatchEvent(new DragEvent('dragenter', init));
      canvas.dispatchEvent(new DragEvent('dragover', init));
      canvas.dispatchEvent(new DragEvent('drop', init));
    },
    { how, spec },
  );
}

describe('board: images', () => {
  const session = useBrowserSession();

  test('Alice pastes an image, Bob sees it, Carol gets it from Bob after Alice left', async () => {
    const light = { contexts: session.contexts, viewport: DESKTOP, colorScheme: 'light' as const };
    const {
      alice,
      bob: { page: b },
      roomLink: link,
    } = await openPair(session, { debug: true, board: true });
    const a = alice.page;

    await givePageImage(a, 'paste', { w: 480, h: 320, colour: IMAGE_COLOUR });
    await vi.waitFor(async () => {
      expect(await elements(b)).toEqual([
        expect.objectContaining({ type: 'image', mime: 'image/png', naturalW: 480, naturalH: 320 }),
      ]);
    }, SYNC);
    // the bytes came over the data channel and were verified: Bob's canvas shows the picture
    await expect.poll(() => pixelsOf(b, IMAGE_COLOUR), SYNC).toBeGreaterThan(50_000);
    expect(await pixelsOf(a, IMAGE_COLOUR)).toBeGreaterThan(50_000);
    await screenshot(a, 'images-alice-pasted');
    await screenshot(b, 'images-bob-sees');

    // Alice leaves; Carol joins late: only Bob holds the bytes now
    await alice.context.close();
    const { page: c } = await openInNewContext(session.browser, withDebug(link), light);
    await joinRoom(c, 'Carol');
    await visibleInPage(c, BOARD_CANVAS);
    await vi.waitFor(async () => {
      expect((await elements(c)).map((e) => e.type)).toEqual(['image']);
    }, SYNC);
    await expect.poll(() => pixelsOf(c, IMAGE_COLOUR), SYNC).toBeGreaterThan(50_000);
    await screenshot(c, 'images-carol-from-bob');

    // a large image dropped on the board: scaled to 2048 px on its long side, re-encoded
    await givePageImage(c, 'drop', { w: 3000, h: 1500, colour: '#0ca678' });
    await vi.waitFor(async () => {
      expect((await elements(b)).filter((e) => e.type === 'image')).toHaveLength(2);
    }, SYNC);
    const big = (await elements(b)).find((e) => e.naturalW !== 480)!;
    expect(big).toMatchObject({ naturalW: 2048, naturalH: 1024 });
    expect(['image/webp', 'image/jpeg']).toContain(big.mime);
    await expect.poll(() => pixelsOf(b, '#0ca678'), SYNC).toBeGreaterThan(1000);

    // an SVG is refused in plain words (it could carry script), and nothing is added
    await givePageImage(c, 'drop', { w: 0, h: 0, colour: '', svg: true });
    await expect
      .poll(() => c.getByText('Only PNG, JPEG, WebP and GIF images can go on the board').count())
      .toBe(1);
    await screenshot(c, 'images-svg-refused');
    expect(await elements(c)).toHaveLength(2);
  }, 180_000);
});
