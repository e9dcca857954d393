/** Reading the board canvas and pasting generated pictures: shared by the image E2E files. */
import type { Page } from 'playwright-core';

/**
 * Run in the page (Playwright's or Puppeteer's `evaluate`): opaque pixels of `hex` (#rrggbb),
 * each channel within `tolerance`, in the board canvas. Self-contained, so either driver can send it.
 */
export function inkInPage([hex, tolerance]: readonly [string, number]): number {
  const canvas = document.querySelector<HTMLCanvasElement>('[data-board-layer="elements"]')!;
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < data.length; i += 4)
    if (data[i + 3]! > 200 && rgb.every((c, k) => Math.abs(data[i + k]! - c) < tolerance)) n++;
  return n;
}

/** Non-transparent pixels of `colour` in the board canvas. */
export const pixelsOf = (page: Page, colour: string): Promise<number> =>
  page.evaluate(inkInPage, [colour, 24] as const);

/** A PNG made in the page (yellow frame, `colour` inside), pasted as a user's paste event carries it. */
export const pasteImage = (page: Page, colour: string, w = 240, h = 160): Promise<void> =>
  page.evaluate(
    async ({ fill, w, h }) => {
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = '#ffd43b';
      ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = fill;
      ctx.fillRect(w / 10, h / 10, (w * 4) / 5, (h * 4) / 5);
      const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), 'image/png'));
      const dt = new DataTransfer();
      dt.items.add(new File([blob], 'picture.png', { type: 'image/png' }));
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
    },
    { fill: colour, w, h },
  );

/**
 * Horizontal bands of `colour` inside a screen rectangle of the board canvas (CSS px): a drawn
 * icon is one band, each line of text another; a band's height tells the text's rendered size.
 */
export const bandsOf = (
  page: Page,
  colour: string,
  rect: { x: number; y: number; w: number; h: number },
): Promise<{ top: number; height: number }[]> =>
  page.evaluate(
    ({ hex, rect }) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-board-layer="elements"]')!;
      const box = canvas.getBoundingClientRect();
      const k = canvas.width / box.width;
      const [x, y] = [Math.round((rect.x - box.left) * k), Math.round((rect.y - box.top) * k)];
      const [w, h] = [Math.round(rect.w * k), Math.round(rect.h * k)];
      const { data } = canvas.getContext('2d')!.getImageData(x, y, w, h);
      const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const inked = (row: number) => {
        for (let i = row * w * 4; i < (row + 1) * w * 4; i += 4)
          if (data[i + 3]! > 200 && rgb.every((c, j) => Math.abs(data[i + j]! - c) < 24))
            return true;
        return false;
      };
      const bands: { top: number; height: number }[] = [];
      let start = -1;
      for (let row = 0; row <= h; row++) {
        const on = row < h && inked(row);
        if (on && start < 0) start = row;
        if (!on && start >= 0) {
          bands.push({ top: start / k, height: (row - start) / k });
          start = -1;
        }
      }
      return bands;
    },
    { hex: colour, rect },
  );
