import { describe, expect, test } from 'vitest';
import type { StrokeElement } from '@peerboard/core/collab';
import { seededRandom } from '../../../../shared/core/test/kit/seededRandom';
import { strokeFields } from '../../../../shared/core/test/kit/syntheticBoard';
import { strokeOutline, traceOutline, type PathSink } from './shapes';

/** the path commands a sink received, numbers as written (a stand-in for Path2D) */
function recordingSink(): PathSink & { calls: string[] } {
  const calls: string[] = [];
  const rec =
    (name: string) =>
    (...args: number[]) =>
      void calls.push(`${name} ${args.join(' ')}`);
  return {
    calls,
    moveTo: rec('M'),
    lineTo: rec('L'),
    quadraticCurveTo: rec('Q'),
    ellipse: rec('E'),
    closePath: rec('Z'),
  };
}

/**
 * The curve as first written (closures indexing modulo n): the reference the loop in
 * traceOutline must match command for command, number for number.
 */
function referenceTrace(sink: PathSink, outline: readonly (readonly number[])[]): void {
  const n = outline.length;
  if (n < 2) return;
  if (n < 3) {
    sink.moveTo(outline[0]![0]!, outline[0]![1]!);
    sink.lineTo(outline[1]![0]!, outline[1]![1]!);
    sink.closePath();
    return;
  }
  const x = (i: number): number => outline[i % n]![0]!;
  const y = (i: number): number => outline[i % n]![1]!;
  sink.moveTo((x(0) + x(1)) / 2, (y(0) + y(1)) / 2);
  for (let i = 1; i <= n; i++) {
    sink.quadraticCurveTo(x(i), y(i), (x(i) + x(i + 1)) / 2, (y(i) + y(i + 1)) / 2);
  }
  sink.closePath();
}

const traced = (trace: typeof traceOutline, outline: readonly (readonly number[])[]) => {
  const sink = recordingSink();
  trace(sink, outline);
  return sink.calls;
};

describe('traceOutline', () => {
  test('gives the reference commands for the outlines of 100 synthetic strokes', () => {
    const r = seededRandom(14);
    for (let i = 0; i < 100; i++) {
      const fields = strokeFields(r, 1 + Math.floor(r() * 150));
      const el: StrokeElement = { ...fields, id: `s${i}`, author: 1, z: 'a0' };
      for (const complete of [true, false]) {
        const outline = strokeOutline(el, complete);
        const calls = traced(traceOutline, outline);
        expect(calls).toEqual(traced(referenceTrace, outline));
        expect(calls.length).toBe(outline.length + 2);
      }
    }
  });

  test('short outlines: nothing for fewer than two points, a closed segment for two', () => {
    expect(traced(traceOutline, [])).toEqual([]);
    expect(traced(traceOutline, [[1, 2]])).toEqual([]);
    expect(
      traced(traceOutline, [
        [1, 2],
        [3.5, -4],
      ]),
    ).toEqual(['M 1 2', 'L 3.5 -4', 'Z ']);
    const three = [
      [0, 0],
      [10, 0],
      [5, 7.25],
    ];
    expect(traced(traceOutline, three)).toEqual(traced(referenceTrace, three));
    expect(traced(traceOutline, three)).toEqual([
      'M 5 0',
      'Q 10 0 7.5 3.625',
      'Q 5 7.25 2.5 3.625',
      'Q 0 0 5 0',
      'Z ',
    ]);
  });
});
