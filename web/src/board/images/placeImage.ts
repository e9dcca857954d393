/** Where a new image lands and how big: pure, so it is unit tested. */
import type { Point, Rect } from '../geometry';

/** share of the visible board a freshly inserted image may take at most */
export const IMAGE_VIEW_SHARE = 0.6;

/**
 * The image's box, centred on `at`: its natural size in world units (one image pixel per board
 * unit), scaled down (never up) to fit IMAGE_VIEW_SHARE of `view`, aspect ratio kept.
 */
export function placeImage(
  natural: { w: number; h: number },
  at: Point,
  view: Rect,
): { x: number; y: number; w: number; h: number } {
  const maxW = (view.maxX - view.minX) * IMAGE_VIEW_SHARE;
  const maxH = (view.maxY - view.minY) * IMAGE_VIEW_SHARE;
  const s = Math.min(1, maxW / natural.w, maxH / natural.h);
  const w = natural.w * s;
  const h = natural.h * s;
  return { x: at.x - w / 2, y: at.y - h / 2, w, h };
}
