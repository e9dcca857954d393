/**
 * Capture at the source: in a mesh every receiver has its own encoder, and each of them scales
 * its own copy of the full camera picture down to what bitratePolicy.ts allows that receiver.
 * With many receivers (or a CPU-limited encoder) every receiver gets less than the camera
 * captures, so the camera itself can capture at the largest size (and rate) any receiver still
 * gets: the capture, N scalers and N encoders then all handle the smaller picture, and each
 * sender's scaleResolutionDownBy keeps only what differs per receiver (a poor link).
 *
 * Pure: (what the camera gives uncapped, what each receiver's encoder may send) -> the capture
 * constraints, or null for "capture uncapped" (no receivers, or someone gets the full picture).
 * Screens never come here (bitrateTuner.ts): their text needs every pixel they have.
 */
import type { EncodingLimits } from './bitratePolicy';

export interface CaptureLimits {
  width: number;
  height: number;
  frameRate: number;
}

export interface CaptureDecision {
  /** null = capture as the camera does uncapped (restore) */
  capture: CaptureLimits | null;
  /** how much smaller than uncapped the capture is (>= 1); senders divide their scale by it */
  scale: number;
}

const UNCAPPED: CaptureDecision = { capture: null, scale: 1 };

/** even sizes: most encoders work in 2x2 chroma blocks and would crop an odd pixel anyway */
const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

export function captureFor(
  native: CaptureLimits,
  wants: readonly Pick<EncodingLimits, 'scaleResolutionDownBy' | 'maxFramerate'>[],
): CaptureDecision {
  if (wants.length === 0 || native.width <= 0 || native.height <= 0) return UNCAPPED;
  const scale = Math.max(1, Math.min(...wants.map((w) => w.scaleResolutionDownBy)));
  const frameRate = Math.min(native.frameRate, Math.max(...wants.map((w) => w.maxFramerate)));
  if (scale === 1 && frameRate >= native.frameRate) return UNCAPPED;
  return {
    capture: {
      width: even(native.width / scale),
      height: even(native.height / scale),
      frameRate,
    },
    scale,
  };
}

/** the scale a sender still applies on top of a capture already `captureScale` smaller */
export const senderScale = (want: number, captureScale: number): number =>
  Math.max(1, want / captureScale);

export const sameCapture = (a: CaptureLimits | null, b: CaptureLimits | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.width === b.width &&
    a.height === b.height &&
    a.frameRate === b.frameRate);
