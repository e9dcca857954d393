/**
 * The board's side of image bytes: asks the room (core transfer/imageBlobs.ts) for the hash of
 * every image element it sees, decodes verified bytes into an ImageBitmap once, and tells the
 * renderer when one is ready or known to be missing so it repaints.
 */
import type { ImageElement } from '@peerboard/core/collab';
import type { ImageBlobs } from '@peerboard/core/transfer';
import type { ImageLookup } from '../render/imagePaint';

export interface BoardImages {
  readonly lookup: ImageLookup;
  /** an image element the board shows: fetch its bytes if we lack them */
  track(el: ImageElement): void;
  /** verified bytes (export, clipboard), or null */
  bytes(sha256: string): Uint8Array | null;
  destroy(): void;
}

export function makeBoardImages(o: {
  blobs: ImageBlobs;
  /** something to repaint: a bitmap is ready, or an image is now known to be missing */
  changed(): void;
}): BoardImages {
  const { blobs } = o;
  const bitmaps = new Map<string, ImageBitmap>();
  const mimes = new Map<string, string>();
  const decoding = new Set<string>();
  /** verified bytes the browser could not decode: shown as unavailable */
  const broken = new Set<string>();
  let destroyed = false;

  const decode = (sha256: string): void => {
    if (bitmaps.has(sha256) || decoding.has(sha256) || broken.has(sha256)) return;
    const bytes = blobs.get(sha256);
    if (!bytes) return;
    decoding.add(sha256);
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimes.get(sha256) ?? '' });
    createImageBitmap(blob)
      .then((bitmap) => {
        if (destroyed) return bitmap.close();
        bitmaps.set(sha256, bitmap);
      })
      .catch(() => void broken.add(sha256))
      .finally(() => {
        decoding.delete(sha256);
        if (!destroyed) o.changed();
      });
  };

  const off = blobs.on('change', ({ sha256, status }) => {
    if (!mimes.has(sha256)) return;
    if (status === 'ready') decode(sha256);
    else o.changed();
  });

  return {
    lookup(sha256) {
      const bitmap = bitmaps.get(sha256);
      if (bitmap) return bitmap;
      return broken.has(sha256) || blobs.status(sha256) === 'missing' ? 'missing' : 'loading';
    },
    track(el) {
      if (destroyed) return;
      if (!mimes.has(el.sha256)) mimes.set(el.sha256, el.mime);
      blobs.want(el.sha256);
      if (blobs.status(el.sha256) === 'ready') decode(el.sha256);
    },
    bytes: (sha256) => blobs.get(sha256),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      off();
      for (const b of bitmaps.values()) b.close();
      bitmaps.clear();
    },
  };
}
