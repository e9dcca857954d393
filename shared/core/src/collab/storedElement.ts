/**
 * An element as it is stored in its Y.Map: the fields as created in one `base` value, later
 * changes under their own keys. Readers and writers go through these so the two forms (and boards
 * stored before `base` existed) read alike, and defaults stay unstored.
 */
import * as Y from 'yjs';
import type { BoardElement } from './elementTypes';
import { encodePts, LEGACY_POINTS_KEY, PTS_KEY } from './strokePoints';

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
export function fieldReader(raw: unknown): ((key: string) => unknown) | null {
  if (raw instanceof Y.Map) return storedFieldReader(raw);
  if (isPlainRecord(raw)) return (key) => ownField(raw, key);
  return null;
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

/** Fields whose default is not stored, so old boards and plain strokes stay as small as before. */
export const isDefaultField = (key: string, value: unknown): boolean =>
  (key === 'opacity' && value === 1) ||
  (key === 'locked' && value === false) ||
  (key === 'fillStyle' && value === 'solid') ||
  (key === 'label' && value === '');
