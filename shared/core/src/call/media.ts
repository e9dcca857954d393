/**
 * Getting the local camera/microphone: audio+video first, audio only when there is no usable
 * camera, and every failure turned into a plain-language CallError. `MediaDevicesLike` is the
 * seam that lets Node tests hand in @roamhq/wrtc tracks instead of navigator.mediaDevices.
 */
import { err, ok, type Result } from '@peerboard/protocol';
import type { CallError } from './callState';

export interface MediaDevicesLike {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  getDisplayMedia?(options?: DisplayMediaStreamOptions): Promise<MediaStream>;
  enumerateDevices?(): Promise<MediaDeviceInfo[]>;
  addEventListener?(type: 'devicechange', fn: () => void): void;
  removeEventListener?(type: 'devicechange', fn: () => void): void;
}

export interface DeviceChoice {
  audioInputId?: string | null;
  videoInputId?: string | null;
}

const errorName = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string'
    ? (e as { name: string }).name
    : '';

/** DOMException names from getUserMedia/getDisplayMedia -> what the person can do about it. */
export function describeMediaError(e: unknown, what: 'call' | 'screen' = 'call'): CallError {
  const name = errorName(e);
  if (what === 'screen') {
    if (name === 'NotAllowedError' || name === 'AbortError')
      return { code: 'screen_failed', message: 'Screen sharing was cancelled.' };
    return {
      code: 'screen_failed',
      message: 'Your screen could not be shared. Try again, or pick a single window.',
    };
  }
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return {
        code: 'permission_denied',
        message:
          'Peerboard is not allowed to use your microphone or camera. Allow them for this site ' +
          "(the camera icon in the browser's address bar), then start the call again.",
      };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return {
        code: 'no_devices',
        message: 'No microphone or camera was found. Plug one in, then start the call again.',
      };
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return {
        code: 'device_busy',
        message:
          'Your microphone or camera is in use by another app or could not be started. ' +
          'Close the other app, then try again.',
      };
    case 'TypeError':
      return {
        code: 'unsupported',
        message: 'This browser cannot make calls here. Try a current Chrome, Edge or Firefox.',
      };
    default:
      return { code: 'unknown', message: 'The call could not start. Please try again.' };
  }
}

/** navigator.mediaDevices, or an error that explains why it is missing (http:, old browser). */
export function browserMediaDevices(): Result<MediaDevicesLike, 'ERR_NO_MEDIA'> {
  const nav = (globalThis as { navigator?: { mediaDevices?: MediaDevicesLike } }).navigator;
  if (nav?.mediaDevices?.getUserMedia) return ok(nav.mediaDevices);
  const secure = (globalThis as { isSecureContext?: boolean }).isSecureContext;
  return err(
    'ERR_NO_MEDIA',
    secure === false
      ? 'Calls need a secure (https) page. Open the room over https and try again.'
      : 'This browser cannot make calls. Try a current Chrome, Edge or Firefox.',
  );
}

const constraint = (id: string | null | undefined): MediaTrackConstraints | true =>
  id ? { deviceId: { exact: id } } : true;

const isMissingDevice = (e: unknown) =>
  ['NotFoundError', 'DevicesNotFoundError', 'OverconstrainedError', 'NotReadableError'].includes(
    errorName(e),
  );

export interface AcquiredMedia {
  stream: MediaStream;
  /** why the stream is not what was asked for (audio only), null when it is */
  notice: string | null;
}

/** Audio+video; on a missing or unusable camera, audio only with a notice. */
export async function acquireCallMedia(
  md: MediaDevicesLike,
  choice: DeviceChoice = {},
): Promise<Result<AcquiredMedia, CallError['code']>> {
  const audio = constraint(choice.audioInputId);
  try {
    const stream = await md.getUserMedia({ audio, video: constraint(choice.videoInputId) });
    return ok({ stream, notice: null });
  } catch (first) {
    if (!isMissingDevice(first)) {
      const error = describeMediaError(first);
      return err(error.code, error.message);
    }
    try {
      const stream = await md.getUserMedia({ audio, video: false });
      return ok({ stream, notice: 'No camera is available, so you joined with audio only.' });
    } catch (second) {
      const error = describeMediaError(second);
      return err(error.code, error.message);
    }
  }
}

/**
 * The microphone alone (a listen-only join turning it on): the track (null if the browser gave
 * none), or the error to show.
 */
export async function acquireMicrophone(
  md: MediaDevicesLike,
  audioInputId: string | null | undefined,
): Promise<Result<{ track: MediaStreamTrack | null; stream: MediaStream }, CallError['code']>> {
  let got: MediaStream;
  try {
    got = await md.getUserMedia({ audio: constraint(audioInputId) });
  } catch (e) {
    const error = describeMediaError(e);
    return err(error.code, error.message);
  }
  const track = got.getAudioTracks()[0];
  for (const t of got.getTracks()) if (t !== track) t.stop(); // audio was all we asked for
  return ok({ track: track ?? null, stream: got });
}

/**
 * A screen, window or tab, sized for reading text: full resolution, few frames (a slide or code
 * changes rarely), marked `detail` so the encoder keeps text sharp and drops frames rather than
 * resolution (and bitrateTuner.sendKind treats it as a screen). The track is null (and the
 * stream stopped) if the browser gave no video.
 */
export async function acquireScreen(
  md: MediaDevicesLike,
): Promise<Result<{ track: MediaStreamTrack | null; stream: MediaStream }, CallError['code']>> {
  let shared: MediaStream;
  try {
    if (!md.getDisplayMedia) throw new TypeError('getDisplayMedia is not available');
    shared = await md.getDisplayMedia({
      video: { width: { ideal: 1920 }, height: { ideal: 1080 }, frameRate: { ideal: 15 } },
      audio: false,
    });
  } catch (e) {
    const error = describeMediaError(e, 'screen');
    return err(error.code, error.message);
  }
  const track = shared.getVideoTracks()[0];
  if (!track) {
    for (const t of shared.getTracks()) t.stop();
    return ok({ track: null, stream: shared });
  }
  if ('contentHint' in track) track.contentHint = 'detail';
  return ok({ track, stream: shared });
}
