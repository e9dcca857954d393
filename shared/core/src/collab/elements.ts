/**
 * Board element types and the one validator every reader goes through. The Y.Doc is written by
 * untrusted peers: anything can be in it (wrong types, NaN, huge arrays, 10 MB strings). Readers
 * never trust a field: they reject what cannot be drawn and clamp what merely looks odd. The
 * field list is documented in shared/PROTOCOL.md ("Room document model").
 */
import * as Y from 'yjs';
import { assertNever, err, isColour, ok, type Result } from '@peerboard/protocol';
import { isValidZKey } from './fractionalIndex';
import { lazyStroke } from './lazyStroke';
import { encodePts, LEGACY_POINTS_KEY, measuredPtsBox, PTS_KEY } from './strokePoints';

export const ELEMENT_TYPES = [
  'stroke',
  'line',
  'arrow',
  'rect',
  'ellipse',
  'diamond',
  'text',
  'image',
] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];

export const BOARD_LIMITS = {
  idMaxLength: 64,
  /** |x|, |y|, |w|, |h| and every stroke coordinate are clamped to this */
  maxCoord: 10_000_000,
  /** points per stroke ([dx, dy, pressure] triples); larger strokes are rejected */
  strokeMaxPoints: 20_000,
  /** text longer than this is cut */
  textMaxLength: 20_000,
  minStrokeWidth: 0.5,
  maxStrokeWidth: 200,
  minFontSize: 4,
  maxFontSize: 512,
  /** below this an element would be invisible yet still hit and selected */
  minOpacity: 0.1,
  /** an image element's natural width/height in pixels (insert downscales to 2048) */
  imageMaxPixels: 16_384,
} as const;

/**
 * Raster types only: an SVG "image" can carry script and external references, so it is never
 * an image element (imageElement.ts sniffs the bytes against these too).
 */
export const IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageMime = (typeof IMAGE_MIMES)[number];
export const isImageMime = (v: unknown): v is ImageMime =>
  (IMAGE_MIMES as readonly unknown[]).includes(v);
/** lowercase hex SHA-256: what an image element's bytes are fetched and verified by */
export const isSha256Hex = (v: unknown): v is string =>
  typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

/** How a shape's fill colour is painted: opaque, or see-through (FILL_SEMI_ALPHA). */
export const FILL_STYLES = ['solid', 'semi'] as const;
export type FillStyle = (typeof FILL_STYLES)[number];
export const FILL_SEMI_ALPHA = 0.3;

interface ElementBase {
  id: string;
  /** Y.Doc clientID of the creator (for "who drew this"; undo scoping uses origins, not this) */
  author: number;
  /** fractional index: paint order is (z, id) ascending */
  z: string;
  x: number;
  y: number;
  colour: string;
  strokeWidth: number;
  /** 0.1..1; absent = opaque (readElement leaves it out when 1, so it is never stored as 1) */
  opacity?: number;
  /** a locked element cannot be moved, resized, restyled, erased or deleted until unlocked;
   * absent = unlocked (never stored as false) */
  locked?: boolean;
  /** elements sharing a group id select and move together (groups.ts); absent = ungrouped */
  group?: string;
}

/**
 * An arrow or line end attached to a shape (bindings.ts): the end follows the shape. `ax`, `ay`
 * is where it points inside the shape's box, as fractions of its width and height (0..1);
 * `gap` is the distance kept from the outline, in world units.
 */
export interface Binding {
  id: string;
  ax: number;
  ay: number;
  gap: number;
}
export const BINDING_KEYS = ['startBinding', 'endBinding'] as const;
export const MAX_BINDING_GAP = 64;

/** Freehand stroke: `points` is flat [dx, dy, pressure, ...], offsets relative to (x, y). */
export interface StrokeElement extends ElementBase {
  type: 'stroke';
  points: number[];
}
/** Straight line or arrow from (x, y) to (x + w, y + h); w and h may be negative. */
export interface LineElement extends ElementBase {
  type: 'line' | 'arrow';
  w: number;
  h: number;
  startBinding?: Binding;
  endBinding?: Binding;
}
/** Box shapes: top-left (x, y), size w x h (>= 0); fill null = transparent. */
export interface ShapeElement extends ElementBase {
  type: 'rect' | 'ellipse' | 'diamond';
  w: number;
  h: number;
  fill: string | null;
  /** absent = 'solid' (never stored as 'solid') */
  fillStyle?: FillStyle;
  /** text drawn inside the shape, wrapped to its width and centred; absent = none */
  label?: string;
}
export interface TextElement extends ElementBase {
  type: 'text';
  w: number;
  h: number;
  text: string;
  fontSize: number;
}

/**
 * A raster image in a box at (x, y) of size w x h (>= 0). The bytes are not in the document:
 * peers fetch them by `sha256` (transfer/imageBlobs.ts) and check the hash before use.
 */
export interface ImageElement extends ElementBase {
  type: 'image';
  w: number;
  h: number;
  sha256: string;
  mime: ImageMime;
  /** the bitmap's own size in pixels (1..imageMaxPixels) */
  naturalW: number;
  naturalH: number;
}

export type BoardElement = StrokeElement | LineElement | ShapeElement | TextElement | ImageElement;

/** Every field any element type stores: the keys an element's Y.Map may have (docSchema.ts). */
export const ELEMENT_FIELDS = [
  'id',
  'type',
  'author',
  'z',
  'x',
  'y',
  'w',
  'h',
  'colour',
  'strokeWidth',
  'fill',
  'fillStyle',
  'opacity',
  'locked',
  'text',
  'fontSize',
  'points',
  'sha256',
  'mime',
  'naturalW',
  'naturalH',
  // stroke points as stored since integer points (strokePoints.ts); `points` is the older form
  'pts',
  'group',
  'startBinding',
  'endBinding',
  'label',
] as const satisfies readonly (
  | keyof StrokeElement
  | keyof LineElement
  | keyof ShapeElement
  | keyof TextElement
  | keyof ImageElement
  | typeof PTS_KEY
)[];

export type ElementErrorCode = 'ERR_NOT_OBJECT' | 'ERR_TYPE' | 'ERR_FIELD' | 'ERR_TOO_LARGE';

const ID_RE = /^[A-Za-z0-9_-]+$/;

export const isElementId = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= BOARD_LIMITS.idMaxLength && ID_RE.test(v);

export { isColour };

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** Coordinates are stored in quarter pixels: exact in float32, so Yjs encodes them in 5 bytes. */
export const quantizeCoord = (v: number): number =>
  Math.round(clamp(v, -BOARD_LIMITS.maxCoord, BOARD_LIMITS.maxCoord) * 4) / 4;
/** Pressure in 1/256 steps (also exact in float32). */
export const quantizePressure = (v: number): number => Math.round(clamp(v, 0, 1) * 256) / 256;

/**
 * The key of an element's fields as created, one plain object (docSchema.ts, PROTOCOL.md):
 * Yjs applies an update in time proportional to its items, and one item per element instead
 * of one per field makes a big board load several times faster. Fields changed later are
 * written under their own keys beside it and win over it, so concurrent edits of different
 * fields of one element still merge, exactly as when every field had its own key (boards
 * stored that way, before this key existed, read the same).
 */
export const BASE_KEY = 'base';

const isPlainRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Uint8Array) &&
  !(v instanceof Y.AbstractType);

const ownField = (rec: Record<string, unknown>, key: string): unknown =>
  Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;

/** The element's base value (its fields as created), or null when it has none. */
function plainBase(yel: Y.Map<unknown>): Record<string, unknown> | null {
  const base = yel.get(BASE_KEY);
  return isPlainRecord(base) ? base : null;
}

/** One field of a stored element: its own key when written since creation, else `base`'s. */
function fieldOver(
  yel: Y.Map<unknown>,
  base: Record<string, unknown> | null,
  key: string,
): unknown {
  const own = yel.get(key);
  return own !== undefined || base === null ? own : ownField(base, key);
}

/**
 * Reads a stored element's fields. The base is looked up once, so reading every field of an
 * element costs one lookup.
 */
export function storedFieldReader(yel: Y.Map<unknown>): (key: string) => unknown {
  const base = plainBase(yel);
  // never edited since it was created (most of a board): no key but `base` was ever written,
  // so every field is the base's own and the map need not be asked for each one
  if (base !== null && yel._map.size === 1) return (key) => ownField(base, key);
  return (key) => fieldOver(yel, base, key);
}

/** A stored element's field (z-order asks this of every element: no reader made per call). */
export const elementField = (yel: Y.Map<unknown>, key: string): unknown =>
  fieldOver(yel, plainBase(yel), key);

/** Does the element's base (as created) hold `key`? Then clearing it needs a value. */
export function baseHasField(yel: Y.Map<unknown>, key: string): boolean {
  const base = plainBase(yel);
  return base !== null && ownField(base, key) !== undefined;
}

/** Field access that works on a Y.Map (as stored) and on a plain object (drafts, tests). */
function fieldReader(raw: unknown): ((key: string) => unknown) | null {
  if (raw instanceof Y.Map) return storedFieldReader(raw);
  if (isPlainRecord(raw)) return (key) => ownField(raw, key);
  return null;
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

class FieldError extends Error {
  constructor(
    readonly code: ElementErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function num(get: (k: string) => unknown, key: string): number {
  const v = get(key);
  if (!isFiniteNumber(v)) throw new FieldError('ERR_FIELD', `${key}: not a finite number`);
  return v;
}

function coord(get: (k: string) => unknown, key: string): number {
  return quantizeCoord(num(get, key));
}

function colour(get: (k: string) => unknown, key: string): string {
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
function readStroke(get: (k: string) => unknown, base: ElementBase): StrokeElement {
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

/**
 * The fields of a (validated) element as they are stored in its Y.Map: defaults left out,
 * stroke points as `pts`.
 */
export function storedFields(element: BoardElement): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(element)) {
    if (isDefaultField(key, value)) continue;
    if (key === LEGACY_POINTS_KEY) out.push([PTS_KEY, encodePts(value as number[])]);
    else out.push([key, value]);
  }
  return out;
}

/** An element as it is first stored: all its fields in one base value (BASE_KEY). */
export const storedBase = (element: BoardElement): Record<string, unknown> =>
  Object.fromEntries(storedFields(element));

/**
 * What a field is set to when a change returns it to its default while the element's base
 * holds another value: the default itself (removing the key would bring the base value back).
 */
export const CLEARED_FIELD: Readonly<Record<string, unknown>> = {
  opacity: 1,
  locked: false,
  fillStyle: 'solid',
  label: '',
  group: null,
  startBinding: null,
  endBinding: null,
};

export const isFillStyle = (v: unknown): v is FillStyle =>
  (FILL_STYLES as readonly unknown[]).includes(v);

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

/** A stored binding; null and absent both mean "not attached" (a patch unbinds with null). */
export function isBinding(v: unknown): v is Binding {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const b = v as Record<string, unknown>;
  return (
    Object.keys(b).length === 4 &&
    isElementId(b.id) &&
    isFiniteNumber(b.ax) &&
    isFiniteNumber(b.ay) &&
    isFiniteNumber(b.gap)
  );
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

function readBindings(
  get: (k: string) => unknown,
): Pick<LineElement, (typeof BINDING_KEYS)[number]> {
  const out: Pick<LineElement, (typeof BINDING_KEYS)[number]> = {};
  for (const key of BINDING_KEYS) {
    const b = readBinding(get(key), key);
    if (b) out[key] = b;
  }
  return out;
}

function readLabel(v: unknown): { label?: string } {
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
function readOptional(
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

/** Fields whose default is not stored, so old boards and plain strokes stay as small as before. */
export const isDefaultField = (key: string, value: unknown): boolean =>
  (key === 'opacity' && value === 1) ||
  (key === 'locked' && value === false) ||
  (key === 'fillStyle' && value === 'solid') ||
  (key === 'label' && value === '');

/**
 * Validate and normalise one element. `expectedId` is the key it is stored under; an element
 * claiming another id is rejected (it would otherwise shadow a different element).
 */
export function readElement(
  raw: unknown,
  expectedId?: string,
): Result<BoardElement, ElementErrorCode> {
  const get = fieldReader(raw);
  if (!get) return err('ERR_NOT_OBJECT', 'element is not an object');
  try {
    const type = get('type');
    if (typeof type !== 'string' || !(ELEMENT_TYPES as readonly string[]).includes(type))
      return err('ERR_TYPE', 'unknown element type');
    const id = get('id');
    if (!isElementId(id)) return err('ERR_FIELD', 'id: invalid');
    if (expectedId !== undefined && id !== expectedId)
      return err('ERR_FIELD', 'id: does not match its key');
    const author = get('author');
    if (!Number.isSafeInteger(author) || (author as number) < 0)
      return err('ERR_FIELD', 'author: not a client id');
    const z = get('z');
    if (!isValidZKey(z)) return err('ERR_FIELD', 'z: invalid order key');
    const base: ElementBase = {
      id,
      author: author as number,
      z,
      x: coord(get, 'x'),
      y: coord(get, 'y'),
      colour: colour(get, 'colour'),
      strokeWidth: clamp(
        num(get, 'strokeWidth'),
        BOARD_LIMITS.minStrokeWidth,
        BOARD_LIMITS.maxStrokeWidth,
      ),
    };
    readOptional(get, base);
    const t = type as ElementType;
    switch (t) {
      case 'stroke':
        return ok(readStroke(get, base));
      case 'line':
      case 'arrow':
        return ok({
          ...base,
          type: t,
          w: coord(get, 'w'),
          h: coord(get, 'h'),
          ...readBindings(get),
        });
      case 'rect':
      case 'ellipse':
      case 'diamond': {
        const fill = get('fill');
        if (fill !== null && fill !== undefined && !isColour(fill))
          return err('ERR_FIELD', 'fill: not a colour or null');
        const fillStyle = get('fillStyle') ?? 'solid';
        if (!isFillStyle(fillStyle)) return err('ERR_FIELD', 'fillStyle: not solid or semi');
        const w = Math.abs(coord(get, 'w'));
        const h = Math.abs(coord(get, 'h'));
        const semi = fillStyle === 'semi' ? { fillStyle } : {};
        const label = readLabel(get('label'));
        return ok({
          ...base,
          type: t,
          w,
          h,
          fill: fill ? fill.toLowerCase() : null,
          ...semi,
          ...label,
        });
      }
      case 'text': {
        const text = get('text');
        if (typeof text !== 'string') return err('ERR_FIELD', 'text: not a string');
        return ok({
          ...base,
          type: t,
          w: Math.abs(coord(get, 'w')),
          h: Math.abs(coord(get, 'h')),
          text:
            text.length > BOARD_LIMITS.textMaxLength
              ? text.slice(0, BOARD_LIMITS.textMaxLength)
              : text,
          fontSize: clamp(num(get, 'fontSize'), BOARD_LIMITS.minFontSize, BOARD_LIMITS.maxFontSize),
        });
      }
      case 'image': {
        const sha256 = get('sha256');
        if (!isSha256Hex(sha256)) return err('ERR_FIELD', 'sha256: not a lowercase hex SHA-256');
        const mime = get('mime');
        if (!isImageMime(mime)) return err('ERR_FIELD', 'mime: not png, jpeg, webp or gif');
        const pixels = (key: string) => {
          const v = get(key);
          if (
            !Number.isSafeInteger(v) ||
            (v as number) < 1 ||
            (v as number) > BOARD_LIMITS.imageMaxPixels
          )
            throw new FieldError('ERR_FIELD', `${key}: not a pixel size`);
          return v as number;
        };
        return ok({
          ...base,
          type: t,
          w: Math.abs(coord(get, 'w')),
          h: Math.abs(coord(get, 'h')),
          sha256,
          mime,
          naturalW: pixels('naturalW'),
          naturalH: pixels('naturalH'),
        });
      }
      default:
        return assertNever(t);
    }
  } catch (e) {
    if (e instanceof FieldError) return err(e.code, e.message);
    return err('ERR_FIELD', `unreadable element: ${String(e)}`);
  }
}

/** Paint order: z ascending, ties (concurrent inserts at the same spot) broken by id. */
export const compareElements = (a: BoardElement, b: BoardElement): number =>
  a.z < b.z ? -1 : a.z > b.z ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
