/**
 * Pure board geometry in world coordinates: points, boxes and element bounds (for culling, the
 * spatial index and selection boxes). Hit tests live in hitTest.ts, the move/resize patches in
 * transform.ts. No DOM, so it is unit-tested in Node.
 */
import { assertNever } from '@peerboard/protocol';
import {
  inkReach,
  strokePointsBox,
  type BoardElement,
  type StrokeElement,
} from '@peerboard/core/collab';

export interface Point {
  x: number;
  y: number;
}

/** Axis-aligned box; min <= max on both axes. */
export interface Rect {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export const rectFromCorners = (a: Point, b: Point): Rect => ({
  minX: Math.min(a.x, b.x),
  minY: Math.min(a.y, b.y),
  maxX: Math.max(a.x, b.x),
  maxY: Math.max(a.y, b.y),
});

export const rectsIntersect = (a: Rect, b: Rect): boolean =>
  a.minX <= b.maxX && a.maxX >= b.minX && a.minY <= b.maxY && a.maxY >= b.minY;

export const rectContains = (outer: Rect, inner: Rect): boolean =>
  inner.minX >= outer.minX &&
  inner.maxX <= outer.maxX &&
  inner.minY >= outer.minY &&
  inner.maxY <= outer.maxY;

export const rectContainsPoint = (r: Rect, p: Point): boolean =>
  p.x >= r.minX && p.x <= r.maxX && p.y >= r.minY && p.y <= r.maxY;

export const expandRect = (r: Rect, by: number): Rect => ({
  minX: r.minX - by,
  minY: r.minY - by,
  maxX: r.maxX + by,
  maxY: r.maxY + by,
});

/** Smallest box around all of `rects`; null for none. */
export function unionRects(rects: Iterable<Rect>): Rect | null {
  let out: Rect | null = null;
  for (const r of rects) {
    if (!out) out = { ...r };
    else {
      if (r.minX < out.minX) out.minX = r.minX;
      if (r.minY < out.minY) out.minY = r.minY;
      if (r.maxX > out.maxX) out.maxX = r.maxX;
      if (r.maxY > out.maxY) out.maxY = r.maxY;
    }
  }
  return out;
}

// the ink's measures live with the engine, whose first-screen pick and near-view reading use them
export { arrowHeadLength, penSize } from '@peerboard/core/collab';

/** The stroke's points' extent in world coordinates (measured from `pts` while undecoded). */
function strokePointsBounds(el: StrokeElement): Rect {
  const b = strokePointsBox(el);
  return { minX: el.x + b.minX, minY: el.y + b.minY, maxX: el.x + b.maxX, maxY: el.y + b.maxY };
}

/** A diamond's corners (top, right, bottom, left): the midpoints of its box's sides. */
export function diamondCorners(el: {
  x: number;
  y: number;
  w: number;
  h: number;
}): [Point, Point, Point, Point] {
  const cx = el.x + el.w / 2;
  const cy = el.y + el.h / 2;
  return [
    { x: cx, y: el.y },
    { x: el.x + el.w, y: cy },
    { x: cx, y: el.y + el.h },
    { x: el.x, y: cy },
  ];
}

/** Box that contains everything drawn for the element (ink included). */
export function elementBounds(el: BoardElement): Rect {
  const reach =
    el.type === 'stroke'
      ? inkReach(el.type, el.strokeWidth)
      : inkReach(el.type, el.strokeWidth, el.w, el.h);
  return expandRect(elementFrame(el), reach);
}

/** The box a user thinks of as the element (no ink padding): selection frames and resizing. */
export function elementFrame(el: BoardElement): Rect {
  switch (el.type) {
    case 'stroke':
      return strokePointsBounds(el);
    case 'line':
    case 'arrow':
      return rectFromCorners({ x: el.x, y: el.y }, { x: el.x + el.w, y: el.y + el.h });
    case 'rect':
    case 'ellipse':
    case 'diamond':
    case 'text':
    case 'image':
      return { minX: el.x, minY: el.y, maxX: el.x + el.w, maxY: el.y + el.h };
    default:
      return assertNever(el);
  }
}
