/**
 * The few IndexedDB calls the sealed store needs, as promises. One object store of update
 * records under auto-increment keys, the same layout y-indexeddb uses for its 'updates' store.
 */
export const UPDATES_STORE = 'updates';

export const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });

export const transactionDone = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });

/** Opens (creating if needed) a database with the updates store. */
export function openUpdatesDb(name: string): Promise<IDBDatabase> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(UPDATES_STORE))
      open.result.createObjectStore(UPDATES_STORE, { autoIncrement: true });
  };
  return request(open);
}

export interface StoredRecords {
  keys: IDBValidKey[];
  values: unknown[];
}

/** Every record of the updates store, read in one transaction (a consistent view). */
export async function readAll(db: IDBDatabase): Promise<StoredRecords> {
  const tx = db.transaction(UPDATES_STORE, 'readonly');
  const store = tx.objectStore(UPDATES_STORE);
  const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
  return { keys, values };
}

export async function addRecord(db: IDBDatabase, value: Uint8Array): Promise<void> {
  const tx = db.transaction(UPDATES_STORE, 'readwrite');
  tx.objectStore(UPDATES_STORE).add(value);
  await transactionDone(tx);
}

/**
 * Atomically replaces the records up to `lastKey` with `value` (compaction). Records another
 * tab added meanwhile have larger keys and stay.
 */
export async function replaceUpTo(
  db: IDBDatabase,
  lastKey: IDBValidKey,
  value: Uint8Array,
): Promise<void> {
  const tx = db.transaction(UPDATES_STORE, 'readwrite');
  const store = tx.objectStore(UPDATES_STORE);
  store.delete(IDBKeyRange.upperBound(lastKey));
  store.add(value);
  await transactionDone(tx);
}

export async function deleteRecords(db: IDBDatabase, keys: IDBValidKey[]): Promise<void> {
  if (keys.length === 0) return;
  const tx = db.transaction(UPDATES_STORE, 'readwrite');
  const store = tx.objectStore(UPDATES_STORE);
  for (const key of keys) store.delete(key);
  await transactionDone(tx);
}

/**
 * Deletes a whole database. Other connections are asked to close (versionchange); one that does
 * not leaves the request blocked, so this gives up waiting after `timeoutMs` (the deletion still
 * happens once they close).
 */
export function deleteDb(name: string, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.deleteDatabase(name);
    const timer = setTimeout(() => reject(new Error(`deleting ${name} is blocked`)), timeoutMs);
    r.onsuccess = () => {
      clearTimeout(timer);
      resolve();
    };
    r.onerror = () => {
      clearTimeout(timer);
      reject(r.error ?? new Error(`deleting ${name} failed`));
    };
  });
}

/** Whether a database of that name exists; null where the browser cannot list them. */
export async function dbExists(name: string): Promise<boolean | null> {
  if (typeof indexedDB.databases !== 'function') return null;
  const list = await indexedDB.databases();
  return list.some((d) => d.name === name);
}
