/**
 * Room secrets and the signal cipher (real WebCrypto, Node 20's globalThis.crypto): derivation,
 * round trip, and every way a sealed payload can be forged, altered, re-addressed or replayed.
 */
import { describe, expect, it } from 'vitest';
import {
  deriveRoomId,
  isRoomSecret,
  makeSignalCipher,
  newRoomSecret,
  newSecretRoom,
  secretFragment,
  secretFromFragment,
  SEALED_OVERHEAD,
} from '../src/secret';

const A = 'AAAAAAAAAAAA';
const B = 'BBBBBBBBBBBB';
const C = 'CCCCCCCCCCCC';
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function pair() {
  const { roomId, secret } = await newSecretRoom();
  return {
    roomId,
    secret,
    alice: makeSignalCipher(secret, roomId),
    bob: makeSignalCipher(secret, roomId),
  };
}

describe('room secret', () => {
  it('secrets are 256-bit base64url and unique; the room id is a 43-char hash of the secret', async () => {
    const s1 = newRoomSecret();
    const s2 = newRoomSecret();
    expect(s1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s1).not.toBe(s2);
    const id = await deriveRoomId(s1);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await deriveRoomId(s1)).toBe(id);
    expect(await deriveRoomId(s2)).not.toBe(id);
    expect(id).not.toContain(s1.slice(0, 8));
    // known answer: base64url(SHA-256("peerboard-room:" + secret))
    const { createHash } = await import('node:crypto');
    expect(id).toBe(
      createHash('sha256')
        .update('peerboard-room:' + s1)
        .digest('base64url'),
    );
  });

  it('fragments: #k=<secret> parses, anything else is null', () => {
    const s = newRoomSecret();
    expect(secretFromFragment(secretFragment(s))).toBe(s);
    expect(secretFromFragment(`k=${s}`)).toBe(s);
    expect(secretFromFragment('')).toBeNull();
    expect(secretFromFragment('#')).toBeNull();
    expect(secretFromFragment('#k=short')).toBeNull();
    expect(secretFromFragment('#k=' + s + '!')).toBeNull();
    expect(isRoomSecret(s)).toBe(true);
    expect(isRoomSecret('x'.repeat(21))).toBe(false);
    expect(isRoomSecret(42)).toBe(false);
  });

  it('rejects derivation from a non-secret', async () => {
    await expect(deriveRoomId('too-short')).rejects.toThrow(/not a room secret/);
  });
});

describe('signal cipher', () => {
  it('round trip; ciphertext hides the plaintext; fresh IV per message', async () => {
    const { alice, bob } = await pair();
    const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=candidate:1 1 udp 1 10.0.0.1 5000 typ host';
    const s1 = await alice.seal(A, B, enc(sdp));
    const s2 = await alice.seal(A, B, enc(sdp));
    expect(s1.length).toBe(enc(sdp).length + SEALED_OVERHEAD);
    expect(Buffer.from(s1).includes('v=0')).toBe(false);
    expect(Buffer.from(s1).includes('a=candidate')).toBe(false);
    expect(Buffer.from(s1.subarray(5, 17)).equals(Buffer.from(s2.subarray(5, 17)))).toBe(false);
    const o1 = await bob.open(A, B, s1);
    const o2 = await bob.open(A, B, s2);
    expect(o1.ok && dec(o1.value.plain)).toBe(sdp);
    expect(o2.ok && dec(o2.value.plain)).toBe(sdp);
  });

  it('every single flipped bit is rejected (header, iv, ciphertext, tag)', async () => {
    const { alice, bob } = await pair();
    const sealed = await alice.seal(A, B, enc('{"v":1,"t":"hello"}'));
    for (let i = 0; i < sealed.length; i++) {
      const bad = sealed.slice();
      bad[i]! ^= 0x01;
      const r = await bob.open(A, B, bad);
      expect(r.ok, `byte ${i}`).toBe(false);
      if (!r.ok) expect(['ERR_DECRYPT', 'ERR_NOT_SEALED']).toContain(r.code);
    }
    // truncated and extended
    expect((await bob.open(A, B, sealed.subarray(0, sealed.length - 1))).ok).toBe(false);
    const longer = new Uint8Array(sealed.length + 1);
    longer.set(sealed);
    expect((await bob.open(A, B, longer)).ok).toBe(false);
    // the untouched one still opens
    expect((await bob.open(A, B, sealed)).ok).toBe(true);
  });

  it('re-addressed, re-attributed or moved to another room: rejected', async () => {
    const { alice, bob, secret, roomId } = await pair();
    const sealed = await alice.seal(A, B, enc('offer'));
    expect((await bob.open(C, B, sealed)).ok).toBe(false); // claimed another sender
    expect((await bob.open(A, C, sealed)).ok).toBe(false); // delivered to another peer
    // another room with another secret
    const other = await newSecretRoom();
    const eve = makeSignalCipher(other.secret, other.roomId);
    const r = await eve.open(A, B, sealed);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('ERR_DECRYPT');
    // same secret, but a cipher bound to a different room id refuses to work at all
    const mismatched = makeSignalCipher(secret, other.roomId);
    const m = await mismatched.open(A, B, sealed);
    expect(!m.ok && m.code).toBe('ERR_WRONG_ROOM');
    await expect(mismatched.seal(A, B, enc('x'))).rejects.toThrow(/does not match/);
    expect((await bob.open(A, B, sealed)).ok).toBe(true);
    expect(roomId).not.toBe(other.roomId);
  });

  it('a replayed payload is rejected; a later one from the same sender is accepted', async () => {
    const { alice, bob } = await pair();
    const first = await alice.seal(A, B, enc('one'));
    const second = await alice.seal(A, B, enc('two'));
    expect((await bob.open(A, B, first)).ok).toBe(true);
    const replay = await bob.open(A, B, first);
    expect(!replay.ok && replay.code).toBe('ERR_REPLAY');
    expect((await bob.open(A, B, second)).ok).toBe(true);
    expect((await bob.open(A, B, second)).ok).toBe(false);
  });

  it('plaintext from a peer without the secret is refused as not sealed', async () => {
    const { bob } = await pair();
    const r = await bob.open(A, B, enc('{"v":1,"t":"hello","cid":"x","lost":null}'));
    expect(!r.ok && r.code).toBe('ERR_NOT_SEALED');
    expect((await bob.open(A, B, new Uint8Array(0))).ok).toBe(false);
  });
});
