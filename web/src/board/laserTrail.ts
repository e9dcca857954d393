/**
 * Laser pointer trails, pure: points arrive (ours as we move, others' through awareness in
 * batches) and fade out over LASER_FADE_MS on the clock of whoever draws them. Nothing here is
 * ever stored in the document. Each trail keeps at most LASER_TRAIL_MAX points, so a peer that
 * sends faster than it should costs a bounded amount of memory and painting.
 */
import type { PresenceLaser } from '@peerboard/core/collab';

export const LASER_FADE_MS = 1000;
export const LASER_TRAIL_MAX = 256;

export interface LaserPoint {
  x: number;
  y: number;
  /** 1 when new, 0 when gone */
  alpha: number;
}

/** One trail to paint: a colour and its points, oldest first. */
export interface LaserPaint {
  colour: string;
  points: readonly LaserPoint[];
}

interface Trail {
  colour: string;
  /** flat [x, y, t, ...] */
  pts: number[];
  /** the last batch taken from this source (a re-sent state adds nothing) */
  seq: number | null;
}

export interface LaserTrails {
  /** our own pointer moved with the laser down */
  addOwn(key: string, colour: string, x: number, y: number, now: number): void;
  /** someone's awareness state changed; a batch is added once (by seq) */
  receive(key: string, colour: string, laser: PresenceLaser, now: number): void;
  /** what to paint now (faded points dropped); empty when nothing is left */
  paint(now: number): LaserPaint[];
  /** someone left: their trail goes with them */
  drop(key: string): void;
}

export function makeLaserTrails(): LaserTrails {
  const trails = new Map<string, Trail>();
  const trailOf = (key: string, colour: string): Trail => {
    let t = trails.get(key);
    if (!t) trails.set(key, (t = { colour, pts: [], seq: null }));
    t.colour = colour;
    return t;
  };
  const push = (t: Trail, x: number, y: number, now: number): void => {
    t.pts.push(x, y, now);
    if (t.pts.length > LASER_TRAIL_MAX * 3) t.pts.splice(0, t.pts.length - LASER_TRAIL_MAX * 3);
  };
  return {
    addOwn(key, colour, x, y, now) {
      push(trailOf(key, colour), x, y, now);
    },
    receive(key, colour, laser, now) {
      const t = trailOf(key, colour);
      if (t.seq === laser.seq) return;
      t.seq = laser.seq;
      for (let i = 0; i + 1 < laser.points.length; i += 2)
        push(t, laser.points[i]!, laser.points[i + 1]!, now);
    },
    paint(now) {
      const out: LaserPaint[] = [];
      for (const [key, t] of trails) {
        let first = 0;
        while (first < t.pts.length && now - t.pts[first + 2]! >= LASER_FADE_MS) first += 3;
        if (first > 0) t.pts.splice(0, first);
        if (t.pts.length === 0) {
          // keep the seq: the same batch seen again must not come back to life
          if (t.seq === null) trails.delete(key);
          continue;
        }
        const points: LaserPoint[] = [];
        for (let i = 0; i < t.pts.length; i += 3)
          points.push({
            x: t.pts[i]!,
            y: t.pts[i + 1]!,
            alpha: 1 - (now - t.pts[i + 2]!) / LASER_FADE_MS,
          });
        out.push({ colour: t.colour, points });
      }
      return out;
    },
    drop(key) {
      trails.delete(key);
    },
  };
}
