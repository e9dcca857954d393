/**
 * This browser's device key: one ECDSA P-256 key pair per browser profile, kept in IndexedDB
 * (the private half non-extractable), with which every tab signs its room client id so the
 * others can show two tabs of one person as one (core/collab/presenceDevice.ts). A Web Lock
 * keeps two tabs opening at once from making two keys. Null where WebCrypto or IndexedDB is
 * missing (plain http on a LAN, private modes that refuse storage): tabs then show separately.
 */
import { deviceIdOf } from '@peerboard/core/collab';

export interface DeviceKey {
  /** hash of the public key, the id the others group by */
  id: string;
  publicKey: Uint8Array;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

const DB = 'peerboard-device';
const STORE = 'keys';
const KEY = 'device';

const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });

async function getOrCreate(subtle: SubtleCrypto): Promise<CryptoKeyPair> {
  const open = indexedDB.open(DB, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  const db = await request(open);
  try {
    const stored = (await request(db.transaction(STORE).objectStore(STORE).get(KEY))) as
      CryptoKeyPair | undefined;
    if (stored?.privateKey && stored.publicKey) return stored;
    const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put(pair, KEY));
    return pair;
  } finally {
    db.close();
  }
}

let loading: Promise<DeviceKey | null> | null = null;

export function loadDeviceKey(): Promise<DeviceKey | null> {
  return (loading ??= (async () => {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle || typeof indexedDB === 'undefined') return null;
    try {
      const locks = (navigator as { locks?: LockManager }).locks;
      const pair = locks
        ? await locks.request('peerboard-device-key', () => getOrCreate(subtle))
        : await getOrCreate(subtle);
      const publicKey = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
      return {
        id: deviceIdOf(publicKey),
        publicKey,
        async sign(message) {
          const sig = await subtle.sign(
            { name: 'ECDSA', hash: 'SHA-256' },
            pair.privateKey,
            message as Uint8Array<ArrayBuffer>,
          );
          return new Uint8Array(sig);
        },
      };
    } catch {
      return null;
    }
  })());
}
