/**
 * TURN through a real coturn (`turnserver`, REST-API shared secret) on loopback: the relay hands
 * out short-lived credentials in `joined`, and two wrtc peers forced to relay-only ICE connect
 * through coturn and exchange data. Wrong and expired credentials fail cleanly: the peer state
 * becomes 'failed' within the connect timeout, nothing throws, the relay keeps serving.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FeatureFrame } from '../src/room';
import { newSecretRoom } from '../src/secret';
import { joinRoom, uniqueRoom, waitFor, type TestPeer } from './kit/relay';
import { useCleanups } from './kit/relayRoom';
import { startLoggedRelay, startTurn, type Turn } from './kit/secureHarness';

const SECRET = 'peerboard-turn-test-secret';
const CONNECT_TIMEOUT_MS = 4000;

const defer = useCleanups();

async function turn(): Promise<Turn> {
  const t = await startTurn(SECRET);
  defer(() => t.close());
  return t;
}

async function relay(overrides: Record<string, unknown>) {
  const r = await startLoggedRelay(overrides);
  defer(() => r.close());
  return r;
}

function peer(...args: Parameters<typeof joinRoom>): TestPeer {
  const p = joinRoom(...args);
  defer(() => p.room.destroy());
  return p;
}

const relayOnly = { iceTransportPolicy: 'relay' as const };
const timing = {
  signalingRetryBaseMs: 100,
  signalingRetryMaxMs: 800,
  peerRetryBaseMs: 1000,
  peerRetryMaxMs: 2000,
  peerStatsIntervalMs: 300,
  peerConnectTimeoutMs: CONNECT_TIMEOUT_MS,
};
const text = (s: string): FeatureFrame => ({ type: 'sync', data: new TextEncoder().encode(s) });

/** coturn REST-API credentials computed independently of the relay's code. */
function restCredential(secret: string, user: string, expiresAt: number) {
  const username = `${expiresAt}:${user}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

describe('TURN relay (coturn on loopback)', () => {
  it('relay-only peers connect through coturn with the credentials from `joined`', async () => {
    const t = await turn();
    const r = await relay({ turn: { secret: SECRET, urls: [t.url], ttlSeconds: 600 } });
    // A protected room as well: TURN and sealed signaling together.
    const { roomId, secret } = await newSecretRoom();
    const ann = peer(r.url, roomId, 'ann', { ...relayOnly, secret, timing });
    const bob = peer(r.url, roomId, 'bob', { ...relayOnly, secret, timing });
    const got: string[] = [];
    bob.room.onFrame('sync', (f) => got.push(new TextDecoder().decode(f.data)));

    await waitFor(
      'both relayed',
      () =>
        [ann, bob].every((p) => {
          const peers = p.room.snapshot().peers;
          return peers.length === 1 && peers[0]!.state === 'relayed';
        }),
      30_000,
    );
    for (let i = 0; i < 20; i++) ann.room.send(bob.room.clientId, text(`via turn ${i}`));
    await waitFor('20 frames through TURN', () => got.length === 20);
    expect(got[19]).toBe('via turn 19');
    expect(await ann.room.ping(bob.room.clientId)).toBeGreaterThanOrEqual(0);
    // coturn saw authenticated allocations for both relay peer ids
    for (const p of [ann, bob]) {
      const id = p.room.snapshot().signalingId!;
      expect(t.output(), t.output()).toContain(id);
    }
  });

  it('wrong credentials (relay configured with another secret): failed, no crash', async () => {
    const t = await turn();
    const r = await relay({
      turn: { secret: 'not-the-coturn-secret', urls: [t.url], ttlSeconds: 600 },
    });
    const room = uniqueRoom('turn-wrong');
    const group = ['ann', 'bob'].map((n) => peer(r.url, room, n, { ...relayOnly, timing }));
    await waitFor(
      'failed on both sides',
      () => group.every((p) => p.room.snapshot().peers.some((x) => x.state === 'failed')),
      CONNECT_TIMEOUT_MS * 5,
    );
    for (const p of group) {
      expect(p.room.openPeers()).toEqual([]);
      expect(p.room.snapshot().signaling).toBe('open');
      // the UI can say that even the relay failed, not that the server lacks one
      expect(p.room.snapshot().peers[0]!.turnFailed).toBe(true);
    }
    expect(t.output()).toMatch(/401/);
  });

  it('expired credentials: failed, no crash', async () => {
    const t = await turn();
    const r = await relay({}); // no TURN from the relay: only the expired extra server
    const expired = restCredential(SECRET, 'someone', Math.floor(Date.now() / 1000) - 60);
    const iceServers = [{ urls: t.url, ...expired }];
    const room = uniqueRoom('turn-expired');
    const group = ['ann', 'bob'].map((n) =>
      peer(r.url, room, n, { ...relayOnly, iceServers, timing }),
    );
    await waitFor(
      'failed on both sides',
      () => group.every((p) => p.room.snapshot().peers.some((x) => x.state === 'failed')),
      CONNECT_TIMEOUT_MS * 5,
    );
    for (const p of group) expect(p.room.openPeers()).toEqual([]);
    expect(t.output()).toMatch(/401/);
  });
});
