import { describe, expect, it } from 'vitest';
import { LASER_FADE_MS, LASER_TRAIL_MAX, makeLaserTrails } from './laserTrail';

describe('laser trails', () => {
  it('fades points over a second and then paints nothing', () => {
    const t = makeLaserTrails();
    t.addOwn('me', '#ff0000', 0, 0, 1000);
    t.addOwn('me', '#ff0000', 10, 0, 1500);
    const mid = t.paint(1500);
    expect(mid).toHaveLength(1);
    expect(mid[0]!.points.map((p) => p.alpha)).toEqual([0.5, 1]);
    expect(t.paint(1000 + LASER_FADE_MS)[0]!.points).toEqual([{ x: 10, y: 0, alpha: 0.5 }]);
    expect(t.paint(1500 + LASER_FADE_MS)).toEqual([]);
  });

  it('adds a received batch once, however often the same state is seen', () => {
    const t = makeLaserTrails();
    const laser = { seq: 7, points: [1, 2, 3, 4] };
    t.receive('42', '#00ff00', laser, 0);
    t.receive('42', '#00ff00', laser, 100);
    expect(t.paint(100)[0]!.points).toHaveLength(2);
    // after it faded, the same state re-sent does not bring it back
    t.paint(LASER_FADE_MS + 1);
    t.receive('42', '#00ff00', laser, LASER_FADE_MS + 2);
    expect(t.paint(LASER_FADE_MS + 2)).toEqual([]);
    t.receive('42', '#00ff00', { seq: 8, points: [5, 6] }, LASER_FADE_MS + 3);
    expect(t.paint(LASER_FADE_MS + 3)[0]!.points).toEqual([{ x: 5, y: 6, alpha: 1 }]);
  });

  it('keeps at most LASER_TRAIL_MAX points per person, the newest', () => {
    const t = makeLaserTrails();
    for (let seq = 0; seq < 20; seq++) {
      const points = Array.from({ length: 128 }, (_, i) => seq * 1000 + i);
      t.receive('flood', '#0000ff', { seq, points }, 0);
    }
    const [trail] = t.paint(0);
    expect(trail!.points).toHaveLength(LASER_TRAIL_MAX);
    expect(trail!.points.at(-1)).toEqual({ x: 19126, y: 19127, alpha: 1 });
    t.drop('flood');
    expect(t.paint(0)).toEqual([]);
  });
});
