/**
 * Files shared to Peerboard from another app, kept in this browser's IndexedDB until the person
 * offers them in a room or discards them. Written by the service worker, read by the page; the
 * page hears of new ones on a BroadcastChannel. Plain IndexedDB: one store, three operations.
 */

const DB_NAME = 'peerboard-share-inbox';
const STORE = 'files';
export const SHARE_CHANNEL = 'peerboard-share-inbox';

export interface SharedFile {
  id: number;
  file: File;
  /** ms since epoch, when it arrived */
  at: number;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('could not open the share inbox'));
  });
}

async function run<T>(
  mode: IDBTransactionMode,
  body: (store: IDBObjectStore) => IDBRequest<T> | void,
): Promise<T | undefined> {
  const db = await open();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = body(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req?.result);
      tx.onerror = () => reject(tx.error ?? new Error('share inbox transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('share inbox transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/** Stores the files (all or none) and tells open pages. */
export async function addSharedFiles(files: readonly File[], now = Date.now()): Promise<void> {
  await run('readwrite', (store) => {
    for (const file of files) store.add({ file, at: now });
  });
  const channel = new BroadcastChannel(SHARE_CHANNEL);
  channel.postMessage('changed');
  channel.close();
}

/** Everything waiting, oldest first. Records that are not files (a damaged store) are skipped. */
export async function listSharedFiles(): Promise<SharedFile[]> {
  const out: SharedFile[] = [];
  await run('readonly', (store) => {
    const req = store.openCursor();
    req.onsuccess = () => {
      const cursor = req.result;
      if (cursor === null) return;
      const value: unknown = cursor.value;
      const file = (value as { file?: unknown } | null)?.file;
      const at = (value as { at?: unknown } | null)?.at;
      if (file instanceof File && typeof cursor.key === 'number')
        out.push({ id: cursor.key, file, at: typeof at === 'number' ? at : 0 });
      cursor.continue();
    };
  });
  return out;
}

/** Removes the given records (offered or discarded). */
export async function removeSharedFiles(ids: readonly number[]): Promise<void> {
  await run('readwrite', (store) => {
    for (const id of ids) store.delete(id);
  });
  const channel = new BroadcastChannel(SHARE_CHANNEL);
  channel.postMessage('changed');
  channel.close();
}
