/**
 * A stroke's points for one paint, without decoding them onto the element. A board load leaves
 * strokes undecoded (core's lazyStroke.ts); the first frame then traced every stroke in view
 * through `el.points`, which builds and keeps a number[] per stroke: ~10% of a cold fit-all
 * frame at 50,000 strokes, and every stroke's points left on the heap. Here the `pts` bytes are
 * read into one scratch buffer all strokes share, with decodePts's arithmetic (strokePoints.ts:
 * format byte, then zigzag varint deltas of x and y in quarter px and pressure in 1/256, each
 * value clamped), so the numbers are the ones `el.points` would give (strokePts.test.ts).
 */
import { undecodedPts, type StrokeElement } from '@peerboard/core/collab';

let scratch = new Float64Array(3 * 128);

/**
 * Flat [dx, dy, pressure, ...] offsets from the stroke's (x, y): its decoded points, or while
 * undecoded, its bytes read into the shared scratch buffer. Valid until the next call: read it
 * at once and keep nothing.
 */
export function strokePointsNow(el: Pick<StrokeElement, 'points'>): ArrayLike<number> {
  const raw = undecodedPts(el);
  if (raw === null) return el.points;
  const { bytes, clamp } = raw;
  // whole points only (checked when the stroke was read); at least one value per byte
  if (scratch.length < bytes.length) scratch = new Float64Array(bytes.length * 2);
  const out = scratch;
  let x = 0;
  let y = 0;
  let p = 0;
  let n = 0;
  let pos = 1;
  while (pos < bytes.length) {
    let b = bytes[pos++]!;
    let v = b & 0x7f;
    for (let scale = 0x80; b >= 0x80; scale *= 0x80) {
      b = bytes[pos++]!;
      v += (b & 0x7f) * scale;
    }
    const d = v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    const lane = n % 3;
    let value: number;
    if (lane === 2) {
      value = (p += d) / 256;
      value = value < 0 ? 0 : value > 1 ? 1 : value;
    } else {
      value = lane === 0 ? (x += d) / 4 : (y += d) / 4;
      value = value < -clamp ? -clamp : value > clamp ? clamp : value;
    }
    out[n++] = value;
  }
  return out.subarray(0, n);
}
