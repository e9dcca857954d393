/**
 * A stroke's points for one paint, without decoding them onto the element. A board load leaves
 * strokes undecoded (core's lazyStroke.ts); the first frame then traced every stroke in view
 * through `el.points`, which builds and keeps a number[] per stroke: ~10% of a cold fit-all
 * frame at 50,000 strokes, and every stroke's points left on the heap. Here the `pts` bytes are
 * decoded by core's own decoder (decodeCheckedPts, the one that fills `el.points`) into one
 * scratch buffer all strokes share, so the numbers are the ones `el.points` would give
 * (strokePts.test.ts).
 */
import { decodeCheckedPts, undecodedPts, type StrokeElement } from '@peerboard/core/collab';

let scratch = new Float64Array(3 * 128);

/**
 * Flat [dx, dy, pressure, ...] offsets from the stroke's (x, y): its decoded points, or while
 * undecoded, its bytes read into the shared scratch buffer. Valid until the next call: read it
 * at once and keep nothing.
 */
export function strokePointsNow(el: Pick<StrokeElement, 'points'>): ArrayLike<number> {
  const raw = undecodedPts(el);
  if (raw === null) return el.points;
  // at least one byte per value (checked when the stroke was read)
  if (scratch.length < raw.bytes.length) scratch = new Float64Array(raw.bytes.length * 2);
  return scratch.subarray(0, decodeCheckedPts(raw.bytes, scratch, raw.clamp));
}
