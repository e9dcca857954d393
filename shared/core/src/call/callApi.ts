/**
 * What makeCall (call.ts) offers: the call of a room as the app and tests drive it.
 */
import type { Unsubscribe } from '../types';
import type { CaptureState } from './capture';
import type { CallDevices } from './devices';
import type { MediaDevicesLike } from './media';
import type { CallSnapshot } from './snapshot';

export interface CallOptions {
  /** default: navigator.mediaDevices (Node tests pass @roamhq/wrtc tracks) */
  devices?: MediaDevicesLike;
  createAudioContext?: () => AudioContext | null;
  statsIntervalMs?: number;
  now?: () => number;
  log?: (msg: string, data?: unknown) => void;
}

export interface Call {
  snapshot(): CallSnapshot;
  on(event: 'change', fn: (s: CallSnapshot) => void): Unsubscribe;
  /** our audio + camera stream; null when not in the call or listening */
  localStream(): MediaStream | null;
  /** the getDisplayMedia stream while we share our screen, else null */
  localScreen(): MediaStream | null;
  /** a peer's audio + camera stream, null if none arrived */
  remoteStream(peerId: string): MediaStream | null;
  /** a peer's screen stream (the one it announced as its screen), null if none arrived */
  remoteScreen(peerId: string): MediaStream | null;
  /**
   * start a call, or join the one others are in; `listenOnly` joins without camera and
   * microphone (nothing is asked of the browser)
   */
  start(options?: { listenOnly?: boolean }): Promise<void>;
  /** after a listen-only join: ask for the microphone and start sending it */
  enableMicrophone(): Promise<void>;
  leave(): void;
  setMuted(muted: boolean): void;
  setCameraOff(off: boolean): void;
  startScreenShare(): Promise<void>;
  stopScreenShare(): void;
  devices: CallDevices;
  /** tests and benchmarks: what the engine decided beneath the snapshot */
  readonly debug?: { capture(): CaptureState };
  dismissError(): void;
  destroy(): void;
}
