/**
 * Level of detail for the live renderer when zoomed out. At fit-all on a 50,000-stroke board
 * most strokes are a few device pixels across: building each one's perfect-freehand outline
 * (the cost of a cold zoom-out) and filling it buys nothing visible. So, per element on screen:
 *
 * - smaller than LOD_DOT_PX device pixels: one filled rectangle of its bounds (at least a pixel)
 *   in its colour, no path at all (sub-pixel elements still leave a mark, as ink would);
 * - a stroke while the scale (zoom x dpr) is below LOD_MAX_SCALE: a polyline through its points,
 *   thinned so consecutive points are at least a device pixel apart, stroked at the pen width.
 *   Its Path2D is cached per element object and scale octave (an edit makes a new object).
 *
 * Everything else, and every element at 50% and above, is painted exactly (draw.ts). Exports
 * never use this: they call paintElement directly.
 */
import type { BoardElement, StrokeElement } from '@peerboard/core/collab';
import { penSize, type Rect } from '../geometry';
import { displayColour, type BoardTheme } from './draw';
import type { PathSink } from './shapes';
import { strokePointsNow } from './strokePts';
import { traceDraftLine } from './draftLine';

export const LOD_MAX_SCALE = 0.5;
export const LOD_DOT_PX = 2;

/**
 * A stroke as a polyline through its world points, keeping one per `tol` world units (and the
 * last), straight into `sink` from the points as strokePointsNow gives them: at fit-all on a
 * 50,000-stroke board an array per stroke (its decoded points, then the thinned copy) was
 * garbage made for one paint.
 */
export function traceThinStroke(
  sink: Pick<PathSink, 'moveTo' | 'lineTo'>,
  el: StrokeElement,
  tol: number,
): void {
  const p = strokePointsNow(el);
  let lx = Infinity;
  let ly = Infinity;
  let kept = 0;
  const last = p.length - 3;
  for (let i = 0; i <= last; i += 3) {
    const x = el.x + p[i]!;
    const y = el.y + p[i + 1]!;
    if (i === last || Math.abs(x - lx) >= tol || Math.abs(y - ly) >= tol) {
      if (kept++ === 0) sink.moveTo(x, y);
      else sink.lineTo(x, y);
      lx = x;
      ly = y;
    }
  }
  // a single point still leaves a round dot
  if (kept === 1) sink.lineTo(lx, ly);
}

/** a device pixel in world units at `scale`, up to a power of two (a zoom step reuses it) */
const pixelTolerance = (scale: number): number => 2 ** Math.ceil(Math.log2(1 / scale));

export interface Lod {
  /** paints `el` simplified for `scale` and returns true, or returns false (paint it exactly) */
  paint(
    c: CanvasRenderingContext2D,
    el: BoardElement,
    bounds: Rect,
    scale: number,
    theme: BoardTheme,
  ): boolean;
}

export function makeLod(): Lod {
  const paths = new WeakMap<BoardElement, { tol: number; path: Path2D }>();

  const strokePath = (el: StrokeElement, scale: number): Path2D => {
    const tol = pixelTolerance(scale);
    const hit = paths.get(el);
    if (hit && hit.tol === tol) return hit.path;
    const path = new Path2D();
    traceThinStroke(path, el, tol);
    paths.set(el, { tol, path });
    return path;
  };

  return {
    paint(c, el, bounds, scale, theme) {
      const w = bounds.maxX - bounds.minX;
      const h = bounds.maxY - bounds.minY;
      const dot = Math.max(w, h) * scale < LOD_DOT_PX;
      if (!dot && (el.type !== 'stroke' || scale >= LOD_MAX_SCALE)) return false;
      const before = c.globalAlpha;
      c.globalAlpha = before * (el.opacity ?? 1);
      const colour = displayColour(el.colour, theme);
      if (dot) {
        const px = 1 / scale;
        c.fillStyle = colour;
        c.fillRect(bounds.minX, bounds.minY, Math.max(w, px), Math.max(h, px));
      } else if (el.type === 'stroke') strokeThin(c, el, strokePath(el, scale), colour);
      c.globalAlpha = before;
      return true;
    },
  };
}

/** a stroke's polyline, stroked at the pen's width */
function strokeThin(c: CanvasRenderingContext2D, el: StrokeElement, path: Path2D, colour: string) {
  c.strokeStyle = colour;
  c.lineWidth = penSize(el.strokeWidth);
  c.lineCap = 'round';
  c.lineJoin = 'round';
  c.stroke(path);
}

/**
 * A stroke as a draft at any scale: its polyline simplified to a device pixel (draftLine.ts) at
 * the pen's width, not its outline (drafts.ts). Nothing is kept: a draft is painted once.
 */
export function paintDraftStroke(
  c: CanvasRenderingContext2D,
  el: StrokeElement,
  scale: number,
  theme: BoardTheme,
): void {
  const path = new Path2D();
  traceDraftLine(path, el, pixelTolerance(scale));
  const before = c.globalAlpha;
  c.globalAlpha = before * (el.opacity ?? 1);
  strokeThin(c, el, path, displayColour(el.colour, theme));
  c.globalAlpha = before;
}
