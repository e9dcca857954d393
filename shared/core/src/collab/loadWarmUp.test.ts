import { describe, expect, it } from 'vitest';
import type { BoardChange } from './boardObserver';
import { WARM_UP_ELEMENTS, warmUpBoardLoad, warmUpUpdate } from './loadWarmUp';

describe('warmUpBoardLoad: a small board through the way in of a peer’s board', () => {
  it('every element passes the gate and is reported: some read near first, the rest drained', () => {
    const changes: BoardChange[] = [];
    expect(warmUpBoardLoad(warmUpUpdate(), (c) => changes.push(c))).toBe(WARM_UP_ELEMENTS);
    // the near-first reading and the drain: two changes of additions, neither local
    expect(changes.length).toBe(2);
    for (const c of changes) {
      expect(c.local).toBe(false);
      expect(c.updated).toEqual([]);
      expect(c.removed).toEqual([]);
      expect(c.added.length).toBeGreaterThan(0);
    }
    const types = new Set(changes.flatMap((c) => c.added.map((e) => e.type)));
    expect([...types].sort()).toEqual(['rect', 'stroke']);
  });

  it('leaves nothing behind: the same update loads again, whole', () => {
    const update = warmUpUpdate();
    expect(warmUpBoardLoad(update)).toBe(WARM_UP_ELEMENTS);
    expect(warmUpBoardLoad(update)).toBe(WARM_UP_ELEMENTS);
  });
});
