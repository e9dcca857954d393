/**
 * A joiner's first screen (core collab/firstScreen.ts) drawn on a canvas of its own over the
 * board's: the same renderer, so the preview's elements look as they will once the board syncs,
 * but nothing here is in the board's scene, so nothing can be hit, selected or edited. The UI
 * greys the canvas; the preview goes when the board syncs or its sender leaves.
 */
import type { BoardElement } from '@peerboard/core/collab';
import type { BoardTheme } from './render/draw';
import { makeBoardRenderer } from './render/renderer';
import type { Viewport } from './viewport';

export interface PreviewLayer {
  /** the elements to show; null or empty clears the canvas */
  show(elements: readonly BoardElement[] | null): void;
  setViewport(v: Viewport): void;
  setTheme(theme: BoardTheme): void;
  /** called after each painted frame that had preview elements in it */
  onFrame(fn: () => void): () => void;
  destroy(): void;
}

export function makePreviewLayer(canvas: HTMLCanvasElement): PreviewLayer {
  const renderer = makeBoardRenderer(canvas);
  let shown = 0;
  const resize = new ResizeObserver(() => {
    const box = canvas.getBoundingClientRect();
    renderer.setSize(box.width, box.height, window.devicePixelRatio || 1);
  });
  resize.observe(canvas);
  let destroyed = false;
  return {
    show(elements) {
      if (destroyed) return;
      shown = elements?.length ?? 0;
      renderer.reset(elements ?? []);
      // drawn at once: the board's SyncStep2 may land before the next animation frame
      renderer.renderNow();
    },
    setViewport: (v) => renderer.setViewport(v),
    setTheme: (t) => renderer.setTheme(t),
    onFrame: (fn) =>
      renderer.onFrame(() => {
        if (shown > 0) fn();
      }),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      resize.disconnect();
      renderer.destroy();
    },
  };
}
