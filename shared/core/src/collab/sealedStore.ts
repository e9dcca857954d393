/**
 * A protected room's document on this device, unreadable without the room secret.
 *
 * y-indexeddb stores plaintext updates in a database named after the room id, which the relay
 * knows: a bare `/r/<id>` link then reopened (and re-synced, unsealed) a protected board. Here
 * the database name and an AES-GCM key both come from the secret (deriveLocalStoreKeys: their own
 * HKDF domains), and every stored update or snapshot is sealed with a fresh random IV:
 *
 *   record = [0x53 version][iv: 12 bytes][AES-GCM(update) + 16-byte tag]
 *   additional data = "peerboard-store-v1|<database name>"
 *
 * Otherwise it behaves as y-indexeddb did for the room doc: local updates and peers' bytes are
 * stored as they arrived (through the DocUpdates tap, so nothing is re-encoded), the load is a
 * quiet transaction, and past a record count or size the records are merged into one snapshot
 * (Y.mergeUpdates). Every write, the load and compaction run one after another on one queue.
 * A room stored in plaintext before (y-indexeddb, `legacyName`) is moved in and deleted.
 */
import * as Y from 'yjs';
import { utf8Encode } from '@peerboard/protocol';
import { deriveLocalStoreKeys, type LocalStoreKeys } from '../secret/roomSecret';
import type { DocUpdates } from './docUpdates';
import {
  addRecord,
  dbExists,
  deleteDb,
  deleteRecords,
  openUpdatesDb,
  readAll,
  replaceUpTo,
  UPDATES_STORE,
} from './idb';
import type { BoardPersistence, PersistenceStatus } from './persistence';

const RECORD_VERSION = 0x53;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** merge the records into one snapshot once there are this many... */
export const SEALED_COMPACT_RECORDS = 300;
/** ...or once this many bytes were appended since the last snapshot */
export const SEALED_COMPACT_BYTES = 4 * 1024 * 1024;

export interface SealedPersistenceOptions {
  timeoutMs?: number;
  updates?: DocUpdates;
  /** the plaintext y-indexeddb database this room may have from before: moved in, then deleted */
  legacyName?: string;
  compactRecords?: number;
  compactBytes?: number;
}

type Bytes = Uint8Array<ArrayBuffer>;
const additionalData = (name: string): Bytes => utf8Encode(`peerboard-store-v1|${name}`) as Bytes;

async function sealRecord(keys: LocalStoreKeys, plain: Uint8Array): Promise<Uint8Array> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: additionalData(keys.name) },
    keys.key,
    plain as Bytes,
  );
  const out = new Uint8Array(1 + IV_BYTES + ct.byteLength);
  out[0] = RECORD_VERSION;
  out.set(iv, 1);
  out.set(new Uint8Array(ct), 1 + IV_BYTES);
  return out;
}

/** The update inside a record, or null when it is not ours (another key, damaged, not bytes). */
async function openRecord(keys: LocalStoreKeys, value: unknown): Promise<Uint8Array | null> {
  if (!(value instanceof Uint8Array) || value.length < 1 + IV_BYTES + TAG_BYTES) return null;
  if (value[0] !== RECORD_VERSION) return null;
  try {
    const plain = await globalThis.crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: value.slice(1, 1 + IV_BYTES),
        additionalData: additionalData(keys.name),
      },
      keys.key,
      value.slice(1 + IV_BYTES),
    );
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}

/** The merged updates of a y-indexeddb database, or null when there is none. */
async function readLegacy(name: string): Promise<Uint8Array | null> {
  if ((await dbExists(name)) !== true) return null;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error(`cannot open ${name}`));
  });
  try {
    if (!db.objectStoreNames.contains(UPDATES_STORE)) return null;
    const { values } = await readAll(db);
    const updates = values.filter((v): v is Uint8Array => v instanceof Uint8Array);
    return updates.length > 0 ? Y.mergeUpdates(updates) : null;
  } finally {
    db.close();
  }
}

export function makeSealedPersistence(
  secret: string,
  doc: Y.Doc,
  options: SealedPersistenceOptions = {},
): BoardPersistence {
  const compactRecords = options.compactRecords ?? SEALED_COMPACT_RECORDS;
  const compactBytes = options.compactBytes ?? SEALED_COMPACT_BYTES;
  /** transaction origin of the load, quiet for the update tap */
  const self = { sealedStore: true };
  let destroyed = false;
  /** another tab deletes the database (Forget this room): stop writing to it */
  let closed = false;
  let records = 0;
  let appendedBytes = 0;
  let warned = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const keys = deriveLocalStoreKeys(secret);
  const ready = keys.then(async (k) => {
    const db = await openUpdatesDb(k.name);
    db.onversionchange = () => {
      closed = true;
      db.close();
    };
    return { ...k, db };
  });
  ready.catch(() => undefined); // reported through whenSynced

  const compact = async (): Promise<void> => {
    const { db, ...k } = await ready;
    const { keys: ids, values } = await readAll(db);
    const last = ids.at(-1);
    if (last === undefined || ids.length < 2) return;
    const plain = (await Promise.all(values.map((v) => openRecord(k, v)))).filter(
      (p): p is Uint8Array => p !== null,
    );
    const sealed = await sealRecord(k, Y.mergeUpdates(plain));
    await replaceUpTo(db, last, sealed);
    records = 1;
    appendedBytes = 0;
  };

  const write = async (update: Uint8Array): Promise<void> => {
    if (closed) return;
    const { db, ...k } = await ready;
    const sealed = await sealRecord(k, update);
    await addRecord(db, sealed);
    records++;
    appendedBytes += sealed.length;
    if (records >= compactRecords || appendedBytes >= compactBytes) await compact();
  };

  const load = async (): Promise<PersistenceStatus> => {
    const { db, ...k } = await ready;
    const { keys: ids, values } = await readAll(db);
    const plain: Uint8Array[] = [];
    const unreadable: IDBValidKey[] = [];
    for (const [i, value] of values.entries()) {
      const update = await openRecord(k, value);
      if (update) plain.push(update);
      else if (ids[i] !== undefined) unreadable.push(ids[i]);
    }
    // nothing this key sealed: damaged on disk, so it can never load; it only takes space
    await deleteRecords(db, unreadable);
    records = plain.length;
    appendedBytes = plain.slice(1).reduce((n, p) => n + p.length, 0);
    const legacy = options.legacyName ? await readLegacy(options.legacyName) : null;
    if (!destroyed && plain.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(plain), self);
    if (legacy) {
      if (!destroyed) Y.applyUpdate(doc, legacy, self);
      await write(legacy);
      if (options.legacyName) await deleteDb(options.legacyName);
    }
    if (records >= compactRecords || appendedBytes >= compactBytes) await compact();
    return { kind: 'loaded' };
  };

  const loading = load();
  let queue: Promise<unknown> = loading.catch(() => undefined);
  const enqueue = (job: () => Promise<void>): void => {
    queue = queue.then(job).catch((e: unknown) => {
      if (warned) return;
      warned = true;
      console.warn('[persistence] could not store an update on this device:', e);
    });
  };

  const detach: (() => void)[] = [];
  const store = (update: Uint8Array): void => {
    if (!destroyed) enqueue(() => write(update));
  };
  if (options.updates) {
    detach.push(
      options.updates.quiet(self),
      options.updates.onUpdate((update) => store(update)),
    );
  } else {
    const onUpdate = (update: Uint8Array, origin: unknown): void => {
      if (origin !== self) store(update);
    };
    doc.on('update', onUpdate);
    detach.push(() => doc.off('update', onUpdate));
  }
  const stop = (): void => {
    destroyed = true;
    clearTimeout(timer);
    for (const off of detach.splice(0)) off();
  };
  /** after the writes already queued: they belong to the board as it was */
  const closeDb = (): Promise<void> =>
    queue
      .then(() => ready)
      .then(
        ({ db }) => db.close(),
        () => undefined,
      );

  const whenSynced = new Promise<PersistenceStatus>((resolve) => {
    timer = setTimeout(
      () => resolve({ kind: 'failed', reason: 'IndexedDB did not answer in time' }),
      options.timeoutMs ?? 5_000,
    );
    loading.then(resolve, (e: unknown) => resolve({ kind: 'failed', reason: String(e) }));
  }).finally(() => clearTimeout(timer));

  return {
    enabled: true,
    whenSynced,
    flush: () => queue.then(() => undefined),
    async clearData() {
      stop();
      await closeDb();
      await deleteDb((await keys).name);
      if (options.legacyName) await deleteDb(options.legacyName);
    },
    destroy() {
      if (destroyed) return;
      stop();
      void closeDb();
    },
  };
}
