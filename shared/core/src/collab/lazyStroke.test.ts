import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { addElement, elementsMap, readBoard } from './boardModel';
import { readElement, type StrokeElement } from './elements';
import { strokePointsBox } from './lazyStroke';
import { encodePts, PTS_KEY } from './strokePoints';
import { widePoints as wide } from '../../test/kit/strokeArbitraries';

const base = { id: 's1', type: 'stroke', author: 1, z: 'a0', x: 3, y: -7 };
const style = { colour: '#112233', strokeWidth: 2 };

function readStroke(fields: Record<string, unknown>): StrokeElement {
  const r = readElement({ ...base, ...style, ...fields }, 's1');
  if (!r.ok || r.value.type !== 'stroke') throw new Error('not a stroke');
  return r.value;
}

/** the box of decoded points, computed here independently of strokePointsBox */
function boxOf(points: readonly number[]) {
  const xs = points.filter((_, i) => i % 3 === 0);
  const ys = points.filter((_, i) => i % 3 === 1);
  return {
    minX: Math.min(...xs),
    minY: Math.min(...ys),
    maxX: Math.max(...xs),
    maxY: Math.max(...ys),
  };
}

describe('strokes read from pts decode their points on first use', () => {
  it('the measure taken without decoding is the box of the points as decoded (seeded)', () => {
    fc.assert(
      fc.property(wide, (points) => {
        const lazy = readStroke({ [PTS_KEY]: encodePts(points) });
        const eager = readStroke({ points });
        // asked before anything decoded the points: answered from the bytes
        const measured = strokePointsBox(lazy);
        expect(measured).toEqual(boxOf(eager.points));
        expect(lazy.points).toEqual(eager.points);
        expect(strokePointsBox(lazy)).toEqual(measured);
        expect(strokePointsBox(eager)).toEqual(measured);
      }),
      { seed: 20261126, numRuns: 300 },
    );
  });

  it('reads like a plain element: one array, spreads, entries and JSON carry the numbers', () => {
    const points = [0, 0, 0.5, 3.25, -1.5, 0.5, 7, 2.75, 0.625];
    const lazy = readStroke({ [PTS_KEY]: encodePts(points) });
    const eager = readStroke({ points });
    expect(Object.getOwnPropertyDescriptor(lazy, 'points')).toMatchObject({
      enumerable: true,
      get: expect.any(Function),
    });
    expect(Object.keys(lazy)).toEqual(Object.keys(eager));
    expect(lazy.points).toBe(lazy.points); // decoded once, then the same array
    const copy = { ...lazy };
    expect(Object.getOwnPropertyDescriptor(copy, 'points')).toMatchObject({ value: points });
    expect(Object.fromEntries(Object.entries(lazy))).toEqual(eager);
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
  });

  it('assigned points replace the decoded ones, and the box follows them', () => {
    const lazy = readStroke({ [PTS_KEY]: encodePts([0, 0, 0.5, 10, 10, 0.5]) });
    expect(strokePointsBox(lazy)).toEqual({ minX: 0, minY: 0, maxX: 10, maxY: 10 });
    lazy.points = [-5, 2, 0.5, 40, 3, 0.5];
    expect(lazy.points).toEqual([-5, 2, 0.5, 40, 3, 0.5]);
    expect(strokePointsBox(lazy)).toEqual({ minX: -5, minY: 2, maxX: 40, maxY: 3 });
  });

  it('a board read from the document gives every stroke its stored points', () => {
    const doc = new Y.Doc();
    const drawn: number[][] = [];
    for (let i = 0; i < 20; i++) {
      const points = [0, 0, 0.5, i * 2.25, 3 - i, 0.75, i * 4, i * 0.5, 0.25];
      drawn.push(points);
      addElement(doc, { type: 'stroke', x: i, y: 2 * i, ...style, points });
    }
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const ids = [...elementsMap(doc).keys()];
    expect(ids).toHaveLength(20);
    const read = readBoard(copy);
    for (const el of read) {
      if (el.type !== 'stroke') throw new Error('not a stroke');
      const i = el.x;
      expect(el.points).toEqual(drawn[i]);
      expect(strokePointsBox(el)).toEqual(boxOf(drawn[i]!));
    }
  });
});
