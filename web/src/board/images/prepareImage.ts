/**
 * An image on its way onto the board: checked to be a raster type, decoded, scaled down to
 * IMAGE_MAX_SIDE and re-encoded (WebP, else JPEG) when it is larger than the insert target, so
 * what every peer fetches and keeps stays small. Over the caps it says so in plain words.
 */
import { err, ok, type Result } from '@peerboard/protocol';
import { isImageMime, type ImageMime } from '@peerboard/core/collab';
import {
  IMAGE_BLOB_MAX_BYTES,
  IMAGE_INSERT_TARGET_BYTES,
  sniffImageMime,
} from '@peerboard/core/transfer';

/** longest side, in pixels, of an image put on the board */
export const IMAGE_MAX_SIDE = 2048;
/** a file larger than this is not even decoded */
export const IMAGE_FILE_MAX_BYTES = 25 * 1024 * 1024;

export interface PreparedImage {
  bytes: Uint8Array;
  mime: ImageMime;
  width: number;
  height: number;
}

const mb = (n: number): string => {
  const v = n / (1024 * 1024);
  return v >= 10 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
};

/** The size an image of w x h gets: the same, or scaled so its longest side is `max`. */
export function fitWithin(w: number, h: number, max = IMAGE_MAX_SIDE): { w: number; h: number } {
  const long = Math.max(w, h);
  if (long <= max) return { w, h };
  const s = max / long;
  return { w: Math.max(1, Math.round(w * s)), h: Math.max(1, Math.round(h * s)) };
}

/**
 * Whether the original bytes can go on the board as they are: small enough, not too many
 * pixels. Otherwise they are drawn at `fitWithin` size and encoded again.
 */
export const keepsOriginal = (size: number, w: number, h: number): boolean =>
  size <= IMAGE_INSERT_TARGET_BYTES && Math.max(w, h) <= IMAGE_MAX_SIDE;

export const tooLargeMessage = (size: number, limit: number): string =>
  `This image is too large (${mb(size)} MB); the limit is ${mb(limit)} MB.`;

export const NOT_AN_IMAGE =
  'Only PNG, JPEG, WebP and GIF images can go on the board. Save it in one of those formats and try again.';

type Canvas = OffscreenCanvas | HTMLCanvasElement;

function canvasOf(w: number, h: number): Canvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

function encode(c: Canvas, type: string, quality: number): Promise<Blob | null> {
  if ('convertToBlob' in c) return c.convertToBlob({ type, quality }).catch(() => null);
  return new Promise((resolve) => c.toBlob(resolve, type, quality));
}

export async function prepareImage(file: Blob): Promise<Result<PreparedImage, 'ERR_IMAGE'>> {
  if (file.size > IMAGE_FILE_MAX_BYTES)
    return err('ERR_IMAGE', tooLargeMessage(file.size, IMAGE_FILE_MAX_BYTES));
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const sniffed = sniffImageMime(head);
  if (!sniffed || (file.type !== '' && !isImageMime(file.type)))
    return err('ERR_IMAGE', NOT_AN_IMAGE);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return err('ERR_IMAGE', 'This image could not be read: the file may be damaged.');
  }
  try {
    const { width, height } = bitmap;
    if (keepsOriginal(file.size, width, height))
      return ok({ bytes: new Uint8Array(await file.arrayBuffer()), mime: sniffed, width, height });
    const size = fitWithin(width, height);
    const c = canvasOf(size.w, size.h);
    const ctx = c.getContext('2d') as CanvasRenderingContext2D | null;
    if (!ctx) return err('ERR_IMAGE', 'This browser could not resize the image.');
    ctx.drawImage(bitmap, 0, 0, size.w, size.h);
    let best: Blob | null = null;
    // WebP keeps transparency; JPEG where the browser cannot write WebP
    for (const [type, q] of [
      ['image/webp', 0.85],
      ['image/webp', 0.7],
      ['image/jpeg', 0.8],
      ['image/jpeg', 0.6],
    ] as const) {
      const blob = await encode(c, type, q);
      if (!blob || blob.type !== type) continue;
      if (!best || blob.size < best.size) best = blob;
      if (blob.size <= IMAGE_INSERT_TARGET_BYTES) break;
    }
    if (!best) return err('ERR_IMAGE', 'This browser could not compress the image.');
    if (best.size > IMAGE_BLOB_MAX_BYTES)
      return err('ERR_IMAGE', tooLargeMessage(best.size, IMAGE_BLOB_MAX_BYTES));
    const bytes = new Uint8Array(await best.arrayBuffer());
    return ok({
      bytes,
      mime: sniffImageMime(bytes) ?? 'image/jpeg',
      width: size.w,
      height: size.h,
    });
  } finally {
    bitmap.close();
  }
}
