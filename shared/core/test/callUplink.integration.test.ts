/**
 * Node integration (real relay, real @roamhq/wrtc peers): the two directions of one call link are
 * measured apart. Bob's camera sends a frame every two seconds (a starved uplink or encoder on
 * his side), Ann's sends normally. What Ann RECEIVES from Bob is a trickle (her badge for him:
 * poor); what Bob's receiver reports say of what Ann SENDS is fine (uplink: good). The send caps
 * follow the second (call.ts tune()), so Bob's trouble no longer cuts what Ann sends him; before
 * uplink.ts there was only the first view and Ann's caps to Bob fell to the poor budget.
 *
 * @roamhq/wrtc rejects every RTCRtpSender.setParameters, so the caps Ann's call asks for are
 * recorded at room.media.setEncoding (answering as a browser would); that they reach a
 * browser's encoder is web/e2e/call-mesh.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { startRelay, type Relay } from './kit/relay';
import { makeRoom, type Room } from '../src/room';
import { makeCall, type Call } from '../src/call/call';
import { makeQualityMonitor, type QualityMonitor } from '../src/call/qualityMonitor';
import type { MediaDevicesLike } from '../src/call/media';
import { makeFakeDevices } from './kit/callKit';
import { encodingFor, type EncodingLimits } from '../src/call/bitratePolicy';

const { RTCVideoSource } = wrtc.nonstandard;

let server: Relay;
const rooms: Room[] = [];
const calls: Call[] = [];
const timers: ReturnType<typeof setInterval>[] = [];
const fake = makeFakeDevices();
let monitor: QualityMonitor | null = null;

/** a camera only (no microphone, whose bitrate alone would look alive) at 0.5 frames/s */
const trickleCamera: MediaDevicesLike = {
  getUserMedia() {
    const source = new RTCVideoSource();
    const w = 160;
    const h = 120;
    const frame = { width: w, height: h, data: new Uint8Array(w * h * 1.5).fill(90) };
    timers.push(setInterval(() => source.onFrame(frame), 2000));
    return Promise.resolve(new wrtc.MediaStream([source.createTrack()]) as MediaStream);
  },
};

/** the caps each call asked for, by peer id (the last one wins) */
const asked = new Map<string, EncodingLimits>();

function join(name: string, devices: MediaDevicesLike): { room: Room; call: Call } {
  const room = makeRoom({
    roomId: 'call-uplink',
    name,
    signalingUrl: `ws://127.0.0.1:${server.port}/ws`,
    WebSocket,
    wrtc,
    log: () => {},
  });
  room.media.setEncoding = (peer, _track, limits) => {
    if (name === 'Ann') asked.set(peer, { ...limits });
    return Promise.resolve(true);
  };
  const call = makeCall(room, { devices, statsIntervalMs: 300, log: () => {} });
  rooms.push(room);
  calls.push(call);
  return { room, call };
}

beforeAll(async () => {
  server = await startRelay();
});

afterAll(async () => {
  monitor?.destroy();
  for (const t of timers) clearInterval(t);
  fake.stopAll();
  for (const c of calls) c.destroy();
  for (const r of rooms) r.destroy();
  await server?.close();
});

describe('call quality, one direction at a time', () => {
  it("a peer's trickling uplink reads poor on our badge, while its reports of our stream read good", async () => {
    const ann = join('Ann', fake.devices);
    const bob = join('Bob', trickleCamera);
    const bobId = bob.room.clientId;
    await vi.waitFor(() => expect(ann.room.openPeers()).toEqual([bobId]), { timeout: 45_000 });
    await ann.call.start();
    await bob.call.start();
    await vi.waitFor(() => expect(ann.call.snapshot().participants).toHaveLength(2), {
      timeout: 45_000,
    });

    monitor = makeQualityMonitor(ann.room, () => {}, 300);
    monitor.setPeers([{ id: bobId, expectVideo: true }]);
    await vi.waitFor(
      () => {
        expect(monitor!.quality(bobId)).toBe('poor');
        expect(monitor!.uplink(bobId).quality).toBe('good');
      },
      { timeout: 45_000, interval: 300 },
    );
    const up = monitor.uplink(bobId).sample!;
    expect(up.rttMs).not.toBeNull();
    expect(up.lossPct).toBeLessThan(2);
    // through the call: Ann's badge for Bob says poor (what she receives), and what she sends
    // Bob stays at the full one-receiver budget (what he receives)
    const badge = () => ann.call.snapshot().participants.find((p) => p.id === bobId)?.quality;
    await vi.waitFor(
      () => {
        expect(badge()).toBe('poor');
        expect(asked.get(bobId)).toEqual(encodingFor('camera', 1, 'good'));
      },
      { timeout: 45_000, interval: 300 },
    );
  }, 90_000);
});
