import { describe, expect, test } from 'vitest';
import { roughBounds, type BoardElement } from '@peerboard/core/collab';
import { elementBounds, elementFrame, rectContains, unionRects, type Rect } from './geometry';
import { hitElement, hitElementAlong } from './hitTest';
import {
  handleAt,
  handlePoint,
  resizeScale,
  scalePatch,
  snapAngle,
  squareCorner,
} from './transform';

const base = { id: 'e1', author: 1, z: 'a0', colour: '#1e1e1e', strokeWidth: 4 };
const stroke = (points: number[], x = 100, y = 100): BoardElement => ({
  ...base,
  type: 'stroke',
  x,
  y,
  points,
});
const rect = (fill: string | null = null): BoardElement => ({
  ...base,
  type: 'rect',
  x: 0,
  y: 0,
  w: 100,
  h: 50,
  fill,
});
const ellipse = (fill: string | null = null): BoardElement => ({
  ...base,
  type: 'ellipse',
  x: 0,
  y: 0,
  w: 200,
  h: 100,
  fill,
});
const line: BoardElement = { ...base, type: 'line', x: 0, y: 0, w: 100, h: 100 };
const text: BoardElement = {
  ...base,
  type: 'text',
  x: 10,
  y: 10,
  w: 80,
  h: 30,
  text: 'hi',
  fontSize: 24,
};

describe('bounds', () => {
  test('stroke bounds cover every point plus the pen radius', () => {
    const el = stroke([0, 0, 0.5, 50, -20, 0.5, 30, 40, 0.5]);
    const b = elementBounds(el);
    expect(b.minX).toBeLessThan(100 - 4);
    expect(b.maxX).toBeGreaterThan(150 + 4);
    expect(b.minY).toBeLessThan(80 - 4);
    expect(b.maxY).toBeGreaterThan(140 + 4);
    expect(elementFrame(el)).toEqual({ minX: 100, minY: 80, maxX: 150, maxY: 140 });
  });

  test('lines with negative extent and arrows with their head', () => {
    const back: BoardElement = { ...base, type: 'line', x: 100, y: 100, w: -50, h: -80 };
    expect(elementFrame(back)).toEqual({ minX: 50, minY: 20, maxX: 100, maxY: 100 });
    const arrow: BoardElement = { ...back, type: 'arrow' };
    expect(rectContains(elementBounds(arrow), elementBounds(back))).toBe(true);
  });

  test('shapes include half the line width; text is its box', () => {
    expect(rectContains(elementBounds(rect()), { minX: -2, minY: -2, maxX: 102, maxY: 52 })).toBe(
      true,
    );
    expect(elementBounds(text)).toEqual({ minX: 10, minY: 10, maxX: 90, maxY: 40 });
  });

  test("the engine's extent (first-screen pick, near-view reading) is the renderer's, for every kind", () => {
    const back: BoardElement = { ...base, type: 'line', x: 100, y: 100, w: -50, h: -80 };
    const kinds: BoardElement[] = [
      stroke([0, 0, 0.5, 50, -20, 0.5, 30, 40, 0.5]),
      { ...stroke([0, 0, 0.5]), strokeWidth: 16 },
      rect('#ffffff'),
      ellipse(),
      { ...base, type: 'diamond', x: 0, y: 0, w: 80, h: 60, fill: null },
      line,
      back,
      { ...back, type: 'arrow' },
      { ...line, type: 'arrow', w: 3, h: 4 },
      text,
    ];
    for (const el of kinds) expect(roughBounds(el), el.type).toEqual(elementBounds(el));
  });

  test('unionRects', () => {
    expect(unionRects([])).toBeNull();
    expect(
      unionRects([
        { minX: 0, minY: 5, maxX: 10, maxY: 6 },
        { minX: -3, minY: 0, maxX: 2, maxY: 20 },
      ]),
    ).toEqual({ minX: -3, minY: 0, maxX: 10, maxY: 20 });
  });
});

describe('hit testing', () => {
  test('stroke: near the polyline hits, a gap does not', () => {
    const el = stroke([0, 0, 0.5, 100, 0, 0.5]); // (100,100) -> (200,100)
    expect(hitElement(el, { x: 150, y: 104 }, 2)).toBe(true);
    expect(hitElement(el, { x: 150, y: 120 }, 2)).toBe(false);
    expect(hitElement(el, { x: 90, y: 100 }, 2)).toBe(false);
  });

  test('single-point stroke (a dot)', () => {
    const dot = stroke([0, 0, 0.5]);
    expect(hitElement(dot, { x: 102, y: 101 }, 2)).toBe(true);
    expect(hitElement(dot, { x: 120, y: 100 }, 2)).toBe(false);
  });

  test('unfilled rectangle hits on its outline only; filled hits inside', () => {
    expect(hitElement(rect(), { x: 50, y: 1 }, 3)).toBe(true);
    expect(hitElement(rect(), { x: 99, y: 25 }, 3)).toBe(true);
    expect(hitElement(rect(), { x: 50, y: 25 }, 3)).toBe(false);
    expect(hitElement(rect('#ffffff'), { x: 50, y: 25 }, 3)).toBe(true);
    expect(hitElement(rect(), { x: 150, y: 25 }, 3)).toBe(false);
  });

  test('ellipse outline (also off the axes), filled inside', () => {
    // on the outline at 45 degrees: (100 + 100 cos t, 50 + 50 sin t)
    const t = Math.PI / 4;
    expect(hitElement(ellipse(), { x: 100 + 100 * Math.cos(t), y: 50 + 50 * Math.sin(t) }, 2)).toBe(
      true,
    );
    expect(hitElement(ellipse(), { x: 100, y: 50 }, 2)).toBe(false);
    expect(hitElement(ellipse('#ff0000'), { x: 100, y: 50 }, 2)).toBe(true);
    expect(hitElement(ellipse(), { x: 5, y: 5 }, 2)).toBe(false); // box corner, outside the curve
  });

  test('line and text', () => {
    expect(hitElement(line, { x: 50, y: 52 }, 2)).toBe(true);
    expect(hitElement(line, { x: 50, y: 70 }, 2)).toBe(false);
    expect(hitElement(text, { x: 50, y: 20 }, 0)).toBe(true);
    expect(hitElement(text, { x: 95, y: 20 }, 0)).toBe(false);
  });

  test('a fast eraser drag hits what lies between two pointer events', () => {
    const el = stroke([0, 0, 0.5, 0, 100, 0.5], 100, 0); // vertical at x = 100
    expect(hitElement(el, { x: 0, y: 50 }, 4)).toBe(false);
    expect(hitElement(el, { x: 200, y: 50 }, 4)).toBe(false);
    expect(hitElementAlong(el, { x: 0, y: 50 }, { x: 200, y: 50 }, 4)).toBe(true);
    expect(hitElementAlong(el, { x: 0, y: 150 }, { x: 200, y: 150 }, 4)).toBe(false);
  });
});

describe('resize', () => {
  const frame: Rect = { minX: 0, minY: 0, maxX: 100, maxY: 50 };

  test('handles sit on corners and edge midpoints; handleAt finds them', () => {
    expect(handlePoint(frame, 'nw')).toEqual({ x: 0, y: 0 });
    expect(handlePoint(frame, 'e')).toEqual({ x: 100, y: 25 });
    expect(handlePoint(frame, 's')).toEqual({ x: 50, y: 50 });
    expect(handleAt(frame, { x: 98, y: 52 }, 4)).toBe('se');
    expect(handleAt(frame, { x: 50, y: 25 }, 4)).toBeNull();
  });

  test('corner drag scales about the opposite corner; edges scale one axis', () => {
    expect(resizeScale(frame, 'se', { x: 200, y: 100 }, false)).toEqual({
      anchor: { x: 0, y: 0 },
      sx: 2,
      sy: 2,
    });
    const e = resizeScale(frame, 'e', { x: 150, y: 999 }, false);
    expect(e).toEqual({ anchor: { x: 0, y: 25 }, sx: 1.5, sy: 1 });
    const nw = resizeScale(frame, 'nw', { x: 50, y: 25 }, false);
    expect(nw.anchor).toEqual({ x: 100, y: 50 });
    expect(nw.sx).toBeCloseTo(0.5);
    expect(nw.sy).toBeCloseTo(0.5);
  });

  test('Shift keeps the aspect ratio; a flat frame does not divide by zero', () => {
    const s = resizeScale(frame, 'se', { x: 300, y: 60 }, true);
    expect(s.sx).toBe(3);
    expect(s.sy).toBe(3);
    const flat: Rect = { minX: 0, minY: 10, maxX: 100, maxY: 10 };
    const f = resizeScale(flat, 'se', { x: 50, y: 40 }, false);
    expect(f.sx).toBe(0.5);
    expect(f.sy).toBe(1);
  });

  test('scalePatch: rectangles dragged past their anchor flip to a positive size', () => {
    const patch = scalePatch(rect(), { anchor: { x: 0, y: 0 }, sx: -1, sy: 2 });
    expect(patch).toEqual({ x: -100, y: 0, w: 100, h: 100 });
  });

  test('scalePatch: strokes scale their points, lines their vector, text its font', () => {
    const s = { anchor: { x: 0, y: 0 }, sx: 2, sy: 2 };
    const st = scalePatch(stroke([0, 0, 0.5, 10, 20, 0.7], 10, 10), s);
    expect(st).toEqual({ x: 20, y: 20, points: [0, 0, 0.5, 20, 40, 0.7] });
    expect(scalePatch(line, { anchor: { x: 0, y: 0 }, sx: 0.5, sy: -1 })).toEqual({
      x: 0,
      y: 0,
      w: 50,
      h: -100,
    });
    const tp = scalePatch(text, s);
    expect(tp.fontSize).toBe(48);
    expect(tp.w).toBe(160);
    expect(tp.x).toBe(20);
  });
});

test('snapAngle and squareCorner', () => {
  const p = snapAngle({ x: 0, y: 0 }, { x: 100, y: 3 });
  expect(p.x).toBeCloseTo(Math.hypot(100, 3));
  expect(p.y).toBeCloseTo(0);
  const d = snapAngle({ x: 0, y: 0 }, { x: 50, y: 52 });
  expect(d.x).toBeCloseTo(d.y);
  expect(squareCorner({ x: 10, y: 10 }, { x: -30, y: 20 })).toEqual({ x: -30, y: 50 });
});
