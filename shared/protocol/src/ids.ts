/** Random ids and the byte encodings every part shares (browser and Node: WebCrypto globals). */

// Globals of every runtime we target (browsers, Node >= 20) that live in the DOM lib typings;
// declared here as text.ts does, so the protocol stays free of DOM and Node types.
declare function btoa(data: string): string;
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

/** Bytes as unpadded base64url (RFC 4648 §5). */
export function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes as lowercase hex. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * `byteCount` random bytes as base64url: 16 bytes -> 22 characters (128 bits), 12 -> 16.
 * getRandomValues works outside secure contexts too (crypto.subtle does not).
 */
export const randomId = (byteCount = 16): string =>
  base64url(crypto.getRandomValues(new Uint8Array(byteCount)));

/** `byteCount` random bytes as hex. */
export const randomHexId = (byteCount = 16): string =>
  bytesToHex(crypto.getRandomValues(new Uint8Array(byteCount)));
