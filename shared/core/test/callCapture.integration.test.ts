/**
 * Node integration (real relay, five real @roamhq/wrtc peers): with 4 receivers every one of
 * Ann's encoders would send half her camera's size, so the call engine lowers the camera's own
 * capture (capture.ts) and her senders stop scaling; when two leave it restores the capture.
 *
 * Ann's camera is a synthetic device that honours applyConstraints the way a browser camera
 * does: the frames it produces take the constrained size, and getSettings() says so. So the
 * receivers' decoded frames show the capture change end to end. The others use plain
 * @roamhq/wrtc tracks, which have no applyConstraints: their engines decide but skip applying.
 * Ann's asked send caps are recorded at room.media.setEncoding (@roamhq/wrtc rejects every
 * setParameters; that caps reach a browser's encoder is web/e2e/call-mesh.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { startRelay, type Relay } from './kit/relay';
import { makeRoom, type Room } from '../src/room';
import { makeCall, type Call } from '../src/call/call';
import type { MediaDevicesLike } from '../src/call/media';
import type { EncodingLimits } from '../src/call/bitratePolicy';
import { makeFakeDevices } from './kit/callKit';

const { RTCVideoSource, RTCVideoSink } = wrtc.nonstandard;

let server: Relay;
const rooms: Room[] = [];
const calls: Call[] = [];
const timers: ReturnType<typeof setInterval>[] = [];
const sinks: { stop(): void }[] = [];
const fake = makeFakeDevices();

/** every applyConstraints Ann's camera received */
const constrained: MediaTrackConstraints[] = [];

/** a 640x480 camera at 20 fps whose frames follow applyConstraints' width/height maxima/ideals */
const constrainableCamera: MediaDevicesLike = {
  getUserMedia() {
    const source = new RTCVideoSource();
    const track = source.createTrack();
    let size = { width: 640, height: 480, frameRate: 20 };
    const pick = (c: ConstrainULong | ConstrainDouble | undefined, dflt: number) =>
      typeof c === 'object' ? (c.max ?? c.ideal ?? dflt) : (c ?? dflt);
    // the prototype's getSettings is read-only: own properties shadow it
    Object.defineProperties(track, {
      applyConstraints: {
        value: (c: MediaTrackConstraints = {}) => {
          constrained.push(c);
          size = {
            width: pick(c.width, 640),
            height: pick(c.height, 480),
            frameRate: pick(c.frameRate, 20),
          };
          return Promise.resolve();
        },
      },
      getSettings: { value: () => ({ ...size }) },
    });
    timers.push(
      setInterval(() => {
        const { width, height } = size;
        source.onFrame({ width, height, data: new Uint8Array(width * height * 1.5).fill(100) });
      }, 50),
    );
    return Promise.resolve(new wrtc.MediaStream([track]) as MediaStream);
  },
};

/** the caps Ann asked for, by receiver (the last one wins) */
const asked = new Map<string, EncodingLimits>();

function join(name: string, devices: MediaDevicesLike): { room: Room; call: Call } {
  const room = makeRoom({
    roomId: 'call-capture',
    name,
    signalingUrl: `ws://127.0.0.1:${server.port}/ws`,
    WebSocket,
    wrtc,
    log: () => {},
  });
  if (name === 'Ann')
    room.media.setEncoding = (peer, _track, limits) => {
      asked.set(peer, { ...limits });
      return Promise.resolve(true);
    };
  const call = makeCall(room, { devices, statsIntervalMs: 500, log: () => {} });
  rooms.push(room);
  calls.push(call);
  return { room, call };
}

/** the width of the last frame `viewer` decoded of `from`'s camera */
function lastWidth(viewer: Call, from: string): () => number | null {
  let width: number | null = null;
  let watching: MediaStreamTrack | null = null;
  const timer = setInterval(() => {
    const t = viewer.remoteStream(from)?.getVideoTracks()[0] ?? null;
    if (!t || t === watching) return;
    watching = t;
    const sink = new RTCVideoSink(t);
    sink.onframe = ({ frame }: { frame: { width: number } }) => (width = frame.width);
    sinks.push(sink);
  }, 50);
  timers.push(timer);
  return () => width;
}

beforeAll(async () => {
  server = await startRelay();
});

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  for (const s of sinks) s.stop();
  fake.stopAll();
  for (const c of calls) c.destroy();
  for (const r of rooms) r.destroy();
  await server?.close();
});

describe('capture at the source', () => {
  it('with 4 receivers the camera captures half size, restored when two leave', async () => {
    const ann = join('Ann', constrainableCamera);
    const others = ['Bob', 'Cat', 'Dan', 'Eve'].map((n) => join(n, fake.devices));
    const annId = ann.room.clientId;
    await vi.waitFor(() => expect(ann.room.openPeers()).toHaveLength(4), { timeout: 60_000 });
    await ann.call.start();
    const bobSees = lastWidth(others[0]!.call, annId);
    // uncapped while only Bob is in: he gets the full picture
    await others[0]!.call.start();
    await vi.waitFor(() => expect(bobSees()).toBe(640), { timeout: 45_000 });
    expect(ann.call.debug?.capture()).toMatchObject({ wanted: null, applied: null });

    for (const o of others.slice(1)) await o.call.start();
    const half = { width: 320, height: 240, frameRate: 20 };
    await vi.waitFor(
      () => {
        expect(ann.call.snapshot().participants).toHaveLength(5);
        expect(ann.call.debug?.capture()).toEqual({
          wanted: half,
          applied: half,
          native: { width: 640, height: 480, frameRate: 20 },
          supported: true,
        });
      },
      { timeout: 60_000 },
    );
    expect(constrained.at(-1)).toMatchObject({ width: { max: 320 }, height: { max: 240 } });
    // the capture did the halving: each sender sends what it gets, unscaled
    await vi.waitFor(() => {
      for (const o of others) expect(asked.get(o.room.clientId)?.scaleResolutionDownBy).toBe(1);
    });
    await vi.waitFor(() => expect(bobSees()).toBe(320), { timeout: 45_000 });

    // an engine whose camera cannot be constrained (@roamhq/wrtc) decides, and applies nothing
    expect(others[1]!.call.debug?.capture()).toMatchObject({
      wanted: half,
      applied: null,
      supported: false,
    });

    others[2]!.call.leave();
    others[3]!.call.leave();
    await vi.waitFor(
      () => expect(ann.call.debug?.capture()).toMatchObject({ wanted: null, applied: null }),
      { timeout: 45_000 },
    );
    expect(constrained.at(-1)).toEqual({
      width: { ideal: 640 },
      height: { ideal: 480 },
      frameRate: { ideal: 20 },
    });
    await vi.waitFor(() => expect(bobSees()).toBe(640), { timeout: 45_000 });
  }, 180_000);
});
