import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareElements, type BoardElement } from '@peerboard/core/collab';
import { rectsIntersect } from '../geometry';
import { makeScene } from './scene';

const rectEl = (id: string, z: string, x: number, y: number, w = 20, h = 20): BoardElement => ({
  id,
  author: 1,
  z,
  type: 'rect',
  x,
  y,
  w,
  h,
  fill: '#ffffff',
  colour: '#1e1e1e',
  strokeWidth: 2,
});

describe('scene', () => {
  test('keeps paint order through appends, z changes and removals', () => {
    const scene = makeScene();
    scene.apply({
      added: [rectEl('a', 'a1', 0, 0), rectEl('b', 'a2', 0, 0)],
      updated: [],
      removed: [],
    });
    scene.apply({ added: [rectEl('c', 'a0', 0, 0)], updated: [], removed: [] });
    expect(scene.ordered().map((e) => e.el.id)).toEqual(['c', 'a', 'b']);
    scene.apply({ added: [], updated: [rectEl('c', 'a3', 0, 0)], removed: [] });
    expect(scene.ordered().map((e) => e.el.id)).toEqual(['a', 'b', 'c']);
    scene.apply({ added: [], updated: [], removed: ['b', 'nope'] });
    expect(scene.ordered().map((e) => [e.el.id, e.order])).toEqual([
      ['a', 0],
      ['c', 1],
    ]);
    expect(scene.size).toBe(2);
  });

  test('an update drops the cached path and moves the bounds', () => {
    const scene = makeScene();
    scene.apply({ added: [rectEl('a', 'a1', 0, 0)], updated: [], removed: [] });
    scene.get('a')!.cache = 'built';
    const v = scene.version;
    scene.apply({ added: [], updated: [rectEl('a', 'a1', 500, 500)], removed: [] });
    expect(scene.get('a')!.cache).toBeNull();
    expect(scene.version).toBeGreaterThan(v);
    expect(scene.visible({ minX: 0, minY: 0, maxX: 50, maxY: 50 })).toEqual([]);
    expect(scene.visible({ minX: 490, minY: 490, maxX: 510, maxY: 510 }).length).toBe(1);
  });

  test('hitTop picks the topmost; hitAll lists every element under the point', () => {
    const scene = makeScene();
    scene.reset([rectEl('low', 'a1', 0, 0, 100, 100), rectEl('high', 'a2', 50, 50, 100, 100)]);
    expect(scene.hitTop({ x: 75, y: 75 }, 2)?.id).toBe('high');
    expect(scene.hitTop({ x: 25, y: 25 }, 2)?.id).toBe('low');
    expect(scene.hitTop({ x: 500, y: 500 }, 2)).toBeNull();
    expect(scene.hitAll({ x: 75, y: 75 }, 2).map((e) => e.id)).toEqual(['low', 'high']);
  });

  test('inside() is the marquee: only elements entirely within', () => {
    const scene = makeScene();
    scene.reset([rectEl('in', 'a1', 10, 10), rectEl('across', 'a2', 90, 90)]);
    expect(scene.inside({ minX: 0, minY: 0, maxX: 100, maxY: 100 }).map((e) => e.id)).toEqual([
      'in',
    ]);
    expect(scene.bounds()).toEqual({ minX: 8, minY: 8, maxX: 112, maxY: 112 });
  });

  test('visible() equals brute-force culling, in paint order (random boards, seeded)', () => {
    const elArb = fc.record({
      x: fc.integer({ min: -5000, max: 5000 }),
      y: fc.integer({ min: -5000, max: 5000 }),
      w: fc.integer({ min: 0, max: 800 }),
      z: fc.integer({ min: 10, max: 99 }),
    });
    fc.assert(
      fc.property(
        fc.array(elArb, { minLength: 1, maxLength: 150 }),
        fc.record({
          x: fc.integer({ min: -6000, max: 6000 }),
          y: fc.integer({ min: -6000, max: 6000 }),
          w: fc.integer({ min: 1, max: 12000 }),
        }),
        (specs, q) => {
          const els = specs.map((s, i) => rectEl(`e${i}`, `a${s.z}`, s.x, s.y, s.w, s.w));
          const scene = makeScene();
          // half at once, half incrementally, to exercise both paths
          scene.reset(els.slice(0, els.length >> 1));
          scene.apply({ added: els.slice(els.length >> 1), updated: [], removed: [] });
          const r = { minX: q.x, minY: q.y, maxX: q.x + q.w, maxY: q.y + q.w };
          const expected = els
            .filter((el) => rectsIntersect(scene.get(el.id)!.bounds, r))
            .sort(compareElements)
            .map((el) => el.id);
          expect(scene.visible(r).map((e) => e.el.id)).toEqual(expected);
        },
      ),
      { seed: 99, numRuns: 80 },
    );
  });
});
