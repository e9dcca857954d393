/**
 * Where an attached arrow end goes (pure, unit-tested). A binding remembers the point inside
 * the shape the end was dropped on, as fractions of the shape's box (ax, ay). The end is then
 * drawn where the line from the arrow's other end towards that point meets the shape's
 * outline, `gap` short of it: the arrow keeps pointing at the same spot of the shape whatever
 * the shape's size or position, and stops at its edge. Rectangles, diamonds and text boxes are
 * convex polygons (Cyrus-Beck clipping); ellipses are solved exactly.
 */
import type { Binding, BoardElement, ShapeElement, TextElement } from './elementTypes';

export interface Pt {
  x: number;
  y: number;
}

/** What an arrow end may attach to. */
export type BindableElement = ShapeElement | TextElement;

export const isBindable = (el: BoardElement | undefined): el is BindableElement =>
  el !== undefined &&
  (el.type === 'rect' || el.type === 'ellipse' || el.type === 'diamond' || el.type === 'text');

/** Default distance between an attached end and the outline. */
export const BINDING_GAP = 6;

export const anchorPoint = (s: BindableElement, b: Pick<Binding, 'ax' | 'ay'>): Pt => ({
  x: s.x + b.ax * s.w,
  y: s.y + b.ay * s.h,
});

/** The outline as a clockwise polygon (screen coordinates), or null for an ellipse. */
function polygonOf(s: BindableElement): Pt[] | null {
  const { x, y, w, h } = s;
  if (s.type === 'ellipse') return null;
  if (s.type === 'diamond')
    return [
      { x: x + w / 2, y },
      { x: x + w, y: y + h / 2 },
      { x: x + w / 2, y: y + h },
      { x, y: y + h / 2 },
    ];
  return [
    { x, y },
    { x: x + w, y },
    { x: x + w, y: y + h },
    { x, y: y + h },
  ];
}

/** Cyrus-Beck: the parameter where segment a->b enters the convex polygon, or null. */
function enterPolygon(poly: readonly Pt[], a: Pt, b: Pt): number | null {
  const d = { x: b.x - a.x, y: b.y - a.y };
  let tIn = 0;
  let tOut = 1;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    // outward normal of a clockwise edge (y pointing down)
    const n = { x: q.y - p.y, y: -(q.x - p.x) };
    const num = n.x * (a.x - p.x) + n.y * (a.y - p.y);
    const den = n.x * d.x + n.y * d.y;
    if (Math.abs(den) < 1e-12) {
      if (num > 1e-9) return null; // parallel and outside this edge
      continue;
    }
    const t = -num / den;
    if (den < 0) tIn = Math.max(tIn, t);
    else tOut = Math.min(tOut, t);
    if (tIn > tOut) return null;
  }
  return tIn;
}

function enterEllipse(s: BindableElement, a: Pt, b: Pt): number | null {
  const rx = Math.max(s.w / 2, 1e-6);
  const ry = Math.max(s.h / 2, 1e-6);
  const cx = s.x + s.w / 2;
  const cy = s.y + s.h / 2;
  const ox = (a.x - cx) / rx;
  const oy = (a.y - cy) / ry;
  const dx = (b.x - a.x) / rx;
  const dy = (b.y - a.y) / ry;
  const A = dx * dx + dy * dy;
  const B = 2 * (ox * dx + oy * dy);
  const C = ox * ox + oy * oy - 1;
  if (C <= 0) return 0; // a is inside
  if (A < 1e-12) return null;
  const disc = B * B - 4 * A * C;
  if (disc < 0) return null;
  const t = (-B - Math.sqrt(disc)) / (2 * A);
  return t >= 0 && t <= 1 ? t : null;
}

/**
 * Where segment a->b first touches the shape, as a parameter 0..1 along it (0 when a is
 * inside), or null when it never does.
 */
export function outlineEntry(s: BindableElement, a: Pt, b: Pt): number | null {
  const poly = polygonOf(s);
  return poly ? enterPolygon(poly, a, b) : enterEllipse(s, a, b);
}

/** True when `p` is inside the shape's outline grown by `tolerance`. */
export function insideShape(s: BindableElement, p: Pt, tolerance: number): boolean {
  const grown = {
    ...s,
    x: s.x - tolerance,
    y: s.y - tolerance,
    w: s.w + tolerance * 2,
    h: s.h + tolerance * 2,
  };
  return outlineEntry(grown, p, p) === 0;
}

/** The end attached to `s` by `b`, for an arrow whose other end is (or aims from) `other`. */
export function boundEndpoint(s: BindableElement, b: Binding, other: Pt): Pt {
  const target = anchorPoint(s, b);
  const t = outlineEntry(s, other, target);
  // the other end is inside the shape (or on the anchor): nothing to stop short of
  if (t === null || t <= 0) return target;
  const hit = { x: other.x + (target.x - other.x) * t, y: other.y + (target.y - other.y) * t };
  const len = Math.hypot(target.x - other.x, target.y - other.y);
  const back = Math.min(b.gap, len * t);
  return {
    x: hit.x - ((target.x - other.x) / len) * back,
    y: hit.y - ((target.y - other.y) / len) * back,
  };
}

/** The binding for an end dropped at `p` over `s`. */
export function bindingAt(s: BindableElement, p: Pt, gap = BINDING_GAP): Binding {
  const frac = (v: number, from: number, size: number) =>
    size > 0 ? Math.min(1, Math.max(0, (v - from) / size)) : 0.5;
  return { id: s.id, ax: frac(p.x, s.x, s.w), ay: frac(p.y, s.y, s.h), gap };
}

type Line = Pick<BoardElement & { type: 'arrow' }, 'x' | 'y' | 'w' | 'h'> & {
  startBinding?: Binding;
  endBinding?: Binding;
};

/**
 * The arrow's points with its attached ends placed on their shapes (`lookup` finds a shape by
 * id; an end whose shape is missing keeps its point). Both ends attached: each aims from the
 * other's anchor, so the arrow runs between the two anchors, outline to outline.
 */
export function resolveArrow(
  arrow: Line,
  lookup: (id: string) => BoardElement | undefined,
): { x: number; y: number; w: number; h: number } {
  const start = { x: arrow.x, y: arrow.y };
  const end = { x: arrow.x + arrow.w, y: arrow.y + arrow.h };
  const sb = arrow.startBinding;
  const eb = arrow.endBinding;
  const s = sb ? lookup(sb.id) : undefined;
  const e = eb ? lookup(eb.id) : undefined;
  const sShape = isBindable(s) ? s : null;
  const eShape = isBindable(e) ? e : null;
  const aimStart = sShape && sb ? anchorPoint(sShape, sb) : start;
  const aimEnd = eShape && eb ? anchorPoint(eShape, eb) : end;
  const a = sShape && sb ? boundEndpoint(sShape, sb, aimEnd) : start;
  const b = eShape && eb ? boundEndpoint(eShape, eb, aimStart) : end;
  return { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y };
}
