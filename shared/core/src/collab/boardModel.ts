/**
 * The board inside the room's Y.Doc: `doc.getMap('elements')`, element id -> Y.Map. A new
 * element's fields go in as one value (`base`, elements.ts: one Yjs item per element keeps a
 * big board's load fast); each later change writes only the fields it changes, under their own
 * keys, so concurrent edits of different fields merge: one peer moves a rectangle while another
 * recolours it and both changes survive. Every local write goes through
 * `doc.transact(fn, LOCAL_ORIGIN)` so the undo manager can tell ours apart.
 */
import * as Y from 'yjs';
import { err, randomId, type Result } from '@peerboard/protocol';
import type { DistributiveOmit } from '../types';
import {
  BASE_KEY,
  BINDING_KEYS,
  baseHasField,
  CLEARED_FIELD,
  compareElements,
  elementField,
  isBinding,
  type Binding,
  isElementId,
  readElement,
  storedBase,
  type BoardElement,
  type ElementErrorCode,
  type ElementType,
} from './elements';
import { isValidZKey, keyBetween } from './fractionalIndex';
import { planReorder, type ZMove } from './zOrder';
import { LOCAL_ORIGIN } from './origins';
import { encodePts, LEGACY_POINTS_KEY, PTS_KEY } from './strokePoints';

export const ELEMENTS_KEY = 'elements';

/** What the UI hands to addElement: an element without the fields the model assigns. */
export type ElementDraft = DistributiveOmit<BoardElement, 'id' | 'author' | 'z'>;

/** Fields updateElement may change (id, type, author are fixed; order changes via reorder). */
export interface ElementPatch {
  x?: number;
  y?: number;
  w?: number;
  h?: number;
  colour?: string;
  strokeWidth?: number;
  fill?: string | null;
  fillStyle?: 'solid' | 'semi';
  opacity?: number;
  locked?: boolean;
  text?: string;
  fontSize?: number;
  points?: number[];
  /** null removes it (ungroup) */
  group?: string | null;
  /** null detaches that end */
  startBinding?: Binding | null;
  endBinding?: Binding | null;
  /** '' removes it */
  label?: string;
}

const COMMON_KEYS = ['x', 'y', 'colour', 'strokeWidth', 'opacity', 'locked', 'group'] as const;
const SHAPE_KEYS = [...COMMON_KEYS, 'w', 'h', 'fill', 'fillStyle', 'label'] as const;
const LINE_KEYS = [...COMMON_KEYS, 'w', 'h', 'startBinding', 'endBinding'] as const;
const PATCH_KEYS_BY_TYPE: Record<ElementType, readonly (keyof ElementPatch)[]> = {
  stroke: [...COMMON_KEYS, 'points'],
  line: LINE_KEYS,
  arrow: LINE_KEYS,
  rect: SHAPE_KEYS,
  ellipse: SHAPE_KEYS,
  diamond: SHAPE_KEYS,
  text: [...COMMON_KEYS, 'w', 'h', 'text', 'fontSize'],
  // the bytes (sha256, mime, natural size) are fixed: another image is another element
  image: [...COMMON_KEYS, 'w', 'h'],
};

/** ERR_LOCKED: the element is locked; only `locked: false` may change it. */
export type BoardErrorCode = ElementErrorCode | 'ERR_NOT_FOUND' | 'ERR_LOCKED';

export const elementsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap<unknown>(ELEMENTS_KEY);

/** 16 random base64url characters (96 bits). */
export const newElementId = (): string => randomId(12);

function zExtremes(map: Y.Map<unknown>): { min: string | null; max: string | null } {
  let min: string | null = null;
  let max: string | null = null;
  for (const value of map.values()) {
    const z = value instanceof Y.Map ? elementField(value, 'z') : undefined;
    if (!isValidZKey(z)) continue;
    if (max === null || z > max) max = z;
    if (min === null || z < min) min = z;
  }
  return { min, max };
}

function writeFields(target: Y.Map<unknown>, element: BoardElement): void {
  target.set(BASE_KEY, storedBase(element));
}

/**
 * Return a field to its default: no value at all, unless the element's base holds another
 * value, which would then show through (so the default is written over it).
 */
function clearField(yel: Y.Map<unknown>, key: string): void {
  if (baseHasField(yel, key)) {
    if (yel.get(key) !== CLEARED_FIELD[key]) yel.set(key, CLEARED_FIELD[key] ?? null);
  } else if (yel.has(key)) yel.delete(key);
}

/**
 * Add several elements on top of the board, in this order, as one undo step (paste,
 * duplicate). Invalid drafts are skipped. Returns the stored elements.
 */
export function addElements(doc: Y.Doc, drafts: readonly ElementDraft[]): BoardElement[] {
  const map = elementsMap(doc);
  let z = zExtremes(map).max;
  const out: BoardElement[] = [];
  for (const draft of drafts) {
    const id = newElementId();
    const nextZ = keyBetween(z, null);
    const checked = readElement({ ...draft, id, author: doc.clientID, z: nextZ }, id);
    if (!checked.ok) continue;
    z = nextZ;
    out.push(checked.value);
  }
  if (out.length === 0) return out;
  doc.transact(() => {
    for (const el of out) {
      const yel = new Y.Map<unknown>();
      writeFields(yel, el);
      map.set(el.id, yel);
    }
  }, LOCAL_ORIGIN);
  return out;
}

/** Add an element on top of the board. Returns the stored (normalised) element. */
export function addElement(
  doc: Y.Doc,
  draft: ElementDraft,
  id: string = newElementId(),
): Result<BoardElement, BoardErrorCode> {
  const map = elementsMap(doc);
  const z = keyBetween(zExtremes(map).max, null);
  const checked = readElement({ ...draft, id, author: doc.clientID, z }, id);
  if (!checked.ok) return checked;
  doc.transact(() => {
    const yel = new Y.Map<unknown>();
    writeFields(yel, checked.value);
    map.set(id, yel);
  }, LOCAL_ORIGIN);
  return checked;
}

const sameValue = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
};

/** Move / resize / restyle. Writes only the fields that change, so concurrent edits merge. */
export function updateElement(
  doc: Y.Doc,
  id: string,
  patch: ElementPatch,
): Result<BoardElement, BoardErrorCode> {
  const yel = elementsMap(doc).get(id);
  if (!(yel instanceof Y.Map)) return err('ERR_NOT_FOUND', `no element ${id}`);
  const current = readElement(yel, id);
  if (!current.ok) return current;
  if (current.value.locked && patch.locked !== false) return err('ERR_LOCKED', `${id} is locked`);
  const allowed = PATCH_KEYS_BY_TYPE[current.value.type];
  const merged: Record<string, unknown> = { ...current.value };
  for (const key of allowed) if (patch[key] !== undefined) merged[key] = patch[key];
  const next = readElement(merged, id);
  if (!next.ok) return next;
  const nextFields = next.value as unknown as Record<string, unknown>;
  doc.transact(() => {
    for (const key of allowed) {
      if (patch[key] === undefined) continue;
      const value = nextFields[key];
      if (key === 'points') {
        // stored as `pts` (strokePoints.ts); an older `points` goes in the same step
        const before = current.value.type === 'stroke' ? current.value.points : null;
        if (elementField(yel, PTS_KEY) === undefined || !sameValue(before, value))
          yel.set(PTS_KEY, encodePts(value as number[]));
        if (yel.has(LEGACY_POINTS_KEY)) yel.delete(LEGACY_POINTS_KEY);
        continue;
      }
      // a default (opacity 1, unlocked, solid fill) is stored as no value, unless the base
      // holds another one (clearField)
      if (value === undefined) clearField(yel, key);
      else if (!sameValue(elementField(yel, key), value)) yel.set(key, value);
    }
  }, LOCAL_ORIGIN);
  return next;
}

const isLocked = (value: unknown): boolean =>
  value instanceof Y.Map && elementField(value, 'locked') === true;

/**
 * Delete elements; locked ones stay (unlock them first). Clear board removes those too. Arrows
 * attached to a deleted shape are detached in the same step (they keep their last points), so
 * undo brings back the shape and the attachment together.
 */
export function deleteElements(doc: Y.Doc, ids: readonly string[]): void {
  const map = elementsMap(doc);
  doc.transact(() => {
    const gone = new Set(ids.filter((id) => map.has(id) && !isLocked(map.get(id))));
    if (gone.size === 0) return;
    map.forEach((value) => {
      if (!(value instanceof Y.Map) || isLocked(value)) return;
      for (const key of BINDING_KEYS) {
        const b: unknown = elementField(value, key);
        if (isBinding(b) && gone.has(b.id)) clearField(value, key);
      }
    });
    for (const id of gone) map.delete(id);
  }, LOCAL_ORIGIN);
}

/** Remove everything (the UI asks for confirmation first). Undo brings it back. */
export function clearBoard(doc: Y.Doc): void {
  const map = elementsMap(doc);
  doc.transact(() => {
    for (const id of Array.from(map.keys())) map.delete(id);
  }, LOCAL_ORIGIN);
}

/** Change the paint order of `ids` (zOrder.ts), keeping their relative order. */
export function reorderElements(doc: Y.Doc, ids: readonly string[], where: ZMove): void {
  const map = elementsMap(doc);
  const all: { id: string; z: string }[] = [];
  map.forEach((value, id) => {
    const z = value instanceof Y.Map ? elementField(value, 'z') : undefined;
    if (isElementId(id) && isValidZKey(z)) all.push({ id, z });
  });
  const plan = planReorder(all, new Set(ids), where);
  if (plan.size === 0) return;
  doc.transact(() => {
    for (const [id, z] of plan) (map.get(id) as Y.Map<unknown>).set('z', z);
  }, LOCAL_ORIGIN);
}

/** All valid elements in paint order; invalid entries (hostile or from a newer client) skipped. */
export function readBoard(doc: Y.Doc): BoardElement[] {
  const out: BoardElement[] = [];
  elementsMap(doc).forEach((value, key) => {
    if (!isElementId(key)) return;
    const r = readElement(value, key);
    if (r.ok) out.push(r.value);
  });
  return out.sort(compareElements);
}
