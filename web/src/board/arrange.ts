/**
 * Align and distribute a multi-selection, and the grid snap: pure, so they are unit-tested.
 * Grouped elements move as one unit (their common box is aligned, not each member).
 */
import { unionRects, type Point, type Rect } from './geometry';

export const GRID_SIZE = 20;

export const snapValue = (v: number, grid = GRID_SIZE): number => Math.round(v / grid) * grid;
export const snapPoint = (p: Point, grid = GRID_SIZE): Point => ({
  x: snapValue(p.x, grid),
  y: snapValue(p.y, grid),
});

export const ALIGNS = ['left', 'centre', 'right', 'top', 'middle', 'bottom'] as const;
export type Align = (typeof ALIGNS)[number];
export type Distribute = 'horizontal' | 'vertical';

export interface Arrangeable {
  id: string;
  bounds: Rect;
  group?: string;
}

interface Unit {
  ids: string[];
  bounds: Rect;
}

function unitsOf(items: readonly Arrangeable[]): Unit[] {
  const byGroup = new Map<string, Arrangeable[]>();
  const units: Unit[] = [];
  for (const it of items) {
    if (!it.group) units.push({ ids: [it.id], bounds: it.bounds });
    else byGroup.set(it.group, [...(byGroup.get(it.group) ?? []), it]);
  }
  for (const members of byGroup.values())
    units.push({
      ids: members.map((m) => m.id),
      bounds: unionRects(members.map((m) => m.bounds))!,
    });
  return units;
}

/** How far each element moves; elements that stay are left out. */
export type Moves = Map<string, Point>;

function movesOf(units: readonly Unit[], delta: (u: Unit) => Point): Moves {
  const out: Moves = new Map();
  for (const u of units) {
    const d = delta(u);
    if (d.x === 0 && d.y === 0) continue;
    for (const id of u.ids) out.set(id, d);
  }
  return out;
}

/** Line up the units' edges or centres with the selection's box. */
export function alignMoves(items: readonly Arrangeable[], how: Align): Moves {
  const units = unitsOf(items);
  if (units.length < 2) return new Map();
  const box = unionRects(units.map((u) => u.bounds))!;
  const cx = (r: Rect) => (r.minX + r.maxX) / 2;
  const cy = (r: Rect) => (r.minY + r.maxY) / 2;
  return movesOf(units, ({ bounds: b }) => {
    switch (how) {
      case 'left':
        return { x: box.minX - b.minX, y: 0 };
      case 'centre':
        return { x: cx(box) - cx(b), y: 0 };
      case 'right':
        return { x: box.maxX - b.maxX, y: 0 };
      case 'top':
        return { x: 0, y: box.minY - b.minY };
      case 'middle':
        return { x: 0, y: cy(box) - cy(b) };
      case 'bottom':
        return { x: 0, y: box.maxY - b.maxY };
    }
  });
}

/**
 * Equal gaps between the units along one axis, the first and last staying where they are
 * (ordered by their centres). Needs three units.
 */
export function distributeMoves(items: readonly Arrangeable[], axis: Distribute): Moves {
  const units = unitsOf(items);
  if (units.length < 3) return new Map();
  const lo = (r: Rect) => (axis === 'horizontal' ? r.minX : r.minY);
  const hi = (r: Rect) => (axis === 'horizontal' ? r.maxX : r.maxY);
  const sorted = [...units].sort(
    (a, b) => lo(a.bounds) + hi(a.bounds) - (lo(b.bounds) + hi(b.bounds)),
  );
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const total = hi(last.bounds) - lo(first.bounds);
  const sizes = sorted.reduce((s, u) => s + hi(u.bounds) - lo(u.bounds), 0);
  const gap = (total - sizes) / (sorted.length - 1);
  const target = new Map<Unit, number>();
  let at = lo(first.bounds);
  for (const u of sorted) {
    target.set(u, at);
    at += hi(u.bounds) - lo(u.bounds) + gap;
  }
  return movesOf(units, (u) => {
    const d = target.get(u)! - lo(u.bounds);
    return axis === 'horizontal' ? { x: d, y: 0 } : { x: 0, y: d };
  });
}
