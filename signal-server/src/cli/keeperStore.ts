/**
 * A keeper's copy of one room's document on disk: an append-only log of Yjs updates, compacted
 * into one snapshot (the doc's whole state) once it holds many records or many bytes.
 *
 *   file   = record*        record = [u32 big-endian length][payload]
 *   payload (open room)      = the Yjs update
 *   payload (protected room) = [iv: 12 bytes][AES-GCM(update) + 16-byte tag],
 *                              additional data "peerboard-keeper-v1|<file name>"
 *
 * For a protected room the file name and the AES-GCM key both come from the room secret by HKDF
 * (info "keeper-name" / "keeper-key"), so the disk shows neither the room id nor the board, and
 * the relay's room id does not lead to the file. The room's files live beside the log in
 * `<same name>.files/` (keeperFiles.ts), sealed under a third HKDF key, and the board's images
 * in `<same name>.images/` (keeperImages.ts), sealed and named under a fourth and fifth. A crash
 * mid-append leaves a short tail: it is cut off at the next load. Appends and compaction run one
 * after another on one queue.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { webcrypto } from 'node:crypto';

const subtle = webcrypto.subtle;
const IV_BYTES = 12;
const SALT = new TextEncoder().encode('peerboard-keeper-v1');
export const COMPACT_RECORDS = 500;
export const COMPACT_BYTES = 8 * 1024 * 1024;

type Bytes = Uint8Array<ArrayBuffer>;

export interface KeeperStore {
  readonly file: string;
  /** the stored updates, oldest first (a damaged tail is cut off) */
  load(): Promise<Uint8Array[]>;
  append(update: Uint8Array): Promise<void>;
  /** replaces the log with one record when it has grown (state() is the doc's whole state) */
  maybeCompact(state: () => Uint8Array): Promise<void>;
  /** everything queued so far is on disk */
  flush(): Promise<void>;
  /** where the room's files are kept (keeperFiles.ts), beside the log */
  readonly filesDir: string;
  /** seals the kept files of a protected room (its own HKDF info); null for an open room */
  readonly filesKey: CryptoKey | null;
  /** where the board's image bytes are kept (keeperImages.ts), beside the log */
  readonly imagesDir: string;
  /** protected room: seals the images and names them (HMAC of the hash); null for an open room */
  readonly imagesKeys: { seal: CryptoKey; name: Uint8Array } | null;
}

async function sealedKeys(secret: string): Promise<{
  name: string;
  key: CryptoKey;
  filesKey: CryptoKey;
  imagesKeys: { seal: CryptoKey; name: Uint8Array };
}> {
  const base = await subtle.importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, [
    'deriveBits',
    'deriveKey',
  ]);
  const params = (info: string) => ({
    name: 'HKDF',
    hash: 'SHA-256',
    salt: SALT,
    info: new TextEncoder().encode(info),
  });
  const nameBits = new Uint8Array(await subtle.deriveBits(params('keeper-name'), base, 128));
  const aesKey = (info: string) =>
    subtle.deriveKey(params(info), base, { name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
  return {
    name: `sealed-${Buffer.from(nameBits).toString('hex')}.log`,
    key: await aesKey('keeper-key'),
    filesKey: await aesKey('keeper-files-key'),
    imagesKeys: {
      seal: await aesKey('keeper-images-key'),
      name: new Uint8Array(await subtle.deriveBits(params('keeper-images-name'), base, 256)),
    },
  };
}

export async function openKeeperStore(
  dir: string,
  room: { roomId: string; secret: string | null },
): Promise<KeeperStore> {
  await fs.mkdir(dir, { recursive: true });
  const keys = room.secret === null ? null : await sealedKeys(room.secret);
  const file = path.join(dir, keys ? keys.name : `room-${room.roomId}.log`);
  const aad = new TextEncoder().encode(`peerboard-keeper-v1|${path.basename(file)}`);
  let records = 0;
  let bytes = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job);
    queue = next.catch(() => undefined);
    return next;
  };

  const seal = async (plain: Uint8Array): Promise<Uint8Array> => {
    if (!keys) return plain;
    const iv = webcrypto.getRandomValues(new Uint8Array(IV_BYTES));
    const ct = await subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: aad },
      keys.key,
      plain as Bytes,
    );
    const out = new Uint8Array(IV_BYTES + ct.byteLength);
    out.set(iv);
    out.set(new Uint8Array(ct), IV_BYTES);
    return out;
  };
  const open = async (payload: Uint8Array): Promise<Uint8Array> => {
    if (!keys) return payload;
    const plain = await subtle.decrypt(
      { name: 'AES-GCM', iv: payload.subarray(0, IV_BYTES), additionalData: aad },
      keys.key,
      payload.subarray(IV_BYTES) as Bytes,
    );
    return new Uint8Array(plain);
  };
  const frame = async (update: Uint8Array): Promise<Buffer> => {
    const payload = await seal(update);
    const out = Buffer.alloc(4 + payload.length);
    out.writeUInt32BE(payload.length, 0);
    out.set(payload, 4);
    return out;
  };

  return {
    file,
    filesDir: file.replace(/\.log$/, '.files'),
    filesKey: keys?.filesKey ?? null,
    imagesDir: file.replace(/\.log$/, '.images'),
    imagesKeys: keys?.imagesKeys ?? null,
    load: () =>
      enqueue(async () => {
        const raw = await fs.readFile(file).catch((e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT') return Buffer.alloc(0);
          throw e;
        });
        const out: Uint8Array[] = [];
        let at = 0;
        while (at + 4 <= raw.length) {
          const len = raw.readUInt32BE(at);
          if (at + 4 + len > raw.length) break;
          out.push(await open(raw.subarray(at + 4, at + 4 + len)));
          at += 4 + len;
        }
        if (at < raw.length) await fs.truncate(file, at);
        records = out.length;
        bytes = at;
        return out;
      }),
    append: (update) =>
      enqueue(async () => {
        const rec = await frame(update);
        await fs.appendFile(file, rec);
        records++;
        bytes += rec.length;
      }),
    maybeCompact: (state) =>
      enqueue(async () => {
        if (records < COMPACT_RECORDS && bytes < COMPACT_BYTES) return;
        const rec = await frame(state());
        const tmp = `${file}.tmp`;
        const handle = await fs.open(tmp, 'w');
        try {
          await handle.write(rec);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await fs.rename(tmp, file);
        records = 1;
        bytes = rec.length;
      }),
    flush: () => enqueue(async () => undefined),
  };
}
