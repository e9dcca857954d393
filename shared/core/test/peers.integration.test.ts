/**
 * Peer-level behaviour with real WebRTC (@roamhq/wrtc) and the real relay: hostile frames,
 * failed links retried from either side, priority scheduling under a saturating bulk stream,
 * renegotiation (adding a media track) over the data channel while the relay is down.
 */
import { describe, expect, it } from 'vitest';
import { encodeWireFrame, fragmentMessage, WIRE_TAG } from '@peerboard/protocol/wire';
import { FILE_CHUNK_MAX_BYTES, PROTOCOL_VERSION, utf8Encode } from '@peerboard/protocol';
import type { PeerClose } from '../src/room';
import { joinRoom, sleep, uniqueRoom, waitFor, wrtc, type TestPeer } from './kit/relay';
import { useRelayRoom } from './kit/relayRoom';
import { identityOrdered } from './kit/identities';
import { rawPeer } from './kit/rawPeer';
import { startRollingDeploy } from './kit/rollingDeploy';

const { startRoom, defer } = useRelayRoom('peers');
const track = <T extends { destroy(): void } | TestPeer>(p: T): T => {
  defer(() => ('room' in p ? p.room.destroy() : p.destroy()));
  return p;
};

async function pair(roomPrefix: string, evilSide: 'initiator' | 'answerer') {
  const { relay, roomId } = await startRoom({ prefix: roomPrefix });
  const victim = track(joinRoom(relay.url, roomId, 'victim'));
  const evilId = identityOrdered(victim.room.clientId, evilSide);
  const evil = track(rawPeer(relay.url, roomId, 'evil', evilId));
  await waitFor('link open', () =>
    Boolean(evil.mesh.link(victim.room.clientId)?.isOpen() && victim.room.openPeers().length === 1),
  );
  return { relay, roomId, victim, evil };
}

describe('peers with real WebRTC', () => {
  it('malformed peer frames are dropped with a reason and the receiver keeps working', async () => {
    const { victim, evil } = await pair('evil', 'answerer');
    const to = victim.room.clientId;
    const got: string[] = [];
    victim.room.onFrame('sync', (f) => {
      const s = new TextDecoder().decode(f.data);
      if (s === 'throw') throw new Error('feature bug');
      got.push(s);
    });
    const badJson = new Uint8Array([WIRE_TAG.file_control, ...utf8Encode('{"type":')]);
    const inner = fragmentMessage(
      encodeWireFrame({ type: 'sync', data: new Uint8Array(300) }),
      9,
      100,
    );
    const nested = fragmentMessage(inner[0]!, 10, 40);
    const hostile: (Uint8Array | string)[] = [
      new Uint8Array([0x55, 1, 2, 3]), // unknown tag
      new Uint8Array([WIRE_TAG.ping, 1]), // truncated
      badJson,
      encodeWireFrame({
        type: 'fragment',
        messageId: 1,
        total: 1000,
        offset: 500,
        data: new Uint8Array(10),
      }),
      encodeWireFrame({
        type: 'fragment',
        messageId: 2,
        total: 2 ** 31,
        offset: 0,
        data: new Uint8Array(10),
      }),
      inner[1]!, // fragment of a message never started
      ...nested, // a fragment hidden inside a fragment
      encodeWireFrame({ type: 'hello', version: 1, clientId: 'x'.repeat(22), name: 'liar' }),
      encodeWireFrame({ type: 'signal', data: utf8Encode('{"v":1,"t":"sig"}') }),
      encodeWireFrame({
        type: 'file_data',
        transferId: new Uint8Array(16),
        index: 0,
        data: new Uint8Array(FILE_CHUNK_MAX_BYTES + 1),
      }),
      'a text message', // simple-peer hands it over as bytes: 'a' is an unknown tag
      encodeWireFrame({ type: 'sync', data: utf8Encode('throw') }),
    ];
    for (let i = 0; i < 200; i++) {
      const junk = new Uint8Array(1 + ((i * 37) % 500));
      for (let j = 0; j < junk.length; j++) junk[j] = (i * 31 + j * 17) & 0xff;
      hostile.push(junk);
    }
    for (const bytes of hostile) expect(evil.sendRaw(to, bytes)).toBe(true);
    evil.send(to, { type: 'sync', data: utf8Encode('still here') });
    await waitFor('valid frame after the garbage', () => got.includes('still here'));
    expect(got).toEqual(['still here']);
    const link = victim.room.diagnostics().links[0]!;
    expect(link.open).toBe(true);
    expect(link.droppedFrames).toBeGreaterThanOrEqual(10);
    expect(victim.room.diagnostics().linksCreated).toBe(1);
    const reasons = victim.logs.join('\n');
    for (const code of [
      'ERR_WIRE_UNKNOWN_TAG',
      'ERR_WIRE_TRUNCATED',
      'ERR_WIRE_BAD_JSON',
      'ERR_WIRE_FRAGMENT',
      'ERR_WIRE_TOO_BIG',
      'foreign client id',
      'bad signal',
    ])
      expect(reasons).toContain(code);
    expect(reasons).toContain('threw'); // the throwing handler was reported, not fatal
    // and the link still carries frames both ways
    expect(victim.room.send(evil.clientId, { type: 'sync', data: utf8Encode('pong') })).toBe(true);
    await waitFor('reply', () => evil.frames.some((f) => f.frame.type === 'sync'));
  });

  // An older page would refuse our document updates and we its: the link closes, and both
  // pages are told why (each can say which of the two is out of date), and neither re-dials.
  // A relay greets only pages of its own version, so the other page is on another relay of the
  // same rooms (a rolling deploy), which attests its version.
  for (const [age, side] of [
    ['older', 'answerer'],
    ['newer', 'initiator'],
  ] as const)
    it(`a peer whose protocol version is ${age} is cut off, and both sides say it was the version`, async () => {
      const deploy = await startRollingDeploy();
      defer(() => deploy.close());
      const theirs = age === 'older' ? PROTOCOL_VERSION - 1 : PROTOCOL_VERSION + 1;
      const [ours, other] = [await deploy.relay(), await deploy.relay(theirs)];
      const roomId = uniqueRoom(`version-${age}`);
      const victim = track(joinRoom(ours.url, roomId, 'victim'));
      const page = track(
        rawPeer(
          other.url,
          roomId,
          `${age} tab`,
          identityOrdered(victim.room.clientId, side),
          undefined,
          { version: theirs },
        ),
      );
      const here: PeerClose[] = [];
      const there: PeerClose[] = [];
      victim.room.on('peer_close', (p) => here.push(p));
      page.mesh.on('peer_close', (p) => there.push(p));
      await waitFor('both ends closed', () => here.length === 1 && there.length === 1);
      expect(here).toEqual([
        { id: page.clientId, reason: 'version', version: theirs, name: `${age} tab` },
      ]);
      expect(there).toEqual([
        { id: victim.room.clientId, reason: 'version', version: PROTOCOL_VERSION, name: 'victim' },
      ]);
      expect(victim.logs.join('\n')).toContain(
        `speaks protocol ${theirs}, this peer ${PROTOCOL_VERSION}`,
      );
      // Nobody re-dials: several of the other page's retry delays (200 ms base) later, still
      // the one link on each side and the one notice.
      await sleep(1500);
      expect(victim.room.diagnostics().linksCreated).toBe(1);
      expect(page.mesh.linksCreated()).toBe(1);
      expect(victim.room.openPeers()).toEqual([]);
      expect([here.length, there.length]).toEqual([1, 1]);
    });

  // THREAT_MODEL: a member cannot make another page believe it is out of date. The liar's relay
  // greeted it at our version; its link hello names a higher one.
  for (const side of ['initiator', 'answerer'] as const)
    it(`a peer (${side}) forging a newer version in its link hello is cut as misbehaving, and nobody is called out of date`, async () => {
      const { relay, roomId } = await startRoom({ prefix: `forged-${side}` });
      const victim = track(joinRoom(relay.url, roomId, 'victim'));
      const closes: PeerClose[] = [];
      victim.room.on('peer_close', (p) => closes.push(p));
      const liar = track(
        rawPeer(relay.url, roomId, 'liar', identityOrdered(victim.room.clientId, side), undefined, {
          linkHelloVersion: PROTOCOL_VERSION + 1,
        }),
      );
      await waitFor('the liar cut off', () => closes.length === 1);
      expect(closes).toEqual([{ id: liar.clientId, reason: 'misbehaved' }]);
      expect(victim.logs.join('\n')).toContain(
        `attack: ${liar.clientId} names protocol ${PROTOCOL_VERSION + 1} on its link, its relay attests ${PROTOCOL_VERSION}`,
      );
      // not re-dialled however often the liar retries; and never a 'version' close
      await sleep(1500);
      expect(victim.room.diagnostics().linksCreated).toBe(1);
      expect(victim.room.openPeers()).toEqual([]);
      expect(closes.map((c) => c.reason)).toEqual(['misbehaved']);
    });

  for (const side of ['initiator', 'answerer'] as const)
    it(`a link that dies on the ${side} side is re-created while both stay in the room`, async () => {
      const { victim, evil } = await pair(`retry-${side}`, side);
      const events: string[] = [];
      victim.room.on('peer_close', () => events.push('close'));
      victim.room.on('peer_open', () => events.push('open'));
      const old = evil.mesh.link(victim.room.clientId)!;
      expect(old.initiator).toBe(side === 'initiator');
      old.destroy('connection died'); // the RTCPeerConnection dies under the mesh
      await waitFor('new link', () => {
        const l = evil.mesh.link(victim.room.clientId);
        const v = victim.room.diagnostics().links[0];
        return Boolean(l?.isOpen() && l.gen !== old.gen && v?.open && v.gen === l.gen);
      });
      await waitFor('events', () => events.length === 2);
      expect(events).toEqual(['close', 'open']);
      expect(evil.send(victim.room.clientId, { type: 'sync', data: utf8Encode('again') })).toBe(
        true,
      );
      await waitFor(
        'frame on the new link',
        () => victim.room.snapshot().peers[0]?.state === 'direct',
      );
    });

  it('control frames overtake a saturating bulk stream', async () => {
    const { relay } = await startRoom();
    const roomId = uniqueRoom('prio');
    const a = track(joinRoom(relay.url, roomId, 'sender'));
    const b = track(joinRoom(relay.url, roomId, 'receiver'));
    await waitFor('open', () => a.room.openPeers().length === 1 && b.room.openPeers().length === 1);
    const to = b.room.clientId;
    const CHUNK = 65536 - 21; // one file_data frame = exactly one 64 KiB message
    const N = 400; // ~26 MB
    let bulkReceived = 0;
    const arrivals: { k: number; bulkBefore: number }[] = [];
    b.room.onFrame('file_data', () => bulkReceived++);
    b.room.onFrame('sync', (f) => {
      const [k] = JSON.parse(new TextDecoder().decode(f.data)) as [number];
      arrivals.push({ k, bulkBefore: bulkReceived });
    });
    const data = new Uint8Array(CHUNK);
    const bulk = Array.from({ length: N }, (_, i) =>
      a.room.send(
        to,
        { type: 'file_data', transferId: new Uint8Array(16), index: i, data },
        'bulk',
      ),
    );
    const sentBefore: number[] = [];
    const queuedAt: number[] = [];
    for (let k = 0; k < 20; k++) {
      const q = a.room.queuedBytes(to)!;
      queuedAt.push(q.bulk);
      sentBefore.push(N - q.bulk / 65536);
      a.room.send(to, { type: 'sync', data: utf8Encode(JSON.stringify([k])) });
      await sleep(10);
    }
    await Promise.all(bulk);
    await waitFor('all bulk', () => bulkReceived === N, 60_000);
    await waitFor('all control', () => arrivals.length === 20);
    expect(queuedAt[0]).toBeGreaterThan(0); // the channel was saturated when control frames went
    // Each control frame went out ahead of everything still queued: the receiver saw at most
    // the bulk chunks already handed to a channel when it was sent (fewer when bulk has a data
    // channel of its own, PROTOCOL.md "Bulk channel": it then overtakes those too).
    for (const { k, bulkBefore } of arrivals)
      expect(bulkBefore).toBeLessThanOrEqual(sentBefore[k]!);
  });

  it('a media track is negotiated over the data channel while the relay is down', async () => {
    const { relay } = await startRoom();
    const roomId = uniqueRoom('media');
    const a = track(joinRoom(relay.url, roomId, 'caller'));
    const b = track(joinRoom(relay.url, roomId, 'callee'));
    await waitFor('open', () => a.room.openPeers().length === 1 && b.room.openPeers().length === 1);
    await relay.close();
    await waitFor('relay gone', () => a.room.snapshot().signaling === 'reconnecting');
    const tracks: string[] = [];
    a.room.on('track', ({ track }) => tracks.push(`a:${track.kind}`));
    b.room.on('track', ({ track }) => tracks.push(`b:${track.kind}`));
    const w = wrtc as {
      nonstandard: { RTCAudioSource: new () => { createTrack(): MediaStreamTrack } };
      MediaStream: new (tracks: MediaStreamTrack[]) => MediaStream;
    };
    // both directions: one side is the simple-peer initiator, the other asks it to renegotiate
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const t = new w.nonstandard.RTCAudioSource().createTrack();
      expect(from.room.media.addTrack(to.room.clientId, t, new w.MediaStream([t]))).toBe(true);
      await waitFor(`track at ${to.name}`, () => tracks.includes(`${to === a ? 'a' : 'b'}:audio`));
      t.stop();
    }
    expect(a.room.diagnostics().linksCreated).toBe(1);
    expect(a.room.openPeers()).toEqual([b.room.clientId]);
  });
});
