import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { rectsIntersect, type Rect } from './geometry';
import { makeGridIndex } from './spatialIndex';

/** rects whose corner is within +-`reach` of the origin, at most `size` wide and high */
const rectsWithin = (reach: number, size: number) =>
  fc
    .record({
      x: fc.integer({ min: -reach, max: reach }),
      y: fc.integer({ min: -reach, max: reach }),
      w: fc.integer({ min: 0, max: size }),
      h: fc.integer({ min: 0, max: size }),
    })
    .map((r): Rect => ({ minX: r.x, minY: r.y, maxX: r.x + r.w, maxY: r.y + r.h }));

const rectArb = rectsWithin(20000, 3000);

describe('grid index', () => {
  test('query returns every item whose bounds meet the rect (random boards, seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(rectArb, { minLength: 1, maxLength: 200 }),
        fc.array(rectArb, { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (items, queries, removals) => {
          const grid = makeGridIndex({ cellSize: 256, maxCellsPerItem: 32 });
          const live = new Map<string, Rect>();
          items.forEach((r, i) => {
            grid.insert(`e${i}`, r);
            live.set(`e${i}`, r);
          });
          for (const n of removals) {
            const id = `e${n % items.length}`;
            grid.remove(id);
            live.delete(id);
          }
          expect(grid.size).toBe(live.size);
          for (const q of queries) {
            const got = grid.query(q);
            for (const [id, r] of live) {
              if (rectsIntersect(r, q)) expect(got.has(id)).toBe(true);
            }
            for (const id of got) expect(live.has(id)).toBe(true);
          }
        },
      ),
      { seed: 1234, numRuns: 60 },
    );
  });

  test('re-inserting moves an item; remove is idempotent', () => {
    const grid = makeGridIndex({ cellSize: 100 });
    grid.insert('a', { minX: 0, minY: 0, maxX: 10, maxY: 10 });
    grid.insert('a', { minX: 5000, minY: 5000, maxX: 5010, maxY: 5010 });
    expect([...grid.query({ minX: 0, minY: 0, maxX: 50, maxY: 50 })]).toEqual([]);
    expect([...grid.query({ minX: 4990, minY: 4990, maxX: 5000, maxY: 5000 })]).toEqual(['a']);
    grid.remove('a');
    grid.remove('a');
    expect(grid.size).toBe(0);
  });

  test('a huge element lives in the side list and is found everywhere it could be', () => {
    const grid = makeGridIndex({ cellSize: 100, maxCellsPerItem: 16 });
    grid.insert('big', { minX: -1e6, minY: -1e6, maxX: 1e6, maxY: 1e6 });
    grid.insert('small', { minX: 0, minY: 0, maxX: 1, maxY: 1 });
    expect(grid.query({ minX: 500, minY: 500, maxX: 600, maxY: 600 }).has('big')).toBe(true);
    expect(grid.query({ minX: 500, minY: 500, maxX: 600, maxY: 600 }).has('small')).toBe(false);
  });

  test('a query wider than the occupied cells walks the cells instead (same answer)', () => {
    const grid = makeGridIndex({ cellSize: 64 });
    grid.insert('a', { minX: -100, minY: -100, maxX: -90, maxY: -90 });
    grid.insert('b', { minX: 9e5, minY: 9e5, maxX: 9e5 + 1, maxY: 9e5 + 1 });
    const all = grid.query({ minX: -1e6, minY: -1e6, maxX: 1e6, maxY: 1e6 });
    expect([...all].sort()).toEqual(['a', 'b']);
    const some = grid.query({ minX: -1e6, minY: -1e6, maxX: 0, maxY: 0 });
    expect([...some]).toEqual(['a']);
  });

  test('cells near and far from the origin (two kinds of cell key) answer alike, both query paths', () => {
    // 8-unit cells: 2^14 cells from the origin is 131,072 units, inside the range drawn here
    const far = rectsWithin(400_000, 40);
    const edge = 2 ** 14 * 8;
    fc.assert(
      fc.property(fc.array(far, { minLength: 1, maxLength: 60 }), far, (items, q) => {
        const grid = makeGridIndex({ cellSize: 8 });
        // items right on either side of the boundary, every run
        const all = [
          ...items,
          { minX: edge - 4, minY: -edge - 4, maxX: edge + 4, maxY: -edge + 4 },
          { minX: -edge - 2, minY: edge - 2, maxX: -edge + 2, maxY: edge + 2 },
        ];
        all.forEach((r, i) => grid.insert(`e${i}`, r));
        // a small query (cell by cell) and one wider than the occupied cells (walks them)
        for (const query of [
          q,
          { minX: q.minX - 1e6, minY: q.minY, maxX: q.maxX + 1e6, maxY: q.maxY },
        ]) {
          const got = grid.query(query);
          all.forEach((r, i) => {
            if (rectsIntersect(r, query)) expect(got.has(`e${i}`)).toBe(true);
          });
        }
        const corner = grid.query({ minX: edge, minY: -edge, maxX: edge, maxY: -edge });
        expect(corner.has(`e${items.length}`)).toBe(true);
      }),
      { seed: 99, numRuns: 80 },
    );
  });
});
