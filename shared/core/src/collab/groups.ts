/**
 * Groups: elements sharing a `group` id are selected, moved and arranged as one. One level
 * (grouping grouped elements makes one new group of all of them), stored as a field of each
 * element, so a group merges with concurrent edits like any other field.
 */
import type * as Y from 'yjs';
import { newElementId, updateElement } from './boardModel';
import type { BoardElement } from './elementTypes';
import { LOCAL_ORIGIN } from './origins';

/** Put `ids` in one new group (two or more elements); returns its id, or null. */
export function groupElements(doc: Y.Doc, ids: readonly string[]): string | null {
  if (ids.length < 2) return null;
  const group = newElementId();
  doc.transact(() => {
    for (const id of ids) updateElement(doc, id, { group });
  }, LOCAL_ORIGIN);
  return group;
}

/** Take `ids` out of their groups. */
export function ungroupElements(doc: Y.Doc, ids: readonly string[]): void {
  doc.transact(() => {
    for (const id of ids) updateElement(doc, id, { group: null });
  }, LOCAL_ORIGIN);
}

/** `ids` plus every element sharing a group with one of them (what a click selects). */
export function withGroups(all: Iterable<BoardElement>, ids: Iterable<string>): Set<string> {
  const out = new Set(ids);
  const list = [...all];
  const groups = new Set<string>();
  for (const el of list) if (out.has(el.id) && el.group) groups.add(el.group);
  if (groups.size === 0) return out;
  for (const el of list) if (el.group && groups.has(el.group)) out.add(el.id);
  return out;
}
