/**
 * The room doc's updates for the wire and for IndexedDB, without Yjs encoding what nobody sends.
 *
 * Why: as soon as anything listens to a Y.Doc's 'update' event, Yjs encodes every transaction
 * for it (writeUpdateMessageFromTransaction), whoever made it. Applying a peer's 11 MB SyncStep2
 * or loading the board from IndexedDB then costs a second full encode that both listeners throw
 * away: the provider never re-broadcasts a peer's update (full mesh) and y-indexeddb never stores
 * its own load. So no listener stays attached: one is attached in 'beforeTransaction' only for a
 * transaction whose origin is not quiet (local edits, undo/redo, chat), and detached when the
 * transactions are done. Quiet origins are RemoteOrigin (a peer) and those registered with
 * `quiet()` (the persistence's own loads).
 *
 * Bytes from a peer go through `applyRemote`: once applied, listeners get those very bytes with
 * `remote: true` (IndexedDB stores them; the provider ignores them), so nothing is re-encoded.
 */
import * as Y from 'yjs';
import type { Unsubscribe } from '../types';

export type RemoteApply = (doc: Y.Doc, update: Uint8Array, origin: object) => void;

export type UpdateListener = (update: Uint8Array, origin: unknown, remote: boolean) => void;

export interface DocUpdates {
  readonly doc: Y.Doc;
  /** local updates (remote false) and the bytes applied through applyRemote (remote true) */
  onUpdate(fn: UpdateListener): Unsubscribe;
  /**
   * apply a peer's update with `origin`; throws (doc untouched) when Yjs cannot decode it.
   * `apply` replaces Y.applyUpdate (the update gate's checked apply, structRecords.ts).
   */
  applyRemote(update: Uint8Array, origin: object, apply?: RemoteApply): void;
  /** transactions with this origin are neither encoded nor reported (e.g. a persistence load) */
  quiet(origin: object): Unsubscribe;
  /** true for origins whose transactions are never encoded here */
  isQuiet(origin: unknown): boolean;
  destroy(): void;
}

/** Transaction origin of a peer's update (kept here so both provider and persistence see it). */
export class RemoteOrigin {
  constructor(readonly peer: string) {}
}

export function makeDocUpdates(doc: Y.Doc): DocUpdates {
  const listeners = new Set<UpdateListener>();
  const quietOrigins = new Set<object>();
  let armed = false;
  let destroyed = false;

  const isQuiet = (origin: unknown): boolean =>
    origin instanceof RemoteOrigin ||
    (typeof origin === 'object' && origin !== null && quietOrigins.has(origin));

  const onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    // a quiet transaction nested in an armed one's cleanup may reach here: still not ours
    if (isQuiet(origin)) return;
    for (const fn of listeners) fn(update, origin, false);
  };
  const onBefore = (tr: Y.Transaction): void => {
    if (armed || listeners.size === 0 || isQuiet(tr.origin)) return;
    armed = true;
    doc.on('update', onDocUpdate);
  };
  const onAfterAll = (): void => {
    if (!armed) return;
    armed = false;
    doc.off('update', onDocUpdate);
  };
  doc.on('beforeTransaction', onBefore);
  doc.on('afterAllTransactions', onAfterAll);

  return {
    doc,
    onUpdate(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    applyRemote(update, origin, apply: RemoteApply = Y.applyUpdate) {
      apply(doc, update, origin);
      if (!destroyed) for (const fn of listeners) fn(update, origin, true);
    },
    quiet(origin) {
      quietOrigins.add(origin);
      return () => quietOrigins.delete(origin);
    },
    isQuiet,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      onAfterAll();
      doc.off('beforeTransaction', onBefore);
      doc.off('afterAllTransactions', onAfterAll);
      listeners.clear();
      quietOrigins.clear();
    },
  };
}
