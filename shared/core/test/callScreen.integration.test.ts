/**
 * Node integration, real relay and real WebRTC peers: a screen shared beside the camera. Ann is
 * in a call with camera and microphone and shares a (synthetic, 16:9) screen: Bob receives both
 * videos at once, as two streams (the camera stream keeps the audio), and tells them apart by
 * the stream id Ann announced. When Ann stops, only the screen goes: her camera keeps sending;
 * sharing again needs no new track at Bob (the paused screen sender is resumed).
 *
 * Attack: Mallory, in the same call, announces Bob's camera stream id as her "screen". A
 * screen_stream is only looked up among the streams of the announcing peer's own connection:
 * Ann keeps showing Bob's camera as Bob's, and Mallory gets no screen tile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { startRelay, type Relay } from './kit/relay';
import { makeRoom, type Room } from '../src/room';
import { makeCall, type Call } from '../src/call/call';
import type { MediaDevicesLike } from '../src/call/media';
import { encodeCallControl } from '../src/call/callControl';
import { makeFakeDevices, waitFor } from './kit/callKit';

const { RTCVideoSource, RTCVideoSink } = wrtc.nonstandard;

let server: Relay;
const fake = makeFakeDevices();
const made: { room: Room; call: Call }[] = [];
const stops: (() => void)[] = [];

/** getDisplayMedia: a 320x180 synthetic screen, fed until its track ends */
function withScreen(devices: MediaDevicesLike): MediaDevicesLike {
  return {
    ...devices,
    async getDisplayMedia() {
      const source = new RTCVideoSource();
      const track = source.createTrack();
      const frame = { width: 320, height: 180, data: new Uint8Array(320 * 180 * 1.5).fill(90) };
      const timer = setInterval(() => {
        if (track.readyState === 'ended') clearInterval(timer);
        else source.onFrame(frame);
      }, 20);
      stops.push(() => clearInterval(timer));
      return new wrtc.MediaStream([track]) as MediaStream;
    },
  };
}

/** decoded frames and their last size on a peer's first video track of `stream()` */
function watchVideo(stream: () => MediaStream | null) {
  const seen = { frames: 0, width: 0, height: 0 };
  let track: MediaStreamTrack | null = null;
  let sink: { stop(): void; onframe: unknown } | null = null;
  const timer = setInterval(() => {
    const t = stream()?.getVideoTracks()[0] ?? null;
    if (!t || t === track) return;
    sink?.stop();
    track = t;
    sink = new RTCVideoSink(t);
    sink.onframe = ({ frame }: { frame: { width: number; height: number } }) => {
      seen.frames++;
      seen.width = frame.width;
      seen.height = frame.height;
    };
  }, 25);
  stops.push(() => {
    clearInterval(timer);
    sink?.stop();
  });
  return seen;
}

function join(name: string, devices: MediaDevicesLike, roomId = 'call-screen') {
  const room = makeRoom({
    roomId,
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
  for (const stop of stops) stop();
  fake.stopAll();
  for (const p of made) {
    p.call.destroy();
    p.room.destroy();
  }
  await server?.close();
});

describe('screen share beside the camera', () => {
  it('sends camera and screen at once, tells them apart, and stopping removes only the screen', async () => {
    const ann = join('Ann', withScreen(fake.devices));
    const bob = join('Bob', fake.devices);
    await waitFor('linked', () => ann.room.openPeers().length === 1);
    await waitFor('linked back', () => bob.room.openPeers().length === 1);
    await ann.call.start();
    await bob.call.start();
    const annId = ann.room.clientId;
    const camera = watchVideo(() => bob.call.remoteStream(annId));
    const screen = watchVideo(() => bob.call.remoteScreen(annId));
    await waitFor('Bob sees Ann camera', () => camera.frames > 5);
    expect(bob.call.remoteScreen(annId)).toBeNull();

    await ann.call.startScreenShare();
    expect(ann.call.localScreen()?.getVideoTracks()).toHaveLength(1);
    // our own camera stream is untouched by the share
    expect(ann.call.localStream()?.getVideoTracks()[0]?.readyState).toBe('live');
    const annAtBob = () => bob.call.snapshot().participants.find((p) => p.id === annId);
    await waitFor('Bob receives the screen', () => screen.frames > 5);
    expect(annAtBob()).toMatchObject({ screen: true, hasScreenStream: true, hasStream: true });
    // two streams: the screen's (video only) and the camera's (audio + video), never mixed up
    const screenStream = bob.call.remoteScreen(annId)!;
    const cameraStream = bob.call.remoteStream(annId)!;
    expect(screenStream.id).not.toBe(cameraStream.id);
    expect(screenStream.getTracks().map((t) => t.kind)).toEqual(['video']);
    expect(
      cameraStream
        .getTracks()
        .map((t) => t.kind)
        .sort(),
    ).toEqual(['audio', 'video']);
    expect(screen.width / screen.height).toBeCloseTo(16 / 9, 1);
    expect(camera.width / camera.height).toBeCloseTo(4 / 3, 1);
    // both keep flowing at once
    const [c0, s0] = [camera.frames, screen.frames];
    await waitFor('both videos flow', () => camera.frames > c0 + 5 && screen.frames > s0 + 5);

    ann.call.stopScreenShare();
    await waitFor('Bob sees the share end', () => annAtBob()?.screen === false);
    expect(annAtBob()?.hasScreenStream).toBe(false);
    expect(ann.call.localScreen()).toBeNull();
    const c1 = camera.frames;
    await waitFor('the camera keeps flowing', () => camera.frames > c1 + 10);
    expect(bob.call.remoteStream(annId)).toBe(cameraStream);

    // sharing again resumes the same screen sender: same stream at Bob, frames again
    await ann.call.startScreenShare();
    await waitFor('Bob sees the second share', () => annAtBob()?.hasScreenStream === true);
    expect(bob.call.remoteScreen(annId)).toBe(screenStream);
    const s1 = screen.frames;
    await waitFor('screen frames again', () => screen.frames > s1 + 5);
  });

  it('a member cannot pass another member camera off as its own screen, nor hide it', async () => {
    const ann = join('Ann', fake.devices, 'call-screen-attack');
    const bob = join('Bob', fake.devices, 'call-screen-attack');
    const mallory = join('Mallory', fake.devices, 'call-screen-attack');
    for (const p of [ann, bob, mallory])
      await waitFor('mesh', () => p.room.openPeers().length === 2);
    await ann.call.start();
    await bob.call.start();
    await mallory.call.start({ listenOnly: true });
    const bobId = bob.room.clientId;
    const malloryId = mallory.room.clientId;
    await waitFor('Mallory receives Bob', () => mallory.call.remoteStream(bobId) !== null);
    await waitFor('Ann receives Bob', () => ann.call.remoteStream(bobId) !== null);
    const bobCamera = ann.call.remoteStream(bobId)!;
    // the msid is the same towards everyone: Mallory learns the id of Bob's camera stream
    const stolen = mallory.call.remoteStream(bobId)!.id;
    expect(stolen).toBe(bobCamera.id);

    mallory.room.broadcast({
      type: 'call_control',
      msg: encodeCallControl({
        type: 'call_state',
        inCall: true,
        joinedAt: Date.now(),
        audioMuted: false,
        videoOff: false,
        hasAudio: false,
        hasVideo: false,
        screen: true,
        screenStream: stolen,
      }),
    });
    const malloryAtAnn = () => ann.call.snapshot().participants.find((p) => p.id === malloryId);
    await waitFor('Ann took the claim', () => malloryAtAnn()?.screen === true);
    expect(malloryAtAnn()?.hasScreenStream).toBe(false);
    expect(ann.call.remoteScreen(malloryId)).toBeNull();
    expect(ann.call.remoteScreen(bobId)).toBeNull();
    expect(ann.call.remoteStream(bobId)).toBe(bobCamera);
    expect(ann.call.snapshot().participants.find((p) => p.id === bobId)).toMatchObject({
      hasStream: true,
      screen: false,
    });
  });
});
