/**
 * A draft's polyline (drafts.ts): the stroke's points less those within `tol` of the line
 * between the points kept on either side (Douglas-Peucker). The first frame of a big board that
 * arrives paints ~1,500 such lines at 50,000 strokes, and rasterising them was most of that
 * frame; a point a pen left every few pixels along a gentle curve adds a round join and no
 * visible shape. Kept: the first and the last point, and every point that bends the line by
 * more than `tol`.
 */
import type { StrokeElement } from '@peerboard/core/collab';
import type { PathSink } from './shapes';
import { strokePointsNow } from './strokePts';

export function traceDraftLine(
  sink: Pick<PathSink, 'moveTo' | 'lineTo'>,
  el: StrokeElement,
  tol: number,
): void {
  const p = strokePointsNow(el);
  const n = Math.floor(p.length / 3);
  if (n === 0) return;
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const tol2 = tol * tol;
  // spans still to look at, as pairs of point indexes (no recursion: a stroke can be long)
  const spans = [0, n - 1];
  while (spans.length > 0) {
    const b = spans.pop()!;
    const a = spans.pop()!;
    const ax = p[a * 3]!;
    const ay = p[a * 3 + 1]!;
    const dx = p[b * 3]! - ax;
    const dy = p[b * 3 + 1]! - ay;
    const len2 = dx * dx + dy * dy;
    let far = -1;
    let farD2 = tol2;
    for (let i = a + 1; i < b; i++) {
      const px = p[i * 3]! - ax;
      const py = p[i * 3 + 1]! - ay;
      // squared distance to the line through a and b (to a itself when b is on a)
      const cross = px * dy - py * dx;
      const d2 = len2 === 0 ? px * px + py * py : (cross * cross) / len2;
      if (d2 > farD2) {
        farD2 = d2;
        far = i;
      }
    }
    if (far < 0) continue;
    keep[far] = 1;
    spans.push(a, far, far, b);
  }
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const x = el.x + p[i * 3]!;
    const y = el.y + p[i * 3 + 1]!;
    if (kept++ === 0) sink.moveTo(x, y);
    else sink.lineTo(x, y);
  }
  // a single point still leaves a round dot
  if (kept === 1) sink.lineTo(el.x + p[0]!, el.y + p[1]!);
}
