/**
 * Node integration: makeCall over the real relay and real WebRTC peers (@roamhq/wrtc), with
 * synthetic camera/microphone tracks from wrtc's nonstandard sources standing in for
 * getUserMedia. A starts a call, B and C see it as incoming, B joins: media flows both ways on
 * the existing connections (renegotiation), the data channel keeps working, mute reaches B,
 * a peer entering the room mid-call sees the call, leaving stops the media but keeps the link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { startRelay, type Relay } from './kit/relay';
import { makeRoom, type Room } from '../src/room';
import { makeCall, type Call } from '../src/call/call';
import { makeFakeDevices, makeFrameCounter, waitFor } from './kit/callKit';

interface Peer {
  name: string;
  room: Room;
  call: Call;
}

let server: Relay;
const peers: Peer[] = [];
const fake = makeFakeDevices();
const counters: { stop(): void }[] = [];

function join(name: string): Peer {
  const room = makeRoom({
    roomId: 'call-it',
    name,
    signalingUrl: `ws://127.0.0.1:${server.port}/ws`,
    WebSocket,
    wrtc,
    log: () => {},
  });
  const call = makeCall(room, { devices: fake.devices, statsIntervalMs: 300, log: () => {} });
  const peer = { name, room, call };
  peers.push(peer);
  return peer;
}

/** counts decoded frames of the video track a peer receives from `from` */
function countFrames(p: Peer, from: string): () => number {
  const c = makeFrameCounter(p.call, from);
  counters.push(c);
  return c.frames;
}

beforeAll(async () => {
  server = await startRelay();
});

afterAll(async () => {
  for (const c of counters) c.stop();
  fake.stopAll();
  for (const p of peers) {
    p.call.destroy();
    p.call.destroy(); // idempotent
    p.room.destroy();
  }
  await server?.close();
});

describe('call over real WebRTC peers', () => {
  it('start, incoming, join, media both ways, mute, late room joiner, leave keeps the link', async () => {
    const [a, b, c] = ['Ann', 'Bob', 'Cy'].map(join) as [Peer, Peer, Peer];
    await waitFor('mesh of 3', () => [a, b, c].every((p) => p.room.openPeers().length === 2));
    /** generation of A's link to B: a re-created connection would bump it */
    const genAB = () => a.room.diagnostics().links.find((l) => l.id === b.room.clientId)?.gen;
    const genBefore = genAB();
    expect(genBefore).toBeDefined();

    await a.call.start();
    expect(a.call.snapshot().phase).toBe('in_call');
    await waitFor('incoming at B and C', () =>
      [b, c].every((p) => p.call.snapshot().incoming?.startedByName === 'Ann'),
    );
    expect(b.call.snapshot().incoming?.count).toBe(1);

    const aFromB = countFrames(a, b.room.clientId);
    const bFromA = countFrames(b, a.room.clientId);
    await b.call.start();
    await waitFor('video frames both ways', () => aFromB() > 5 && bFromA() > 5);
    const ids = (p: Peer) => p.call.snapshot().participants.map((x) => x.name);
    expect(ids(a)).toEqual(['You', 'Bob']);
    expect(ids(b)).toEqual(['You', 'Ann']);
    // C is in the room but not in the call: no media was sent to it
    expect(c.call.remoteStream(a.room.clientId)).toBeNull();
    expect(c.call.snapshot().incoming?.count).toBe(2);

    // the data channel still carries frames during the call, on the same links
    let pongs = 0;
    const offPong = b.room.onFrame('pong', () => pongs++);
    await b.room.ping(a.room.clientId);
    offPong();
    expect(pongs).toBeGreaterThan(0);
    expect(genAB()).toBe(genBefore);

    // mute in A: B's view shows it; the sending track is disabled
    a.call.setMuted(true);
    expect(a.call.localStream()?.getAudioTracks()[0]?.enabled).toBe(false);
    await waitFor('B sees Ann muted', () =>
      b.call.snapshot().participants.some((x) => x.name === 'Ann' && x.audioMuted),
    );
    a.call.setCameraOff(true);
    await waitFor('B sees Ann camera off', () =>
      b.call.snapshot().participants.some((x) => x.name === 'Ann' && x.videoOff),
    );

    // quality is measured per peer
    await waitFor('quality sampled', () =>
      a.call.snapshot().participants.some((x) => !x.self && x.quality !== 'unknown'),
    );

    // someone entering the room mid-call sees the call at once
    const d = join('Dee');
    await waitFor('Dee sees the call', () => d.call.snapshot().incoming?.count === 2);

    // B leaves: media stops, the room link stays, A sees B gone
    b.call.leave();
    expect(b.call.localStream()).toBeNull();
    await waitFor('A sees B left', () => a.call.snapshot().participants.length === 1);
    expect(b.call.snapshot().incoming?.startedByName).toBe('Ann');
    expect(b.room.openPeers()).toContain(a.room.clientId);
    expect(await b.room.ping(a.room.clientId)).toBeGreaterThanOrEqual(0);

    // and can join again: fresh tracks are negotiated on the same connection
    // (A's senders to B were paused, not removed: simple-peer cannot re-add a removed track)
    const aFromB2 = countFrames(a, b.room.clientId);
    const bFromA2 = countFrames(b, a.room.clientId);
    const before = bFromA();
    await b.call.start();
    await waitFor('video both ways again', () => aFromB2() > 5 && bFromA2() > 5);
    expect(bFromA()).toBeGreaterThan(before);
    expect(genAB()).toBe(genBefore);
  });
});
