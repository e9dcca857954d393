/**
 * Image bytes for the board, fetched by SHA-256 from whichever peer holds them. An image element
 * in the Y.Doc names its bytes by hash; the bytes never enter the document (every newcomer would
 * receive every image ever pasted, in one sync frame). This is the small "image" kind of
 * transfer: no offer, no Files entry, no accept; the board asks for the hashes its elements
 * reference and nothing else, and each answer is checked before use.
 *
 *   image_want  receiver -> one holder   send me these bytes if they are at most `max` long
 *   image_meta  holder -> receiver       they are `size` bytes; file_data chunks follow
 *   image_none  holder -> receiver       I do not have them (or they are larger than `max`)
 *   file_data   holder -> receiver       transfer id = first 16 bytes of the hash, chunks in order
 *
 * The receiver asks one open peer at a time and moves on when a peer says none, stalls, or sends
 * bytes that are not what was asked for (wrong length, out of order, wrong SHA-256, or not a
 * PNG/JPEG/WebP/GIF). Nothing is allocated from a peer's claim: chunks are kept as they arrive,
 * bounded by `max`, and joined only to hash them. Anyone holding verified bytes serves them, so
 * a late joiner gets an image from whoever is still here after its inserter left.
 */
import { err, FILE_CHUNK_BYTES, ok, type Result } from '@peerboard/protocol';
import type { WireJson } from '@peerboard/protocol/wire';
import { isSha256Hex, type ImageMime } from '../collab/elementTypes';
import { makeEmitter } from '../emitter';
import type { Unsubscribe } from '../types';
import { makeHasher } from './hashing';
import { hexToBytes } from './messages';
import type { TransferRoom } from './room';

/** Largest image the room exchanges (insert compresses to IMAGE_INSERT_TARGET_BYTES first). */
export const IMAGE_BLOB_MAX_BYTES = 2 * 1024 * 1024;
/** What an insert aims for after downscaling and re-encoding. */
export const IMAGE_INSERT_TARGET_BYTES = 1024 * 1024;

export type ImageStatus = 'ready' | 'loading' | 'missing';

/** Where verified bytes are kept across reloads (IndexedDB, sealed in protected rooms). */
export interface ImageBlobStore {
  get(sha256: string): Promise<Uint8Array | null>;
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  /**
   * true: the store is where the bytes live (a keeper's disk, holding more than fits in memory).
   * No copy stays in memory once put() has settled: get() says null (a fetched image's status
   * stays 'ready'), and bytes are served from the store, checked again on every read.
   */
  readonly holdsBytes?: boolean;
}

export interface ImageBlobsOptions {
  room: TransferRoom;
  log: (msg: string) => void;
  store?: ImageBlobStore;
  /** a holder that owes bytes and sends none for this long is skipped (default 5 s) */
  stallMs?: number;
  /** "nobody has it" is said only after asking for this long (default 4 s) */
  missingAfterMs?: number;
  maxBytes?: number;
}

export type ImageBlobsEvents = {
  change: { sha256: string; status: ImageStatus };
};

export interface ImageBlobs {
  /** Our own bytes (an insert): checked to be a raster image, hashed, kept and served. */
  add(bytes: Uint8Array): Promise<Result<{ sha256: string; mime: ImageMime }, ImageCode>>;
  /** Ask the room for these bytes (idempotent); `change` fires when they are ready or missing. */
  want(sha256: string): void;
  get(sha256: string): Uint8Array | null;
  status(sha256: string): ImageStatus;
  on<K extends keyof ImageBlobsEvents>(e: K, fn: (p: ImageBlobsEvents[K]) => void): Unsubscribe;
  /** routed here by makeTransfers: true if the frame was ours */
  onControl(from: string, msg: WireJson): void;
  onData(from: string, idHex: string, index: number, data: Uint8Array): boolean;
  destroy(): void;
}

export type ImageCode = 'ERR_NOT_IMAGE' | 'ERR_TOO_LARGE';

/** The type the bytes really are (magic numbers), or null: SVG and everything else. */
export function sniffImageMime(b: Uint8Array): ImageMime | null {
  const at = (i: number, ...v: number[]) => v.every((x, k) => b[i + k] === x);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return null;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const h = await makeHasher();
  h.init();
  h.update(bytes);
  return h.digest('hex');
}

interface Fetch {
  sha256: string;
  tid: string;
  status: ImageStatus;
  since: number;
  tried: Set<string>;
  current: string | null;
  size: number | null;
  parts: Uint8Array[];
  got: number;
  next: number;
  stall: ReturnType<typeof setTimeout> | undefined;
  missing: ReturnType<typeof setTimeout> | undefined;
}

export function makeImageBlobs(o: ImageBlobsOptions): ImageBlobs {
  const { room, log } = o;
  const max = o.maxBytes ?? IMAGE_BLOB_MAX_BYTES;
  const stallMs = o.stallMs ?? 5000;
  const missingAfterMs = o.missingAfterMs ?? 4000;
  const held = new Map<string, Uint8Array>();
  const fetches = new Map<string, Fetch>();
  /** transfer id (first 16 bytes of the hash, hex) -> fetch */
  const byTid = new Map<string, Fetch>();
  const events = makeEmitter<ImageBlobsEvents>((e, x) =>
    log(`"${e}" listener threw: ${String(x)}`),
  );
  let destroyed = false;

  const control = (peer: string, msg: WireJson) =>
    room.send(peer, { type: 'file_control', msg }, 'control');

  const setStatus = (f: Fetch, status: ImageStatus) => {
    if (f.status === status) return;
    f.status = status;
    events.emit('change', { sha256: f.sha256, status });
  };

  /** bytes stay in memory, unless the store holds them (then only until it has them) */
  const inMemory = !o.store?.holdsBytes;
  const keep = (sha256: string, bytes: Uint8Array) => {
    held.set(sha256, bytes);
    void o.store
      ?.put(sha256, bytes)
      .catch((e) => log(`image store: ${String(e)}`))
      .finally(() => {
        if (!inMemory) held.delete(sha256);
      });
  };

  function reset(f: Fetch) {
    clearTimeout(f.stall);
    f.current = null;
    f.size = null;
    f.parts = [];
    f.got = 0;
    f.next = 0;
  }

  /** Give up on the current holder for this image and ask the next one. */
  function skip(f: Fetch, why: string) {
    if (f.current) {
      log(`image ${f.sha256.slice(0, 12)} from ${f.current}: ${why}`);
      f.tried.add(f.current);
    }
    reset(f);
    pump(f);
  }

  function armStall(f: Fetch) {
    clearTimeout(f.stall);
    f.stall = setTimeout(() => skip(f, 'stalled'), stallMs);
  }

  function pump(f: Fetch) {
    if (destroyed || f.status === 'ready' || f.current) return;
    const peer = room.openPeers().find((p) => !f.tried.has(p));
    if (!peer) {
      // nobody (left) to ask: say so once we have been asking for a while
      clearTimeout(f.missing);
      const wait = Math.max(0, f.since + missingAfterMs - Date.now());
      f.missing = setTimeout(() => {
        if (f.status === 'loading' && !f.current) setStatus(f, 'missing');
      }, wait);
      return;
    }
    f.current = peer;
    setStatus(f, 'loading');
    control(peer, { type: 'image_want', sha256: f.sha256, max });
    armStall(f);
  }

  async function finish(f: Fetch, from: string) {
    const bytes = new Uint8Array(f.got);
    let at = 0;
    for (const p of f.parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const hash = await sha256Hex(bytes);
    if (destroyed || f.current !== from) return;
    if (hash !== f.sha256) return skip(f, 'bytes do not match their SHA-256');
    if (!sniffImageMime(bytes)) return skip(f, 'bytes are not a PNG, JPEG, WebP or GIF image');
    reset(f);
    clearTimeout(f.missing);
    keep(f.sha256, bytes);
    setStatus(f, 'ready');
  }

  async function serve(peer: string, sha256: string, limit: number) {
    let bytes = held.get(sha256) ?? null;
    if (!bytes && o.store) {
      bytes = await o.store.get(sha256).catch(() => null);
      // a stored copy is checked again: storage is not trusted more than a peer
      if (bytes && (await sha256Hex(bytes)) !== sha256) bytes = null;
      if (bytes && inMemory) held.set(sha256, bytes);
    }
    if (destroyed) return;
    if (!bytes || bytes.length > limit) {
      control(peer, { type: 'image_none', sha256 });
      return;
    }
    const transferId = hexToBytes(sha256.slice(0, 32));
    try {
      // on the bulk lane, ahead of its chunks: bulk may travel on a data channel of its own
      // (PROTOCOL.md "Bulk channel"), and a control frame could then arrive after them
      const meta: WireJson = { type: 'image_meta', sha256, size: bytes.length };
      await room.send(peer, { type: 'file_control', msg: meta }, 'bulk');
      for (let index = 0, off = 0; off < bytes.length; index++, off += FILE_CHUNK_BYTES) {
        const data = bytes.subarray(off, Math.min(bytes.length, off + FILE_CHUNK_BYTES));
        await room.send(peer, { type: 'file_data', transferId, index, data }, 'bulk');
        if (destroyed) return;
      }
    } catch (e) {
      log(`serving image to ${peer} stopped: ${String(e)}`);
    }
  }

  const subs: Unsubscribe[] = [
    room.on('peer_open', ({ id }) => {
      for (const f of fetches.values()) {
        if (f.status === 'ready') continue;
        f.tried.delete(id); // it may have the bytes now
        pump(f);
      }
    }),
    room.on('peer_close', ({ id }) => {
      for (const f of fetches.values()) if (f.current === id) skip(f, 'left');
    }),
  ];

  async function loadStored(f: Fetch) {
    const bytes = await o.store!.get(f.sha256).catch(() => null);
    if (destroyed || f.status === 'ready') return;
    if (bytes && (await sha256Hex(bytes)) === f.sha256 && sniffImageMime(bytes)) {
      reset(f);
      clearTimeout(f.missing);
      if (inMemory) held.set(f.sha256, bytes);
      setStatus(f, 'ready');
      return;
    }
    pump(f);
  }

  return {
    async add(bytes) {
      if (bytes.length > max) return err('ERR_TOO_LARGE', `image is larger than ${max} bytes`);
      const mime = sniffImageMime(bytes);
      if (!mime) return err('ERR_NOT_IMAGE', 'not a PNG, JPEG, WebP or GIF image');
      const sha256 = await sha256Hex(bytes);
      keep(sha256, bytes);
      const f = fetches.get(sha256);
      if (f) {
        reset(f);
        setStatus(f, 'ready');
      }
      return ok({ sha256, mime });
    },
    want(sha256) {
      if (destroyed || !isSha256Hex(sha256) || fetches.has(sha256)) return;
      const tid = sha256.slice(0, 32);
      const f: Fetch = {
        sha256,
        tid,
        status: held.has(sha256) ? 'ready' : 'loading',
        since: Date.now(),
        tried: new Set(),
        current: null,
        size: null,
        parts: [],
        got: 0,
        next: 0,
        stall: undefined,
        missing: undefined,
      };
      fetches.set(sha256, f);
      byTid.set(tid, f);
      if (f.status === 'ready') return;
      if (o.store) void loadStored(f);
      else pump(f);
    },
    get: (sha256) => held.get(sha256) ?? null,
    status: (sha256) => (held.has(sha256) ? 'ready' : (fetches.get(sha256)?.status ?? 'loading')),
    on: (e, fn) => events.on(e, fn),
    onControl(from, msg) {
      const sha256 = msg.sha256;
      if (!isSha256Hex(sha256)) return log(`image control from ${from}: bad sha256`);
      switch (msg.type) {
        case 'image_want': {
          const limit = msg.max;
          if (!Number.isSafeInteger(limit) || (limit as number) < 1)
            return log(`image_want from ${from}: bad max`);
          void serve(from, sha256, Math.min(limit as number, max));
          return;
        }
        case 'image_meta': {
          const f = fetches.get(sha256);
          if (!f || f.current !== from || f.size !== null) return;
          const size = msg.size;
          if (!Number.isSafeInteger(size) || (size as number) < 1 || (size as number) > max)
            return skip(f, `announced size ${String(size)} is outside 1..${max}`);
          f.size = size as number;
          armStall(f);
          return;
        }
        case 'image_none': {
          const f = fetches.get(sha256);
          if (f && f.current === from) skip(f, 'does not have it');
          return;
        }
        default:
          return log(`image control from ${from}: unknown type`);
      }
    },
    onData(from, idHex, index, data) {
      const f = byTid.get(idHex);
      if (!f) return false;
      if (f.current !== from || f.size === null) return true; // not asked of this peer: ignored
      if (index !== f.next) {
        skip(f, `chunk ${index} out of order`);
        return true;
      }
      if (f.got + data.length > f.size) {
        skip(f, 'more bytes than announced');
        return true;
      }
      f.parts.push(data.slice());
      f.got += data.length;
      f.next++;
      armStall(f);
      if (f.got === f.size) {
        clearTimeout(f.stall);
        void finish(f, from);
      }
      return true;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const s of subs) s();
      for (const f of fetches.values()) {
        clearTimeout(f.stall);
        clearTimeout(f.missing);
      }
      fetches.clear();
      byTid.clear();
      held.clear();
      events.clear();
    },
  };
}
