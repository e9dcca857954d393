/**
 * Stroke points as stored: the `pts` field, integer quarter pixels and 1/256 pressure steps,
 * delta-encoded as zigzag varints in one Uint8Array (Yjs keeps it as a single binary value).
 *
 * Why: the older `points` field is an array of floats, which Yjs writes as float32 or float64
 * one by one and lib0 reads back one DataView at a time. A 10,000-stroke board was 11.6 MB and
 * its decode (done twice on a join: the schema check, then the apply) dominated the time to
 * join it. Mouse and pen points move a few pixels at a time, so a delta is one byte: the same
 * board is a quarter of the size and decodes as one memcpy per stroke.
 *
 * Layout: byte 0 is the format (PTS_FORMAT); then for every point three zigzag varints, the
 * change of x (quarter px), y (quarter px) and pressure (1/256) from the previous point (the
 * first from 0, 0, 0). Values are offsets from the element's (x, y), like `points`.
 *
 * `points` is still read (boards stored before this, peers running older code) and a loaded
 * board is migrated (migrateStrokePoints). Both go through the same validation.
 */
import * as Y from 'yjs';
import { err, ok, type Result } from '@peerboard/protocol';

export const PTS_FORMAT = 1;
/** Stored field names: the float array of older clients and the binary encoding. */
export const LEGACY_POINTS_KEY = 'points';
export const PTS_KEY = 'pts';

/** Each varint here holds at most 32 bits of magnitude: 5 bytes. */
const MAX_VARINT_BYTES = 5;

/** Bytes a `pts` value may have for `maxPoints` points (checked before decoding). */
export const ptsMaxBytes = (maxPoints: number): number => 1 + maxPoints * 3 * MAX_VARINT_BYTES;

const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
/** up to 2^30 in integer operations (every value a real stroke has); above, the float form */
const unzigzag = (n: number): number =>
  n < 0x40000000 ? (n >>> 1) ^ -(n & 1) : n % 2 === 0 ? n / 2 : -(n + 1) / 2;

/**
 * Encodes flat [dx, dy, pressure, ...] (already quantised: quarter px, 1/256 pressure; other
 * values are rounded to those steps).
 */
export function encodePts(points: readonly number[]): Uint8Array {
  const out = new Uint8Array(1 + points.length * MAX_VARINT_BYTES);
  out[0] = PTS_FORMAT;
  let pos = 1;
  const prev = [0, 0, 0];
  for (let i = 0; i < points.length; i++) {
    const lane = i % 3;
    const q = Math.round(points[i]! * (lane === 2 ? 256 : 4));
    let v = zigzag(q - prev[lane]!);
    prev[lane] = q;
    while (v >= 0x80) {
      out[pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    out[pos++] = v;
  }
  return out.slice(0, pos);
}

export type PtsErrorCode = 'ERR_FIELD' | 'ERR_TOO_LARGE';

/**
 * Decodes `pts` into flat [dx, dy, pressure, ...] (quarter px / 1/256 steps, exact as floats).
 * The bytes come from peers: truncated or overlong varints, a wrong format byte, a count that is
 * not whole points or beyond `maxPoints` are errors (checkPts, run first: the decode then fills
 * an array of the right size in one pass instead of growing one). `clamp`, when given, limits
 * coordinates to +-clamp and pressure to 0..1 as they are decoded (readElement's clamping, so
 * it needs no second array).
 */
export function decodePts(
  bytes: Uint8Array,
  maxPoints: number,
  clamp?: number,
): Result<number[], PtsErrorCode> {
  const checked = checkPts(bytes, maxPoints);
  if (!checked.ok) return checked;
  const out = new Float64Array(checked.value * 3);
  decodeCheckedPts(bytes, out, clamp);
  return ok(Array.from(out));
}

/**
 * The values of `pts` bytes that checkPts accepted, written into `out` from index 0 (it must
 * hold bytes.length - 1 values: at least one byte each); returns how many. Clamped as decodePts
 * clamps. For a reader that decodes into a buffer it reuses (the renderer's one paint of a
 * stroke, render/strokePts.ts) instead of keeping an array per stroke.
 */
export function decodeCheckedPts(bytes: Uint8Array, out: Float64Array, clamp?: number): number {
  let x = 0;
  let y = 0;
  let p = 0;
  let n = 0;
  let pos = 1;
  while (pos < bytes.length) {
    // the varint's bytes were checked: at most 5, the last below 0x80
    let b = bytes[pos++]!;
    let v = b & 0x7f;
    // small integers while they fit, as in ptsBox
    for (let shift = 7; b >= 0x80; shift += 7) {
      b = bytes[pos++]!;
      v = shift === 28 ? v + (b & 0x7f) * 0x10000000 : v | ((b & 0x7f) << shift);
    }
    const d = unzigzag(v);
    const lane = n % 3;
    let value = lane === 0 ? (x += d) / 4 : lane === 1 ? (y += d) / 4 : (p += d) / 256;
    if (clamp !== undefined) {
      const lo = lane === 2 ? 0 : -clamp;
      const hi = lane === 2 ? 1 : clamp;
      value = value < lo ? lo : value > hi ? hi : value;
    }
    out[n++] = value;
  }
  return n;
}

/** A stroke's points' extent: offsets from the element's (x, y), clamped as readElement does. */
export interface PtsBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * checkPts plus the box of the points as decodePts (with `clamp`) would give them, without
 * building them: what a board load needs of every stroke (bounds for the spatial index), while
 * the points themselves are decoded only for the strokes someone draws or hit-tests.
 */
export function ptsBox(
  bytes: Uint8Array,
  maxPoints: number,
  clamp: number,
): Result<PtsBox, PtsErrorCode> {
  // checkPts's rules in checkPts's order, in the same pass that measures
  if (bytes.length > ptsMaxBytes(maxPoints))
    return err('ERR_TOO_LARGE', `pts: more than ${maxPoints} points`);
  if (bytes.length < 2 || bytes[0] !== PTS_FORMAT)
    return err('ERR_FIELD', 'pts: empty or an unknown format');
  // extremes of the running sums in quarter pixels; divided and clamped once at the end
  // (clamping is monotonic, so the clamped extremes are the extremes of the clamped values)
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let x = 0;
  let y = 0;
  let values = 0;
  const end = bytes.length;
  let pos = 1;
  points: while (pos < end) {
    // Whole points of one-byte deltas (nearly every point of a drawn line: a few pixels
    // apart), in a loop of their own: no lane to follow, no varint loop (a board load walks
    // ~2 M bytes, most of it while the JIT is still cold).
    const run = pos;
    while (pos + 2 < end) {
      const bx = bytes[pos]!;
      const by = bytes[pos + 1]!;
      if ((bx | by | bytes[pos + 2]!) >= 0x80) break;
      pos += 3;
      x += (bx >>> 1) ^ -(bx & 1);
      y += (by >>> 1) ^ -(by & 1);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    values += pos - run;
    if (pos === end) break;
    // A point with a longer delta, or what is left: one value per lane, as varints of small
    // integers while they fit (four bytes: 28 bits; float maths per byte made this first pass
    // several times slower)
    for (let lane = 0; lane < 3; lane++) {
      if (pos === end) break points; // not whole points: told below, after the count
      let b = bytes[pos++]!;
      let v = b;
      if (b >= 0x80) {
        v = b & 0x7f;
        let shift = 7;
        do {
          if (pos === end) return err('ERR_FIELD', 'pts: truncated');
          if (shift === 7 * MAX_VARINT_BYTES) return err('ERR_FIELD', 'pts: value too long');
          b = bytes[pos++]!;
          // the fifth byte takes the value past 31 bits: a float from there
          v = shift === 28 ? v + (b & 0x7f) * 0x10000000 : v | ((b & 0x7f) << shift);
          shift += 7;
        } while (b >= 0x80);
      }
      values++;
      // pressure (lane 2) is no part of the extent
      if (lane === 0) {
        x += unzigzag(v);
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
      } else if (lane === 1) {
        y += unzigzag(v);
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (values > maxPoints * 3) return err('ERR_TOO_LARGE', `pts: more than ${maxPoints}`);
  if (values % 3 !== 0) return err('ERR_FIELD', 'pts: not a whole number of points');
  return ok({
    minX: clampQuarter(minX, clamp),
    minY: clampQuarter(minY, clamp),
    maxX: clampQuarter(maxX, clamp),
    maxY: clampQuarter(maxY, clamp),
  });
}

/** quarter pixels to pixels, within +-clamp */
const clampQuarter = (q: number, clamp: number): number =>
  q / 4 < -clamp ? -clamp : q / 4 > clamp ? clamp : q / 4;

interface Measured {
  maxPoints: number;
  clamp: number;
  box: PtsBox;
}
/** by bytes object: Yjs stores the very Uint8Array a peer's update was checked with */
const MEASURED = new WeakMap<Uint8Array, Measured>();

/**
 * ptsBox, remembered for these bytes: the schema check of a peer's update (docSchema.ts) and
 * the read that follows once it is applied (readElement) both need it, and on a board load
 * walking every stroke's bytes twice was a tenth of the apply. The bytes are the document's
 * own, which Yjs never changes; only a successful measure is kept.
 */
/**
 * The box ptsBox gave these bytes with these limits, if it was measured already (by the schema
 * check of the update that brought them), else undefined: no walk, nothing allocated.
 */
export function knownPtsBox(
  bytes: Uint8Array,
  maxPoints: number,
  clamp: number,
): PtsBox | undefined {
  const known = MEASURED.get(bytes);
  return known && known.maxPoints === maxPoints && known.clamp === clamp ? known.box : undefined;
}

export function measuredPtsBox(
  bytes: Uint8Array,
  maxPoints: number,
  clamp: number,
): Result<PtsBox, PtsErrorCode> {
  const known = MEASURED.get(bytes);
  if (known && known.maxPoints === maxPoints && known.clamp === clamp) return ok(known.box);
  const box = ptsBox(bytes, maxPoints, clamp);
  if (box.ok) MEASURED.set(bytes, { maxPoints, clamp, box: box.value });
  return box;
}

/**
 * The same rules as decodePts without building the points (the schema check of every stroke
 * a peer sends: a 10,000-stroke board is 10,000 arrays nobody reads there). Returns the count.
 */
export function checkPts(bytes: Uint8Array, maxPoints: number): Result<number, PtsErrorCode> {
  if (bytes.length > ptsMaxBytes(maxPoints))
    return err('ERR_TOO_LARGE', `pts: more than ${maxPoints} points`);
  if (bytes.length < 2 || bytes[0] !== PTS_FORMAT)
    return err('ERR_FIELD', 'pts: empty or an unknown format');
  let values = 0;
  let n = 0;
  for (let pos = 1; pos < bytes.length; pos++) {
    if (++n > MAX_VARINT_BYTES) return err('ERR_FIELD', 'pts: value too long');
    if (bytes[pos]! < 0x80) {
      n = 0;
      values++;
    }
  }
  if (n !== 0) return err('ERR_FIELD', 'pts: truncated');
  if (values > maxPoints * 3) return err('ERR_TOO_LARGE', `pts: more than ${maxPoints}`);
  if (values % 3 !== 0) return err('ERR_FIELD', 'pts: not a whole number of points');
  return ok(values / 3);
}

/** Transaction origin of the one-time rewrite of `points` into `pts` (not undoable). */
export const MIGRATION_ORIGIN: { readonly name: string } = Object.freeze({
  name: 'peerboard-migration',
});

/**
 * Rewrites every stroke still stored with float `points` into `pts` (one transaction with
 * MIGRATION_ORIGIN, which the undo manager does not track; it syncs to peers like any edit).
 * Values that do not decode as points are left alone: readElement rejects them anyway.
 * `decodeLegacy` is readElement's own reading of a `points` array. Returns how many changed.
 */
export function migrateStrokePoints(
  doc: Y.Doc,
  elements: Y.Map<unknown>,
  decodeLegacy: (raw: unknown) => number[] | null,
): number {
  const todo: [Y.Map<unknown>, Uint8Array][] = [];
  elements.forEach((value) => {
    if (!(value instanceof Y.Map) || value.get(PTS_KEY) !== undefined) return;
    const legacy = value.get(LEGACY_POINTS_KEY);
    if (legacy === undefined) return;
    const points = decodeLegacy(legacy);
    if (points) todo.push([value, encodePts(points)]);
  });
  if (todo.length === 0) return 0;
  doc.transact(() => {
    for (const [yel, pts] of todo) {
      yel.set(PTS_KEY, pts);
      yel.delete(LEGACY_POINTS_KEY);
    }
  }, MIGRATION_ORIGIN);
  return todo.length;
}
