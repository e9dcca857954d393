/**
 * Per-room local persistence of the Y.Doc: on reload the board (and chat) come
 * back from IndexedDB before any peer answers, and edits made offline are stored and merged
 * when peers reconnect (they are ordinary Yjs updates, exchanged by the sync step1/step2).
 *
 * `whenSynced` never rejects and never hangs: where IndexedDB is missing (Node) or broken
 * (private mode, quota, a corrupt stored update) it settles with a status the UI can show and
 * the app carries on with peer sync only.
 *
 * Open rooms use y-indexeddb under `peerboard-room:<roomId>` (plaintext, as before). Protected
 * rooms (a `secret` is given) use the sealed store (sealedStore.ts): its name and key come from
 * the secret, so a visit without the secret finds nothing to load.
 */
import type * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { deriveLocalStoreKeys } from '../secret/roomSecret';
import type { DocUpdates } from './docUpdates';
import { deleteDb } from './idb';
import { makeSealedPersistence } from './sealedStore';

export type PersistenceStatus =
  { kind: 'loaded' } | { kind: 'unavailable'; reason: string } | { kind: 'failed'; reason: string };

export interface BoardPersistence {
  /** false when IndexedDB does not exist here (Node) */
  readonly enabled: boolean;
  readonly whenSynced: Promise<PersistenceStatus>;
  /** resolves once every update reported so far is on disk (or failed to get there) */
  flush(): Promise<void>;
  /** delete this room's stored document (and stop persisting) */
  clearData(): Promise<void>;
  destroy(): void;
}

export const PERSISTENCE_TIMEOUT_MS = 5_000;

/** A peer's updates from this size on are stored once the page is idle (a board joined from one). */
export const STORE_LATER_BYTES = 256 * 1024;

/**
 * After the next frame when the page has frames to paint (the idle callback, with a deadline so
 * a hidden tab, whose idle time can be starved, still stores within a second), else after the
 * current task.
 */
const storeSoon = (fn: () => void): void => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 1000 });
  else setTimeout(fn, 0);
};

export const persistenceName = (roomId: string): string => `peerboard-room:${roomId}`;

export function makeBoardPersistence(
  roomId: string,
  doc: Y.Doc,
  options: {
    timeoutMs?: number;
    /**
     * The room's update tap: y-indexeddb then stores local updates and peers' bytes as they
     * arrived, and its own loads are never encoded (instead of its doc 'update' listener, which
     * makes Yjs encode every transaction, a multi-megabyte load included).
     */
    updates?: DocUpdates;
    /** a protected room's secret: the store is then sealed with keys derived from it */
    secret?: string;
  } = {},
): BoardPersistence {
  if (typeof indexedDB === 'undefined') {
    const status: PersistenceStatus = { kind: 'unavailable', reason: 'no IndexedDB here' };
    return {
      enabled: false,
      whenSynced: Promise.resolve(status),
      flush: () => Promise.resolve(),
      clearData: () => Promise.resolve(),
      destroy: () => {},
    };
  }

  if (options.secret !== undefined)
    return makeSealedPersistence(options.secret, doc, {
      timeoutMs: options.timeoutMs ?? PERSISTENCE_TIMEOUT_MS,
      updates: options.updates,
      legacyName: persistenceName(roomId),
    });

  let destroyed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let persistence: IndexeddbPersistence;
  try {
    persistence = new IndexeddbPersistence(persistenceName(roomId), doc);
  } catch (e) {
    const status: PersistenceStatus = { kind: 'failed', reason: String(e) };
    return {
      enabled: true,
      whenSynced: Promise.resolve(status),
      flush: () => Promise.resolve(),
      clearData: () => Promise.resolve(),
      destroy: () => {},
    };
  }

  const detach: (() => void)[] = [];
  const { updates } = options;
  /** updates held for the next task (storeSoon), in the order they came */
  let waiting: [Uint8Array, unknown][] = [];
  const storeWaiting = (): void => {
    const list = waiting;
    waiting = [];
    for (const [update, origin] of list) persistence._storeUpdate(update, origin);
  };
  if (updates) {
    doc.off('update', persistence._storeUpdate);
    detach.push(
      updates.quiet(persistence),
      updates.onUpdate((update, origin, remote) => {
        // IndexedDB copies a value on the caller's thread: for a whole board joined from a
        // peer (megabytes) that copy would come between the apply and the board's first
        // frame, so it goes after that frame; what comes after it waits behind it. Only a
        // peer's: they hold it too, while a big local edit may exist nowhere else yet.
        if (waiting.length === 0 && (!remote || update.length < STORE_LATER_BYTES))
          return persistence._storeUpdate(update, origin);
        if (waiting.length === 0) storeSoon(storeWaiting);
        waiting.push([update, origin]);
      }),
    );
  }
  const unhook = (): void => {
    for (const off of detach.splice(0)) off();
  };

  const whenSynced = new Promise<PersistenceStatus>((resolve) => {
    timer = setTimeout(
      () => resolve({ kind: 'failed', reason: 'IndexedDB did not answer in time' }),
      options.timeoutMs ?? PERSISTENCE_TIMEOUT_MS,
    );
    persistence.whenSynced.then(
      () => resolve({ kind: 'loaded' }),
      (e: unknown) => resolve({ kind: 'failed', reason: String(e) }),
    );
    // openDB rejects (e.g. blocked in private mode): y-indexeddb would wait forever
    persistence._db.catch((e: unknown) => resolve({ kind: 'failed', reason: String(e) }));
  }).finally(() => clearTimeout(timer));

  const destroy = (): void => {
    if (destroyed) return;
    destroyed = true;
    storeWaiting();
    clearTimeout(timer);
    unhook();
    persistence.destroy().catch(() => {});
  };

  return {
    enabled: true,
    whenSynced,
    // y-indexeddb adds each update in its own transaction; a later one on the store completes
    // after them
    flush: () => {
      storeWaiting();
      return persistence._db.then(
        (db) =>
          new Promise<void>((resolve) => {
            const tx = db.transaction('updates', 'readonly');
            tx.objectStore('updates').count();
            tx.oncomplete = tx.onabort = tx.onerror = () => resolve();
          }),
        () => undefined,
      );
    },
    clearData: async () => {
      destroyed = true;
      waiting = [];
      clearTimeout(timer);
      unhook();
      await persistence.clearData();
    },
    destroy,
  };
}

/**
 * Deletes what this device stores for a room: the plaintext store under the room id (an open
 * room, or a protected one from before stores were sealed) and, given the secret, the sealed
 * store. A live persistence of the room should be cleared (clearData) first: an open connection
 * blocks the deletion until it closes.
 */
export async function forgetRoomStores(roomId: string, secret: string | null): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await deleteDb(persistenceName(roomId));
  if (secret !== null) await deleteDb((await deriveLocalStoreKeys(secret)).name);
}
