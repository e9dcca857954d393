/**
 * Self-certifying client identities. Each room instance (one per tab session) holds an ECDSA
 * P-256 key pair; its client id is base64url(SHA-256(raw public key))[first 16 bytes] (22
 * characters, the format of isClientId). Whoever claims client id X must show a public key that
 * hashes to X and sign with it, so a room member can no longer take over another member's id.
 *
 * Key generation is synchronous (@noble/curves) because `room.clientId` is read synchronously by
 * everything built on a room; the secret scalar is then imported into WebCrypto as a
 * non-extractable signing key and the JavaScript copy is wiped. Signatures and verification run
 * in WebCrypto (browsers and Node 20 alike), except on a page that is not a secure context
 * (plain http on a LAN address), where `crypto.subtle` does not exist: there the same ECDSA
 * runs in @noble/curves, so open rooms keep working. Signatures are IEEE P1363 (r || s, 64
 * bytes), WebCrypto's format, and both sides accept both (high-S included).
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64url, CLIENT_ID_LENGTH } from '@peerboard/protocol';

/** Uncompressed P-256 point: 0x04 || x || y. */
export const PUBLIC_KEY_BYTES = 65;
export const SIGNATURE_BYTES = 64;
const CLIENT_ID_HASH_BYTES = 16;
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

type Bytes = Uint8Array<ArrayBuffer>;
const bytes = (b: Uint8Array): Bytes => b as Bytes;

export interface Identity {
  readonly clientId: string;
  /** raw uncompressed public key, PUBLIC_KEY_BYTES long */
  readonly publicKey: Uint8Array;
  /** ECDSA P-256 / SHA-256 signature of `message`, SIGNATURE_BYTES long */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** The client id a public key certifies (no validation of the key itself). */
export function clientIdOfKey(publicKey: Uint8Array): string {
  const id = base64url(sha256(publicKey).subarray(0, CLIENT_ID_HASH_BYTES));
  if (id.length !== CLIENT_ID_LENGTH) throw new Error('client id length drifted from the protocol');
  return id;
}

export const isPublicKey = (key: Uint8Array): boolean =>
  key.length === PUBLIC_KEY_BYTES && key[0] === 4 && p256.utils.isValidPublicKey(key, false);

export function makeIdentity(): Identity {
  const secret = p256.utils.randomSecretKey();
  const publicKey = p256.getPublicKey(secret, false);
  const jwk: JsonWebKey = {
    kty: 'EC',
    crv: 'P-256',
    d: base64url(secret),
    x: base64url(publicKey.subarray(1, 33)),
    y: base64url(publicKey.subarray(33, 65)),
    ext: false,
  };
  const subtle = webCrypto();
  if (!subtle)
    return {
      clientId: clientIdOfKey(publicKey),
      publicKey,
      sign: async (message) => p256.sign(message, secret),
    };
  secret.fill(0);
  const key = subtle.importKey('jwk', jwk, ECDSA, false, ['sign']);
  key.catch(() => undefined); // reported by sign()
  return {
    clientId: clientIdOfKey(publicKey),
    publicKey,
    async sign(message) {
      const sig = await subtle.sign(ECDSA_SHA256, await key, bytes(message));
      return new Uint8Array(sig);
    },
  };
}

/** WebCrypto's SubtleCrypto, or null outside a secure context. */
const webCrypto = (): SubtleCrypto | null =>
  (globalThis.crypto as Crypto | undefined)?.subtle ?? null;

/** True iff `signature` is `publicKey`'s signature of `message`; never throws. */
export async function verifySignature(
  publicKey: Uint8Array,
  signature: Uint8Array,
  message: Uint8Array,
): Promise<boolean> {
  if (!isPublicKey(publicKey) || signature.length !== SIGNATURE_BYTES) return false;
  const subtle = webCrypto();
  try {
    if (!subtle) return p256.verify(signature, message, publicKey, { lowS: false });
    const key = await subtle.importKey('raw', bytes(publicKey), ECDSA, false, ['verify']);
    return await subtle.verify(ECDSA_SHA256, key, bytes(signature), bytes(message));
  } catch {
    return false;
  }
}

const CODE_DOMAIN = 'peerboard-verification-v1';
/** 12 digits (40 bits): see THREAT_MODEL.md on why a 6-digit code would be too short. */
const CODE_GROUPS = 4;

/**
 * The code two people compare over another channel (phone, in person): the same on both sides
 * because the two public keys are sorted before hashing. A relay or member that put itself
 * between them would have to show each side a key of its own, and the codes would differ.
 */
export function verificationCode(a: Uint8Array, b: Uint8Array): string {
  const [first, second] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
  const input = new Uint8Array(CODE_DOMAIN.length + first.length + second.length);
  input.set(new TextEncoder().encode(CODE_DOMAIN), 0);
  input.set(first, CODE_DOMAIN.length);
  input.set(second, CODE_DOMAIN.length + first.length);
  const digest = sha256(input);
  const groups: string[] = [];
  for (let i = 0; i < CODE_GROUPS; i++) {
    const n = ((digest[2 * i]! << 8) | digest[2 * i + 1]!) % 1000;
    groups.push(String(n).padStart(3, '0'));
  }
  return groups.join(' ');
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Inverse of protocol's base64url; null for anything that is not unpadded base64url. */
export function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
