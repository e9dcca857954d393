/**
 * Laser trails on the overlay: a soft halo and a bright core per segment, each segment as opaque
 * as its older end, so the tail thins out as it fades. Widths are in screen pixels.
 */
import type { LaserPaint } from '../laserTrail';

const HALO_PX = 9;
const CORE_PX = 3.5;

/** `c` arrives with the world transform set; `zoom` turns screen pixels into world units. */
export function paintLasers(
  c: CanvasRenderingContext2D,
  lasers: readonly LaserPaint[],
  zoom: number,
): void {
  c.save();
  c.lineCap = 'round';
  c.lineJoin = 'round';
  for (const { colour, points } of lasers) {
    for (const [width, strength, stroke] of [
      [HALO_PX, 0.35, colour],
      [CORE_PX, 1, '#ffffff'],
    ] as const) {
      c.strokeStyle = stroke;
      c.lineWidth = width / zoom;
      if (points.length === 1) {
        const p = points[0]!;
        c.globalAlpha = p.alpha * strength;
        c.beginPath();
        c.arc(p.x, p.y, width / 2 / zoom, 0, Math.PI * 2);
        c.fillStyle = stroke;
        c.fill();
        continue;
      }
      for (let i = 1; i < points.length; i++) {
        const a = points[i - 1]!;
        const b = points[i]!;
        c.globalAlpha = Math.min(a.alpha, b.alpha) * strength;
        c.beginPath();
        c.moveTo(a.x, a.y);
        c.lineTo(b.x, b.y);
        c.stroke();
      }
    }
  }
  c.restore();
}
