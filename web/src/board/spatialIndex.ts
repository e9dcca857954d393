/**
 * A uniform grid over world space: each id is listed in every cell its bounds touch, so
 * "what might be visible / under the pointer" costs the cells of the query, not the whole board.
 * Elements spanning very many cells (a huge rectangle) go to a side list checked on every query,
 * which keeps one giant shape from filling thousands of cells. Queries return candidates; the
 * caller checks exact bounds.
 */
import type { Rect } from './geometry';

export interface GridIndex {
  insert(id: string, bounds: Rect): void;
  remove(id: string): void;
  /** ids whose cells overlap `r` (a superset of those whose bounds do) */
  query(r: Rect): Set<string>;
  readonly size: number;
  clear(): void;
}

export interface GridOptions {
  cellSize?: number;
  /** elements covering more cells than this are kept in the side list */
  maxCellsPerItem?: number;
}

// A cell's key is one number. Near the origin (within 2^14 cells: 8 million units at the
// default size) it is below 2^30, a small integer that V8 keeps unboxed, so a Map looks it up
// without allocating; a board loads ~10,000 elements into the grid at once. Farther out, cell
// coordinates stay within +-2^21 for |world| <= 10^7 and cells >= 8 units, and the key is
// 2^30 plus a pair that is exact in a double.
const NEAR = 1 << 14;
const FAR = 1 << 21;
const FAR_KEYS = 2 ** 30;
const cellKey = (cx: number, cy: number): number =>
  cx > -NEAR && cx < NEAR && cy > -NEAR && cy < NEAR
    ? (cx + NEAR) * 2 ** 15 + (cy + NEAR)
    : FAR_KEYS + (cx + FAR) * 2 ** 23 + (cy + FAR);
/** cellKey's inverse: [cx, cy] */
function cellOf(k: number): [number, number] {
  if (k < FAR_KEYS) return [Math.floor(k / 2 ** 15) - NEAR, (k % 2 ** 15) - NEAR];
  const far = k - FAR_KEYS;
  return [Math.floor(far / 2 ** 23) - FAR, (far % 2 ** 23) - FAR];
}

export function makeGridIndex(options: GridOptions = {}): GridIndex {
  const cellSize = options.cellSize ?? 512;
  const maxCells = options.maxCellsPerItem ?? 64;
  const cells = new Map<number, Set<string>>();
  /** id -> the cell keys it sits in, or null when it is in `large` */
  const placed = new Map<string, number[] | null>();
  const large = new Set<string>();

  const span = (r: Rect) => ({
    x0: Math.floor(r.minX / cellSize),
    y0: Math.floor(r.minY / cellSize),
    x1: Math.floor(r.maxX / cellSize),
    y1: Math.floor(r.maxY / cellSize),
  });

  const remove = (id: string): void => {
    const keys = placed.get(id);
    if (keys === undefined) return;
    placed.delete(id);
    if (keys === null) {
      large.delete(id);
      return;
    }
    for (const k of keys) {
      const cell = cells.get(k);
      if (!cell) continue;
      cell.delete(id);
      if (cell.size === 0) cells.delete(k);
    }
  };

  return {
    insert(id, bounds) {
      remove(id);
      const { x0, y0, x1, y1 } = span(bounds);
      const count = (x1 - x0 + 1) * (y1 - y0 + 1);
      if (!(count <= maxCells)) {
        // also catches NaN spans: such bounds are always a candidate rather than lost
        large.add(id);
        placed.set(id, null);
        return;
      }
      const keys: number[] = [];
      for (let cx = x0; cx <= x1; cx++) {
        for (let cy = y0; cy <= y1; cy++) {
          const k = cellKey(cx, cy);
          let cell = cells.get(k);
          if (!cell) cells.set(k, (cell = new Set()));
          cell.add(id);
          keys.push(k);
        }
      }
      placed.set(id, keys);
    },
    remove,
    query(r) {
      const out = new Set<string>(large);
      const { x0, y0, x1, y1 } = span(r);
      const count = (x1 - x0 + 1) * (y1 - y0 + 1);
      if (!(count <= cells.size)) {
        // the query covers more cells than are occupied: walking the occupied ones is cheaper
        for (const [k, cell] of cells) {
          const [cx, cy] = cellOf(k);
          if (cx < x0 || cx > x1 || cy < y0 || cy > y1) continue;
          for (const id of cell) out.add(id);
        }
        return out;
      }
      for (let cx = x0; cx <= x1; cx++) {
        for (let cy = y0; cy <= y1; cy++) {
          const cell = cells.get(cellKey(cx, cy));
          if (cell) for (const id of cell) out.add(id);
        }
      }
      return out;
    },
    get size() {
      return placed.size;
    },
    clear() {
      cells.clear();
      placed.clear();
      large.clear();
    },
  };
}
