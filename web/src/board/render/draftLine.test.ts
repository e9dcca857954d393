import { describe, expect, test } from 'vitest';
import type { StrokeElement } from '@peerboard/core/collab';
import { traceDraftLine } from './draftLine';

const stroke = (points: number[]): StrokeElement => ({
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

/** the polyline drawn, as [x, y] pairs (one moveTo first) */
function line(el: StrokeElement, tol: number): [number, number][] {
  const out: [number, number][] = [];
  let moves = 0;
  traceDraftLine(
    { moveTo: (x, y) => (moves++, out.push([x, y])), lineTo: (x, y) => void out.push([x, y]) },
    el,
    tol,
  );
  expect(moves).toBe(1);
  return out;
}

/** distance from (x, y) to the segment (a, b) */
function toSegment(x: number, y: number, a: [number, number], b: [number, number]): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
}

describe('a draft’s polyline', () => {
  test('a straight run keeps its ends only; a corner is kept', () => {
    const straight = Array.from({ length: 20 }, (_, i) => [i * 4, i * 2, 0.5]).flat();
    expect(line(stroke(straight), 1)).toEqual([
      [100, 50],
      [176, 88],
    ]);
    const corner = [0, 0, 0.5, 10, 0, 0.5, 20, 0, 0.5, 20, 10, 0.5, 20, 20, 0.5];
    expect(line(stroke(corner), 1)).toEqual([
      [100, 50],
      [120, 50],
      [120, 70],
    ]);
  });

  test('every point of a scribble is within the tolerance of the line drawn, with fewer points', () => {
    // a mouse-like walk: 4-unit steps, the heading drifting
    const pts: number[] = [];
    let [x, y, heading, seed] = [0, 0, 0, 7];
    for (let i = 0; i < 200; i++) {
      pts.push(Math.round(x * 4) / 4, Math.round(y * 4) / 4, 0.5);
      seed = (seed * 16807) % 2147483647;
      heading += (seed / 2147483647 - 0.5) * 0.6;
      [x, y] = [x + Math.cos(heading) * 4, y + Math.sin(heading) * 4];
    }
    const el = stroke(pts);
    for (const tol of [0.5, 1, 2]) {
      const drawn = line(el, tol);
      expect(drawn.length).toBeLessThan(200);
      for (let i = 0; i < pts.length; i += 3) {
        const [px, py] = [el.x + pts[i]!, el.y + pts[i + 1]!];
        const near = Math.min(...drawn.slice(1).map((b, k) => toSegment(px, py, drawn[k]!, b)));
        expect(near).toBeLessThanOrEqual(tol + 1e-9);
      }
    }
  });

  test('a single point is a dot; the same point twice too', () => {
    expect(line(stroke([3, 4, 0.5]), 1)).toEqual([
      [103, 54],
      [103, 54],
    ]);
    expect(line(stroke([3, 4, 0.5, 3, 4, 0.5]), 1)).toEqual([
      [103, 54],
      [103, 54],
    ]);
  });
});
