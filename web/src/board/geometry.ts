/**
 * Pure board geometry in world coordinates: element bounds (for culling, the spatial index and
 * selection boxes), hit tests (select, eraser), and the move/resize patches the select tool
 * writes. No DOM, so it is unit-tested in Node.
 */
import { assertNever } from '@peerboard/protocol';
import type { BoardElement, StrokeElement } from '@peerboard/core/collab';
import type { ElementPatch } from '@peerboard/core/collab';

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

/** perfect-freehand's `size` (diameter) for a stroke of this width; shared with shapes.ts. */
export const penSize = (strokeWidth: number): number => strokeWidth * 2;

/** Arrowhead leg length for a line of this width and length. */
export const arrowHeadLength = (strokeWidth: number, length: number): number =>
  Math.min(Math.max(10, strokeWidth * 4), length * 0.6);

function strokePointsBounds(el: StrokeElement): Rect {
  const p = el.points;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < p.length; i += 3) {
    const x = p[i]!;
    const y = p[i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX: el.x + minX, minY: el.y + minY, maxX: el.x + maxX, maxY: el.y + maxY };
}

/** Box that contains everything drawn for the element (ink included). */
export function elementBounds(el: BoardElement): Rect {
  switch (el.type) {
    case 'stroke':
      return expandRect(strokePointsBounds(el), penSize(el.strokeWidth) / 2 + 1);
    case 'line':
    case 'arrow': {
      const box = rectFromCorners({ x: el.x, y: el.y }, { x: el.x + el.w, y: el.y + el.h });
      const head =
        el.type === 'arrow' ? arrowHeadLength(el.strokeWidth, Math.hypot(el.w, el.h)) : 0;
      return expandRect(box, el.strokeWidth / 2 + head + 1);
    }
    case 'rect':
    case 'ellipse':
      return expandRect(
        { minX: el.x, minY: el.y, maxX: el.x + el.w, maxY: el.y + el.h },
        el.strokeWidth / 2 + 1,
      );
    case 'text':
      return { minX: el.x, minY: el.y, maxX: el.x + el.w, maxY: el.y + el.h };
    default:
      return assertNever(el);
  }
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
    case 'text':
      return { minX: el.x, minY: el.y, maxX: el.x + el.w, maxY: el.y + el.h };
    default:
      return assertNever(el);
  }
}

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
    case 'text':
      return rectContainsPoint(expandRect(elementFrame(el), tolerance), p);
    default:
      return assertNever(el);
  }
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

export function translatePatch(el: BoardElement, dx: number, dy: number): ElementPatch {
  return { x: el.x + dx, y: el.y + dy };
}

/** The eight resize handles of a selection frame, clockwise from the top-left corner. */
export const HANDLES = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'] as const;
export type Handle = (typeof HANDLES)[number];

export function handlePoint(r: Rect, h: Handle): Point {
  const cx = (r.minX + r.maxX) / 2;
  const cy = (r.minY + r.maxY) / 2;
  const x = h.includes('w') ? r.minX : h.includes('e') ? r.maxX : cx;
  const y = h.startsWith('n') ? r.minY : h.startsWith('s') ? r.maxY : cy;
  return { x, y };
}

/** The handle under `p`, if any (`tolerance` in world units). */
export function handleAt(r: Rect, p: Point, tolerance: number): Handle | null {
  for (const h of HANDLES) {
    const hp = handlePoint(r, h);
    if (Math.abs(hp.x - p.x) <= tolerance && Math.abs(hp.y - p.y) <= tolerance) return h;
  }
  return null;
}

/** The fixed point while dragging handle `h`: the opposite corner or edge. */
export const handleAnchor = (r: Rect, h: Handle): Point => {
  const opposite: Record<Handle, Handle> = {
    nw: 'se',
    n: 's',
    ne: 'sw',
    e: 'w',
    se: 'nw',
    s: 'n',
    sw: 'ne',
    w: 'e',
  };
  return handlePoint(r, opposite[h]);
};

export interface Scale {
  anchor: Point;
  sx: number;
  sy: number;
}

/**
 * Scale factors for dragging handle `h` of frame `r` to `p`. Edge handles scale one axis;
 * `keepAspect` (Shift) scales both by the larger factor. Degenerate frames keep their size on
 * the zero axis instead of dividing by zero.
 */
export function resizeScale(r: Rect, h: Handle, p: Point, keepAspect: boolean): Scale {
  const anchor = handleAnchor(r, h);
  const hp = handlePoint(r, h);
  const spanX = hp.x - anchor.x;
  const spanY = hp.y - anchor.y;
  let sx = h === 'n' || h === 's' || Math.abs(spanX) < 1e-6 ? 1 : (p.x - anchor.x) / spanX;
  let sy = h === 'e' || h === 'w' || Math.abs(spanY) < 1e-6 ? 1 : (p.y - anchor.y) / spanY;
  if (keepAspect) {
    const m =
      h === 'n' || h === 's'
        ? sy
        : h === 'e' || h === 'w'
          ? sx
          : Math.max(Math.abs(sx), Math.abs(sy));
    sx = Math.sign(sx || 1) * Math.abs(m);
    sy = Math.sign(sy || 1) * Math.abs(m);
  }
  return { anchor, sx, sy };
}

const scaleX = (x: number, s: Scale): number => s.anchor.x + (x - s.anchor.x) * s.sx;
const scaleY = (y: number, s: Scale): number => s.anchor.y + (y - s.anchor.y) * s.sy;

/** The patch that scales `el` (as it was when the drag started) by `s`. */
export function scalePatch(el: BoardElement, s: Scale): ElementPatch {
  switch (el.type) {
    case 'stroke': {
      const x = scaleX(el.x, s);
      const y = scaleY(el.y, s);
      const points = el.points.slice();
      for (let i = 0; i < points.length; i += 3) {
        points[i] = points[i]! * s.sx;
        points[i + 1] = points[i + 1]! * s.sy;
      }
      return { x, y, points };
    }
    case 'line':
    case 'arrow':
      return { x: scaleX(el.x, s), y: scaleY(el.y, s), w: el.w * s.sx, h: el.h * s.sy };
    case 'rect':
    case 'ellipse': {
      const a = scaleX(el.x, s);
      const b = scaleX(el.x + el.w, s);
      const c = scaleY(el.y, s);
      const d = scaleY(el.y + el.h, s);
      return { x: Math.min(a, b), y: Math.min(c, d), w: Math.abs(b - a), h: Math.abs(d - c) };
    }
    case 'text': {
      // Text keeps its proportions: the font follows the axis being dragged (the larger change
      // of the two at a corner), and the box grows from the anchored side.
      const fx = Math.abs(s.sx);
      const fy = Math.abs(s.sy);
      const f = s.sx === 1 ? fy : s.sy === 1 ? fx : Math.max(fx, fy);
      const factor = f > 0 ? f : 1;
      const w = el.w * factor;
      const h = el.h * factor;
      const x = scaleX(el.x, s);
      const y = scaleY(el.y, s);
      return {
        x: s.sx < 0 ? x - w : x,
        y: s.sy < 0 ? y - h : y,
        w,
        h,
        fontSize: el.fontSize * factor,
      };
    }
    default:
      return assertNever(el);
  }
}

/** Snap the vector a->b to the nearest multiple of 15 degrees (Shift while drawing lines). */
export function snapAngle(a: Point, b: Point): Point {
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  const step = Math.PI / 12;
  const angle = Math.round(Math.atan2(b.y - a.y, b.x - a.x) / step) * step;
  return { x: a.x + Math.cos(angle) * len, y: a.y + Math.sin(angle) * len };
}

/** Make a->b a square's diagonal (Shift while drawing rectangles and ellipses). */
export function squareCorner(a: Point, b: Point): Point {
  const side = Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y));
  return { x: a.x + Math.sign(b.x - a.x || 1) * side, y: a.y + Math.sign(b.y - a.y || 1) * side };
}
