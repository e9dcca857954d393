/**
 * Hit tests in world coordinates: does a click (select) or a drag segment (eraser) touch an
 * element's ink. Pure, unit-tested in Node.
 */
import { assertNever } from '@peerboard/protocol';
import type { BoardElement } from '@peerboard/core/collab';
import {
  diamondCorners,
  elementBounds,
  elementFrame,
  expandRect,
  penSize,
  rectContainsPoint,
  type Point,
  type Rect,
} from './geometry';

/** Distance of (px, py) from the segment a-b; plain numbers, so hot loops over flat point arrays
 * (hit tests, live-draft simplification) allocate nothing. */
export function distToSegment(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function distToRectEdge(p: Point, r: Rect): number {
  const inside = rectContainsPoint(r, p);
  if (inside) return Math.min(p.x - r.minX, r.maxX - p.x, p.y - r.minY, r.maxY - p.y);
  const dx = Math.max(r.minX - p.x, 0, p.x - r.maxX);
  const dy = Math.max(r.minY - p.y, 0, p.y - r.maxY);
  return Math.hypot(dx, dy);
}

/** Approximate distance to an ellipse outline (exact on the axes, close enough elsewhere). */
function distToEllipse(p: Point, cx: number, cy: number, rx: number, ry: number): number {
  const dx = p.x - cx;
  const dy = p.y - cy;
  if (rx < 1e-6 || ry < 1e-6) return distToSegment(p.x, p.y, cx - rx, cy - ry, cx + rx, cy + ry);
  const r = Math.hypot(dx / rx, dy / ry);
  if (r < 1e-9) return Math.min(rx, ry);
  return (Math.abs(r - 1) * Math.hypot(dx, dy)) / r;
}

/**
 * Does a click at `p` (world) with `tolerance` (world units) touch the element's ink?
 * Unfilled rectangles and ellipses are hit on their outline only, so a click inside an empty
 * frame reaches what is drawn inside it (or starts a marquee), as in Excalidraw.
 */
export function hitElement(el: BoardElement, p: Point, tolerance: number): boolean {
  if (!rectContainsPoint(expandRect(elementBounds(el), tolerance), p)) return false;
  switch (el.type) {
    case 'stroke': {
      const reach = tolerance + penSize(el.strokeWidth) / 2;
      const pts = el.points;
      if (pts.length === 3) return Math.hypot(p.x - el.x - pts[0]!, p.y - el.y - pts[1]!) <= reach;
      for (let i = 3; i < pts.length; i += 3) {
        const d = distToSegment(
          p.x,
          p.y,
          el.x + pts[i - 3]!,
          el.y + pts[i - 2]!,
          el.x + pts[i]!,
          el.y + pts[i + 1]!,
        );
        if (d <= reach) return true;
      }
      return false;
    }
    case 'line':
    case 'arrow':
      return (
        distToSegment(p.x, p.y, el.x, el.y, el.x + el.w, el.y + el.h) <=
        tolerance + el.strokeWidth / 2
      );
    case 'rect': {
      const r = elementFrame(el);
      if (el.fill !== null && rectContainsPoint(r, p)) return true;
      return distToRectEdge(p, r) <= tolerance + el.strokeWidth / 2;
    }
    case 'ellipse': {
      const rx = el.w / 2;
      const ry = el.h / 2;
      const cx = el.x + rx;
      const cy = el.y + ry;
      if (el.fill !== null && Math.hypot((p.x - cx) / rx, (p.y - cy) / ry) <= 1) return true;
      return distToEllipse(p, cx, cy, rx, ry) <= tolerance + el.strokeWidth / 2;
    }
    case 'diamond': {
      const [top, right, bottom, left] = diamondCorners(el);
      if (el.fill !== null && insideDiamond(p, el)) return true;
      const reach = tolerance + el.strokeWidth / 2;
      const sides: [Point, Point][] = [
        [top, right],
        [right, bottom],
        [bottom, left],
        [left, top],
      ];
      return sides.some(([a, b]) => distToSegment(p.x, p.y, a.x, a.y, b.x, b.y) <= reach);
    }
    case 'text':
    case 'image':
      return rectContainsPoint(expandRect(elementFrame(el), tolerance), p);
    default:
      return assertNever(el);
  }
}

/** Inside the diamond: |dx| / (w/2) + |dy| / (h/2) <= 1 around its centre. */
function insideDiamond(p: Point, el: { x: number; y: number; w: number; h: number }): boolean {
  const rx = el.w / 2;
  const ry = el.h / 2;
  if (rx < 1e-6 || ry < 1e-6) return false;
  return Math.abs(p.x - el.x - rx) / rx + Math.abs(p.y - el.y - ry) / ry <= 1;
}

/** Hit test along a drag segment (the eraser moves faster than pointer events arrive). */
export function hitElementAlong(el: BoardElement, a: Point, b: Point, tolerance: number): boolean {
  const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / Math.max(tolerance, 1)));
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    if (hitElement(el, { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t }, tolerance))
      return true;
  }
  return false;
}
