/**
 * What a receiver remembers of an unfinished download so a reload or a crash can continue it:
 * one small record per (room, content), next to the partial bytes themselves (kept by the sink:
 * files in the origin private file system, or the file the user picked).
 *
 *   record: sha256, size, chunk/block layout, name, mime, sender, `bytes` (a prefix written and
 *   durable), `place` (where the partial is: sink-specific, structured-cloneable, opaque here)
 *
 * The record is a claim, not a proof: the receiver re-reads the partial and checks every block
 * against the hash list the offerer sends before it keeps any of it (incoming.ts), so a damaged
 * or tampered partial costs a re-download, never a wrong file.
 *
 * Storage goes through a ResumeBackend (IndexedDB in browsers, a Map in Node tests). A protected
 * room stores no room id, file name or content hash in the clear: its room key is a hash of the
 * secret-derived store name, record keys are hashes, and the record body is sealed with the
 * room's local store key (AES-GCM, as sealedStore.ts does for the board). Only `place` stays
 * readable: the cleanup at start-up must know which partial files are still wanted.
 */
import { base64url, utf8Decode, utf8Encode } from '@peerboard/protocol';
import { deriveLocalStoreKeys, type LocalStoreKeys } from '../secret/roomSecret';

export interface ResumeRecord {
  sha256: string;
  size: number;
  chunk: number;
  block: number;
  name: string;
  mime: string;
  /** the peer we were downloading from */
  sender: string;
  /** bytes written and durable: a prefix of the file, still to be re-verified on resume */
  bytes: number;
  /** where the partial bytes are (sink-specific) */
  place: unknown;
}

/** One stored row: `body` is the record (open room) or its sealed bytes (protected room). */
export interface StoredResume {
  key: string;
  room: string;
  body: unknown;
  place: unknown;
}

export interface ResumeBackend {
  get(key: string): Promise<StoredResume | undefined>;
  put(row: StoredResume): Promise<void>;
  delete(key: string): Promise<void>;
  byRoom(room: string): Promise<StoredResume[]>;
  all(): Promise<StoredResume[]>;
}

export interface ResumeStore {
  find(sha256: string): Promise<ResumeRecord | null>;
  put(rec: ResumeRecord): Promise<void>;
  /** forgets the record; with `discard` also deletes the partial bytes (declined, cancelled) */
  drop(sha256: string, discard: boolean): Promise<void>;
  /** "Forget this room": every record of the room and its partial bytes */
  clear(): Promise<void>;
}

export interface ResumeStoreOptions {
  roomId: string;
  /** protected room: seal everything but `place` */
  secret?: string | null;
  /** deletes the partial bytes at a record's place (browser: OPFS files) */
  discardPlace?: (place: unknown) => Promise<void>;
}

const sha256Text = async (text: string): Promise<string> =>
  base64url(
    new Uint8Array(
      await globalThis.crypto.subtle.digest('SHA-256', utf8Encode(text) as BufferSource),
    ),
  );

const isRecord = (v: unknown): v is ResumeRecord => {
  const r = v as ResumeRecord;
  const int = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(r.sha256) &&
    int(r.size) &&
    int(r.chunk) &&
    int(r.block) &&
    int(r.bytes) &&
    r.bytes <= r.size &&
    typeof r.name === 'string' &&
    typeof r.mime === 'string' &&
    typeof r.sender === 'string'
  );
};

export function makeResumeStore(backend: ResumeBackend, o: ResumeStoreOptions): ResumeStore {
  const IV = 12;
  let sealing: Promise<{ room: string; keys: LocalStoreKeys | null }> | null = null;
  const scope = () =>
    (sealing ??= (async () => {
      if (!o.secret) return { room: `open:${o.roomId}`, keys: null };
      const keys = await deriveLocalStoreKeys(o.secret);
      return { room: `sealed:${await sha256Text(`peerboard-resume|${keys.name}`)}`, keys };
    })());
  const keyOf = async (sha256: string) => {
    const { room, keys } = await scope();
    return keys ? `${room}|${await sha256Text(`${room}|${sha256}`)}` : `${room}|${sha256}`;
  };
  const aad = (key: string) => utf8Encode(`peerboard-resume-v1|${key}`) as BufferSource;

  async function encode(key: string, rec: ResumeRecord): Promise<unknown> {
    const { keys } = await scope();
    const { place: _place, ...body } = rec;
    if (!keys) return body;
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV));
    const ct = await globalThis.crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: aad(key) },
      keys.key,
      utf8Encode(JSON.stringify(body)) as BufferSource,
    );
    const out = new Uint8Array(IV + ct.byteLength);
    out.set(iv);
    out.set(new Uint8Array(ct), IV);
    return out;
  }

  async function decode(row: StoredResume): Promise<ResumeRecord | null> {
    const { keys } = await scope();
    let body: unknown = row.body;
    if (keys) {
      if (!(row.body instanceof Uint8Array) || row.body.length <= IV) return null;
      try {
        const plain = await globalThis.crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: row.body.slice(0, IV), additionalData: aad(row.key) },
          keys.key,
          row.body.slice(IV),
        );
        body = JSON.parse(utf8Decode(new Uint8Array(plain)));
      } catch {
        return null;
      }
    }
    const rec = { ...(body as object), place: row.place };
    return isRecord(rec) ? rec : null;
  }

  return {
    async find(sha256) {
      const key = await keyOf(sha256);
      const row = await backend.get(key);
      if (!row) return null;
      const rec = await decode(row);
      return rec && rec.sha256 === sha256 ? rec : null;
    },
    async put(rec) {
      const key = await keyOf(rec.sha256);
      const { room } = await scope();
      await backend.put({ key, room, body: await encode(key, rec), place: rec.place });
    },
    async drop(sha256, discard) {
      const key = await keyOf(sha256);
      const row = await backend.get(key);
      if (!row) return;
      await backend.delete(key);
      if (discard) await o.discardPlace?.(row.place).catch(() => undefined);
    },
    async clear() {
      const { room } = await scope();
      for (const row of await backend.byRoom(room)) {
        await backend.delete(row.key);
        await o.discardPlace?.(row.place).catch(() => undefined);
      }
    },
  };
}

/** Records kept in memory: Node, tests, and browsers without IndexedDB (nothing survives). */
export function makeMemoryResumeBackend(): ResumeBackend {
  const rows = new Map<string, StoredResume>();
  return {
    get: async (key) => rows.get(key),
    put: async (row) => void rows.set(row.key, row),
    delete: async (key) => void rows.delete(key),
    byRoom: async (room) => [...rows.values()].filter((r) => r.room === room),
    all: async () => [...rows.values()],
  };
}

export const RESUME_DB = 'peerboard-resume';
const STORE = 'partials';

const req = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });

/** Records in IndexedDB (one database for every room, rows indexed by room key). */
export function makeIdbResumeBackend(idb: IDBFactory, name = RESUME_DB): ResumeBackend {
  let db: Promise<IDBDatabase> | null = null;
  const open = () =>
    (db ??= (() => {
      const r = idb.open(name, 1);
      r.onupgradeneeded = () => {
        const s = r.result.createObjectStore(STORE, { keyPath: 'key' });
        s.createIndex('room', 'room');
      };
      return req(r);
    })());
  const run = async <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>) => {
    const tx = (await open()).transaction(STORE, mode);
    return req(fn(tx.objectStore(STORE)));
  };
  return {
    get: (key) => run('readonly', (s) => s.get(key) as IDBRequest<StoredResume | undefined>),
    put: async (row) => void (await run('readwrite', (s) => s.put(row))),
    delete: async (key) => void (await run('readwrite', (s) => s.delete(key))),
    byRoom: (room) =>
      run('readonly', (s) => s.index('room').getAll(room) as IDBRequest<StoredResume[]>),
    all: () => run('readonly', (s) => s.getAll() as IDBRequest<StoredResume[]>),
  };
}
