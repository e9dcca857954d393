/**
 * The edits the tools compute in world coordinates: the move and resize patches the select tool
 * writes (with its eight handles) and the Shift constraints while drawing. Pure, unit-tested in
 * Node.
 */
import { assertNever } from '@peerboard/protocol';
import type { BoardElement } from '@peerboard/core/collab';
import type { ElementPatch } from '@peerboard/core/collab';
import type { Point, Rect } from './geometry';

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
    case 'ellipse':
    case 'diamond': {
      const a = scaleX(el.x, s);
      const b = scaleX(el.x + el.w, s);
      const c = scaleY(el.y, s);
      const d = scaleY(el.y + el.h, s);
      return { x: Math.min(a, b), y: Math.min(c, d), w: Math.abs(b - a), h: Math.abs(d - c) };
    }
    case 'image': {
      // An image keeps its aspect ratio, like text (a stretched photo is never what was meant).
      const fx = Math.abs(s.sx);
      const fy = Math.abs(s.sy);
      const f = s.sx === 1 ? fy : s.sy === 1 ? fx : Math.max(fx, fy);
      const factor = f > 0 ? f : 1;
      const w = el.w * factor;
      const h = el.h * factor;
      const x = scaleX(el.x, s);
      const y = scaleY(el.y, s);
      return { x: s.sx < 0 ? x - w : x, y: s.sy < 0 ? y - h : y, w, h };
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
