/**
 * readElement's field readers: each rejects a value that cannot be drawn (FieldError) and
 * clamps or quantizes one that merely looks odd. Kept apart from readElement so its switch over
 * element types stays readable; they run for every field of a board being loaded.
 */
import { isColour } from '@peerboard/protocol';
import {
  BINDING_KEYS,
  BOARD_LIMITS,
  isBinding,
  isElementId,
  isFiniteNumber,
  MAX_BINDING_GAP,
  type Binding,
  type ElementBase,
  type ElementErrorCode,
  type LineElement,
  type StrokeElement,
} from './elementTypes';
import { lazyStroke } from './lazyStroke';
import { LEGACY_POINTS_KEY, measuredPtsBox, PTS_KEY } from './strokePoints';

export const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** Coordinates are stored in quarter pixels: exact in float32, so Yjs encodes them in 5 bytes. */
export const quantizeCoord = (v: number): number =>
  Math.round(clamp(v, -BOARD_LIMITS.maxCoord, BOARD_LIMITS.maxCoord) * 4) / 4;
/** Pressure in 1/256 steps (also exact in float32). */
export const quantizePressure = (v: number): number => Math.round(clamp(v, 0, 1) * 256) / 256;

export class FieldError extends Error {
  constructor(
    readonly code: ElementErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function num(get: (k: string) => unknown, key: string): number {
  const v = get(key);
  if (!isFiniteNumber(v)) throw new FieldError('ERR_FIELD', `${key}: not a finite number`);
  return v;
}

export function coord(get: (k: string) => unknown, key: string): number {
  return quantizeCoord(num(get, key));
}

export function colour(get: (k: string) => unknown, key: string): string {
  const v = get(key);
  if (!isColour(v)) throw new FieldError('ERR_FIELD', `${key}: not a #rrggbb colour`);
  return v.toLowerCase();
}

function readPoints(v: unknown): number[] {
  if (!Array.isArray(v)) throw new FieldError('ERR_FIELD', 'points: not an array');
  // check the size before touching the elements: a hostile array can be huge
  if (v.length > BOARD_LIMITS.strokeMaxPoints * 3)
    throw new FieldError('ERR_TOO_LARGE', `points: more than ${BOARD_LIMITS.strokeMaxPoints}`);
  if (v.length === 0 || v.length % 3 !== 0)
    throw new FieldError('ERR_FIELD', 'points: length is not a positive multiple of 3');
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) {
    const n: unknown = v[i];
    if (!isFiniteNumber(n)) throw new FieldError('ERR_FIELD', `points[${i}]: not a finite number`);
    out[i] = i % 3 === 2 ? quantizePressure(n) : quantizeCoord(n);
  }
  return out;
}

/** A stroke: `pts` (binary, strokePoints.ts) when present, else the older `points`. */
export function readStroke(get: (k: string) => unknown, base: ElementBase): StrokeElement {
  const pts = get(PTS_KEY);
  if (pts === undefined)
    return { ...base, type: 'stroke', points: readPoints(get(LEGACY_POINTS_KEY)) };
  if (!(pts instanceof Uint8Array)) throw new FieldError('ERR_FIELD', 'pts: not bytes');
  // checked and measured now, decoded on first use (lazyStroke.ts); decoded values are whole
  // quarter px / 1/256 steps already, and clamped as readPoints clamps as they are decoded
  const box = measuredPtsBox(pts, BOARD_LIMITS.strokeMaxPoints, BOARD_LIMITS.maxCoord);
  if (!box.ok) throw new FieldError(box.code, box.message);
  return lazyStroke(base, pts, box.value, BOARD_LIMITS.strokeMaxPoints, BOARD_LIMITS.maxCoord);
}

/** readElement's reading of a legacy `points` value, for the migration (null if invalid). */
export function readLegacyPoints(raw: unknown): number[] | null {
  try {
    return readPoints(raw);
  } catch {
    return null;
  }
}

/** Absent = opaque (older elements have no opacity); anything else must be a number. */
function readOpacity(v: unknown): number {
  if (v === undefined) return 1;
  if (!isFiniteNumber(v)) throw new FieldError('ERR_FIELD', 'opacity: not a finite number');
  return clamp(v, BOARD_LIMITS.minOpacity, 1);
}

function readLocked(v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new FieldError('ERR_FIELD', 'locked: not a boolean');
  return v;
}

function readGroup(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isElementId(v)) throw new FieldError('ERR_FIELD', 'group: not an id');
  return v;
}

function readBinding(v: unknown, key: string): Binding | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isBinding(v)) throw new FieldError('ERR_FIELD', `${key}: not a binding`);
  return {
    id: v.id,
    ax: clamp(v.ax, 0, 1),
    ay: clamp(v.ay, 0, 1),
    gap: clamp(v.gap, 0, MAX_BINDING_GAP),
  };
}

export function readBindings(
  get: (k: string) => unknown,
): Pick<LineElement, (typeof BINDING_KEYS)[number]> {
  const out: Pick<LineElement, (typeof BINDING_KEYS)[number]> = {};
  for (const key of BINDING_KEYS) {
    const b = readBinding(get(key), key);
    if (b) out[key] = b;
  }
  return out;
}

export function readLabel(v: unknown): { label?: string } {
  if (v === undefined || v === null || v === '') return {};
  if (typeof v !== 'string') throw new FieldError('ERR_FIELD', 'label: not a string');
  return {
    label: v.length > BOARD_LIMITS.textMaxLength ? v.slice(0, BOARD_LIMITS.textMaxLength) : v,
  };
}

/**
 * opacity, locked and group, set on `base` only when not their default (elements stay as
 * before). Set in place: readElement runs for every element of a board being loaded, and
 * building these by spreading made several throwaway objects per element.
 */
export function readOptional(
  get: (k: string) => unknown,
  base: { opacity?: number; locked?: boolean; group?: string },
): void {
  const opacity = readOpacity(get('opacity'));
  const locked = readLocked(get('locked'));
  const group = readGroup(get('group'));
  if (opacity !== 1) base.opacity = opacity;
  if (locked) base.locked = locked;
  if (group !== undefined) base.group = group;
}
