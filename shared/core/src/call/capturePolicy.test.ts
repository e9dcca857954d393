import { describe, expect, it } from 'vitest';
import { encodingFor } from './bitratePolicy';
import { captureFor, sameCapture, senderScale } from './capturePolicy';

const VGA = { width: 640, height: 480, frameRate: 30 };
const good = (receivers: number) =>
  Array.from({ length: receivers }, () => encodingFor('camera', receivers, 'good'));

describe('captureFor', () => {
  it('leaves the camera uncapped with nobody to send to, or while someone gets the full picture', () => {
    expect(captureFor(VGA, [])).toEqual({ capture: null, scale: 1 });
    expect(captureFor(VGA, good(1))).toEqual({ capture: null, scale: 1 });
    expect(captureFor(VGA, good(2))).toEqual({ capture: null, scale: 1 });
  });

  it('captures at what every receiver gets from 3 receivers on (4 and more: half size)', () => {
    expect(captureFor(VGA, good(3))).toEqual({
      capture: { width: 426, height: 320, frameRate: 24 },
      scale: 1.5,
    });
    expect(captureFor(VGA, good(4))).toEqual({
      capture: { width: 320, height: 240, frameRate: 20 },
      scale: 2,
    });
    expect(captureFor(VGA, good(5))).toEqual({
      capture: { width: 320, height: 240, frameRate: 15 },
      scale: 2,
    });
  });

  it('follows the receiver that gets the most; a poor link keeps the rest as its own sender scale', () => {
    const wants = [
      ...Array.from({ length: 4 }, () => encodingFor('camera', 5, 'good')),
      encodingFor('camera', 5, 'poor'),
    ];
    const d = captureFor(VGA, wants);
    expect(d).toEqual({ capture: { width: 320, height: 240, frameRate: 15 }, scale: 2 });
    // the poor receiver's encoder asked for 4x of the full picture: 2x of the smaller capture
    expect(senderScale(encodingFor('camera', 5, 'poor').scaleResolutionDownBy, d.scale)).toBe(2);
    expect(senderScale(encodingFor('camera', 5, 'good').scaleResolutionDownBy, d.scale)).toBe(1);
  });

  it('a CPU-limited encoder lowers the capture even for one receiver', () => {
    expect(captureFor(VGA, [encodingFor('camera', 1, 'good', true)])).toEqual({
      capture: { width: 320, height: 240, frameRate: 15 },
      scale: 2,
    });
  });

  it('scales a larger camera by the same factors and never asks for more frames than it gives', () => {
    expect(captureFor({ width: 1280, height: 720, frameRate: 30 }, good(5)).capture).toEqual({
      width: 640,
      height: 360,
      frameRate: 15,
    });
    expect(captureFor({ width: 640, height: 480, frameRate: 15 }, good(5)).capture?.frameRate).toBe(
      15,
    );
    // only the rate is lower: the size stays, the rate goes down
    expect(captureFor(VGA, [{ scaleResolutionDownBy: 1, maxFramerate: 20 }]).capture).toEqual({
      width: 640,
      height: 480,
      frameRate: 20,
    });
  });

  it('keeps sizes even and positive, and ignores a camera without a size', () => {
    expect(captureFor({ width: 642, height: 482, frameRate: 30 }, good(3)).capture).toEqual({
      width: 428,
      height: 322,
      frameRate: 24,
    });
    expect(captureFor({ width: 0, height: 0, frameRate: 30 }, good(5))).toEqual({
      capture: null,
      scale: 1,
    });
  });

  it('sameCapture compares by value', () => {
    expect(sameCapture(null, null)).toBe(true);
    expect(sameCapture({ ...VGA }, { ...VGA })).toBe(true);
    expect(sameCapture(VGA, null)).toBe(false);
    expect(sameCapture(VGA, { ...VGA, frameRate: 15 })).toBe(false);
  });
});
