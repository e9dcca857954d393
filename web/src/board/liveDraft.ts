/**
 * What we show the others of a shape we are still drawing (awareness `draft`): the element so
 * far, bounded in size. A freehand stroke longer than PRESENCE_LIMITS.draftMaxPoints is
 * simplified (Ramer-Douglas-Peucker, the tolerance doubling until it fits) rather than cut, so
 * the others see the whole stroke, not only its tail. Pure (no DOM).
 */
import type { PresenceDraft } from '@peerboard/core/collab';
import { PRESENCE_LIMITS } from '@peerboard/core/collab';
import { quantizeCoord } from '@peerboard/core/collab';
import type { ElementDraft } from '@peerboard/core/collab';
import { distToSegment } from './hitTest';

/** Pressure in 1/16 steps: short JSON ("0.5625"), and a preview needs no more. */
const roughPressure = (p: number): number => Math.round(Math.min(1, Math.max(0, p)) * 16) / 16;

/** Indices (point numbers) RDP keeps at `tolerance`; the first and last always stay. */
function rdpKeep(points: readonly number[], tolerance: number): number[] {
  const n = points.length / 3;
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    const ax = points[a * 3]!;
    const ay = points[a * 3 + 1]!;
    const bx = points[b * 3]!;
    const by = points[b * 3 + 1]!;
    let worst = -1;
    let worstAt = -1;
    for (let i = a + 1; i < b; i++) {
      const d = distToSegment(points[i * 3]!, points[i * 3 + 1]!, ax, ay, bx, by);
      if (d > worst) {
        worst = d;
        worstAt = i;
      }
    }
    if (worstAt >= 0 && worst > tolerance) {
      keep[worstAt] = 1;
      stack.push([a, worstAt], [worstAt, b]);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(i);
  return out;
}

/**
 * At most `maxPoints` of a flat [dx, dy, pressure, ...] list, keeping its shape: RDP from
 * `tolerance` (world units), doubling it until the result fits. Coordinates are quantised like
 * stored ones, pressure to 1/16.
 */
export function simplifyPoints(
  points: readonly number[],
  maxPoints: number,
  tolerance: number,
): number[] {
  let indices = Array.from({ length: points.length / 3 }, (_, i) => i);
  let tol = Math.max(tolerance, 1e-3);
  // doubling from any positive tolerance reaches the stroke's size within a few dozen rounds;
  // the round limit is only a guard (the final slice below bounds the size regardless)
  for (let round = 0; indices.length > maxPoints && round < 64; round++) {
    const sub: number[] = [];
    for (const i of indices) sub.push(points[i * 3]!, points[i * 3 + 1]!, points[i * 3 + 2]!);
    indices = rdpKeep(sub, tol).map((k) => indices[k]!);
    tol *= 2;
  }
  if (indices.length > maxPoints) indices = indices.slice(indices.length - maxPoints);
  const out: number[] = [];
  for (const i of indices)
    out.push(
      quantizeCoord(points[i * 3]!),
      quantizeCoord(points[i * 3 + 1]!),
      roughPressure(points[i * 3 + 2]!),
    );
  return out;
}

/**
 * The awareness draft of an element being drawn. `pixel` is world units per screen pixel:
 * simplification starts at half a pixel, below what anyone can see at our zoom.
 */
export function presenceDraft(el: ElementDraft, pixel: number): PresenceDraft | null {
  switch (el.type) {
    case 'stroke':
      return {
        ...el,
        x: quantizeCoord(el.x),
        y: quantizeCoord(el.y),
        points: simplifyPoints(el.points, PRESENCE_LIMITS.draftMaxPoints, pixel * 0.5),
      };
    case 'line':
    case 'arrow':
    case 'rect':
    case 'ellipse':
    case 'diamond':
      return el;
    case 'text':
    case 'image':
      return null;
  }
}
