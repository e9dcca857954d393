/**
 * Replay across relay sockets (real WebCrypto): the relay, which protected rooms guard against,
 * assigns peer ids itself and may hand out an old one again. Payloads name the recipient's
 * session (secret/signalCipher.ts), so an old payload replayed into a new socket session, or into
 * a reloaded page that got the same peer id, never opens.
 */
import { describe, expect, it } from 'vitest';
import { makeSignalCipher, newSecretRoom } from '../src/secret';

const ANN = 'AAAAAAAAAAAA';
const BOB = 'BBBBBBBBBBBB';
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** Bob says hello, Ann answers with an offer sealed for Bob's current session. */
async function capturedOffer() {
  const { roomId, secret } = await newSecretRoom();
  const ann = makeSignalCipher(secret, roomId);
  const bob = makeSignalCipher(secret, roomId);
  const hello = await ann.open(BOB, ANN, await bob.seal(BOB, ANN, enc('hello')));
  expect(hello.ok && hello.value.fresh).toBe(false); // Bob did not know Ann's session yet
  const offer = await ann.seal(ANN, BOB, enc('offer'));
  const first = await bob.open(ANN, BOB, offer);
  expect(first.ok && [dec(first.value.plain), first.value.fresh]).toEqual(['offer', true]);
  return { roomId, secret, ann, bob, offer };
}

describe('replay across socket sessions', () => {
  it('an offer replayed into the same client after it reconnected under the same peer id is stale', async () => {
    const { bob, offer } = await capturedOffer();
    bob.newSession(); // new relay socket; a malicious relay gives it the old peer id again
    const replay = await bob.open(ANN, BOB, offer);
    expect(!replay.ok && replay.code).toBe('ERR_STALE');
  });

  it('an offer replayed into a reloaded page that got the old peer id is stale', async () => {
    const { roomId, secret, offer } = await capturedOffer();
    const reloaded = makeSignalCipher(secret, roomId); // no replay memory at all
    const replay = await reloaded.open(ANN, BOB, offer);
    expect(!replay.ok && replay.code).toBe('ERR_STALE');
  });

  it('a payload sent before the sender knew our session opens, but as not fresh', async () => {
    const { roomId, secret } = await newSecretRoom();
    const ann = makeSignalCipher(secret, roomId);
    const bob = makeSignalCipher(secret, roomId);
    const r = await bob.open(ANN, BOB, await ann.seal(ANN, BOB, enc('hello')));
    expect(r.ok && [dec(r.value.plain), r.value.fresh]).toEqual(['hello', false]);
    // once Ann heard from Bob, what she seals for him is fresh, and after his reconnect it is not
    await ann.open(BOB, ANN, await bob.seal(BOB, ANN, enc('hello back')));
    const sealed = await ann.seal(ANN, BOB, enc('offer'));
    bob.newSession();
    expect((await bob.open(ANN, BOB, sealed)).ok).toBe(false);
  });
});
