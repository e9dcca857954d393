/**
 * Painting one element on a 2D context: shared by the live renderer and the PNG export.
 * Paths come from shapes.ts (cached by the caller as Path2D); colours go through the theme
 * so black ink stays readable on the dark board.
 */
import { FILL_SEMI_ALPHA, type BoardElement, type ShapeElement } from '@peerboard/core/collab';
import { labelLayout } from './labels';
import { TEXT_LINE_HEIGHT, textFont, textLines, traceElement, type PaintKind } from './shapes';
import { paintImage, type ImageLookup } from './imagePaint';

export type BoardTheme = 'light' | 'dark';

/** The palette's ink: stored as near-black, shown near-white on the dark theme. */
export const INK = '#1e1e1e';
const DARK_INK = '#e9ebf1';

export const displayColour = (colour: string, theme: BoardTheme): string =>
  theme === 'dark' && colour === INK ? DARK_INK : colour;

export interface CachedPath {
  path: Path2D;
  paint: PaintKind;
}

export function buildPath(el: BoardElement): CachedPath | null {
  const path = new Path2D();
  const paint = traceElement(path, el);
  return paint === null ? null : { path, paint };
}

/** The fill of a shape, or null; shared with the SVG export. */
export function fillOf(el: BoardElement): { colour: string; alpha: number } | null {
  if (el.type !== 'rect' && el.type !== 'ellipse' && el.type !== 'diamond') return null;
  if (el.fill === null) return null;
  return { colour: el.fill, alpha: el.fillStyle === 'semi' ? FILL_SEMI_ALPHA : 1 };
}

export function paintElement(
  ctx: CanvasRenderingContext2D,
  el: BoardElement,
  cached: CachedPath | null,
  theme: BoardTheme,
  images?: ImageLookup,
): void {
  const opacity = el.opacity ?? 1;
  if (opacity === 1) return paintOpaque(ctx, el, cached, theme, images);
  const before = ctx.globalAlpha;
  ctx.globalAlpha = before * opacity;
  paintOpaque(ctx, el, cached, theme, images);
  ctx.globalAlpha = before;
}

function paintOpaque(
  ctx: CanvasRenderingContext2D,
  el: BoardElement,
  cached: CachedPath | null,
  theme: BoardTheme,
  images?: ImageLookup,
): void {
  if (el.type === 'image') return paintImage(ctx, el, images, theme);
  const colour = displayColour(el.colour, theme);
  if (el.type === 'text') {
    ctx.font = textFont(el.fontSize);
    ctx.fillStyle = colour;
    ctx.textBaseline = 'top';
    const lh = el.fontSize * TEXT_LINE_HEIGHT;
    // half the leading above the first line, as in the inline editor (CSS line-height)
    const top = el.y + (lh - el.fontSize) / 2;
    textLines(el.text).forEach((line, i) => ctx.fillText(line, el.x, top + i * lh));
    return;
  }
  if (!cached) return;
  const fill = fillOf(el);
  if (fill) {
    const before = ctx.globalAlpha;
    ctx.globalAlpha = before * fill.alpha;
    ctx.fillStyle = displayColour(fill.colour, theme);
    ctx.fill(cached.path);
    ctx.globalAlpha = before;
  }
  if (cached.paint === 'fill') {
    ctx.fillStyle = colour;
    ctx.fill(cached.path);
  } else {
    ctx.strokeStyle = colour;
    ctx.lineWidth = el.strokeWidth;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.stroke(cached.path);
  }
  if ((el.type === 'rect' || el.type === 'ellipse' || el.type === 'diamond') && el.label)
    paintLabel(ctx, el, colour);
}

function paintLabel(ctx: CanvasRenderingContext2D, el: ShapeElement, colour: string): void {
  const layout = labelLayout(el);
  if (!layout) return;
  ctx.font = textFont(layout.fontSize);
  ctx.fillStyle = colour;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  const lead = (layout.lineHeight - layout.fontSize) / 2;
  layout.lines.forEach((line, i) =>
    ctx.fillText(line, layout.cx, layout.top + lead + i * layout.lineHeight),
  );
  ctx.textAlign = 'start';
}
