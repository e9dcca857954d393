/**
 * What each element looks like, as path commands sent to a `PathSink`: a `Path2D` for the
 * canvas renderer and an SVG path-data builder for export share this one description, so the
 * PNG and SVG exports match the screen. Freehand strokes are filled outlines from
 * perfect-freehand; the other shapes are stroked paths. Pure (no DOM).
 */
import { getStroke } from 'perfect-freehand';
import { assertNever } from '@peerboard/protocol';
import type { BoardElement, StrokeElement } from '@peerboard/core/collab';
import { arrowHeadLength, diamondCorners, penSize } from '../geometry';
import { strokePointsNow } from './strokePts';

/** The subset of CanvasPath that Path2D and the SVG builder both implement. */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  quadraticCurveTo(cpx: number, cpy: number, x: number, y: number): void;
  ellipse(
    x: number,
    y: number,
    rx: number,
    ry: number,
    rotation: number,
    start: number,
    end: number,
  ): void;
  closePath(): void;
}

/** How the traced path is painted. */
export type PaintKind = 'fill' | 'stroke';

/** Mouse and touch report a constant 0.5 pressure: simulate it from speed for those strokes. */
export function hasRealPressure(points: ArrayLike<number>): boolean {
  for (let i = 2; i < points.length; i += 3) {
    const p = points[i]!;
    if (p !== 0.5 && p !== 0) return true;
  }
  return false;
}

/**
 * Outline polygon of a freehand stroke: perfect-freehand's [x, y] points in world coordinates.
 * `complete` false while the stroke is still being drawn (perfect-freehand's `last`).
 */
export function strokeOutline(
  el: Pick<StrokeElement, 'x' | 'y' | 'points' | 'strokeWidth'>,
  complete = true,
): number[][] {
  const pts = strokePointsNow(el);
  const input = new Array<[number, number, number]>(Math.floor(pts.length / 3));
  for (let i = 0, j = 0; j < input.length; i += 3, j++) {
    input[j] = [el.x + pts[i]!, el.y + pts[i + 1]!, pts[i + 2]!];
  }
  return getStroke(input, {
    size: penSize(el.strokeWidth),
    thinning: 0.6,
    smoothing: 0.5,
    streamline: 0.45,
    simulatePressure: !hasRealPressure(pts),
    last: complete,
  });
}

/**
 * A closed smooth curve through the outline: quadratic segments between midpoints. Written as
 * one indexed loop, each midpoint computed once: on a board load this runs for every stroke in
 * view, a few hundred segments each, and closures with a modulo per coordinate were a third of
 * the first frame's tracing (shapes.test.ts holds it to the same commands).
 */
export function traceOutline(sink: PathSink, outline: readonly (readonly number[])[]): void {
  const n = outline.length;
  if (n < 2) return;
  const first = outline[0]!;
  const second = outline[1]!;
  if (n < 3) {
    sink.moveTo(first[0]!, first[1]!);
    sink.lineTo(second[0]!, second[1]!);
    sink.closePath();
    return;
  }
  // the curve starts and ends at the midpoint of the first two points
  const startX = (first[0]! + second[0]!) / 2;
  const startY = (first[1]! + second[1]!) / 2;
  sink.moveTo(startX, startY);
  let cx = second[0]!;
  let cy = second[1]!;
  for (let i = 2; i < n; i++) {
    const p = outline[i]!;
    const x = p[0]!;
    const y = p[1]!;
    sink.quadraticCurveTo(cx, cy, (cx + x) / 2, (cy + y) / 2);
    cx = x;
    cy = y;
  }
  // the last point to the first, then the first to the start
  sink.quadraticCurveTo(cx, cy, (cx + first[0]!) / 2, (cy + first[1]!) / 2);
  sink.quadraticCurveTo(first[0]!, first[1]!, startX, startY);
  sink.closePath();
}

function traceArrowHead(
  sink: PathSink,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  sw: number,
) {
  const len = Math.hypot(x1 - x0, y1 - y0);
  if (len < 1e-6) return;
  const head = arrowHeadLength(sw, len);
  const angle = Math.atan2(y1 - y0, x1 - x0);
  const spread = Math.PI / 7;
  sink.moveTo(x1 - head * Math.cos(angle - spread), y1 - head * Math.sin(angle - spread));
  sink.lineTo(x1, y1);
  sink.lineTo(x1 - head * Math.cos(angle + spread), y1 - head * Math.sin(angle + spread));
}

/**
 * Trace the element's path into `sink` and say how to paint it. Text has no path (the
 * renderer and the SVG writer lay it out themselves): returns null.
 */
export function traceElement(sink: PathSink, el: BoardElement): PaintKind | null {
  switch (el.type) {
    case 'stroke':
      traceOutline(sink, strokeOutline(el));
      return 'fill';
    case 'line':
    case 'arrow':
      sink.moveTo(el.x, el.y);
      sink.lineTo(el.x + el.w, el.y + el.h);
      if (el.type === 'arrow')
        traceArrowHead(sink, el.x, el.y, el.x + el.w, el.y + el.h, el.strokeWidth);
      return 'stroke';
    case 'rect':
      sink.moveTo(el.x, el.y);
      sink.lineTo(el.x + el.w, el.y);
      sink.lineTo(el.x + el.w, el.y + el.h);
      sink.lineTo(el.x, el.y + el.h);
      sink.closePath();
      return 'stroke';
    case 'ellipse':
      sink.ellipse(el.x + el.w / 2, el.y + el.h / 2, el.w / 2, el.h / 2, 0, 0, Math.PI * 2);
      sink.closePath();
      return 'stroke';
    case 'diamond': {
      const [a, b, c, d] = diamondCorners(el);
      sink.moveTo(a.x, a.y);
      sink.lineTo(b.x, b.y);
      sink.lineTo(c.x, c.y);
      sink.lineTo(d.x, d.y);
      sink.closePath();
      return 'stroke';
    }
    case 'text':
    case 'image':
      return null;
    default:
      return assertNever(el);
  }
}

/** Text layout shared by canvas, export and the inline editor. */
export const TEXT_LINE_HEIGHT = 1.25;
export const TEXT_FONT_FAMILY = "'Inter Variable', ui-sans-serif, system-ui, sans-serif";
export const textFont = (fontSize: number): string => `500 ${fontSize}px ${TEXT_FONT_FAMILY}`;
export const textLines = (text: string): string[] => text.split('\n');

const fmt = (v: number): string => {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
};

/** SVG path data with the same commands (ellipses become two arcs). */
export function makeSvgPathBuilder(): PathSink & { toString(): string } {
  const parts: string[] = [];
  return {
    moveTo: (x, y) => void parts.push(`M${fmt(x)} ${fmt(y)}`),
    lineTo: (x, y) => void parts.push(`L${fmt(x)} ${fmt(y)}`),
    quadraticCurveTo: (cx, cy, x, y) =>
      void parts.push(`Q${fmt(cx)} ${fmt(cy)} ${fmt(x)} ${fmt(y)}`),
    ellipse: (cx, cy, rx, ry) => {
      // a full ellipse as two half arcs (one arc cannot start and end at the same point)
      parts.push(
        `M${fmt(cx - rx)} ${fmt(cy)}`,
        `A${fmt(rx)} ${fmt(ry)} 0 1 0 ${fmt(cx + rx)} ${fmt(cy)}`,
        `A${fmt(rx)} ${fmt(ry)} 0 1 0 ${fmt(cx - rx)} ${fmt(cy)}`,
      );
    },
    closePath: () => void parts.push('Z'),
    toString: () => parts.join(''),
  };
}
