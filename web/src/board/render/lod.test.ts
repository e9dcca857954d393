import { describe, expect, test } from 'vitest';
import type { BoardElement } from '@peerboard/core/collab';
import { elementBounds } from '../geometry';
import { LOD_DOT_PX, LOD_MAX_SCALE, makeLod, traceThinStroke } from './lod';

const stroke = (points: number[]): BoardElement & { type: 'stroke' } => ({
  id: 's1',
  author: 1,
  z: 'a0',
  type: 'stroke',
  x: 100,
  y: 50,
  colour: '#e03131',
  strokeWidth: 4,
  points,
});

/** a walk of `n` points, 0.25 world units apart */
const walk = (n: number) =>
  Array.from({ length: n * 3 }, (_, i) => (i % 3 === 2 ? 0.5 : Math.floor(i / 3) * 0.25));

/** the polyline traceThinStroke draws, as flat [x, y, ...] (a single point's lineTo included) */
function thinStroke(el: BoardElement & { type: 'stroke' }, tol: number): number[] {
  const flat: number[] = [];
  let moves = 0;
  const at = (x: number, y: number) => void flat.push(x, y);
  traceThinStroke({ moveTo: (x, y) => (moves++, at(x, y)), lineTo: at }, el, tol);
  expect(moves).toBe(1);
  return flat;
}

/** records what the LOD painted (a stand-in for the canvas, not for the code under test) */
function recorder() {
  const calls: string[] = [];
  const c = {
    globalAlpha: 1,
    fillStyle: '',
    fillRect: (x: number, y: number, w: number, h: number) =>
      calls.push(`fillRect ${x} ${y} ${w} ${h}`),
  };
  return { c: c as unknown as CanvasRenderingContext2D, calls };
}

describe('level of detail', () => {
  test('traceThinStroke keeps the first and last point and drops points closer than the tolerance', () => {
    const el = stroke(walk(401)); // 100 world units long
    const thin = thinStroke(el, 4);
    expect(thin.slice(0, 2)).toEqual([100, 50]);
    expect(thin.slice(-2)).toEqual([200, 150]);
    expect(thin.length / 2).toBeLessThanOrEqual(27);
    for (let i = 2; i + 2 < thin.length; i += 2)
      expect(
        Math.max(Math.abs(thin[i]! - thin[i - 2]!), Math.abs(thin[i + 1]! - thin[i - 1]!)),
      ).toBeGreaterThanOrEqual(4);
    // at a tolerance finer than the points nothing is dropped
    expect(thinStroke(el, 0.1).length).toBe(401 * 2);
    // one point is a zero-length segment, so the round cap still leaves a dot
    expect(thinStroke(stroke([1, 2, 0.5]), 4)).toEqual([101, 52, 101, 52]);
  });

  test('an element smaller than a dot on screen is one filled rectangle in its colour and opacity', () => {
    const el = { ...stroke(walk(9)), opacity: 0.5 }; // 2 x 2 world units
    const b = elementBounds(el);
    const { c, calls } = recorder();
    const scale = ((LOD_DOT_PX / 2) * 0.5) / Math.max(b.maxX - b.minX, b.maxY - b.minY);
    expect(makeLod().paint(c, el, b, scale, 'light')).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^fillRect /);
    expect(c.fillStyle).toBe('#e03131');
    expect(c.globalAlpha).toBe(1); // restored
  });

  test('at 50% and above, and for larger shapes zoomed out, painting is left to the exact path', () => {
    const el = stroke(walk(401));
    const b = elementBounds(el);
    const { c, calls } = recorder();
    const lod = makeLod();
    expect(lod.paint(c, el, b, LOD_MAX_SCALE, 'light')).toBe(false);
    expect(lod.paint(c, el, b, 1, 'light')).toBe(false);
    const rect: BoardElement = {
      ...{ id: 'r1', author: 1, z: 'a1', x: 0, y: 0, colour: '#1e1e1e', strokeWidth: 2 },
      ...{ type: 'rect', w: 400, h: 300, fill: null },
    };
    expect(lod.paint(c, rect, elementBounds(rect), 0.1, 'light')).toBe(false);
    expect(calls).toEqual([]);
  });
});
