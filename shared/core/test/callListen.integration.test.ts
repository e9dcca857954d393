/**
 * Node integration, real relay and real WebRTC peers: a listen-only join. Bob has no usable
 * microphone or camera permission (his getUserMedia refuses): he joins Ann's call to listen,
 * which asks nothing of the browser; he receives Ann's video and audio, Ann sees him as
 * listening and gets no media from him. Turning the microphone on while permission is still
 * refused says why and keeps him listening; once allowed, Ann receives his audio (and only
 * audio: no camera was asked for).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { startRelay, type Relay } from './kit/relay';
import { makeRoom, type Room } from '../src/room';
import { makeCall, type Call } from '../src/call/call';
import type { MediaDevicesLike } from '../src/call/media';
import { makeFakeDevices, makeFrameCounter, waitFor } from './kit/callKit';

let server: Relay;
const fake = makeFakeDevices();
const made: { room: Room; call: Call }[] = [];
const counters: { stop(): void }[] = [];

function join(name: string, devices: MediaDevicesLike) {
  const room = makeRoom({
    roomId: 'call-listen',
    name,
    signalingUrl: `ws://127.0.0.1:${server.port}/ws`,
    WebSocket,
    wrtc,
    log: () => {},
  });
  const call = makeCall(room, { devices, statsIntervalMs: 300, log: () => {} });
  made.push({ room, call });
  return { room, call };
}

beforeAll(async () => {
  server = await startRelay();
});

afterAll(async () => {
  for (const c of counters) c.stop();
  fake.stopAll();
  for (const p of made) {
    p.call.destroy();
    p.room.destroy();
  }
  await server?.close();
});

describe('listen-only call', () => {
  it('joins without asking for media, receives everyone, adds the microphone later', async () => {
    const asked: MediaStreamConstraints[] = [];
    let allowed = false;
    const bobDevices: MediaDevicesLike = {
      getUserMedia(c) {
        asked.push(c);
        return allowed
          ? fake.devices.getUserMedia(c)
          : Promise.reject(Object.assign(new Error('denied'), { name: 'NotAllowedError' }));
      },
    };
    const ann = join('Ann', fake.devices);
    const bob = join('Bob', bobDevices);
    await waitFor('linked', () => ann.room.openPeers().length === 1);
    await waitFor('linked back', () => bob.room.openPeers().length === 1);
    await ann.call.start();

    await bob.call.start({ listenOnly: true });
    expect(asked).toEqual([]);
    expect(bob.call.snapshot()).toMatchObject({ phase: 'in_call', error: null });
    expect(bob.call.localStream()).toBeNull();
    const frames = makeFrameCounter(bob.call, ann.room.clientId);
    counters.push(frames);
    await waitFor('Bob receives Ann', () => frames.frames() > 5);
    expect(bob.call.remoteStream(ann.room.clientId)?.getAudioTracks()).toHaveLength(1);
    const bobAtAnn = () => ann.call.snapshot().participants.find((p) => p.id === bob.room.clientId);
    await waitFor('Ann sees Bob listening', () => bobAtAnn()?.listening === true);
    expect(bob.call.snapshot().participants[0]).toMatchObject({ self: true, listening: true });
    expect(ann.call.remoteStream(bob.room.clientId)).toBeNull();

    // the microphone while permission is refused: a reason, still in the call, still listening
    await bob.call.enableMicrophone();
    expect(bob.call.snapshot()).toMatchObject({
      phase: 'in_call',
      error: { code: 'permission_denied' },
    });
    expect(bobAtAnn()?.listening).toBe(true);

    allowed = true;
    await bob.call.enableMicrophone();
    expect(asked.at(-1)).toEqual({ audio: true });
    expect(bob.call.snapshot().error).toBeNull();
    expect(
      bob.call
        .localStream()
        ?.getTracks()
        .map((t) => t.kind),
    ).toEqual(['audio']);
    await waitFor('Ann sees Bob talking', () => bobAtAnn()?.listening === false);
    expect(bobAtAnn()).toMatchObject({ hasAudio: true, hasVideo: false, audioMuted: false });
    await waitFor(
      'Ann receives Bob audio',
      () => ann.call.remoteStream(bob.room.clientId)?.getAudioTracks().length === 1,
    );
    // Ann's media to Bob was never interrupted
    const before = frames.frames();
    await waitFor('more frames at Bob', () => frames.frames() > before + 5);
  });
});
