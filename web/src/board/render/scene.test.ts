import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareElements, type BoardElement } from '@peerboard/core/collab';
import { rectsIntersect, type Rect } from '../geometry';
import { DEFER_INDEX_AT, makeScene, settledScene, type Scene } from './scene';

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

  describe('a big batch indexed later (a board arriving)', () => {
    /** what visible() must return: every current entry meeting r, in paint order */
    const bruteVisible = (scene: Scene, r: Rect): string[] =>
      [...live.values()]
        .filter((el) => rectsIntersect(scene.get(el.id)!.bounds, r))
        .sort(compareElements)
        .map((el) => el.id);
    const live = new Map<string, BoardElement>();
    const probes: Rect[] = [
      { minX: 0, minY: 0, maxX: 1280, maxY: 800 },
      { minX: 3000, minY: 3000, maxX: 3100, maxY: 3100 },
      { minX: -100, minY: -100, maxX: 20_000, maxY: 20_000 },
      { minX: 9000, minY: 50, maxX: 9600, maxY: 700 },
    ];
    const expectExact = (scene: Scene): void => {
      for (const r of probes)
        expect(scene.visible(r).map((e) => e.el.id)).toEqual(bruteVisible(scene, r));
    };

    test('queries find pending elements, edits and deletes of them hold, indexing is in slices', () => {
      live.clear();
      const scene = makeScene();
      // a few drawn before, indexed at once
      const early = [rectEl('early0', 'Zz0', 100, 100), rectEl('early1', 'Zz1', 5000, 5000)];
      scene.apply({ added: early, updated: [], removed: [] });
      for (const el of early) live.set(el.id, el);
      expect(scene.pendingIndex).toBe(0);
      // a peer's board: a grid of rects over 10,000 x 10,000 in one change
      const batch: BoardElement[] = [];
      for (let i = 0; i < DEFER_INDEX_AT + 100; i++)
        batch.push(
          rectEl(
            `b${i}`,
            `a${String(i).padStart(4, '0')}`,
            (i % 25) * 400,
            Math.floor(i / 25) * 400,
          ),
        );
      scene.apply({ added: batch, updated: [], removed: [] });
      for (const el of batch) live.set(el.id, el);
      expect(scene.pendingIndex).toBe(batch.length);
      expectExact(scene);
      expect(scene.hitTop({ x: 410, y: 10 }, 2)?.id).toBe('b1');
      expect(scene.inside({ minX: 395, minY: -5, maxX: 425, maxY: 25 }).map((e) => e.id)).toEqual([
        'b1',
      ]);

      // while pending: a pending element moves, another goes, an indexed one moves, one is added
      const moved = rectEl('b3', 'a0003', 3050, 3050);
      const movedEarly = rectEl('early1', 'Zz1', 9100, 100);
      const added = rectEl('late', 'Zz2', 3020, 3020);
      scene.apply({ added: [added], updated: [moved, movedEarly], removed: ['b4'] });
      live.set(moved.id, moved).set(movedEarly.id, movedEarly).set(added.id, added).delete('b4');
      expectExact(scene);
      expect(scene.hitTop({ x: 1210, y: 10 }, 2)).toBeNull(); // b3's old place
      expect(scene.hitTop({ x: 1610, y: 10 }, 2)).toBeNull(); // b4, deleted

      // one slice: a batch, then it stops when asked; the rest on a later call
      const before = scene.pendingIndex;
      expect(scene.indexPending(() => false)).toBe(false);
      expect(scene.pendingIndex).toBe(before - 256);
      expectExact(scene);
      expect(scene.indexPending(() => true)).toBe(true);
      expect(scene.pendingIndex).toBe(0);
      // the grid alone answers now, with the edits made while it was pending
      expectExact(scene);
      expect(scene.hitTop({ x: 3060, y: 3060 }, 2)?.id).toBe('b3');
      expect(scene.hitTop({ x: 9110, y: 110 }, 2)?.id).toBe('early1');
      expect(scene.hitTop({ x: 5010, y: 5010 }, 2)?.id).not.toBe('early1');
      expect(scene.size).toBe(live.size);
    });

    test('a stored board reset at once is pending too, and small changes stay immediate', () => {
      live.clear();
      const scene = makeScene();
      const els: BoardElement[] = [];
      for (let i = 0; i < DEFER_INDEX_AT; i++) els.push(rectEl(`r${i}`, `a${i}`, i * 30, 0));
      scene.reset(els);
      for (const el of els) live.set(el.id, el);
      expect(scene.pendingIndex).toBe(DEFER_INDEX_AT);
      expectExact(scene);
      expect(scene.indexPending(() => true)).toBe(true);
      const one = rectEl('one', 'b0', 3000, 3000);
      scene.apply({ added: [one], updated: [], removed: [] });
      live.set(one.id, one);
      expect(scene.pendingIndex).toBe(0);
      expectExact(scene);
    });
  });

  test('the settled scene reads what waits before every query, and never for the painter', () => {
    const scene = makeScene();
    let waiting = [rectEl('far', 'a2', 5000, 5000)];
    let settles = 0;
    const whole = settledScene(scene, () => {
      settles++;
      scene.apply({ added: waiting, updated: [], removed: [] });
      waiting = [];
    });
    whole.apply({ added: [rectEl('near', 'a1', 0, 0)], updated: [], removed: [] });
    // the renderer paints from the scene itself: the near element only, nothing read
    expect(scene.visible({ minX: -1e5, minY: -1e5, maxX: 1e5, maxY: 1e5 })).toHaveLength(1);
    expect([settles, whole.version, whole.pendingIndex]).toEqual([0, scene.version, 0]);
    const far = { x: 5010, y: 5010 };
    const queries: [string, () => unknown][] = [
      ['get', () => whole.get('far')?.el.id],
      ['size', () => whole.size],
      ['ordered', () => whole.ordered().length],
      ['visible', () => whole.visible({ minX: 4990, minY: 4990, maxX: 5030, maxY: 5030 }).length],
      ['hitTop', () => whole.hitTop(far, 2)?.id],
      ['hitAll', () => whole.hitAll(far, 2).length],
      ['inside', () => whole.inside({ minX: 4000, minY: 4000, maxX: 6000, maxY: 6000 }).length],
      ['bounds', () => whole.bounds()?.maxX],
    ];
    const answers = queries.map(([name, ask]) => {
      waiting = [rectEl('far', 'a2', 5000, 5000)];
      scene.apply({ added: [], updated: [], removed: ['far'] });
      const before = settles;
      const answer = ask();
      return [name, settles - before, answer];
    });
    expect(answers).toEqual([
      ['get', 1, 'far'],
      ['size', 1, 2],
      ['ordered', 1, 2],
      ['visible', 1, 1],
      ['hitTop', 1, 'far'],
      ['hitAll', 1, 1],
      ['inside', 1, 1],
      ['bounds', 1, 5022], // its edge and ink
    ]);
  });
});
