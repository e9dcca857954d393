import { describe, expect, it } from 'vitest';
import { makeRate, RATE_STALE_MS } from './rate';

describe('rate', () => {
  it('measures a steady flow', () => {
    const r = makeRate();
    r.reset(0, 0);
    for (let t = 500; t <= 5000; t += 500) r.update(t * 1000, t); // 1 MB/s
    expect(r.speed(5000)).toBeCloseTo(1_000_000, -3);
    expect(r.eta(5_000_000, 10_000_000, 5000)).toBeCloseTo(5, 1);
  });

  it('has no speed or ETA once nothing arrived for a few seconds, never a decayed rate', () => {
    const r = makeRate();
    r.reset(0, 0);
    for (let t = 500; t <= 5000; t += 500) r.update(t * 1000, t);
    // the peer left: the byte count stands still while views keep sampling it for an hour
    for (let t = 5500; t <= 3_600_000; t += 1000) r.update(5_000_000, t);
    expect(r.speed(3_600_000)).toBeNull();
    expect(r.eta(5_000_000, 93_000_000, 3_600_000)).toBeNull();
    // still shown just before the stale limit, gone right after it
    const s = makeRate();
    s.reset(0, 0);
    for (let t = 500; t <= 5000; t += 500) s.update(t * 1000, t);
    s.update(5_000_000, 5000 + RATE_STALE_MS);
    expect(s.speed(5000 + RATE_STALE_MS)).toBeGreaterThan(0);
    expect(s.speed(5001 + RATE_STALE_MS)).toBeNull();
  });

  it('starts over when bytes flow again after a stall: the stalled hour does not drag it down', () => {
    const r = makeRate();
    r.reset(0, 0);
    for (let t = 500; t <= 5000; t += 500) r.update(t * 1000, t);
    for (let t = 6000; t <= 600_000; t += 1000) r.update(5_000_000, t);
    // 200 kB/s from here on
    let bytes = 5_000_000;
    for (let t = 600_500; t <= 603_000; t += 500) r.update((bytes += 100_000), t);
    expect(r.speed(603_000)).toBeCloseTo(200_000, -3);
  });

  it('tells a transfer that is starting from one that stalled (neither has a speed)', () => {
    const r = makeRate();
    r.reset(0, 0);
    // starting: nothing measured yet, even long after the start (a slow first chunk)
    r.update(0, 100);
    expect(r.speed(100)).toBeNull();
    expect(r.stalled(100)).toBe(false);
    expect(r.stalled(10_000)).toBe(false);
    for (let t = 500; t <= 5000; t += 500) r.update(t * 1000, t);
    expect(r.stalled(5000)).toBe(false);
    // bytes flowed, then none for longer than the stale limit
    r.update(5_000_000, 5001 + RATE_STALE_MS);
    expect(r.speed(5001 + RATE_STALE_MS)).toBeNull();
    expect(r.stalled(5001 + RATE_STALE_MS)).toBe(true);
    // flowing again: starts over, not stalled
    r.update(5_100_000, 9000);
    expect(r.stalled(9000)).toBe(false);
  });
});
