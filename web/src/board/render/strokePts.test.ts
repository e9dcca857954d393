import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  encodePts,
  PTS_KEY,
  readElement,
  undecodedPts,
  type StrokeElement,
} from '@peerboard/core/collab';
import { widePoints } from '../../../../shared/core/test/kit/strokeArbitraries';
import { traceThinStroke } from './lod';
import { strokeOutline } from './shapes';
import { strokePointsNow } from './strokePts';

const fields = { id: 's1', type: 'stroke', author: 1, z: 'a0', x: 3, y: -7, colour: '#112233' };

/** a stroke as a board load reads it: points still undecoded `pts` bytes */
function lazyStroke(points: number[], strokeWidth = 2, bytes = encodePts(points)): StrokeElement {
  const r = readElement({ ...fields, strokeWidth, [PTS_KEY]: bytes }, 's1');
  if (!r.ok || r.value.type !== 'stroke') throw new Error('not a stroke');
  return r.value;
}

/** the element's `points` getter on a twin read from the same bytes (`el` stays undecoded) */
const readBack = (el: StrokeElement): number[] => {
  const raw = undecodedPts(el);
  if (!raw) throw new Error('already decoded');
  return lazyStroke([], el.strokeWidth, raw.bytes).points;
};

/** the same stroke with those numbers as a plain array (how drafts and older boards hold them) */
function plainTwin(el: StrokeElement): StrokeElement {
  const r = readElement({ ...fields, strokeWidth: el.strokeWidth, points: readBack(el) }, 's1');
  if (!r.ok || r.value.type !== 'stroke') throw new Error('not a stroke');
  expect(undecodedPts(r.value)).toBeNull();
  return r.value;
}

const polyline = (el: StrokeElement, tol: number): number[] => {
  const out: number[] = [];
  const at = (x: number, y: number) => void out.push(x, y);
  traceThinStroke({ moveTo: at, lineTo: at }, el, tol);
  return out;
};

describe('strokePointsNow reads undecoded strokes from their bytes', () => {
  test('the numbers `points` would decode, clamped alike, and the stroke stays undecoded', () => {
    fc.assert(
      fc.property(widePoints, (points) => {
        const el = lazyStroke(points);
        const expected = readBack(el);
        expect(Array.from(strokePointsNow(el))).toEqual(expected);
        expect(undecodedPts(el)).not.toBeNull();
        // once decoded, the element's own array is what it gives
        expect(el.points).toEqual(expected);
        expect(undecodedPts(el)).toBeNull();
        expect(strokePointsNow(el)).toBe(el.points);
      }),
      { seed: 26, numRuns: 200 },
    );
  });

  test('outline and level-of-detail polyline from the bytes equal those from decoded points', () => {
    fc.assert(
      fc.property(widePoints, fc.constantFrom(1, 2, 4, 8), (points, strokeWidth) => {
        const el = lazyStroke(points, strokeWidth);
        const plain = plainTwin(el);
        expect(polyline(el, 4)).toEqual(polyline(plain, 4));
        expect(strokeOutline(el)).toEqual(strokeOutline(plain));
        expect(undecodedPts(el)).not.toBeNull();
      }),
      { seed: 27, numRuns: 100 },
    );
  });

  test('a shorter stroke after a longer one reads only its own points from the shared buffer', () => {
    const long = lazyStroke(Array.from({ length: 300 }, (_, i) => (i % 3 === 2 ? 0.5 : i)));
    const short = lazyStroke([1, 2, 0.25, 3, 4, 0.75]);
    expect(strokePointsNow(long)).toHaveLength(300);
    expect(Array.from(strokePointsNow(short))).toEqual([1, 2, 0.25, 3, 4, 0.75]);
  });
});
