/**
 * Leaving, over the real relay and real WebRTC (@roamhq/wrtc): a peer that leaves says `bye` on
 * its links and is dropped at once (peer_close reason 'bye', no re-dial); a peer that leaves the
 * relay with a silent link is dropped after the grace (reason 'left'); a peer that only lost its
 * relay socket keeps answering on its link and stays listed.
 *
 * No timing asserts: the reasons tell which path removed a peer. The idle timeout (30 s) and the
 * grace are set far beyond the test's waits wherever only the `bye` may explain a removal.
 */
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { utf8Encode } from '@peerboard/protocol';
import { makeIdentity } from '../src/identity';
import type { PeerCloseReason } from '../src/room';
import { identityOrdered } from './kit/identities';
import { rawPeer, type RawPeer } from './kit/rawPeer';
import { FAST, fullMesh, sleep, waitFor, wrtc, type TestPeer } from './kit/relay';
import { useRelayRoom } from './kit/relayRoom';

const { startRoom, join, defer } = useRelayRoom('presence');

function closesOf(p: TestPeer) {
  const closes: { id: string; reason: PeerCloseReason }[] = [];
  p.room.on('peer_close', (c) => closes.push(c));
  return closes;
}

/** ws sockets a test can cut (the relay then says peer_left) and keep from reconnecting. */
function cuttableSockets() {
  const sockets: WebSocket[] = [];
  let down = false;
  class CuttableWebSocket extends WebSocket {
    constructor(url: string) {
      if (down) throw new Error('network down (test)');
      super(url);
      sockets.push(this);
    }
  }
  return {
    WebSocket: CuttableWebSocket,
    cut() {
      down = true;
      for (const s of sockets.splice(0)) s.terminate();
    },
    restore() {
      down = false;
    },
  };
}

/** wrtc whose data channels (initiator side) can be muted: nothing leaves, the pc stays up. */
function mutableWrtc() {
  const w = wrtc as { RTCPeerConnection: typeof RTCPeerConnection } & Record<string, unknown>;
  let muted = false;
  class Muted extends w.RTCPeerConnection {
    override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
      const channel = super.createDataChannel(label, init);
      const send = channel.send.bind(channel) as (data: unknown) => void;
      channel.send = (data: unknown) => {
        if (!muted) send(data);
      };
      return channel;
    }
  }
  return {
    wrtc: { ...w, RTCPeerConnection: Muted },
    mute() {
      muted = true;
    },
  };
}

/** Nothing may remove a peer here but a `bye` or the grace the test chose. */
const SLOW_DEATH = { ...FAST, peerIdleTimeoutMs: 30_000, peerLeftGraceMs: 60_000 };

describe('leaving a room', () => {
  it("a peer that leaves says bye: the others drop it at once, reason 'bye'", async () => {
    const { url, roomId } = await startRoom({ prefix: 'bye' });
    const group = ['ann', 'bob', 'cy'].map((n) => join(url, roomId, n, { timing: SLOW_DEATH }));
    const [a, b, c] = group as [TestPeer, TestPeer, TestPeer];
    await waitFor('full mesh', () => fullMesh(group));
    const closes = [a, b].map(closesOf);
    const created = [a, b].map((p) => p.room.diagnostics().linksCreated);

    c.room.destroy();
    await waitFor('c gone from a and b', () =>
      [a, b].every((p) => !p.room.snapshot().peers.some((x) => x.id === c.room.clientId)),
    );
    // 'bye', not 'lost' (its pc closing) nor 'left' (the relay's peer_left + 60 s of silence)
    for (const list of closes) expect(list).toEqual([{ id: c.room.clientId, reason: 'bye' }]);
    for (const p of [a, b]) {
      expect(p.room.diagnostics().links.map((l) => l.id)).not.toContain(c.room.clientId);
      expect(p.logs.some((l) => l.includes('remote said goodbye'))).toBe(true);
    }
    // the others keep their own link
    expect(fullMesh([a, b])).toBe(true);
    expect([a, b].map((p) => p.room.diagnostics().linksCreated)).toEqual(created);
  });

  it('a bye is no failure: no re-dial while its sender is still on the relay; a new hello brings it back', async () => {
    const { url, roomId } = await startRoom({ prefix: 'bye-redial' });
    // a initiates: it is the side that would re-dial a failed link
    const aId = makeIdentity();
    const a = join(url, roomId, 'ann', { identity: aId, timing: SLOW_DEATH });
    const xId = identityOrdered(aId.clientId, 'answerer');
    let x: RawPeer = rawPeer(url, roomId, 'xavier', xId);
    defer(() => x.destroy());
    await waitFor('link open', () => a.room.openPeers().includes(xId.clientId));
    const closes = closesOf(a);
    const created = a.room.diagnostics().linksCreated;

    // only the bye: x stays on the relay (a real leaver also leaves the relay)
    expect(x.send(aId.clientId, { type: 'bye' })).toBe(true);
    await waitFor('x dropped', () => a.room.snapshot().peers.length === 0);
    expect(closes).toEqual([{ id: xId.clientId, reason: 'bye' }]);
    // x's side saw its link close and, as the answerer, said so with a `lost` hello: that is no
    // reason to list or dial x again. A failed link would be re-dialled after ~200 ms (FAST).
    await waitFor('x noticed', () =>
      x.logs.some((l) => l.includes(`link to ${aId.clientId}`) && l.includes('ended')),
    );
    await sleep(2000);
    expect(a.room.diagnostics().linksCreated).toBe(created);
    expect(a.room.snapshot().peers).toEqual([]);
    expect(x.sig.status()).toBe('open');

    // x reappears (a reload with the same identity): its discovery hello brings it back
    x.destroy();
    x = rawPeer(url, roomId, 'xavier', xId);
    await waitFor('x back', () => a.room.openPeers().includes(xId.clientId));
    expect(a.room.diagnostics().linksCreated).toBe(created + 1);
  });

  it('a peer whose relay socket dies while its link lives stays listed', async () => {
    const { url, roomId } = await startRoom({ prefix: 'relay-cut' });
    const sockets = cuttableSockets();
    const timing = { ...FAST, peerLeftGraceMs: 1000 };
    const a = join(url, roomId, 'ann', { timing });
    const b = join(url, roomId, 'bob', { timing, WebSocket: sockets.WebSocket });
    await waitFor('mesh', () => fullMesh([a, b]));
    const closes = closesOf(a);

    sockets.cut();
    await waitFor('relay says b left', () => a.room.snapshot().peers[0]?.signalingId === null);
    // a pinged b's link at peer_left and b answered: checked, not a timer that has yet to fire
    await waitFor('probe answered', () =>
      a.logs.some((l) => l.includes(`${b.room.clientId} left the relay but answers`)),
    );
    await sleep(1500); // past the grace: nothing else may end the link now
    expect(closes).toEqual([]);
    expect(a.room.snapshot().peers).toMatchObject([{ id: b.room.clientId, state: 'direct' }]);
    expect(b.room.snapshot().signaling).toBe('reconnecting');
    const got: string[] = [];
    b.room.onFrame('sync', (f) => got.push(new TextDecoder().decode(f.data)));
    expect(a.room.send(b.room.clientId, { type: 'sync', data: utf8Encode('still here') })).toBe(
      true,
    );
    await waitFor('frame over the link', () => got.includes('still here'));

    sockets.restore();
    await waitFor('b re-announced', () => a.room.snapshot().peers[0]?.signalingId !== null);
    expect(closes).toEqual([]);
    expect(fullMesh([a, b])).toBe(true);
  });

  it("a peer that leaves the relay and goes silent on its link (its bye lost) is dropped, reason 'left'", async () => {
    const { url, roomId } = await startRoom({ prefix: 'silent' });
    const sockets = cuttableSockets();
    const channels = mutableWrtc();
    const aId = makeIdentity();
    // the idle timeout stays at 30 s: only peer_left + the grace may drop b here
    const a = join(url, roomId, 'ann', {
      identity: aId,
      timing: { ...SLOW_DEATH, peerLeftGraceMs: 1000 },
    });
    const b = join(url, roomId, 'bob', {
      identity: identityOrdered(aId.clientId, 'initiator'), // b creates the data channel
      WebSocket: sockets.WebSocket,
      wrtc: channels.wrtc,
      timing: SLOW_DEATH,
    });
    await waitFor('mesh', () => fullMesh([a, b]));
    const closes = closesOf(a);

    // a tab closed without its bye getting out: nothing more on the link, the socket closes
    channels.mute();
    sockets.cut();
    await waitFor('b dropped', () => a.room.snapshot().peers.length === 0);
    expect(closes).toEqual([{ id: b.room.clientId, reason: 'left' }]);
    expect(a.logs.some((l) => l.includes('left the relay and went silent'))).toBe(true);
    expect(a.room.diagnostics().links).toEqual([]);
  });
});
