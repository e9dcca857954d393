/**
 * The files a keeper holds for one room, on disk, so it can serve them after everyone who
 * offered them has left, and after it restarts. One pair per file, under a random name:
 *
 *   <id>.data  the bytes, in segments of SEGMENT plain bytes. Protected room: each segment is
 *              [iv: 12][AES-GCM(segment) + tag: 16], additional data
 *              "peerboard-keeper-file-v1|<id>|<segment index>", so a segment cannot be moved,
 *              swapped between files or read without the room key. Open room: the plain bytes.
 *   <id>.meta  JSON { name, mime, size, sha256, keptAt }, sealed the same way (index "meta").
 *
 * Random names, sealed metadata: the disk shows neither names nor hashes of a protected room's
 * files (sizes, rounded to segments, it does show). A file is written as `<id>.part` and becomes
 * `.data` only once core has verified every block and the whole SHA-256; at load, each file is
 * read back and hashed again before it is offered (a damaged or tampered file is left out).
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileSink, FileSource } from '@peerboard/core/transfer';

const subtle = webcrypto.subtle;
const SEGMENT = 64 * 1024;
const IV = 12;
const TAG = 16;
const AAD = 'peerboard-keeper-file-v1';

type Bytes = Uint8Array<ArrayBuffer>;

export interface KeptFile {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  /** when it was kept (ms): two kept files of one name and size stay two offers */
  keptAt: number;
}

export interface KeeperFiles {
  /** the files whose bytes are on disk and hash to their recorded SHA-256 */
  load(log: (msg: string) => void): Promise<KeptFile[]>;
  /** bytes kept (and being received) */
  used(): number;
  /** a sink for a verified download; once closed, the file is kept (close() gives its source) */
  sink(meta: Omit<KeptFile, 'id'>): Promise<FileSink>;
  source(file: KeptFile): FileSource;
}

export function openKeeperFiles(dir: string, key: CryptoKey | null): KeeperFiles {
  let used = 0;
  const stride = key ? SEGMENT + IV + TAG : SEGMENT;
  const aad = (id: string, what: number | 'meta') =>
    new TextEncoder().encode(`${AAD}|${id}|${what}`);

  const seal = async (id: string, what: number | 'meta', plain: Uint8Array) => {
    if (!key) return plain;
    const iv = randomBytes(IV);
    const ct = new Uint8Array(
      await subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: aad(id, what) },
        key,
        plain as Bytes,
      ),
    );
    const out = new Uint8Array(IV + ct.length);
    out.set(iv);
    out.set(ct, IV);
    return out;
  };
  const open = async (id: string, what: number | 'meta', sealed: Uint8Array) => {
    if (!key) return sealed;
    const plain = await subtle.decrypt(
      { name: 'AES-GCM', iv: sealed.subarray(0, IV), additionalData: aad(id, what) },
      key,
      sealed.subarray(IV) as Bytes,
    );
    return new Uint8Array(plain);
  };
  const file = (id: string, ext: string) => path.join(dir, `${id}.${ext}`);

  const source = (f: KeptFile): FileSource => ({
    name: f.name,
    size: f.size,
    type: f.mime,
    lastModified: f.keptAt,
    async read(offset, length) {
      const end = Math.min(f.size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      const first = Math.floor(offset / SEGMENT);
      const last = Math.floor((end - 1) / SEGMENT);
      const handle = await fs.open(file(f.id, 'data'), 'r');
      try {
        const raw = new Uint8Array((last - first + 1) * stride);
        const { bytesRead } = await handle.read(raw, 0, raw.length, first * stride);
        const out = new Uint8Array(end - offset);
        for (let s = first; s <= last; s++) {
          const at = (s - first) * stride;
          const plain = await open(f.id, s, raw.subarray(at, Math.min(bytesRead, at + stride)));
          const segStart = s * SEGMENT;
          const from = Math.max(offset, segStart) - segStart;
          const to = Math.min(end, segStart + plain.length) - segStart;
          out.set(plain.subarray(from, to), segStart + from - offset);
        }
        return out;
      } finally {
        await handle.close();
      }
    },
  });

  const hashOf = async (f: KeptFile) => {
    const hash = createHash('sha256');
    const src = source(f);
    for (let at = 0; at < f.size; at += 16 * SEGMENT)
      hash.update(await src.read(at, Math.min(16 * SEGMENT, f.size - at)));
    return hash.digest('hex');
  };

  return {
    async load(log) {
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      const out: KeptFile[] = [];
      for (const n of names) {
        if (n.endsWith('.part')) {
          // a download cut off by a stop or a crash: it is fetched again when offered again
          await fs.rm(path.join(dir, n), { force: true });
          continue;
        }
        if (!n.endsWith('.meta')) continue;
        const id = n.slice(0, -'.meta'.length);
        try {
          const meta = JSON.parse(
            new TextDecoder().decode(await open(id, 'meta', await fs.readFile(file(id, 'meta')))),
          ) as Omit<KeptFile, 'id'>;
          const f = { ...meta, id };
          const actual = await hashOf(f);
          if (actual !== f.sha256) throw new Error(`SHA-256 ${actual} is not ${f.sha256}`);
          used += f.size;
          out.push(f);
        } catch (e) {
          log(`Left out the kept file ${id}: ${(e as Error).message} (damaged or not ours).`);
        }
      }
      return out;
    },
    used: () => used,
    async sink(meta) {
      await fs.mkdir(dir, { recursive: true });
      const id = randomBytes(16).toString('hex');
      const part = file(id, 'part');
      const handle = await fs.open(part, 'w');
      used += meta.size;
      let pending: Uint8Array[] = [];
      let pendingBytes = 0;
      let segment = 0;
      let finished = false;
      const writeSegment = async (plain: Uint8Array) => {
        const rec = await seal(id, segment, plain);
        await handle.write(rec, 0, rec.length, segment * stride);
        segment++;
      };
      const drain = async (all: boolean) => {
        while (pendingBytes >= SEGMENT || (all && pendingBytes > 0)) {
          const joined = Buffer.concat(pending);
          const n = Math.min(SEGMENT, joined.length);
          await writeSegment(joined.subarray(0, n));
          pending = n < joined.length ? [joined.subarray(n)] : [];
          pendingBytes = joined.length - n;
        }
      };
      return {
        async write(data) {
          pending.push(data);
          pendingBytes += data.length;
          await drain(false);
        },
        async close() {
          finished = true;
          await drain(true);
          await handle.sync();
          await handle.close();
          await fs.rename(part, file(id, 'data'));
          const sealed = await seal(id, 'meta', new TextEncoder().encode(JSON.stringify(meta)));
          await fs.writeFile(file(id, 'meta.tmp'), sealed);
          await fs.rename(file(id, 'meta.tmp'), file(id, 'meta'));
          return { blob: async () => null, savedToDisk: true, source: source({ ...meta, id }) };
        },
        async abort() {
          if (finished) return;
          finished = true;
          used -= meta.size;
          await handle.close().catch(() => undefined);
          await fs.rm(part, { force: true });
        },
      };
    },
    source,
  };
}
