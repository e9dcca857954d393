/**
 * Identity attacks with the real relay and real WebRTC (@roamhq/wrtc), each written as the attack
 * that worked before client ids were self-certifying (identity/): a member who left claims the
 * others' client ids towards each other (the reported man in the middle), a peer claims an id
 * without its key, a member replays another member's genuine hello and an offer from its own
 * socket. Honest peers meanwhile connect, verify and survive a relay restart.
 */
import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { encodeSignal, parseSignalEnvelope, PROTOCOL_VERSION } from '@peerboard/protocol';
import { makeIdentity } from '../src/identity';
import { encodePeerSignal } from '../src/peers/peerSignal';
import type { FeatureFrame } from '../src/room';
import { newSecretRoom } from '../src/secret';
import { impostor } from './kit/identities';
import { startMitmRelay } from './kit/mitmRelay';
import { rawPeer, type RawPeer } from './kit/rawPeer';
import { fullMesh, uniqueRoom, type TestPeer } from './kit/relay';
import { useRelayRoom } from './kit/relayRoom';
import { startLoggedRelay, startTap } from './kit/secureHarness';

const { startRoom, join: peer, defer } = useRelayRoom('identity');
function raw(...args: Parameters<typeof rawPeer>): RawPeer {
  const p = rawPeer(...args);
  defer(() => p.destroy());
  return p;
}

const WAIT = { timeout: 20_000, interval: 25 };
const text = (s: string): FeatureFrame => ({ type: 'sync', data: new TextEncoder().encode(s) });
const received = (p: TestPeer) => {
  const got: string[] = [];
  p.room.onFrame('sync', (f) => got.push(new TextDecoder().decode(f.data)));
  return got;
};

describe('identity attacks', () => {
  it('the reported MITM: a member who left claims Ann and Vic towards each other and gets nothing', async () => {
    const { url } = await startRoom();
    const { roomId, secret } = await newSecretRoom();
    const annId = makeIdentity();
    const vicId = makeIdentity();
    const ann = peer(url, roomId, 'Ann', { secret, identity: annId });
    const vic = peer(url, roomId, 'Vic', { secret, identity: vicId });
    const mal = peer(url, roomId, 'Mal', { secret });
    await vi.waitFor(() => expect(fullMesh([ann, vic, mal])).toBe(true), WAIT);
    // What the member reads from presence before leaving.
    const ids = mal.room.snapshot().peers.map((p) => p.id);
    expect(ids.sort()).toEqual([annId.clientId, vicId.clientId].sort());
    mal.room.destroy();
    await vi.waitFor(() => expect(fullMesh([ann, vic])).toBe(true), WAIT);
    const annRoute = ann.room.snapshot().signalingId;
    const vicRoute = vic.room.snapshot().signalingId;
    const linksBefore = ann.room.diagnostics().linksCreated + vic.room.diagnostics().linksCreated;

    // Two meshes with the room secret: "Vic" towards Ann shows Vic's real public key (it was in
    // Vic's hello to the member), "Ann" towards Vic a key of its own. Whatever one of them gets,
    // the other would forward: the man in the middle.
    const asVic = raw(url, roomId, 'Vic', impostor(vicId.clientId, vicId.publicKey), secret);
    const asAnn = raw(url, roomId, 'Ann', impostor(annId.clientId), secret);
    asVic.mesh.on('frame', ({ frame }) => asAnn.send(vicId.clientId, frame));
    asAnn.mesh.on('frame', ({ frame }) => asVic.send(annId.clientId, frame));

    await vi.waitFor(() => {
      expect(ann.logs.join('\n')).toMatch(
        /attack: hello from peer \S+ refused: bad hello signature/,
      );
      expect(vic.logs.join('\n')).toMatch(
        /attack: hello from peer \S+ refused: its key does not hash/,
      );
      // the impostor that initiates (lower id) sends its offer anyway: refused, no new link
      expect([...ann.logs, ...vic.logs].join('\n')).toMatch(
        /refused: signal from peer \S+ for client \S+, a peer that proved no identity/,
      );
    }, WAIT);

    for (const [me, other, route] of [
      [ann, vicId.clientId, vicRoute],
      [vic, annId.clientId, annRoute],
    ] as const) {
      const peers = me.room.snapshot().peers;
      expect(peers.map((p) => [p.id, p.signalingId, p.state])).toEqual([[other, route, 'direct']]);
    }
    expect(ann.room.diagnostics().linksCreated + vic.room.diagnostics().linksCreated).toBe(
      linksBefore,
    );
    expect(asVic.mesh.link(annId.clientId)?.isOpen() ?? false).toBe(false);
    expect(asAnn.mesh.link(vicId.clientId)?.isOpen() ?? false).toBe(false);

    const atVic = received(vic);
    expect(ann.room.send(vicId.clientId, text('meet at 5'))).toBe(true);
    await vi.waitFor(() => expect(atVic).toEqual(['meet at 5']), WAIT);
    expect([...asVic.frames, ...asAnn.frames]).toEqual([]);
  });

  it('a peer claiming a client id without the matching key is refused, even as initiator', async () => {
    const { url, roomId } = await startRoom({ prefix: 'liar' });
    const victim = peer(url, roomId, 'victim');
    // '-' sorts before every base64url character: the liar is the initiator and sends offers.
    const liar = raw(url, roomId, 'liar', impostor('-'.repeat(22)));
    await vi.waitFor(() => {
      const logs = victim.logs.join('\n');
      expect(logs).toMatch(
        /attack: hello from peer \S+ refused: its key does not hash to client id -{22}/,
      );
      expect(logs).toMatch(
        /refused: signal from peer \S+ for client -{22}, a peer that proved no identity/,
      );
    }, WAIT);
    expect(victim.room.snapshot().peers).toEqual([]);
    expect(victim.room.diagnostics().linksCreated).toBe(0);
    expect(liar.mesh.link(victim.room.clientId)?.isOpen() ?? false).toBe(false);
  });

  it("a member's replay of another member's hello and its own offer cannot rebind that id or replace the link", async () => {
    const { url, roomId } = await startRoom({ prefix: 'rebind' });
    const ann = peer(url, roomId, 'ann');
    const vic = peer(url, roomId, 'vic');
    await vi.waitFor(() => expect(fullMesh([ann, vic])).toBe(true), WAIT);
    const vicRoute = vic.room.snapshot().signalingId!;
    const annRoute = ann.room.snapshot().signalingId!;
    const [linkBefore] = ann.room.diagnostics().links;

    // A raw member: it records the genuine, signed hello Vic sends it on discovery.
    const ws = new WebSocket(url);
    ws.binaryType = 'nodebuffer';
    defer(() => ws.close());
    const fromVic: Uint8Array[] = [];
    ws.on('message', (d: Buffer, binary) => {
      const env = binary ? parseSignalEnvelope(new Uint8Array(d)) : null;
      if (env?.ok && env.value.peer === vicRoute) fromVic.push(env.value.payload.slice());
    });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION }));
    ws.send(JSON.stringify({ type: 'join', room: roomId, name: 'mallory' }));
    await vi.waitFor(() => expect(fromVic.length).toBeGreaterThan(0), WAIT);
    const vicHello = fromVic[0]!;
    expect(new TextDecoder().decode(vicHello)).toContain('"t":"hello"');

    ws.send(encodeSignal(annRoute, vicHello)); // Vic's real proof, from another socket
    const offer = { type: 'offer' as const, sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n' };
    const sig = { t: 'sig' as const, cid: vic.room.clientId, gen: 424242, data: offer };
    ws.send(encodeSignal(annRoute, encodePeerSignal(sig))); // a new generation for Vic's id

    await vi.waitFor(() => {
      const logs = ann.logs.join('\n');
      expect(logs).toMatch(/attack: hello from peer \S+ refused: bad hello signature/);
      expect(logs).toMatch(
        new RegExp(
          `refused: signal from peer \\S+ for client ${vic.room.clientId.replace(/-/g, '\\-')}`,
        ),
      );
    }, WAIT);
    expect(ann.room.snapshot().peers.map((p) => [p.id, p.signalingId, p.state])).toEqual([
      [vic.room.clientId, vicRoute, 'direct'],
    ]);
    expect(ann.room.diagnostics().links).toEqual([linkBefore]);
    expect(ann.room.diagnostics().linksCreated).toBe(1);
    const atVic = received(vic);
    expect(ann.room.send(vic.room.clientId, text('still you?'))).toBe(true);
    await vi.waitFor(() => expect(atVic).toEqual(['still you?']), WAIT);
  });
});

describe('a malicious relay in the middle', () => {
  it('terminating both links itself is caught by the signed DTLS fingerprints', async () => {
    const mitm = startMitmRelay(uniqueRoom('mitm'), [makeIdentity(), makeIdentity()]);
    defer(() => mitm.destroy());
    const [a, b] = mitm.sides;
    await vi.waitFor(() => {
      expect(mitm.forwardedProofs()).toBeGreaterThanOrEqual(2);
      expect([...a.logs, ...b.logs].join('\n')).toMatch(
        /attack: link to \S+ gen \d+ refused: DTLS fingerprints differ/,
      );
    }, WAIT);
    expect([...a.opened, ...b.opened]).toEqual([]);
    for (const side of mitm.sides)
      expect(side.mesh.peers().map((p) => p.state)).not.toContain('direct');
  });
});

describe('honest peers', () => {
  it('verify each other and show the same verification code on both sides', async () => {
    const { url, roomId } = await startRoom({ prefix: 'code' });
    const group = ['ann', 'bob', 'cy'].map((n) => peer(url, roomId, n));
    await vi.waitFor(() => expect(fullMesh(group)).toBe(true), WAIT);
    const codeOf = (me: TestPeer, other: TestPeer) =>
      me.room.snapshot().peers.find((p) => p.id === other.room.clientId)?.verification;
    const [ann, bob, cy] = group as [TestPeer, TestPeer, TestPeer];
    for (const [x, y] of [
      [ann, bob],
      [ann, cy],
      [bob, cy],
    ] as const) {
      expect(codeOf(x, y)).toMatch(/^\d{3} \d{3} \d{3} \d{3}$/);
      expect(codeOf(x, y)).toBe(codeOf(y, x));
    }
    expect(codeOf(ann, bob)).not.toBe(codeOf(ann, cy));
    for (const p of group) expect(p.logs.join('\n')).not.toMatch(/attack|refused/);
  });

  it('protected room: after a relay restart each peer re-proves its new socket and newcomers connect', async () => {
    const { relay: first } = await startRoom();
    const { roomId, secret } = await newSecretRoom();
    const ann = peer(first.url, roomId, 'ann', { secret });
    const bob = peer(first.url, roomId, 'bob', { secret });
    await vi.waitFor(() => expect(fullMesh([ann, bob])).toBe(true), WAIT);
    const before = [ann, bob].map((p) => p.room.snapshot().signalingId);
    await first.close();
    await vi.waitFor(() => expect(ann.room.snapshot().signaling).toBe('reconnecting'), WAIT);
    const { relay: again } = await startRoom({ port: first.port });
    // Each sees the other on its new relay peer id: the hello proof moved the route.
    await vi.waitFor(() => {
      for (const [me, other] of [
        [ann, bob],
        [bob, ann],
      ] as const) {
        const route = other.room.snapshot().signalingId;
        expect(route).not.toBeNull();
        expect(before).not.toContain(route);
        expect(me.room.snapshot().peers.map((p) => p.signalingId)).toEqual([route]);
      }
    }, WAIT);
    const cy = peer(again.url, roomId, 'cy', { secret });
    await vi.waitFor(() => expect(fullMesh([ann, bob, cy])).toBe(true), WAIT);
    expect(ann.room.diagnostics().linksCreated).toBe(2); // bob's link survived, plus cy
    for (const p of [ann, bob, cy]) expect(p.logs.join('\n')).not.toMatch(/attack|refused/);
  });

  it("a protected room's display names never reach the relay (an open room's do: the check can fail)", async () => {
    const logged = await startLoggedRelay();
    defer(() => logged.close());
    const tap = await startTap(logged.port);
    defer(() => tap.close());
    const { roomId, secret } = await newSecretRoom();
    const names = ['Annabel Quintessa', 'Bartholomew Zyx'];
    const group = names.map((n) => peer(tap.url, roomId, n, { secret }));
    await vi.waitFor(() => expect(fullMesh(group)).toBe(true), WAIT);
    // the real names arrived end to end
    expect(group[0]!.room.snapshot().peers.map((p) => p.name)).toEqual([names[1]]);
    expect(group[1]!.room.snapshot().peers.map((p) => p.name)).toEqual([names[0]]);
    const seen = () => tap.downstream().toString('latin1') + logged.logs.join('');
    for (const n of names) expect(seen()).not.toContain(n);
    expect(seen()).toContain('Guest'); // what the relay got instead

    const openRoom = uniqueRoom('open');
    const open = ['Cornelius Openroom', 'Dorothea Openroom'].map((n) => peer(tap.url, openRoom, n));
    await vi.waitFor(() => expect(fullMesh(open)).toBe(true), WAIT);
    expect(seen()).toContain('Cornelius Openroom');
  });
});
