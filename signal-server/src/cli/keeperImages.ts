/**
 * The board images a keeper holds for one room, on disk: the store behind the room's image
 * exchange (core transfer/imageBlobs.ts), so the keeper serves them to whoever joins after
 * everyone who pasted them has left, and after it restarts. One file per image:
 *
 *   open room       <sha256>.img  the plain bytes (the hash is no secret where the bytes are not)
 *   protected room  <HMAC-SHA256(name key, sha256)>.img = [iv: 12][AES-GCM(bytes) + tag: 16],
 *                   additional data "peerboard-keeper-image-v1|<file name>"
 *
 * Both keys come from the room secret (keeperStore.ts), so without the link the disk shows
 * neither the pictures nor which hashes the room holds (sizes it does show). imageBlobs hands
 * over only bytes it has verified, and everything read back is checked again: a file whose
 * bytes do not hash to its name (damaged, swapped, sealed under another key) is never used, and
 * at start it is deleted so the image can be fetched again. Each image is at most
 * IMAGE_BLOB_MAX_BYTES, and a room's images count against the same --max-total as its files.
 */
import { createHash, createHmac, randomBytes, webcrypto } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  IMAGE_BLOB_MAX_BYTES,
  sniffImageMime,
  type ImageBlobStore,
} from '@peerboard/core/transfer';
import { formatBytes } from './progress';

const subtle = webcrypto.subtle;
const IV = 12;
const AAD = 'peerboard-keeper-image-v1';
const EXT = '.img';

type Bytes = Uint8Array<ArrayBuffer>;

export interface KeeperImageKeys {
  seal: CryptoKey;
  name: Uint8Array;
}

export interface KeeperImagesOptions {
  /** all of the room's images and files together, in bytes */
  maxTotal: number;
  /** bytes the room's files take (they share maxTotal) */
  otherUsed: () => number;
  say: (msg: string) => void;
}

export interface KeeperImages extends ImageBlobStore {
  /** checks every kept image (deleting the bad ones); how many are good */
  load(): Promise<number>;
  /** bytes the kept images take (and the ones being written) */
  used(): number;
}

const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export function openKeeperImages(
  dir: string,
  keys: KeeperImageKeys | null,
  o: KeeperImagesOptions,
): KeeperImages {
  /** file name -> plain size, for every image on disk or being written */
  const sizes = new Map<string, number>();
  let used = 0;
  const nameOf = (sha256: string) =>
    (keys ? createHmac('sha256', keys.name).update(sha256).digest('hex') : sha256) + EXT;
  const aad = (name: string) => new TextEncoder().encode(`${AAD}|${name}`);

  const seal = async (name: string, plain: Uint8Array): Promise<Uint8Array> => {
    if (!keys) return plain;
    const iv = randomBytes(IV);
    const ct = new Uint8Array(
      await subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: aad(name) },
        keys.seal,
        plain as Bytes,
      ),
    );
    const out = new Uint8Array(IV + ct.length);
    out.set(iv);
    out.set(ct, IV);
    return out;
  };
  /** the plain bytes if they open under our key and hash to `name`; null otherwise */
  const openChecked = async (name: string, raw: Uint8Array): Promise<Uint8Array | null> => {
    let plain = raw;
    if (keys) {
      try {
        plain = new Uint8Array(
          await subtle.decrypt(
            { name: 'AES-GCM', iv: raw.subarray(0, IV), additionalData: aad(name) },
            keys.seal,
            raw.subarray(IV) as Bytes,
          ),
        );
      } catch {
        return null;
      }
    }
    if (plain.length > IMAGE_BLOB_MAX_BYTES || !sniffImageMime(plain)) return null;
    return nameOf(sha256Hex(plain)) === name ? plain : null;
  };
  const readFile = (name: string) =>
    fs.readFile(path.join(dir, name)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });

  return {
    async load() {
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      let good = 0;
      for (const n of names) {
        const file = path.join(dir, n);
        if (!n.endsWith(EXT)) {
          // an image cut off mid-write by a stop or a crash
          if (n.endsWith('.tmp')) await fs.rm(file, { force: true });
          continue;
        }
        const raw = await readFile(n);
        const plain = raw && (await openChecked(n, raw));
        if (!plain) {
          o.say(`Left out a kept image (${n.slice(0, 12)}...): damaged or not ours; deleted.`);
          await fs.rm(file, { force: true });
          continue;
        }
        sizes.set(n, plain.length);
        used += plain.length;
        good++;
      }
      return good;
    },
    used: () => used,
    // a keeper may hold far more pictures than fit in memory: they are read from here each time
    holdsBytes: true,
    async get(sha256) {
      const name = nameOf(sha256);
      const raw = await readFile(name);
      return raw && (await openChecked(name, raw));
    },
    async put(sha256, bytes) {
      const name = nameOf(sha256);
      if (sizes.has(name)) return;
      const what = `an image of ${formatBytes(bytes.length)}`;
      if (bytes.length > IMAGE_BLOB_MAX_BYTES || !sniffImageMime(bytes))
        return o.say(`Not keeping ${what}: not a PNG, JPEG, WebP or GIF within 2 MiB.`);
      if (sha256Hex(bytes) !== sha256) return o.say(`Not keeping ${what}: its SHA-256 differs.`);
      const total = used + o.otherUsed();
      if (total + bytes.length > o.maxTotal)
        return o.say(
          `Not keeping ${what}: the room's files and images would pass --max-total ${formatBytes(o.maxTotal)} (${formatBytes(total)} kept).`,
        );
      sizes.set(name, bytes.length);
      used += bytes.length;
      try {
        await fs.mkdir(dir, { recursive: true });
        const tmp = path.join(dir, `${randomBytes(8).toString('hex')}.tmp`);
        await fs.writeFile(tmp, await seal(name, bytes));
        await fs.rename(tmp, path.join(dir, name));
        o.say(`Kept ${what} of the board.`);
      } catch (e) {
        sizes.delete(name);
        used -= bytes.length;
        throw e;
      }
    },
  };
}
