/**
 * Device picker for the call: lists microphones and cameras (enumerateDevices, refreshed on
 * `devicechange` and after permission is granted, since labels are empty before), remembers the
 * choice for the next start, and during a call opens the chosen device and hands the new track
 * to makeCall, which swaps it in on every peer with replaceTrack (no renegotiation).
 */
import type { MediaDevicesLike } from './media';

export interface DeviceOption {
  id: string;
  label: string;
}

export interface DeviceState {
  audioInputs: DeviceOption[];
  videoInputs: DeviceOption[];
  /** the device in use (or chosen for the next start); null = browser default */
  audioInputId: string | null;
  videoInputId: string | null;
}

export interface CallDevices {
  state(): DeviceState;
  choice(): { audioInputId: string | null; videoInputId: string | null };
  refresh(): Promise<void>;
  select(kind: 'audio' | 'video', deviceId: string): Promise<boolean>;
  destroy(): void;
}

export interface DevicesDeps {
  md: () => MediaDevicesLike | null;
  current: () => { audio: MediaStreamTrack | null; video: MediaStreamTrack | null };
  /** replace the live track of `kind` with `next`; false when not in a call */
  swap: (kind: 'audio' | 'video', next: MediaStreamTrack) => boolean;
  onChange: () => void;
  log: (msg: string, data?: unknown) => void;
}

const trackDeviceId = (t: MediaStreamTrack | null): string | null =>
  (t && typeof t.getSettings === 'function' ? t.getSettings().deviceId : undefined) ?? null;

export function makeCallDevices(deps: DevicesDeps): CallDevices {
  let list: MediaDeviceInfo[] = [];
  const chosen: { audio: string | null; video: string | null } = { audio: null, video: null };
  let destroyed = false;

  const options = (kind: MediaDeviceKind, noun: string): DeviceOption[] =>
    list
      .filter((d) => d.kind === kind && d.deviceId !== '')
      .map((d, i) => ({ id: d.deviceId, label: d.label || `${noun} ${i + 1}` }));

  const refresh = async () => {
    const api = deps.md();
    if (!api?.enumerateDevices || destroyed) return;
    try {
      list = await api.enumerateDevices();
    } catch (e) {
      deps.log('enumerateDevices failed', e);
      return;
    }
    if (!destroyed) deps.onChange();
  };
  const onDeviceChange = () => void refresh();
  deps.md()?.addEventListener?.('devicechange', onDeviceChange);
  void refresh();

  return {
    state() {
      const cur = deps.current();
      return {
        audioInputs: options('audioinput', 'Microphone'),
        videoInputs: options('videoinput', 'Camera'),
        audioInputId: trackDeviceId(cur.audio) ?? chosen.audio,
        videoInputId: trackDeviceId(cur.video) ?? chosen.video,
      };
    },
    choice: () => ({ audioInputId: chosen.audio, videoInputId: chosen.video }),
    refresh,
    async select(kind, deviceId) {
      chosen[kind] = deviceId;
      const api = deps.md();
      const live = deps.current()[kind];
      if (!api || !live || trackDeviceId(live) === deviceId) {
        deps.onChange();
        return true;
      }
      try {
        const constraints = { deviceId: { exact: deviceId } };
        const s = await api.getUserMedia(
          kind === 'audio' ? { audio: constraints } : { video: constraints },
        );
        const track = (kind === 'audio' ? s.getAudioTracks() : s.getVideoTracks())[0];
        if (!track) return false;
        if (destroyed || !deps.swap(kind, track)) {
          track.stop();
          return false;
        }
        return true;
      } catch (e) {
        deps.log(`switching ${kind} device failed`, e);
        deps.onChange();
        return false;
      }
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      deps.md()?.removeEventListener?.('devicechange', onDeviceChange);
    },
  };
}
