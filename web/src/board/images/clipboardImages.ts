/**
 * Image bytes riding along in the board clipboard, so a copy pasted into another room (where
 * nobody may hold them) still shows: `images` maps SHA-256 -> base64 of the verified bytes, up to
 * CLIPBOARD_IMAGES_MAX_BYTES in all (past that, images are fetched by hash as in the same room).
 * Pasted bytes are untrusted: the room's image store hashes and sniffs them (imageBlobs.add) and
 * keeps them under their own hash only, so bytes listed under another hash never show.
 */
import { isSha256Hex, type BoardElement } from '@peerboard/core/collab';
import { IMAGE_BLOB_MAX_BYTES } from '@peerboard/core/transfer';

export const CLIPBOARD_IMAGES_MAX_BYTES = 4 * 1024 * 1024;
const MAX_IMAGES = 32;

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function fromBase64(b64: string): Uint8Array | null {
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** The `images` map for a copy of `elements`, within the cap; undefined when there is none. */
export function clipboardImages(
  elements: readonly BoardElement[],
  bytesOf: (sha256: string) => Uint8Array | null,
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let total = 0;
  let n = 0;
  for (const el of elements) {
    if (el.type !== 'image' || el.sha256 in out || n >= MAX_IMAGES) continue;
    const bytes = bytesOf(el.sha256);
    if (!bytes || total + bytes.length > CLIPBOARD_IMAGES_MAX_BYTES) continue;
    out[el.sha256] = toBase64(bytes);
    total += bytes.length;
    n++;
  }
  return n > 0 ? out : undefined;
}

/** The bytes a pasted payload carries, by the hash it claims (checked when added). */
export function readClipboardImages(text: string): Uint8Array[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  const images = (value as { images?: unknown } | null)?.images;
  if (typeof images !== 'object' || images === null || Array.isArray(images)) return [];
  const out: Uint8Array[] = [];
  let total = 0;
  for (const [sha, b64] of Object.entries(images).slice(0, MAX_IMAGES)) {
    if (!isSha256Hex(sha) || typeof b64 !== 'string') continue;
    if (b64.length > (IMAGE_BLOB_MAX_BYTES * 4) / 3 + 4) continue;
    const bytes = fromBase64(b64);
    if (!bytes || total + bytes.length > CLIPBOARD_IMAGES_MAX_BYTES) continue;
    total += bytes.length;
    out.push(bytes);
  }
  return out;
}
