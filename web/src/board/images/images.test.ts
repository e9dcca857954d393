import { describe, expect, it } from 'vitest';
import { IMAGE_BLOB_MAX_BYTES, IMAGE_INSERT_TARGET_BYTES } from '@peerboard/core/transfer';
import { placeImage } from './placeImage';
import {
  fitWithin,
  IMAGE_MAX_SIDE,
  keepsOriginal,
  prepareImage,
  tooLargeMessage,
  NOT_AN_IMAGE,
  IMAGE_FILE_MAX_BYTES,
} from './prepareImage';

describe('resize policy', () => {
  it('keeps an image that fits, scales the longest side to the cap otherwise', () => {
    expect(fitWithin(800, 600)).toEqual({ w: 800, h: 600 });
    expect(fitWithin(IMAGE_MAX_SIDE, 10)).toEqual({ w: IMAGE_MAX_SIDE, h: 10 });
    expect(fitWithin(4096, 3072)).toEqual({ w: 2048, h: 1536 });
    expect(fitWithin(1000, 8000)).toEqual({ w: 256, h: 2048 });
    // a sliver never becomes zero pixels
    expect(fitWithin(100_000, 3)).toEqual({ w: 2048, h: 1 });
  });

  it('re-encodes when the bytes are over the target or the pixels over the side cap', () => {
    expect(keepsOriginal(IMAGE_INSERT_TARGET_BYTES, 2048, 2048)).toBe(true);
    expect(keepsOriginal(IMAGE_INSERT_TARGET_BYTES + 1, 100, 100)).toBe(false);
    expect(keepsOriginal(1000, 2049, 100)).toBe(false);
  });

  it('says plainly how large and what the limit is', () => {
    expect(tooLargeMessage(30 * 1024 * 1024, IMAGE_FILE_MAX_BYTES)).toBe(
      'This image is too large (30 MB); the limit is 25 MB.',
    );
    expect(tooLargeMessage(2.5 * 1024 * 1024, IMAGE_BLOB_MAX_BYTES)).toBe(
      'This image is too large (2.5 MB); the limit is 2 MB.',
    );
  });

  it('refuses an SVG and a file over the hard cap before decoding anything', async () => {
    const svg = new Blob(['<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'], {
      type: 'image/svg+xml',
    });
    expect(await prepareImage(svg)).toMatchObject({ ok: false, message: NOT_AN_IMAGE });
    const huge = new Blob([new Uint8Array(IMAGE_FILE_MAX_BYTES + 1)], { type: 'image/png' });
    expect(await prepareImage(huge)).toMatchObject({
      ok: false,
      message: 'This image is too large (25 MB); the limit is 25 MB.',
    });
  });
});

describe('placing an inserted image', () => {
  const view = { minX: 0, minY: 0, maxX: 1000, maxY: 500 };
  it('keeps a small image at its natural size, centred on the point', () => {
    expect(placeImage({ w: 100, h: 50 }, { x: 500, y: 250 }, view)).toEqual({
      x: 450,
      y: 225,
      w: 100,
      h: 50,
    });
  });
  it('scales a large image down to 60 % of the view, aspect kept', () => {
    const r = placeImage({ w: 2000, h: 2000 }, { x: 0, y: 0 }, view);
    expect(r.w).toBeCloseTo(300);
    expect(r.h).toBeCloseTo(300);
  });
});
