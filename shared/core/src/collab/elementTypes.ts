/**
 * What a board element is: its types, the limits readers hold every field to, and the checks of
 * single values that readElement (elements.ts) and the update schema (docSchema.ts) share, so
 * both refuse the same things.
 */
import type { PTS_KEY } from './strokePoints';

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

export interface ElementBase {
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

export const isFiniteNumber = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v);

export const isFillStyle = (v: unknown): v is FillStyle =>
  (FILL_STYLES as readonly unknown[]).includes(v);

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

/** Paint order: z ascending, ties (concurrent inserts at the same spot) broken by id. */
export const compareElements = (a: BoardElement, b: BoardElement): number =>
  a.z < b.z ? -1 : a.z > b.z ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
