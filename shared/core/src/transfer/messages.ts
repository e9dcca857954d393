/**
 * File transfer control messages (the JSON inside `file_control` wire frames) and their one
 * validator. The wire layer only checked "object with a snake_case type"; every field here comes
 * from a possibly malicious peer, so parseFileControl checks types, ranges and lengths.
 *
 *   offer   sender -> all      a file is available (sha256 null until the sender has hashed it)
 *   meta    sender -> receiver one page of per-block SHA-256 hashes (+ the whole-file hash)
 *   accept  receiver -> sender send me the metadata; I will request chunks (idempotent)
 *   decline receiver -> sender
 *   want    receiver -> holder send chunks [from, to) of this file, in order
 *   ack     receiver -> sender chunks [0, upto) are verified and written (cumulative)
 *   have    holder -> all      I hold a complete verified copy and serve `want`s for it
 *   done    receiver -> sender verified and saved
 *   failed  receiver -> sender verification failed (reason in plain words)
 *   cancel  either way         sender: withdrawn for everyone; receiver: stop sending to me
 *   folder  sender -> all      one page of a shared folder's manifest (folder.ts)
 */
import {
  err,
  bytesToHex,
  FILE_BLOCK_CHUNKS,
  FILE_CHUNK_MAX_BYTES,
  FILE_HASHES_PER_META,
  FILE_MAX_BLOCKS,
  FILE_MAX_BYTES,
  ok,
  randomHexId,
  sanitizeText,
  type Result,
} from '@peerboard/protocol';
import { FILE_DATA_HEADER_BYTES, type WireJson } from '@peerboard/protocol/wire';
import { parseFolderPage, type FolderPage } from './folder';

export type FileOffer = {
  type: 'offer';
  id: string;
  name: string;
  size: number;
  mime: string;
  /** data bytes per chunk */
  chunk: number;
  /** chunks per hashed block */
  block: number;
  sha256: string | null;
  /**
   * SHA-256 of the per-block hash list (32 bytes a block, concatenated), sent with `sha256`: a
   * receiver checks a list from any holder against it before trusting a block to it.
   */
  list?: string;
  /** the shared folder this file belongs to (its manifest came first) */
  folder?: string;
};

export type FileControl =
  | FileOffer
  | { type: 'meta'; id: string; sha256: string; first: number; hashes: string }
  | { type: 'accept'; id: string }
  | { type: 'decline'; id: string }
  | { type: 'want'; id: string; from: number; to: number }
  | { type: 'ack'; id: string; upto: number }
  | { type: 'have'; id: string }
  | { type: 'done'; id: string }
  | { type: 'failed'; id: string; reason: string }
  | { type: 'cancel'; id: string; reason: string }
  | FolderPage;

export type FileControlCode = 'ERR_FILE_TYPE' | 'ERR_FILE_FIELD';

export const NAME_MAX_LENGTH = 255;
export const MIME_MAX_LENGTH = 127;
export const REASON_MAX_LENGTH = 300;
const ID_RE = /^[0-9a-f]{32}$/;
const SHA_RE = /^[0-9a-f]{64}$/;
const B64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const MIME_RE = /^[\w.+-]+\/[\w.+-]+$|^$/;
/** a chunk must leave room for the wire header and stay a sane size */
const CHUNK_MIN = 1024;
const CHUNK_MAX = FILE_CHUNK_MAX_BYTES - FILE_DATA_HEADER_BYTES;

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/**
 * A peer-supplied file name made safe to show and to save: bidi controls removed (a name must
 * not read "invoice_exe.pdf" while it is an .exe), controls and path separators become '_'.
 */
export function cleanFileName(name: string): string {
  const cleaned = sanitizeText(name, { controlsAs: '_' }).replace(/[/\\]/g, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'file' : cleaned;
}

export function chunkCountOf(size: number, chunk: number): number {
  return Math.ceil(size / chunk);
}

export function parseFileControl(msg: WireJson): Result<FileControl, FileControlCode> {
  const bad = (what: string) => err('ERR_FILE_FIELD' as const, `${msg.type}: ${what}`);
  if (!isStr(msg.id, 32) || !ID_RE.test(msg.id)) return bad('id must be 32 hex digits');
  const id = msg.id;
  const type = msg.type as FileControl['type'];
  switch (type) {
    case 'offer': {
      const { name, size, mime, chunk, block, sha256 } = msg;
      if (!isStr(name, NAME_MAX_LENGTH) || name.length === 0) return bad('bad name');
      if (!isInt(size, 0, FILE_MAX_BYTES)) return bad('absurd size');
      if (!isStr(mime, MIME_MAX_LENGTH) || !MIME_RE.test(mime)) return bad('bad mime type');
      if (!isInt(chunk, CHUNK_MIN, CHUNK_MAX)) return bad('bad chunk size');
      if (!isInt(block, 1, FILE_BLOCK_CHUNKS * 4)) return bad('bad block size');
      if (chunkCountOf(size, chunk) > 0xffffffff) return bad('too many chunks');
      if (Math.ceil(chunkCountOf(size, chunk) / block) > FILE_MAX_BLOCKS)
        return bad(`more than ${FILE_MAX_BLOCKS} blocks`);
      if (sha256 !== null && !(isStr(sha256, 64) && SHA_RE.test(sha256))) return bad('bad sha256');
      const base: FileOffer = {
        type,
        id,
        name: cleanFileName(name),
        size,
        mime,
        chunk,
        block,
        sha256,
      };
      if (msg.list !== undefined) {
        if (sha256 === null || !(isStr(msg.list, 64) && SHA_RE.test(msg.list)))
          return bad('bad hash-list digest');
        base.list = msg.list;
      }
      if (msg.folder === undefined) return ok(base);
      if (!isStr(msg.folder, 32) || !ID_RE.test(msg.folder)) return bad('bad folder id');
      return ok({ ...base, folder: msg.folder });
    }
    case 'meta': {
      const { sha256, first, hashes } = msg;
      if (!isStr(sha256, 64) || !SHA_RE.test(sha256)) return bad('bad sha256');
      if (!isInt(first, 0, 0xffffffff)) return bad('bad first block');
      const maxLen = Math.ceil((FILE_HASHES_PER_META * 32) / 3) * 4;
      if (!isStr(hashes, maxLen) || !B64_RE.test(hashes)) return bad('bad hash list');
      return ok({ type, id, sha256, first, hashes });
    }
    case 'accept':
    case 'decline':
    case 'have':
    case 'done':
      return ok({ type, id });
    case 'want': {
      const { from, to } = msg;
      if (!isInt(from, 0, 0xffffffff) || !isInt(to, 0, 0xffffffff) || to <= from)
        return bad('bad chunk range');
      return ok({ type, id, from, to });
    }
    case 'ack': {
      if (!isInt(msg.upto, 0, 0xffffffff)) return bad('bad ack');
      return ok({ type, id, upto: msg.upto });
    }
    case 'failed':
    case 'cancel': {
      const reason = typeof msg.reason === 'string' ? msg.reason.slice(0, REASON_MAX_LENGTH) : '';
      return ok({ type, id, reason });
    }
    case 'folder':
      return parseFolderPage(msg);
    default: {
      // unknown types reach here at run time; the assignment keeps the switch exhaustive
      const _unhandled: never = type;
      return err('ERR_FILE_TYPE', `unknown file message "${String(msg.type)}"`);
    }
  }
}

// ---- ids and hash lists ----

export const idToHex = bytesToHex;

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export const newTransferId = (): string => randomHexId(16);

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function base64ToBytes(b64: string): Uint8Array | null {
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** The per-block hash list as `meta` pages (the offerer's, or any holder's copy of it). */
export function sendMetaPages(
  send: (msg: FileControl) => void,
  id: string,
  sha256: string,
  blocks: Uint8Array,
  blockCount: number,
): void {
  const pages = Math.max(1, Math.ceil(blockCount / FILE_HASHES_PER_META));
  for (let p = 0; p < pages; p++) {
    const first = p * FILE_HASHES_PER_META;
    const end = Math.min(blockCount, first + FILE_HASHES_PER_META);
    send({
      type: 'meta',
      id,
      sha256,
      first,
      hashes: bytesToBase64(blocks.subarray(first * 32, end * 32)),
    });
  }
}
