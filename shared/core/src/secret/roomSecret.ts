/**
 * Room secrets: a random string carried only in the URL fragment (`/r/<roomId>#k=<secret>`;
 * browsers never send the fragment to the server). The server-visible room id is a hash of the
 * secret, so the relay (or anyone who sees signaling traffic) can neither learn the secret nor
 * derive the signaling key from the room id. The key derivation lives in signalCipher.ts.
 */
import { base64url, isRoomId, randomId, utf8Encode } from '@peerboard/protocol';

/** 32 random bytes as base64url: 43 characters, 256 bits. */
const SECRET_BYTES = 32;
/** Anything shorter than 128 bits is refused (a hand-typed "password" is not a room secret). */
const SECRET_RE = /^[A-Za-z0-9_-]{22,128}$/;
const ROOM_ID_DOMAIN = 'peerboard-room:';

export const isRoomSecret = (v: unknown): v is string => typeof v === 'string' && SECRET_RE.test(v);

export const newRoomSecret = (): string => randomId(SECRET_BYTES);

/**
 * The room id the server sees: base64url(SHA-256("peerboard-room:" + secret)), 43 characters
 * (fits ROOM_ID_MAX_LENGTH without truncation). A one-way function of the secret, in a different
 * domain than the signaling key.
 */
export async function deriveRoomId(secret: string): Promise<string> {
  if (!isRoomSecret(secret)) throw new Error('not a room secret');
  const digest = await globalThis.crypto.subtle.digest(
    'SHA-256',
    utf8Encode(ROOM_ID_DOMAIN + secret) as Uint8Array<ArrayBuffer>,
  );
  const id = base64url(new Uint8Array(digest));
  if (!isRoomId(id)) throw new Error('derived room id does not fit the protocol');
  return id;
}

/** A new protected room: its secret and the room id that goes into the path. */
export async function newSecretRoom(): Promise<{ roomId: string; secret: string }> {
  const secret = newRoomSecret();
  return { roomId: await deriveRoomId(secret), secret };
}

/** The secret of a `#k=<secret>` fragment (with or without the '#'), or null. */
export function secretFromFragment(fragment: string): string | null {
  const raw = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (raw === '') return null;
  const k = new URLSearchParams(raw).get('k');
  return isRoomSecret(k) ? k : null;
}

export const secretFragment = (secret: string): string => `#k=${secret}`;

type Bytes = Uint8Array<ArrayBuffer>;
const HKDF_SALT = 'peerboard-room-secret-v1';

async function hkdfBase(secret: string): Promise<CryptoKey> {
  if (!isRoomSecret(secret)) throw new Error('not a room secret');
  return globalThis.crypto.subtle.importKey('raw', utf8Encode(secret) as Bytes, 'HKDF', false, [
    'deriveBits',
    'deriveKey',
  ]);
}

const hkdfParams = (info: string): HkdfParams => ({
  name: 'HKDF',
  hash: 'SHA-256',
  salt: utf8Encode(HKDF_SALT) as Bytes,
  info: utf8Encode(info) as Bytes,
});

export interface LocalStoreKeys {
  /** IndexedDB database name: HKDF(secret, info "local-store-name"), never the room id */
  name: string;
  /** AES-GCM 256, HKDF(secret, info "local-store-key"), not extractable */
  key: CryptoKey;
}

/**
 * Keys of a protected room's store on this device. Both come from the secret in their own HKDF
 * domains (the signaling key uses info "signal"), so neither the room id (which the relay knows)
 * nor the database name leads to the other or to the secret.
 */
export async function deriveLocalStoreKeys(secret: string): Promise<LocalStoreKeys> {
  const subtle = globalThis.crypto.subtle;
  const base = await hkdfBase(secret);
  const nameBits = await subtle.deriveBits(hkdfParams('local-store-name'), base, 256);
  const key = await subtle.deriveKey(
    hkdfParams('local-store-key'),
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  return { name: `peerboard-sealed:${base64url(new Uint8Array(nameBits))}`, key };
}

/**
 * What this browser writes down to remember that a room id is protected (so a bare `/r/<id>`
 * link is refused rather than opened as an open room): a hash of the id in its own domain, so the
 * record does not list room ids in the clear.
 */
export async function protectedRoomMark(roomId: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest(
    'SHA-256',
    utf8Encode('peerboard-protected-mark:' + roomId) as Bytes,
  );
  return base64url(new Uint8Array(digest)).slice(0, 22);
}
