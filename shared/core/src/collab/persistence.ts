/**
 * Per-room local persistence of the Y.Doc with y-indexeddb: on reload the board (and chat) come
 * back from IndexedDB before any peer answers, and edits made offline are stored and merged
 * when peers reconnect (they are ordinary Yjs updates, exchanged by the sync step1/step2).
 *
 * `whenSynced` never rejects and never hangs: where IndexedDB is missing (Node) or broken
 * (private mode, quota, a corrupt stored update) it settles with a status the UI can show and
 * the app carries on with peer sync only.
 */
import type * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { DocUpdates } from './docUpdates';

export type PersistenceStatus =
  { kind: 'loaded' } | { kind: 'unavailable'; reason: string } | { kind: 'failed'; reason: string };

export interface BoardPersistence {
  /** false when IndexedDB does not exist here (Node) */
  readonly enabled: boolean;
  readonly whenSynced: Promise<PersistenceStatus>;
  /** delete this room's stored document (and stop persisting) */
  clearData(): Promise<void>;
  destroy(): void;
}

export const PERSISTENCE_TIMEOUT_MS = 5_000;

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
  } = {},
): BoardPersistence {
  if (typeof indexedDB === 'undefined') {
    const status: PersistenceStatus = { kind: 'unavailable', reason: 'no IndexedDB here' };
    return {
      enabled: false,
      whenSynced: Promise.resolve(status),
      clearData: () => Promise.resolve(),
      destroy: () => {},
    };
  }

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
      clearData: () => Promise.resolve(),
      destroy: () => {},
    };
  }

  const detach: (() => void)[] = [];
  const { updates } = options;
  if (updates) {
    doc.off('update', persistence._storeUpdate);
    const store = persistence._storeUpdate;
    detach.push(
      updates.quiet(persistence),
      updates.onUpdate((update, origin) => store(update, origin)),
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
    clearTimeout(timer);
    unhook();
    persistence.destroy().catch(() => {});
  };

  return {
    enabled: true,
    whenSynced,
    clearData: async () => {
      destroyed = true;
      clearTimeout(timer);
      unhook();
      await persistence.clearData();
    },
    destroy,
  };
}
