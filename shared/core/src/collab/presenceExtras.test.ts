import { describe, expect, it } from 'vitest';
import { readPresence } from './presence';
import { PRESENCE_EXTRA_LIMITS, readDevice, readLaser, readView } from './presenceExtras';

const base = { name: 'Ann', colour: '#a0b0c0' };

describe('presence extras', () => {
  it('keeps valid laser, view, away and device fields', () => {
    const r = readPresence({
      ...base,
      laser: { seq: 3, points: [1, 2, 3.5, -4] },
      view: { x: 10, y: -20, zoom: 2 },
      away: 'hidden',
      device: { key: 'BAbc_-', sig: 'xyz' },
    });
    expect(r.ok && r.value).toMatchObject({
      laser: { seq: 3, points: [1, 2, 3.5, -4] },
      view: { x: 10, y: -20, zoom: 2 },
      away: 'hidden',
      device: { key: 'BAbc_-', sig: 'xyz' },
    });
  });

  it('drops bad extras without rejecting the presence', () => {
    const r = readPresence({
      ...base,
      laser: { seq: 1, points: [1, NaN] },
      view: { x: 0, y: 0, zoom: 0 },
      away: 'asleep',
      device: { key: 'not base64!', sig: 'x' },
    });
    expect(r).toEqual({
      ok: true,
      value: { ...base, cursor: null, selection: [], typing: false },
    });
    expect(readLaser({ seq: 1, points: [1, 2, 3] })).toBeNull();
    expect(readLaser({ points: [1, 2] })).toBeNull();
    expect(readDevice({ key: 'a'.repeat(101), sig: 'b' })).toBeNull();
  });

  it('bounds a laser flood to its last points and clamps coordinates and zoom', () => {
    const n = PRESENCE_EXTRA_LIMITS.laserMaxPoints;
    const points = Array.from({ length: 2 * (n + 1000) }, (_, i) => i);
    const laser = readLaser({ seq: 9, points });
    expect(laser?.points).toHaveLength(2 * n);
    expect(laser?.points.at(-1)).toBe(points.at(-1));
    expect(readLaser({ seq: 1, points: [1e300, -1e300] })?.points).toEqual([1e7, -1e7]);
    expect(readView({ x: 0, y: 0, zoom: 1e9 })?.zoom).toBe(PRESENCE_EXTRA_LIMITS.maxZoom);
  });
});
