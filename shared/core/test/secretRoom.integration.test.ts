/**
 * Protected rooms end to end: real relay, real wrtc peers, real WebCrypto. Peers with the secret
 * connect; a peer without it (or with another secret) never joins their mesh; forged payloads
 * injected through the relay are dropped with a reason; the relay's debug log and every byte it
 * sends never contain plaintext SDP (and the same capture does show SDP for an open room, so
 * the check can fail).
 */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodeSignal, PROTOCOL_VERSION } from '@peerboard/protocol';
import type { FeatureFrame } from '../src/room';
import { newSecretRoom } from '../src/secret';
import { fullMesh, joinRoom, sleep, uniqueRoom, waitFor, type TestPeer } from './kit/relay';
import { useCleanups } from './kit/relayRoom';
import { startLoggedRelay, startTap } from './kit/secureHarness';

const defer = useCleanups();

async function relayWithTap() {
  const relay = await startLoggedRelay();
  defer(() => relay.close());
  const tap = await startTap(relay.port);
  defer(() => tap.close());
  return { relay, tap };
}

function peer(...args: Parameters<typeof joinRoom>): TestPeer {
  const p = joinRoom(...args);
  defer(() => p.room.destroy());
  return p;
}

const hello = (s: string): FeatureFrame => ({ type: 'sync', data: new TextEncoder().encode(s) });

/** A raw protocol client in the room: what a malicious member (or the relay) can send. */
async function rawMember(url: string, room: string) {
  const ws = new WebSocket(url);
  ws.binaryType = 'nodebuffer';
  const joined = new Promise<{ members: { id: string }[] }>((resolve) =>
    ws.on('message', (d: Buffer, binary) => {
      if (binary) return;
      const m = JSON.parse(d.toString()) as { type: string; members: { id: string }[] };
      if (m.type === 'joined') resolve(m);
    }),
  );
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION }));
  ws.send(JSON.stringify({ type: 'join', room, name: 'mallory' }));
  defer(() => ws.close());
  return { ws, members: (await joined).members };
}

describe('protected rooms (secret in the link fragment)', () => {
  it('peers with the secret connect; peers without it or with another secret never do', async () => {
    const { relay } = await relayWithTap();
    const { roomId, secret } = await newSecretRoom();
    const other = await newSecretRoom();
    const ann = peer(relay.url, roomId, 'ann', { secret });
    const bob = peer(relay.url, roomId, 'bob', { secret });
    // Same server room, no secret (the fragment got lost) and a wrong secret for this id.
    const eve = peer(relay.url, roomId, 'eve');
    const liz = peer(relay.url, roomId, 'liz', { secret: other.secret });

    const got: string[] = [];
    bob.room.onFrame('sync', (f) => got.push(new TextDecoder().decode(f.data)));
    await waitFor('ann and bob connected', () => fullMesh([ann, bob]));
    expect(ann.room.send(bob.room.clientId, hello('sealed hello'))).toBe(true);
    await waitFor('frame delivered', () => got.length === 1);
    expect(got).toEqual(['sealed hello']);

    await sleep(3000); // plenty of time for hellos, offers and retries
    for (const outsider of [eve, liz]) {
      expect(outsider.room.snapshot().signaling).toBe('open');
      expect(outsider.room.snapshot().peers).toEqual([]);
      expect(outsider.room.openPeers()).toEqual([]);
    }
    for (const insider of [ann, bob]) {
      expect(insider.room.snapshot().peers.map((p) => p.name)).toEqual([
        insider === ann ? 'bob' : 'ann',
      ]);
      // the outsiders' plaintext hellos were seen and dropped with a reason
      expect(insider.logs.some((l) => /dropped \(ERR_NOT_SEALED\)/.test(l))).toBe(true);
    }
    // liz's cipher refuses to run at all: the link's room id is not derived from her secret
    expect(liz.logs.some((l) => /does not match/.test(l))).toBe(true);
    // eve only saw ciphertext she could not parse
    expect(eve.logs.some((l) => /bad signal from peer/.test(l))).toBe(true);
  });

  it('forged payloads injected by a room member are dropped with a reason; the mesh is unharmed', async () => {
    const { relay } = await relayWithTap();
    const { roomId, secret } = await newSecretRoom();
    const ann = peer(relay.url, roomId, 'ann', { secret });
    const bob = peer(relay.url, roomId, 'bob', { secret });
    await waitFor('connected', () => fullMesh([ann, bob]));
    const mallory = await rawMember(relay.url, roomId);
    const target = ann.room.snapshot().signalingId!;
    expect(mallory.members.map((m) => m.id)).toContain(target);
    const forged = [
      new TextEncoder().encode('{"v":1,"t":"hello","cid":"AAAAAAAAAAAAAAAAAAAAAA","lost":null}'),
      Uint8Array.from([0xa8, 0, 0, 0, 9, ...new Array(40).fill(7)]), // looks sealed, is not
      new Uint8Array(2000).fill(0xa8),
    ];
    for (const payload of forged) mallory.ws.send(encodeSignal(target, payload));
    await waitFor(
      '3 forged payloads dropped',
      () => ann.logs.filter((l) => /protected room: signal from .* dropped/.test(l)).length >= 3,
    );
    expect(ann.logs.some((l) => /ERR_DECRYPT/.test(l))).toBe(true);
    expect(ann.room.snapshot().peers.map((p) => p.name)).toEqual(['bob']);
    expect(ann.room.openPeers()).toEqual([bob.room.clientId]);
  });

  it("the relay's debug log and its outbound bytes hold no plaintext SDP for a protected room", async () => {
    const { relay, tap } = await relayWithTap();
    const { roomId, secret } = await newSecretRoom();
    const group = ['ann', 'bob', 'cy'].map((n) => peer(tap.url, roomId, n, { secret }));
    await waitFor('full mesh', () => fullMesh(group));
    const wire = tap.downstream();
    const log = relay.logs.join('');
    expect(wire.length).toBeGreaterThan(1000); // offers, answers and candidates went through
    for (const needle of ['v=0', 'a=candidate', 'a=fingerprint', '"sdp"', 'candidate:']) {
      expect(wire.includes(needle), needle).toBe(false);
      expect(log.includes(needle), needle).toBe(false);
    }
    expect(log.includes(secret)).toBe(false);
    expect(relay.logs.length).toBeGreaterThan(0); // debug logging was on
  });

  it('control: the same capture shows plaintext SDP in an open room', async () => {
    const { tap } = await relayWithTap();
    const room = uniqueRoom('open');
    const group = ['ann', 'bob'].map((n) => peer(tap.url, room, n));
    await waitFor('mesh', () => fullMesh(group));
    const wire = tap.downstream();
    expect(wire.includes('v=0')).toBe(true);
    expect(wire.includes('a=candidate') || wire.includes('candidate:')).toBe(true);
  });
});
