/**
 * Strokes whose points are decoded on first use. The element object is what every reader gets
 * (a StrokeElement, `points` included); only when the numbers are built differs. A board load
 * reads every element, but only the strokes someone draws, hit-tests or exports need their
 * numbers: building ~10,000 arrays of ~200 numbers was most of what readElement cost on a load
 * (and much of the garbage collection after it). The bounds the spatial index needs come from
 * strokePointsBox, which the bytes' measure (ptsBox) answers without a decode.
 */
import type { StrokeElement } from './elementTypes';
import { decodePts, type PtsBox } from './strokePoints';

/** A stroke read from `pts`: its bytes, their measure, and its points once decoded. */
interface LazyPoints {
  bytes: Uint8Array;
  /** null once `points` was assigned (the measure no longer describes them) */
  box: PtsBox | null;
  points: number[] | undefined;
  /** what the bytes were checked with (decodePts's maxPoints and clamp) */
  maxPoints: number;
  clamp: number;
}
const LAZY_POINTS = new WeakMap<object, LazyPoints>();

function lazyState(el: object): LazyPoints {
  const state = LAZY_POINTS.get(el);
  // only lazyStroke defines the accessor, on the object it registers
  if (!state) throw new Error('stroke points accessor on an unknown object');
  return state;
}

/**
 * `points` of a stroke read from `pts`. One getter/setter pair for all of them, so these
 * elements share one hidden class (an object literal's `get points()` is a new closure per
 * element, and V8 then gives every element a map of its own: slower to make and to read).
 */
const LAZY_POINTS_PROPERTY: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: object): number[] {
    const state = lazyState(this);
    if (state.points === undefined) {
      // checked by ptsBox already; the bytes are the document's own, which Yjs never changes
      const decoded = decodePts(state.bytes, state.maxPoints, state.clamp);
      if (!decoded.ok) throw new Error(`pts changed after it was read: ${decoded.message}`);
      state.points = decoded.value;
    }
    return state.points;
  },
  set(this: object, value: number[]): void {
    const state = lazyState(this);
    state.points = value;
    state.box = null;
  },
};

/**
 * Makes `base` (readElement's fresh object) a stroke whose points are `bytes`, already checked
 * and measured by ptsBox with `maxPoints` and `clamp`. `points` is an own, enumerable accessor,
 * so spreads, Object.entries and JSON see the numbers as on any other element.
 */
export function lazyStroke(
  base: Omit<StrokeElement, 'type' | 'points'>,
  bytes: Uint8Array,
  box: PtsBox,
  maxPoints: number,
  clamp: number,
): StrokeElement {
  const el = base as Omit<StrokeElement, 'points'>;
  el.type = 'stroke';
  Object.defineProperty(el, 'points', LAZY_POINTS_PROPERTY);
  LAZY_POINTS.set(el, { bytes, box, points: undefined, maxPoints, clamp });
  return el as StrokeElement;
}

/**
 * The `pts` bytes of a stroke whose points are not decoded yet, with the clamp decodePts would
 * apply, else null (decoded, assigned, or never read from `pts`: read `points`). For a renderer
 * that walks the bytes once per paint instead of keeping a number[] per stroke (web's
 * render/strokePts.ts). The bytes are the document's own and checked: read them, never write.
 */
export function undecodedPts(
  el: Pick<StrokeElement, 'points'>,
): { bytes: Uint8Array; clamp: number } | null {
  const state = LAZY_POINTS.get(el);
  if (!state || state.points !== undefined) return null;
  return { bytes: state.bytes, clamp: state.clamp };
}

/**
 * The extent of a stroke's points (offsets from its x, y): the bytes' measure for a stroke read
 * from `pts`, else from its points. The same numbers either way (lazyStroke.test.ts).
 */
export function strokePointsBox(el: StrokeElement): PtsBox {
  const box = LAZY_POINTS.get(el)?.box;
  if (box) return box;
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
  return { minX, minY, maxX, maxY };
}
