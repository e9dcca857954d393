/**
 * What the room document schema (docSchema.ts) admits where: the content an item may have in a
 * root type or in an element's map, with the check of every element field by name. Kept apart
 * from the struct walk (docSchemaPlaces.ts), which only finds each item's place.
 */
import { isColour } from '@peerboard/protocol';
import { CHAT_KEY } from '../chat/chatModel';
import { ELEMENTS_KEY } from './boardModel';
import {
  BOARD_LIMITS,
  ELEMENT_FIELDS,
  ELEMENT_TYPES,
  isBinding,
  isElementId,
  isFillStyle,
  isImageMime,
  isSha256Hex,
} from './elementTypes';
import { jsonLength } from './jsonSize';
import { BASE_KEY } from './storedElement';
import { measuredPtsBox, PTS_KEY } from './strokePoints';
import type { ItemRecord, StructContent } from './structRecords';

export type DocSchemaCode = 'ERR_DOC_MALFORMED' | 'ERR_DOC_SCHEMA' | 'ERR_DOC_UNRESOLVED';

export const DOC_SCHEMA_LIMITS = {
  /** a stored chat message as JSON (the text is at most 2000 code points) */
  chatItemMaxChars: 16 * 1024,
  /** any element field but `points` and `text` (ids, colours, z keys, numbers) */
  fieldMaxChars: 512,
} as const;

/** Where an item lives: directly in a root type, or in one element's field map. */
export type Place =
  | { level: 'root'; root: string; key: string | null }
  | { level: 'element'; key: string | null }
  /** Yjs drops it itself (its neighbour was garbage collected): harmless */
  | { level: 'dropped' };

export class SchemaError extends Error {
  constructor(
    readonly code: DocSchemaCode,
    message: string,
  ) {
    super(message);
  }
}

export const fail = (code: DocSchemaCode, message: string): never => {
  throw new SchemaError(code, message);
};

function isPixelSize(v: unknown): boolean {
  return (
    Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= BOARD_LIMITS.imageMaxPixels
  );
}

/**
 * Checks one element field's value (failing with the field's name); returns about how many
 * bytes Yjs stores for it.
 */
type FieldCheck = (key: string, value: unknown) => number;

/** Yjs stores a number in at most 9 bytes; its JSON form is under the field limit */
const NUMBER_BYTES = 9;
/** a string this short is under the field limit even with every character escaped (\u0000) */
const SHORT_STRING = (DOC_SCHEMA_LIMITS.fieldMaxChars - 2) / 6;

/** Any JSON scalar of at most the field limit: the fields without a closed set of values. */
const scalarField: FieldCheck = (key, value) => {
  // the usual values first: coordinates, sizes, ids, colours, z keys
  if (typeof value === 'number') return NUMBER_BYTES;
  if (typeof value === 'string' && value.length <= SHORT_STRING) return value.length + 2;
  if (typeof value === 'object' && value !== null) fail('ERR_DOC_SCHEMA', `${key}: not a scalar`);
  const n = jsonLength(value, DOC_SCHEMA_LIMITS.fieldMaxChars);
  if (n > DOC_SCHEMA_LIMITS.fieldMaxChars) fail('ERR_DOC_SCHEMA', `${key}: value too large`);
  return n;
};

/**
 * Fields with a closed set of values: a wrong one would make the element unreadable (so
 * invisible, yet stored and sent to every newcomer), or, for `locked`, silently unlocked.
 */
const closedField =
  (valid: (v: unknown) => boolean): FieldCheck =>
  (key, value) => {
    if (!valid(value)) fail('ERR_DOC_SCHEMA', `${key}: invalid value`);
    return scalarField(key, value);
  };

const ELEMENT_TYPE_SET: ReadonlySet<unknown> = new Set(ELEMENT_TYPES);

/** stroke points as bytes (strokePoints.ts): Yjs stores a Uint8Array as binary content */
const ptsField: FieldCheck = (_key, value) => {
  if (!(value instanceof Uint8Array)) return fail('ERR_DOC_SCHEMA', 'pts: not bytes');
  // bytes no reader can decode would be an invisible stroke sent to every newcomer; measured
  // as readElement measures them, which then finds the measure (one walk over the bytes)
  const box = measuredPtsBox(value, BOARD_LIMITS.strokeMaxPoints, BOARD_LIMITS.maxCoord);
  if (!box.ok) fail('ERR_DOC_SCHEMA', box.message);
  return value.length;
};

/** the older float points */
const pointsField: FieldCheck = (_key, value) => {
  if (!Array.isArray(value)) fail('ERR_DOC_SCHEMA', 'points: not an array');
  const points = value as unknown[];
  if (points.length > BOARD_LIMITS.strokeMaxPoints * 3) fail('ERR_DOC_SCHEMA', 'points: too many');
  if (!points.every((n) => typeof n === 'number'))
    fail('ERR_DOC_SCHEMA', 'points: not all numbers');
  return points.length * 9; // a float64 each at most, plus its tag
};

const textField: FieldCheck = (key, value) => {
  if (typeof value !== 'string' || value.length > BOARD_LIMITS.textMaxLength)
    fail('ERR_DOC_SCHEMA', `${key}: not a string of at most the text limit`);
  return (value as string).length * 3;
};

/**
 * the one object-valued field: { id, ax, ay, gap } exactly, nothing nested or extra; null is
 * "not attached" written over a base value
 */
const bindingField: FieldCheck = (key, value) => {
  if (value === null) return 4;
  if (!isBinding(value)) fail('ERR_DOC_SCHEMA', `${key}: not a binding`);
  return jsonLength(value, DOC_SCHEMA_LIMITS.fieldMaxChars);
};

const SPECIAL_FIELDS: Partial<Record<(typeof ELEMENT_FIELDS)[number], FieldCheck>> = {
  pts: ptsField,
  points: pointsField,
  text: textField,
  label: textField,
  startBinding: bindingField,
  endBinding: bindingField,
  type: closedField((v) => ELEMENT_TYPE_SET.has(v)),
  fill: closedField((v) => v === null || isColour(v)),
  fillStyle: closedField(isFillStyle),
  locked: closedField((v) => typeof v === 'boolean'),
  // null: ungrouped, written over a base value (CLEARED_FIELD)
  group: closedField((v) => v === null || isElementId(v)),
  opacity: closedField((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1),
  // an image's bytes are fetched by this hash and must be raster (never SVG: it could script)
  sha256: closedField(isSha256Hex),
  mime: closedField(isImageMime),
  naturalW: closedField(isPixelSize),
  naturalH: closedField(isPixelSize),
};

/**
 * Every element field's check, by name: one lookup per field (a board load checks ~90,000).
 * A name not here is no element field.
 */
const FIELD_CHECKS: ReadonlyMap<string, FieldCheck> = new Map(
  ELEMENT_FIELDS.map((key) => [key, SPECIAL_FIELDS[key] ?? scalarField]),
);

/** Rough bytes a struct adds to the stored document (its id, origins and parent info). */
export const STRUCT_OVERHEAD = 16;

/** Checks an item's content for its place; returns about how many bytes it adds. */
export function checkContent(item: ItemRecord, place: Place): number {
  if (place.level === 'dropped' || item.content.kind === 'deleted') return STRUCT_OVERHEAD;
  return STRUCT_OVERHEAD + contentSize(item.content, place);
}

function contentSize(content: StructContent, place: Exclude<Place, { level: 'dropped' }>): number {
  if (place.level === 'root' && place.root === ELEMENTS_KEY) {
    if (!isElementId(place.key)) fail('ERR_DOC_SCHEMA', 'elements: key is not an element id');
    if (content.kind !== 'type' || content.typeRef !== Y_MAP)
      fail('ERR_DOC_SCHEMA', 'elements: value is not a map');
    return place.key!.length;
  }
  if (place.level === 'root' && place.root === CHAT_KEY) {
    if (place.key !== null || content.kind !== 'any')
      return fail('ERR_DOC_SCHEMA', 'chat: not a list of JSON messages');
    let size = 0;
    for (const value of content.values) {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        fail('ERR_DOC_SCHEMA', 'chat: message is not an object');
      const n = jsonLength(value, DOC_SCHEMA_LIMITS.chatItemMaxChars);
      if (n > DOC_SCHEMA_LIMITS.chatItemMaxChars) fail('ERR_DOC_SCHEMA', 'chat: message too large');
      size += n;
    }
    return size;
  }
  if (place.level === 'root') return fail('ERR_DOC_SCHEMA', `unknown root type "${place.root}"`);
  // a field of one element, or all its fields as created
  if (place.key === BASE_KEY) return checkBase(content);
  const check = place.key === null ? undefined : FIELD_CHECKS.get(place.key);
  if (check === undefined)
    return fail('ERR_DOC_SCHEMA', `element: unknown field "${String(place.key).slice(0, 40)}"`);
  const key = place.key as string;
  if (key === PTS_KEY && content.kind === 'binary') return check(key, content.bytes);
  if (content.kind !== 'any' || content.values.length === 0)
    return fail('ERR_DOC_SCHEMA', `element field ${key}: not JSON values`);
  // Usually one value. Several when Yjs merged successive values of a key that were all
  // deleted together but kept for undo (move a shape, clear the board, undo): each is checked
  // and counted like a single one.
  let size = 0;
  for (const value of content.values) size += check(key, value);
  return size;
}

/**
 * An element's fields as created, one plain object of element fields, each checked as it would
 * be under its own key. Several values only as for a field (kept for undo, merged by Yjs).
 */
function checkBase(content: StructContent): number {
  if (content.kind !== 'any' || content.values.length === 0)
    return fail('ERR_DOC_SCHEMA', 'element base: not JSON values');
  let size = 0;
  for (const value of content.values) {
    if (
      typeof value !== 'object' ||
      value === null ||
      // a `__proto__` key read from the update would make another object its prototype
      Object.getPrototypeOf(value) !== Object.prototype
    )
      fail('ERR_DOC_SCHEMA', 'element base: not a plain object');
    // keys, not entries: one array per base instead of one more per field (a board load
    // checks ~90,000 fields)
    const fields = value as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const check = FIELD_CHECKS.get(key);
      if (check === undefined)
        return fail('ERR_DOC_SCHEMA', `element base: unknown field "${key.slice(0, 40)}"`);
      size += key.length + check(key, fields[key]);
    }
  }
  return size;
}

/** Yjs's type ref of a Y.Map (ContentType) */
export const Y_MAP = 1;
