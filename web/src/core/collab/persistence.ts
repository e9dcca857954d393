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
  options: { timeoutMs?: number } = {},
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
    persistence.destroy().catch(() => {});
  };

  return {
    enabled: true,
    whenSynced,
    clearData: async () => {
      destroyed = true;
      clearTimeout(timer);
      await persistence.clearData();
    },
    destroy,
  };
}
