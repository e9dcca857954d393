/**
 * A joiner's first screen: the elements in its view, drawn as a preview before the full sync
 * arrives. Yjs integrates a client's structs in clock order, so the document itself cannot
 * arrive "what you see first"; this is a separate, disposable message.
 *
 * - Request: a joiner whose board is empty and not synced appends its view (a world rectangle)
 *   after the state vector of its SyncStep1. A peer that does not know this reads the state
 *   vector and never looks further, so it just answers the step1 as always.
 * - Answer: a peer that reads the request sends, once per link and before its SyncStep2 on the
 *   same ordered channel, a FIRST_SCREEN_MESSAGE holding a Yjs update of a small separate doc
 *   with copies of the elements in that rectangle (firstScreenPick.ts).
 * - Receipt (peers lie): taken only from a peer we asked, once per link, while nothing has
 *   synced, within FIRST_SCREEN_MAX_BYTES / _ELEMENTS, through the document's schema check and
 *   every element through readElement; anything else is refused whole (reported, no preview).
 *   It goes into a throwaway Y.Doc, never the room's, so never into undo or persistence, and is
 *   dropped when the first SyncStep2 applies or when the link it came on closes.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import {
  FIRST_SCREEN_MAX_BYTES,
  FIRST_SCREEN_MAX_ELEMENTS,
  type PeerId,
} from '@peerboard/protocol';
import type { Unsubscribe } from '../types';
import { ELEMENTS_KEY, elementsMap } from './boardModel';
import { checkDocUpdate } from './docSchema';
import { BOARD_LIMITS, isElementId, readElement, type BoardElement } from './elements';
import {
  encodeFirstScreen,
  selectByScan,
  type FirstScreenSelect,
  type WorldRect,
} from './firstScreenPick';

export type { FirstScreenSelect, WorldRect };

/** The sync channel's message type for a first screen (y-protocols uses 0, 1 and 2). */
export const FIRST_SCREEN_MESSAGE = 70;
/** Marks the view appended to a SyncStep1. */
const REQUEST_MARK = 0x46;

export interface FirstScreenPreview {
  /** who sent it */
  peer: PeerId;
  /** validated elements, nearest the view's centre first */
  elements: BoardElement[];
}

/** What the board sets and reads. */
export interface FirstScreen {
  /** the view to ask for while the board is empty (world coordinates); null: do not ask */
  setView(rect: WorldRect | null): void;
  /** how to pick the elements a peer's view shows (default: read every element) */
  setSelect(select: FirstScreenSelect | null): void;
  /** the preview shown now, null when none */
  preview(): FirstScreenPreview | null;
  onPreview(fn: (preview: FirstScreenPreview | null) => void): Unsubscribe;
  destroy(): void;
}

/** What the collab provider calls. Throwing means "drop this frame" (the provider reports it). */
export interface FirstScreenHooks {
  /** bytes to append to the SyncStep1 for `peer` (null: no request) */
  ask(peer: PeerId, hasSynced: boolean): Uint8Array | null;
  /** the rest of a peer's SyncStep1: the message to send before our SyncStep2, if any */
  answer(peer: PeerId, rest: decoding.Decoder): Uint8Array | null;
  /** a FIRST_SCREEN_MESSAGE's body */
  receive(peer: PeerId, body: decoding.Decoder, hasSynced: boolean): void;
  /** a SyncStep2 applied: the real board is here */
  synced(): void;
  closed(peer: PeerId): void;
}

export type FirstScreenHub = FirstScreen & FirstScreenHooks;

/** A view no board shows (a coordinate past the board's limits) is not a request. */
function readRect(d: decoding.Decoder): WorldRect | null {
  const v = [0, 0, 0, 0].map(() => decoding.readFloat64(d));
  const max = BOARD_LIMITS.maxCoord * 2;
  if (!v.every((n) => Number.isFinite(n) && Math.abs(n) <= max)) return null;
  const [minX, minY, maxX, maxY] = v as [number, number, number, number];
  return minX < maxX && minY < maxY ? { minX, minY, maxX, maxY } : null;
}

function readPreview(update: Uint8Array): BoardElement[] {
  const doc = new Y.Doc();
  try {
    const checked = checkDocUpdate(doc, update);
    if (!checked.ok) throw new Error(`${checked.code}: ${checked.message}`);
    Y.applyUpdate(doc, update);
    for (const key of doc.share.keys())
      if (key !== ELEMENTS_KEY) throw new Error(`ERR_DOC_SCHEMA: ${key} in a first screen`);
    const map = elementsMap(doc);
    if (map.size > FIRST_SCREEN_MAX_ELEMENTS)
      throw new Error(`ERR_TOO_LARGE: ${map.size} elements in a first screen`);
    const out: BoardElement[] = [];
    map.forEach((value, id) => {
      const r = isElementId(id) ? readElement(value, id) : null;
      if (!r?.ok) throw new Error(`ERR_FIELD: element ${id}: ${r ? r.message : 'bad id'}`);
      out.push(r.value);
    });
    return out;
  } finally {
    doc.destroy();
  }
}

export function makeFirstScreen(doc: Y.Doc): FirstScreenHub {
  let view: WorldRect | null = null;
  let select: FirstScreenSelect | null = null;
  let current: FirstScreenPreview | null = null;
  const listeners = new Set<(p: FirstScreenPreview | null) => void>();
  /** per link: we asked, and whether its answer came (one per link) */
  const asked = new Map<PeerId, 'asked' | 'answered'>();
  /** links we sent a first screen on (one per link) */
  const answered = new Set<PeerId>();
  let destroyed = false;

  const show = (p: FirstScreenPreview | null): void => {
    if (p === current) return;
    current = p;
    for (const fn of listeners) fn(p);
  };

  return {
    setView: (rect) => void (view = rect),
    setSelect: (fn) => void (select = fn),
    preview: () => current,
    onPreview(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    ask(peer, hasSynced) {
      if (destroyed || !view || hasSynced || asked.has(peer) || elementsMap(doc).size > 0)
        return null;
      asked.set(peer, 'asked');
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, REQUEST_MARK);
      for (const n of [view.minX, view.minY, view.maxX, view.maxY]) encoding.writeFloat64(e, n);
      return encoding.toUint8Array(e);
    },
    answer(peer, rest) {
      if (destroyed || !decoding.hasContent(rest) || decoding.readVarUint(rest) !== REQUEST_MARK)
        return null;
      const rect = readRect(rest);
      if (!rect) throw new Error('first screen request: not a view');
      if (answered.has(peer)) return null;
      answered.add(peer);
      const update = encodeFirstScreen(doc, select ? select(rect) : selectByScan(doc, rect));
      if (!update) return null;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, FIRST_SCREEN_MESSAGE);
      encoding.writeVarUint8Array(e, update);
      return encoding.toUint8Array(e);
    },
    receive(peer, body, hasSynced) {
      if (asked.get(peer) !== 'asked') throw new Error('first screen not asked for on this link');
      asked.set(peer, 'answered');
      if (hasSynced) throw new Error('first screen after the board synced: ignored');
      const update = decoding.readVarUint8Array(body);
      if (update.length > FIRST_SCREEN_MAX_BYTES)
        throw new Error(`ERR_TOO_LARGE: first screen of ${update.length} bytes`);
      const elements = readPreview(update);
      // the first one shown stays: another peer's view of the same board adds nothing
      if (current === null && !destroyed) show({ peer, elements });
    },
    synced: () => show(null),
    closed(peer) {
      asked.delete(peer);
      answered.delete(peer);
      if (current?.peer === peer) show(null);
    },
    destroy() {
      destroyed = true;
      show(null);
      listeners.clear();
      asked.clear();
      answered.clear();
    },
  };
}
