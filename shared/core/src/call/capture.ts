/**
 * The track side of capturePolicy.ts: constrains our camera track (applyConstraints) to the
 * size and rate the policy asks for, and back to what it captured uncapped when the receivers
 * no longer need less. The only place that constrains the camera; bitrateTuner.ts asks it on
 * every update and divides each sender's scaleResolutionDownBy by the scale it reports, which
 * is the scale actually in effect (an applyConstraints still under way counts as not applied:
 * until it resolves the senders keep scaling the full picture themselves).
 *
 * Tracks without applyConstraints (@roamhq/wrtc in Node) or without readable settings are left
 * as they are: the decision is still made and visible in state(), nothing is applied.
 */
import { captureFor, sameCapture, type CaptureDecision, type CaptureLimits } from './capturePolicy';
import type { EncodingLimits } from './bitratePolicy';

export interface CaptureState {
  /** what the policy asks of the camera now; null = uncapped (or no camera) */
  wanted: CaptureLimits | null;
  /** what the camera track is constrained to now; null = uncapped */
  applied: CaptureLimits | null;
  /** what the camera captured before we constrained it; null without a camera or settings */
  native: CaptureLimits | null;
  /** false when the track cannot be constrained (no applyConstraints) */
  supported: boolean;
}

export interface CameraCapture {
  /**
   * Our camera track (null: none) and what each receiver's encoder may send of it. Returns the
   * capture scale in effect on the track now (1 = uncapped).
   */
  update(
    track: MediaStreamTrack | null,
    wants: readonly Pick<EncodingLimits, 'scaleResolutionDownBy' | 'maxFramerate'>[],
  ): number;
  state(): CaptureState;
  destroy(): void;
}

const UNCAPPED: CaptureDecision = { capture: null, scale: 1 };

function nativeOf(track: MediaStreamTrack): CaptureLimits | null {
  if (typeof track.getSettings !== 'function') return null;
  const s = track.getSettings();
  if (!s.width || !s.height) return null;
  return { width: s.width, height: s.height, frameRate: s.frameRate || 30 };
}

/** `max` makes the browser scale the frames down; `ideal` alone may keep the larger format */
const constraintsFor = (c: CaptureLimits, exactMax: boolean): MediaTrackConstraints =>
  exactMax
    ? {
        width: { ideal: c.width, max: c.width },
        height: { ideal: c.height, max: c.height },
        frameRate: { ideal: c.frameRate, max: c.frameRate },
      }
    : { width: { ideal: c.width }, height: { ideal: c.height }, frameRate: { ideal: c.frameRate } };

export function makeCameraCapture(
  onApplied: () => void,
  log: (msg: string, data?: unknown) => void = () => {},
): CameraCapture {
  let track: MediaStreamTrack | null = null;
  let native: CaptureLimits | null = null;
  let applied: CaptureDecision = UNCAPPED;
  let wanted: CaptureLimits | null = null;
  let busy = false;
  /** a capture the browser refused: not asked again until the wish changes */
  let refused: CaptureLimits | null | undefined;
  let destroyed = false;

  const supported = () =>
    track !== null && native !== null && typeof track.applyConstraints === 'function';

  return {
    update(next, wants) {
      if (destroyed) return 1;
      if (next !== track) {
        // a new camera (device switch, rejoin) starts uncapped; the old one is stopped by its owner
        track = next;
        native = next ? nativeOf(next) : null;
        applied = UNCAPPED;
        busy = false;
        refused = undefined;
      }
      const decision = native ? captureFor(native, wants) : UNCAPPED;
      wanted = decision.capture;
      if (!track || !native || !supported()) return 1;
      if (busy || sameCapture(applied.capture, decision.capture)) return applied.scale;
      if (refused !== undefined && sameCapture(refused, decision.capture)) return applied.scale;
      const on = track;
      busy = true;
      on.applyConstraints(
        constraintsFor(decision.capture ?? native, decision.capture !== null),
      ).then(
        () => {
          if (destroyed || track !== on) return;
          busy = false;
          applied = decision;
          onApplied();
        },
        (e: unknown) => {
          if (destroyed || track !== on) return;
          busy = false;
          refused = decision.capture;
          log('the camera refused a smaller capture; the senders scale it instead', e);
        },
      );
      return applied.scale;
    },
    state: () => ({ wanted, applied: applied.capture, native, supported: supported() }),
    destroy() {
      destroyed = true;
      track = null;
    },
  };
}
