/**
 * Painting an image element: its decoded bitmap when the bytes are here and verified, else a
 * placeholder that says what is going on (still fetching, or nobody in the room has them).
 */
import type { ImageElement } from '@peerboard/core/collab';
import type { BoardTheme } from './draw';

/** What the board knows of an image's bytes (board/images/boardImages.ts). */
export type ImageState = CanvasImageSource | 'loading' | 'missing';
export type ImageLookup = (sha256: string) => ImageState;

export const IMAGE_LOADING_TEXT = 'Loading image…';
export const IMAGE_MISSING_TEXT = 'Image unavailable — nobody in the room has it';

export function paintImage(
  ctx: CanvasRenderingContext2D,
  el: ImageElement,
  images: ImageLookup | undefined,
  theme: BoardTheme,
): void {
  const state = images ? images(el.sha256) : 'loading';
  if (typeof state !== 'string') {
    ctx.drawImage(state, el.x, el.y, el.w, el.h);
    return;
  }
  const dark = theme === 'dark';
  ctx.fillStyle = dark ? '#2b2f3a' : '#e6e8ee';
  ctx.fillRect(el.x, el.y, el.w, el.h);
  const ink = dark ? '#9aa1b2' : '#6b7280';
  // the icon: a framed landscape, sized to the box
  const s = Math.min(el.w, el.h) * 0.25;
  const cx = el.x + el.w / 2;
  const cy = el.y + el.h / 2 - s * 0.35;
  ctx.strokeStyle = ink;
  ctx.fillStyle = ink;
  ctx.lineWidth = Math.max(1, s / 14);
  ctx.strokeRect(cx - s / 2, cy - s / 2.6, s, s / 1.3);
  ctx.beginPath();
  ctx.moveTo(cx - s / 2, cy + s / 2.6);
  ctx.lineTo(cx - s / 8, cy - s / 10);
  ctx.lineTo(cx + s / 8, cy + s / 6);
  ctx.lineTo(cx + s / 4, cy + s / 20);
  ctx.lineTo(cx + s / 2, cy + s / 2.6);
  ctx.closePath();
  ctx.fill();
  const text = state === 'missing' ? IMAGE_MISSING_TEXT : IMAGE_LOADING_TEXT;
  // readable at 100 % (at least 12 px) however small the picture; a narrow one wraps its lines
  // and the box clips what still does not fit rather than spill over its neighbours
  const size = Math.max(12, Math.min(el.h * 0.1, el.w * 0.075, 28));
  ctx.font = `500 ${size}px ui-sans-serif, system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.save();
  ctx.beginPath();
  ctx.rect(el.x, el.y, el.w, el.h);
  ctx.clip();
  const lines = wrap(ctx, text, el.w * 0.9);
  lines.forEach((line, i) => ctx.fillText(line, cx, cy + s / 2.6 + size * (0.8 + i * 1.25)));
  ctx.restore();
  ctx.textAlign = 'start';
}

/** Greedy word wrap to `width`; a dash starts the next line's thought, so it ends a line. */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(next).width > width) {
      lines.push(line);
      line = word;
    } else line = next;
    if (word === '—') {
      lines.push(line);
      line = '';
    }
  }
  if (line) lines.push(line);
  return lines;
}
