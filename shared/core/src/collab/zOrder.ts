/**
 * Z-order changes as a plan of new order keys: pure, so it is unit-tested without a document.
 * Only the moved elements get new keys (fractional indexing: everything else keeps its key), so
 * a reorder is a few small writes whatever the board's size and merges with concurrent edits.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import { compareElements } from './elementTypes';
import { Z_KEY_MAX_LENGTH } from './fractionalIndex';

export type ZMove = 'front' | 'back' | 'forward' | 'backward';

export interface Ordered {
  id: string;
  z: string;
}

/** Keys strictly between lo and hi (null = open); with equal neighbours (a concurrent tie) the
 * upper bound is dropped: the moved run then lands just above `lo`, as close as keys allow. */
function keysBetween(lo: string | null, hi: string | null, n: number): string[] {
  const upper = lo !== null && hi !== null && lo >= hi ? null : hi;
  return generateNKeysBetween(lo, upper, n);
}

/**
 * New keys for `ids` (in their current relative order): 'front'/'back' to the top/bottom,
 * 'forward'/'backward' one step past the nearest other element above/below the selection.
 * Returns an empty map when nothing would move.
 */
export function planReorder(
  all: readonly Ordered[],
  ids: ReadonlySet<string>,
  where: ZMove,
): Map<string, string> {
  const ordered = [...all].sort((a, b) => compareElements(a as never, b as never));
  const moving = ordered.filter((e) => ids.has(e.id));
  const rest = ordered.filter((e) => !ids.has(e.id));
  if (moving.length === 0 || rest.length === 0) return new Map();
  let lo: string | null;
  let hi: string | null;
  if (where === 'front') {
    lo = rest[rest.length - 1]!.z;
    hi = null;
  } else if (where === 'back') {
    lo = null;
    hi = rest[0]!.z;
  } else if (where === 'forward') {
    const top = ordered.indexOf(moving[moving.length - 1]!);
    const next = rest.findIndex((e) => ordered.indexOf(e) > top);
    if (next < 0) return new Map(); // already on top
    lo = rest[next]!.z;
    hi = rest[next + 1]?.z ?? null;
  } else {
    const bottom = ordered.indexOf(moving[0]!);
    let prev = -1;
    for (let i = 0; i < rest.length; i++) if (ordered.indexOf(rest[i]!) < bottom) prev = i;
    if (prev < 0) return new Map(); // already at the bottom
    lo = rest[prev - 1]?.z ?? null;
    hi = rest[prev]!.z;
  }
  const keys = keysBetween(lo, hi, moving.length);
  if (keys.some((k) => k.length > Z_KEY_MAX_LENGTH)) return new Map();
  return new Map(moving.map((e, i) => [e.id, keys[i]!]));
}
