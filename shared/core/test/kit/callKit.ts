/**
 * Shared pieces of the call's Node integration tests (real relay, real @roamhq/wrtc peers):
 * synthetic camera/microphone, a decoded-frame counter for what a peer receives, a recording
 * RTCPeerConnection, and polling with a bound. Test-only: nothing in the app imports it.
 */
import wrtc from '@roamhq/wrtc';
import type { Call } from '../../src/call/call';
import type { MediaDevicesLike } from '../../src/call/media';
import { waitFor as waitUntil } from './relay';

const { RTCVideoSource, RTCAudioSource, RTCVideoSink } = wrtc.nonstandard;

export const waitFor = (what: string, cond: () => boolean, timeoutMs = 45_000) =>
  waitUntil(what, cond, timeoutMs);

/** size and frame rate of the synthetic camera; the microphone always sends every 10 ms */
export interface FakeCameraOptions {
  width?: number;
  height?: number;
  /**
   * frames per second (up to 100: the loop ticks every 10 ms), paced by the clock; without it a
   * frame goes with every tick and never changes (what the integration tests were written against)
   */
  fps?: number;
}

/**
 * getUserMedia from synthetic sources. Each call makes new tracks, fed with frames/samples
 * until they are stopped (leaving the call stops them) or `stopAll` runs. With `fps`, a frame
 * every 1000/fps ms, one byte changing per frame so the encoder has something to send
 * (the benchmarks' light participants: web/bench/call-mesh-peer.ts).
 */
export function makeFakeDevices(camera: FakeCameraOptions = {}): {
  devices: MediaDevicesLike;
  stopAll(): void;
} {
  const timers = new Set<ReturnType<typeof setInterval>>();
  const w = camera.width ?? 160;
  const h = camera.height ?? 120;
  const period = camera.fps ? 1000 / camera.fps : 0;
  const devices: MediaDevicesLike = {
    async getUserMedia() {
      const video = new RTCVideoSource();
      const audio = new RTCAudioSource();
      const frame = { width: w, height: h, data: new Uint8Array(w * h * 1.5).fill(128) };
      const samples = new Int16Array(480).map((_, i) => Math.round(8000 * Math.sin(i / 5)));
      const tracks = [audio.createTrack(), video.createTrack()];
      let sent = 0;
      let due = Date.now();
      const timer = setInterval(() => {
        if (tracks.every((t) => t.readyState === 'ended')) {
          clearInterval(timer);
          timers.delete(timer);
          return;
        }
        if (!period) video.onFrame(frame);
        else if (Date.now() >= due) {
          // paced by the clock, not by ticks: on a loaded machine the 10 ms interval slips
          // and a tick count would send fewer frames than asked; a late tick never sends a
          // burst to catch up either
          due = Math.max(due + period, Date.now() - period);
          sent++;
          frame.data[sent % (w * h)] = sent % 255;
          video.onFrame(frame);
        }
        audio.onData({
          samples,
          sampleRate: 48_000,
          bitsPerSample: 16,
          channelCount: 1,
          numberOfFrames: 480,
        });
      }, 10);
      timers.add(timer);
      return new wrtc.MediaStream(tracks) as MediaStream;
    },
  };
  return {
    devices,
    stopAll() {
      for (const t of timers) clearInterval(t);
      timers.clear();
    },
  };
}

/**
 * Counts decoded frames of the video a peer shows for `from`: the first video track of
 * call.remoteStream(from), as a <video> element given that stream would play it. Follows the
 * stream if it changes.
 */
export function makeFrameCounter(call: Call, from: string): { frames(): number; stop(): void } {
  let frames = 0;
  let sink: { stop(): void; onframe: unknown } | null = null;
  let track: MediaStreamTrack | null = null;
  const attach = () => {
    const t = call.remoteStream(from)?.getVideoTracks()[0] ?? null;
    if (!t || t === track) return;
    sink?.stop();
    track = t;
    sink = new RTCVideoSink(t);
    sink.onframe = () => frames++;
  };
  const timer = setInterval(attach, 25);
  attach();
  return {
    frames: () => frames,
    stop() {
      clearInterval(timer);
      sink?.stop();
    },
  };
}

/**
 * wrtc with an RTCPeerConnection that remembers every instance, so a test can read the SDP and
 * transceivers of the connections the room made.
 */
export function makeRecordingWrtc(): { wrtc: typeof wrtc; connections: RTCPeerConnection[] } {
  const connections: RTCPeerConnection[] = [];
  class RecordingPeerConnection extends wrtc.RTCPeerConnection {
    constructor(config?: RTCConfiguration) {
      super(config);
      connections.push(this as unknown as RTCPeerConnection);
    }
  }
  return { wrtc: { ...wrtc, RTCPeerConnection: RecordingPeerConnection }, connections };
}

/** number of m= sections in an SDP */
export const mediaSections = (sdp: string | undefined): number =>
  (sdp ?? '').split('\n').filter((l) => l.startsWith('m=')).length;
