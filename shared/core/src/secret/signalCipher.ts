/**
 * Authenticated encryption of signal payloads for protected rooms (WebCrypto only, so the same
 * code runs in browsers and in Node 20, where globalThis.crypto is WebCrypto).
 *
 * Key: HKDF-SHA-256(ikm = secret, salt = "peerboard-room-secret-v1", info = "signal") -> AES-GCM
 * 256. Sealed payload (opaque to the relay):
 *
 *   [0xA8 version][counter: u32 BE][iv: 12 random bytes][AES-GCM ciphertext + 16-byte tag]
 *   plaintext = [sender session: 8 bytes][recipient session: 8 bytes or zeros][payload]
 *
 * Additional data = the 5 header bytes + "peerboard-signal-v1|<roomId>|<from>|<to>", with the
 * relay peer ids of sender and recipient: a sealed payload cannot be re-addressed to another
 * peer, moved to another room, or presented as coming from another peer. The counter grows with
 * every message this cipher seals; the recipient accepts only increasing counters per sender
 * peer id, so the relay cannot replay an old offer (peer ids are fresh per socket, so a counter
 * never needs to reset). A fresh random IV per message; the counter is not the IV, so a reloaded
 * page (counter back at 1) never reuses a (key, iv) pair.
 *
 * Sessions: peer ids are only fresh if the relay says so, and the relay is the party this guards
 * against. So each side also draws a random session id per relay socket (`newSession()`), and
 * every payload names the sender's session and the recipient's as the sender last learnt it
 * from the recipient's own payloads. A payload naming an earlier session of the recipient is
 * refused (ERR_STALE): an old offer replayed into a new socket, even under a reused peer id,
 * never opens. Before the sender has heard from the recipient it can only send zeros there;
 * such a payload opens with `fresh: false`, and the mesh takes nothing but a hello from it.
 */
import { err, ok, utf8Encode, type PeerId, type Result } from '@peerboard/protocol';
import { deriveRoomId } from './roomSecret';

export const SEALED_VERSION = 0xa8;
const HEADER_BYTES = 5;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SESSION_BYTES = 8;
export const SEALED_OVERHEAD = HEADER_BYTES + IV_BYTES + TAG_BYTES + 2 * SESSION_BYTES;
/** Senders remembered for replay protection; the oldest is forgotten beyond this. */
const MAX_TRACKED_SENDERS = 4096;

export type OpenError =
  'ERR_NOT_SEALED' | 'ERR_DECRYPT' | 'ERR_REPLAY' | 'ERR_STALE' | 'ERR_WRONG_ROOM';

export interface Opened {
  plain: Uint8Array;
  /** sealed for this session of ours; false: the sender did not know it yet (hello only) */
  fresh: boolean;
}

export interface SignalCipher {
  readonly roomId: string;
  /** Encrypts a payload from `from` to `to` (relay peer ids). Rejects if the room id is wrong. */
  seal(from: PeerId, to: PeerId, plain: Uint8Array): Promise<Uint8Array>;
  /** Decrypts and authenticates; never throws. */
  open(from: PeerId, to: PeerId, sealed: Uint8Array): Promise<Result<Opened, OpenError>>;
  /** A new relay socket: payloads sealed for the previous one no longer open. */
  newSession(): void;
}

type Bytes = Uint8Array<ArrayBuffer>;
const bytes = (b: Uint8Array): Bytes => b as Bytes;

async function deriveKey(secret: string): Promise<CryptoKey> {
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey('raw', bytes(utf8Encode(secret)), 'HKDF', false, [
    'deriveKey',
  ]);
  return subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: bytes(utf8Encode('peerboard-room-secret-v1')),
      info: bytes(utf8Encode('signal')),
    },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

function additionalData(header: Uint8Array, roomId: string, from: PeerId, to: PeerId): Bytes {
  const context = utf8Encode(`peerboard-signal-v1|${roomId}|${from}|${to}`);
  const ad = new Uint8Array(header.length + context.length);
  ad.set(header, 0);
  ad.set(context, header.length);
  return bytes(ad);
}

const newSessionId = () => globalThis.crypto.getRandomValues(new Uint8Array(SESSION_BYTES));

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * `roomId` must be the id derived from `secret` (the link carries both): a link whose path does
 * not match its secret is refused rather than silently joining a room nobody else is in.
 */
export function makeSignalCipher(secret: string, roomId: string): SignalCipher {
  const ready = (async () => {
    if ((await deriveRoomId(secret)) !== roomId)
      throw new Error("the room code does not match the link's secret");
    return deriveKey(secret);
  })();
  ready.catch(() => undefined); // reported by seal/open, not as an unhandled rejection
  let counter = 0;
  const lastSeen = new Map<PeerId, number>();
  /** the session each sender peer id named in its latest accepted payload */
  const sessions = new Map<PeerId, Uint8Array>();
  let session = newSessionId();

  return {
    roomId,
    async seal(from, to, plain) {
      const key = await ready;
      counter = (counter + 1) >>> 0;
      const header = new Uint8Array(HEADER_BYTES);
      header[0] = SEALED_VERSION;
      new DataView(header.buffer).setUint32(1, counter);
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const inner = new Uint8Array(2 * SESSION_BYTES + plain.length);
      inner.set(session, 0);
      inner.set(sessions.get(to) ?? new Uint8Array(SESSION_BYTES), SESSION_BYTES);
      inner.set(plain, 2 * SESSION_BYTES);
      const ct = await globalThis.crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: additionalData(header, roomId, from, to) },
        key,
        bytes(inner),
      );
      const out = new Uint8Array(HEADER_BYTES + IV_BYTES + ct.byteLength);
      out.set(header, 0);
      out.set(iv, HEADER_BYTES);
      out.set(new Uint8Array(ct), HEADER_BYTES + IV_BYTES);
      return out;
    },
    async open(from, to, sealed) {
      let key: CryptoKey;
      try {
        key = await ready;
      } catch (e) {
        return err('ERR_WRONG_ROOM', (e as Error).message);
      }
      if (sealed.length < SEALED_OVERHEAD || sealed[0] !== SEALED_VERSION)
        return err('ERR_NOT_SEALED', 'not a sealed payload (sender lacks the room secret?)');
      const header = sealed.subarray(0, HEADER_BYTES);
      const count = new DataView(sealed.buffer, sealed.byteOffset, HEADER_BYTES).getUint32(1);
      let plain: ArrayBuffer;
      try {
        plain = await globalThis.crypto.subtle.decrypt(
          {
            name: 'AES-GCM',
            iv: bytes(sealed.slice(HEADER_BYTES, HEADER_BYTES + IV_BYTES)),
            additionalData: additionalData(header, roomId, from, to),
          },
          key,
          bytes(sealed.slice(HEADER_BYTES + IV_BYTES)),
        );
      } catch {
        return err('ERR_DECRYPT', 'authentication failed (wrong secret, tampered or re-addressed)');
      }
      const inner = new Uint8Array(plain);
      if (inner.length < 2 * SESSION_BYTES) return err('ERR_DECRYPT', 'no session header');
      const recipient = inner.subarray(SESSION_BYTES, 2 * SESSION_BYTES);
      const fresh = sameBytes(recipient, session);
      if (!fresh && recipient.some((b) => b !== 0))
        return err('ERR_STALE', 'sealed for an earlier session of ours (replayed?)');
      // Checked after authentication, so a forged counter cannot evict a real sender's entry.
      const last = lastSeen.get(from) ?? 0;
      if (count <= last) return err('ERR_REPLAY', `replayed or reordered payload #${count}`);
      lastSeen.delete(from);
      lastSeen.set(from, count);
      sessions.delete(from);
      sessions.set(from, inner.slice(0, SESSION_BYTES));
      for (const map of [lastSeen, sessions])
        if (map.size > MAX_TRACKED_SENDERS) map.delete(map.keys().next().value!);
      return ok({ plain: inner.subarray(2 * SESSION_BYTES), fresh });
    },
    newSession() {
      session = newSessionId();
    },
  };
}
