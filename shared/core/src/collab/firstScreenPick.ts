/**
 * The answering side of a first screen (firstScreen.ts): which elements a joiner's view shows,
 * nearest its centre first, copied into a small Y.Doc of the room document's own shape, so the
 * joiner checks the preview with the same schema check as any document update. Capped at
 * FIRST_SCREEN_MAX_ELEMENTS and FIRST_SCREEN_MAX_BYTES: the elements nearest the centre are the
 * ones kept.
 */
import * as Y from 'yjs';
import { FIRST_SCREEN_MAX_BYTES, FIRST_SCREEN_MAX_ELEMENTS } from '@peerboard/protocol';
import { elementsMap } from './boardModel';
import { BASE_KEY, elementField, ELEMENT_FIELDS, readElement, type BoardElement } from './elements';
import { inkReach } from './elementInk';
import { strokePointsBox } from './lazyStroke';
import type { PtsBox } from './strokePoints';

/** A rectangle in world coordinates (the board's units). */
export interface WorldRect {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Ids of the elements meeting `rect`, nearest its centre first (the board's spatial index). */
export type FirstScreenSelect = (rect: WorldRect) => readonly string[];

/** An element's extent, its ink included: the renderer's bounds (elementInk.ts). */
export function roughBounds(el: BoardElement): WorldRect {
  // a stroke's box as measured from `pts` at read: picking never decodes a stroke's points
  return el.type === 'stroke'
    ? extentFrom(el.type, el.strokeWidth, el.x, el.y, strokePointsBox(el))
    : extentFrom(el.type, el.strokeWidth, el.x, el.y, null, el.w, el.h);
}

/**
 * The same from an element's numbers, read or still stored (boardObserver.ts): a stroke's from
 * its points' box (offsets from x, y), any other kind's from its corners (x, y), (x + w, y + h).
 */
export function extentFrom(
  type: unknown,
  strokeWidth: number,
  x: number,
  y: number,
  pointsBox: PtsBox | null,
  w = 0,
  h = 0,
): WorldRect {
  const reach = inkReach(type, strokeWidth, w, h);
  if (pointsBox)
    return {
      minX: x + pointsBox.minX - reach,
      minY: y + pointsBox.minY - reach,
      maxX: x + pointsBox.maxX + reach,
      maxY: y + pointsBox.maxY + reach,
    };
  return {
    minX: Math.min(x, x + w) - reach,
    minY: Math.min(y, y + h) - reach,
    maxX: Math.max(x, x + w) + reach,
    maxY: Math.max(y, y + h) + reach,
  };
}

export const rectsMeet = (a: WorldRect, b: WorldRect): boolean =>
  a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY;

/** Squared distance between the centres of two rectangles: the "nearest first" order. */
export const centreDistance2 = (a: WorldRect, b: WorldRect): number => {
  const dx = (a.minX + a.maxX) / 2 - (b.minX + b.maxX) / 2;
  const dy = (a.minY + a.maxY) / 2 - (b.minY + b.maxY) / 2;
  return dx * dx + dy * dy;
};

/** Without a board on screen: every element read and measured (the board's index is faster). */
export function selectByScan(doc: Y.Doc, rect: WorldRect): string[] {
  const found: { id: string; d: number }[] = [];
  elementsMap(doc).forEach((value, id) => {
    const r = readElement(value, id);
    if (!r.ok) return;
    const b = roughBounds(r.value);
    if (rectsMeet(b, rect)) found.push({ id, d: centreDistance2(b, rect) });
  });
  return found.sort((a, b) => a.d - b.d).map((f) => f.id);
}

/** About what Yjs stores for a field value (to stay under the byte cap without re-encoding). */
function fieldBytes(key: string, value: unknown): number {
  const overhead = key.length + 8;
  if (value instanceof Uint8Array) return overhead + value.length;
  if (typeof value === 'string') return overhead + value.length + 2;
  if (typeof value === 'object' && value !== null) return overhead + JSON.stringify(value).length;
  return overhead + 9;
}

/**
 * An element's current fields as one base value (its own keys over its base): the copy costs
 * the joiner one Yjs item, whichever way the source element is stored.
 */
function currentFields(src: Y.Map<unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of ELEMENT_FIELDS) {
    const v = elementField(src, key);
    if (v !== undefined) fields[key] = v;
  }
  return fields;
}

/** One Yjs update holding copies of `chosen` (in that order). */
function encodeCopies(chosen: readonly [string, Record<string, unknown>][]): Uint8Array {
  const out = new Y.Doc();
  const target = elementsMap(out);
  out.transact(() => {
    for (const [id, fields] of chosen) {
      const copy = new Y.Map<unknown>();
      copy.set(BASE_KEY, fields);
      target.set(id, copy);
    }
  });
  const update = Y.encodeStateAsUpdate(out);
  out.destroy();
  return update;
}

/**
 * The first screen: a Yjs update holding copies of the elements `ids` lists (valid ones only, in
 * that order, the first ones kept when the caps bite); null when none is valid.
 */
export function encodeFirstScreen(doc: Y.Doc, ids: readonly string[]): Uint8Array | null {
  const source = elementsMap(doc);
  let chosen: [string, Record<string, unknown>][] = [];
  let bytes = 0;
  for (const id of ids) {
    if (chosen.length >= FIRST_SCREEN_MAX_ELEMENTS) break;
    const src = source.get(id);
    if (!(src instanceof Y.Map) || !readElement(src, id).ok) continue;
    const fields = currentFields(src);
    let size = 0;
    for (const k in fields) size += fieldBytes(k, fields[k]);
    if (bytes + size > FIRST_SCREEN_MAX_BYTES) continue; // one huge stroke must not crowd out the rest
    chosen.push([id, fields]);
    bytes += size;
  }
  // the estimate is close, not exact: trim the far end until the real update fits
  for (;;) {
    if (chosen.length === 0) return null;
    const update = encodeCopies(chosen);
    if (update.length <= FIRST_SCREEN_MAX_BYTES) return update;
    const keep = Math.floor((chosen.length * FIRST_SCREEN_MAX_BYTES * 0.98) / update.length);
    chosen = chosen.slice(0, Math.min(keep, chosen.length - 1));
  }
}
