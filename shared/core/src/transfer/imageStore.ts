/**
 * Board image bytes kept in IndexedDB by SHA-256, so a reload draws them without asking anyone
 * and this browser can serve them to late joiners. Open rooms share one database (the bytes are
 * named by their hash: the same picture in two rooms is stored once). A protected room gets a
 * database named from its secret and every record sealed with the secret's local-store key
 * (AES-GCM, the record's key as additional data), and its records are keyed by a digest of
 * (database, hash), so the bytes and which images it holds are unreadable without the link.
 * imageBlobs.ts checks the SHA-256 of whatever comes back from here before using or serving it.
 */
import { bytesToHex, utf8Encode } from '@peerboard/protocol';
import { request, transactionDone } from '../collab/idb';
import { deriveLocalStoreKeys, type LocalStoreKeys } from '../secret/roomSecret';
import type { ImageBlobStore } from './imageBlobs';

export const OPEN_IMAGES_DB = 'peerboard-images';
const STORE = 'images';
const IV_BYTES = 12;
type Bytes = Uint8Array<ArrayBuffer>;

function openDb(name: string): Promise<IDBDatabase> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
  };
  return request(open);
}

async function digestHex(text: string): Promise<string> {
  const d = await globalThis.crypto.subtle.digest('SHA-256', utf8Encode(text) as Bytes);
  return bytesToHex(new Uint8Array(d));
}

/** null where there is no IndexedDB (Node, some private modes): images stay in memory. */
export function makeIdbImageStore(secret?: string): ImageBlobStore | null {
  if (typeof indexedDB === 'undefined') return null;
  const sealed: Promise<LocalStoreKeys> | null = secret ? deriveLocalStoreKeys(secret) : null;
  let db: Promise<IDBDatabase> | null = null;
  const database = () =>
    (db ??= (sealed ? sealed.then((k) => `${k.name}:images`) : Promise.resolve(OPEN_IMAGES_DB))
      .then(openDb)
      .catch((e: unknown) => {
        db = null;
        throw e;
      }));
  const keyOf = async (sha256: string): Promise<string> =>
    sealed ? digestHex(`peerboard-image|${(await sealed).name}|${sha256}`) : sha256;

  return {
    async get(sha256) {
      const [d, key] = await Promise.all([database(), keyOf(sha256)]);
      const value: unknown = await request(d.transaction(STORE).objectStore(STORE).get(key));
      if (!(value instanceof Uint8Array)) return null;
      if (!sealed) return value;
      const k = await sealed;
      try {
        const plain = await globalThis.crypto.subtle.decrypt(
          {
            name: 'AES-GCM',
            iv: value.slice(0, IV_BYTES),
            additionalData: utf8Encode(key) as Bytes,
          },
          k.key,
          value.slice(IV_BYTES),
        );
        return new Uint8Array(plain);
      } catch {
        return null;
      }
    },
    async put(sha256, bytes) {
      const [d, key] = await Promise.all([database(), keyOf(sha256)]);
      let value: Uint8Array = bytes;
      if (sealed) {
        const k = await sealed;
        const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
        const ct = await globalThis.crypto.subtle.encrypt(
          { name: 'AES-GCM', iv, additionalData: utf8Encode(key) as Bytes },
          k.key,
          bytes as Bytes,
        );
        value = new Uint8Array(IV_BYTES + ct.byteLength);
        value.set(iv);
        value.set(new Uint8Array(ct), IV_BYTES);
      }
      const tx = d.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(value, key);
      await transactionDone(tx);
    },
  };
}
