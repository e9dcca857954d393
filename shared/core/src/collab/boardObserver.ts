/**
 * The board's changes, one per transaction, as validated elements (readElement): what a renderer
 * or any other reader keeps its own copy up to date with, instead of reading the whole board.
 *
 * What is near first. A transaction that creates a whole board at once (a peer's board when we
 * join, the stored board on reload) was read in full before anything could be drawn: readElement
 * for 10,000 strokes was about a fifth of such a load. Given `readFirst`, a batch of at least
 * READ_FIRST_AT new elements from elsewhere (never our own edits) is read now only for the
 * elements whose stored box meets the area it names (the app names its view); the rest
 * wait, in arrival order, for `drain` (the caller's idle time, or at once when something needs
 * the whole board). An element still waiting when a later transaction changes it is read with
 * that transaction (reported as added), and one deleted meanwhile is never reported at all: a
 * reader is never told of a change to an element it has not been given.
 */
import * as Y from 'yjs';
import type { Unsubscribe } from '../types';
import { elementsMap } from './boardModel';
import {
  BOARD_LIMITS,
  isElementId,
  readElement,
  storedFieldReader,
  type BoardElement,
} from './elements';
import { extentFrom, rectsMeet, type WorldRect } from './firstScreenPick';
import { knownPtsBox, measuredPtsBox, PTS_KEY, type PtsBox } from './strokePoints';

export interface BoardChange {
  /** new valid elements */
  added: BoardElement[];
  /** elements whose fields changed (current values) */
  updated: BoardElement[];
  /** ids to drop: deleted, or now invalid */
  removed: string[];
  /** true for edits made on this client (including undo/redo), false for remote ones */
  local: boolean;
  origin: unknown;
}

/** a batch of at least this many new elements from elsewhere is read near-first */
export const READ_FIRST_AT = 512;

export interface ObserveBoardOptions {
  /**
   * Asked once per big batch: the area (world units) whose elements are read now, or null to
   * read them all now. Elements elsewhere wait for `drain`.
   */
  readFirst?: () => WorldRect | null;
}

/** observeBoard's unsubscribe, with the elements of big batches that are not read yet. */
export interface BoardObserver extends Unsubscribe {
  /** how many elements wait to be read */
  waiting(): number;
  /** read up to `max` waiting elements (all without it), reported as one change of additions */
  drain(max?: number): void;
}

/**
 * Was `key` of the element map created in this transaction (Yjs's 'add')? The common case, a
 * key first set now (an element map whose item is new and has nothing left of it), is answered
 * from that item; anything else from `event.changes.keys`. Why: Yjs builds that map for every
 * key of the event at once (an object per key and a delete-set search), ~10,000 of them for a
 * board that arrives, where the item answers the same question for new keys.
 */
function keyAdded(event: Y.YMapEvent<unknown>, value: unknown, key: string): boolean | null {
  const item = value instanceof Y.Map ? value._item : null;
  // a live item of this transaction with no earlier item for the key: Yjs's 'add' exactly
  if (item && item.left === null && event.adds(item)) return true;
  const change = event.changes.keys.get(key);
  return change === undefined ? null : change.action === 'add';
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Does the stored element (not read yet) meet `area`? From its fields as stored: x, y, w, h, the
 * measure of a stroke's points (taken by the schema check, so not a second walk over them) and
 * its ink's reach, as the renderer's bounds have them. True when they cannot tell (readElement
 * then decides, now).
 */
function storedMeets(yel: Y.Map<unknown>, area: WorldRect): boolean {
  const field = storedFieldReader(yel);
  const x = field('x');
  const y = field('y');
  const width = field('strokeWidth');
  if (!finite(x) || !finite(y) || !finite(width)) return true;
  const type = field('type');
  const pts = field(PTS_KEY);
  if (pts instanceof Uint8Array) {
    const box = ptsExtent(pts);
    return box === null || rectsMeet(extentFrom(type, width, x, y, box), area);
  }
  const w = field('w');
  const h = field('h');
  // a legacy stroke's float points are not measured here: read it now
  if (!finite(w) || !finite(h)) return true;
  return rectsMeet(extentFrom(type, width, x, y, null, w, h), area);
}

/** the measure of a stroke's bytes: the schema check's, else taken now (null: none can be) */
function ptsExtent(pts: Uint8Array): PtsBox | null {
  const known = knownPtsBox(pts, BOARD_LIMITS.strokeMaxPoints, BOARD_LIMITS.maxCoord);
  if (known) return known;
  const measured = measuredPtsBox(pts, BOARD_LIMITS.strokeMaxPoints, BOARD_LIMITS.maxCoord);
  return measured.ok ? measured.value : null;
}

/** Incremental changes per transaction so a renderer only redraws what changed. */
export function observeBoard(
  doc: Y.Doc,
  fn: (change: BoardChange) => void,
  options: ObserveBoardOptions = {},
): BoardObserver {
  const map = elementsMap(doc);
  /** id -> origin of the transaction that created it, in arrival order */
  const waiting = new Map<string, unknown>();

  /** the element stored under `id` as read now; null when there is none */
  const readAt = (id: string, value: unknown) =>
    value === undefined || !isElementId(id) ? null : readElement(value, id);

  const handler = (events: Y.YEvent<Y.AbstractType<unknown>>[], txn: Y.Transaction): void => {
    const touched = new Map<string, boolean>(); // id -> key was (re)created in this transaction
    let created = 0;
    for (const event of events) {
      if (event.target === map) {
        const mapEvent = event as Y.YMapEvent<unknown>;
        for (const key of mapEvent.keysChanged) {
          if (typeof key !== 'string') continue;
          const added = keyAdded(mapEvent, map.get(key), key);
          if (added === null) continue;
          if (added && touched.get(key) !== true) created++;
          touched.set(key, added || touched.get(key) === true);
        }
      } else {
        const id = event.path[0];
        if (typeof id === 'string' && !touched.has(id)) touched.set(id, false);
      }
    }
    const area =
      !txn.local && created >= READ_FIRST_AT && options.readFirst ? options.readFirst() : null;
    const change: BoardChange = {
      added: [],
      updated: [],
      removed: [],
      local: txn.local,
      origin: txn.origin,
    };
    for (const [id, createdNow] of touched) {
      const value = map.get(id);
      const wasWaiting = waiting.size > 0 && waiting.delete(id);
      if (area && createdNow && value instanceof Y.Map && !storedMeets(value, area)) {
        waiting.set(id, txn.origin);
        continue;
      }
      const r = readAt(id, value);
      if (!r || !r.ok) {
        if (!wasWaiting) change.removed.push(id);
      } else if (createdNow || wasWaiting) change.added.push(r.value);
      else change.updated.push(r.value);
    }
    if (change.added.length + change.updated.length + change.removed.length > 0) fn(change);
  };

  const drain = (max = Infinity): void => {
    if (waiting.size === 0) return;
    const change: BoardChange = { added: [], updated: [], removed: [], local: false, origin: null };
    let n = 0;
    for (const [id, origin] of waiting) {
      if (n++ >= max) break;
      waiting.delete(id);
      change.origin ??= origin;
      const r = readAt(id, map.get(id));
      if (r?.ok) change.added.push(r.value);
    }
    if (change.added.length > 0) fn(change);
  };

  map.observeDeep(handler);
  let active = true;
  const stop = (): void => {
    if (!active) return;
    active = false;
    waiting.clear();
    map.unobserveDeep(handler);
  };
  return Object.assign(stop, { waiting: () => waiting.size, drain });
}
