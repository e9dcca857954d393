/**
 * A light synthetic camera and microphone for the Node participants of `call-mesh --mix`
 * (@roamhq/wrtc nonstandard sources): 160x120 grey frames at 15 fps and a 10 ms tone, so that
 * the five Node peers cost the box little beside the one Chromium participant being measured.
 */
import wrtc from '@roamhq/wrtc';
import type { MediaDevicesLike } from '@peerboard/core/call';

const { RTCVideoSource, RTCAudioSource } = wrtc.nonstandard;

export function makeLightDevices(): { devices: MediaDevicesLike; stopAll(): void } {
  const timers = new Set<ReturnType<typeof setInterval>>();
  const devices: MediaDevicesLike = {
    getUserMedia() {
      const video = new RTCVideoSource();
      const audio = new RTCAudioSource();
      const w = 160;
      const h = 120;
      const luma = new Uint8Array(w * h * 1.5).fill(128);
      const samples = new Int16Array(480).map((_, i) => Math.round(8000 * Math.sin(i / 5)));
      const tracks = [audio.createTrack(), video.createTrack()];
      let tick = 0;
      const timer = setInterval(() => {
        if (tracks.every((t) => t.readyState === 'ended')) {
          clearInterval(timer);
          timers.delete(timer);
          return;
        }
        // audio every 10 ms (what the source expects), a frame every 70 ms (~15 fps), moving
        // a little so the encoder has something to send
        audio.onData({
          samples,
          sampleRate: 48_000,
          bitsPerSample: 16,
          channelCount: 1,
          numberOfFrames: 480,
        });
        if (tick++ % 7 === 0) {
          luma[tick % (w * h)] = tick % 255;
          video.onFrame({ width: w, height: h, data: luma });
        }
      }, 10);
      timers.add(timer);
      return Promise.resolve(new wrtc.MediaStream(tracks) as MediaStream);
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
