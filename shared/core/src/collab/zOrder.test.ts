import { describe, expect, it } from 'vitest';
import { compareElements } from './elements';
import { FIRST_KEY, keyBetween } from './fractionalIndex';
import { planReorder, type Ordered, type ZMove } from './zOrder';

/** n elements e0..en-1 in paint order */
function board(n: number): Ordered[] {
  const out: Ordered[] = [];
  let z: string | null = null;
  for (let i = 0; i < n; i++) {
    z = z === null ? FIRST_KEY : keyBetween(z, null);
    out.push({ id: `e${i}`, z });
  }
  return out;
}

/** the paint order after applying a plan */
function after(all: Ordered[], ids: string[], where: ZMove): string[] {
  const plan = planReorder(all, new Set(ids), where);
  return all
    .map((e) => ({ ...e, z: plan.get(e.id) ?? e.z }))
    .sort((a, b) => compareElements(a as never, b as never))
    .map((e) => e.id);
}

describe('planReorder (fractional keys)', () => {
  const all = board(5);

  it('front and back keep the moved elements in their relative order', () => {
    expect(after(all, ['e1', 'e3'], 'front')).toEqual(['e0', 'e2', 'e4', 'e1', 'e3']);
    expect(after(all, ['e1', 'e3'], 'back')).toEqual(['e1', 'e3', 'e0', 'e2', 'e4']);
  });

  it('forward and backward move one step past the nearest other element', () => {
    expect(after(all, ['e1'], 'forward')).toEqual(['e0', 'e2', 'e1', 'e3', 'e4']);
    expect(after(all, ['e3'], 'backward')).toEqual(['e0', 'e1', 'e3', 'e2', 'e4']);
    expect(after(all, ['e0', 'e1'], 'forward')).toEqual(['e2', 'e0', 'e1', 'e3', 'e4']);
    expect(after(all, ['e3', 'e4'], 'backward')).toEqual(['e0', 'e1', 'e3', 'e4', 'e2']);
  });

  it('only the moved elements get new keys; nothing moves at the ends', () => {
    expect([...planReorder(all, new Set(['e2']), 'forward').keys()]).toEqual(['e2']);
    expect(planReorder(all, new Set(['e4']), 'forward').size).toBe(0);
    expect(planReorder(all, new Set(['e0']), 'backward').size).toBe(0);
    expect(planReorder(all, new Set(['nope']), 'front').size).toBe(0);
  });

  it('neighbours sharing a key (concurrent inserts) still give valid, ordered keys', () => {
    const tied: Ordered[] = [
      { id: 'a', z: 'a0' },
      { id: 'b', z: 'a1' },
      { id: 'c', z: 'a1' },
      { id: 'd', z: 'a2' },
    ];
    // a goes past b: between b's and c's keys, which are equal
    const order = after(tied, ['a'], 'forward');
    expect(order.indexOf('a')).toBeGreaterThan(order.indexOf('b'));
  });
});
