import { describe, expect, it } from 'vitest';
import { makeStallWatch, STALL_MAX_MS } from './stall';

describe('stall watch', () => {
  it('flags a holder that owes data and sent nothing for the minimum, not one that owes none', () => {
    const w = makeStallWatch(1000);
    w.progress('liar', 0, 0);
    w.progress('idle', 0, 0);
    const owed = (h: string) => (h === 'liar' ? 100_000 : 0);
    expect(w.stalled(1000, owed)).toEqual([]);
    expect(w.stalled(1001, owed)).toEqual(['liar']);
    w.forget('liar');
    expect(w.stalled(5000, owed)).toEqual([]);
  });

  it('adapts to the best speed seen: owing more than a few seconds of data gets more time', () => {
    const w = makeStallWatch(1000);
    // 100 kB/s measured over one window
    w.progress('a', 0, 0);
    w.progress('a', 0, 1);
    w.progress('a', 1000, 100_000);
    const owed = () => 1_000_000; // 10 s at 100 kB/s: allowed 3 x 10 s
    expect(w.stalled(1000 + 29_000, owed)).toEqual([]);
    expect(w.stalled(1000 + 30_001, owed)).toEqual(['a']);
    // never more than the cap, however much is owed
    expect(w.stalled(1000 + STALL_MAX_MS + 1, () => 1e12)).toEqual(['a']);
  });
});
