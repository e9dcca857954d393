/**
 * Solid bridge for a joiner's first screen (core collab/firstScreen.ts): tells core the view to
 * ask for (the board's; createSession.ts sets the initial one before the board loads), lets a peer
 * that joins us pick from the board's spatial index, and draws a preview that arrives on its own
 * canvas (board/previewLayer.ts) until the board syncs or its sender leaves.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { FirstScreen } from '@peerboard/core/collab';
import type { Board } from '../board/makeBoard';
import type { BoardTheme } from '../board/render/draw';
import { makePreviewLayer, type PreviewLayer } from '../board/previewLayer';
import { visibleRect, type Viewport } from '../board/viewport';

export interface FirstScreenState {
  /** elements in the preview on screen now (0: none) */
  count: Accessor<number>;
  /** the board is on `canvas`'s sibling: draw previews on `canvas`; returns the undo */
  attach(board: Board, canvas: HTMLCanvasElement, theme: BoardTheme): () => void;
  viewChanged(v: Viewport, width: number, height: number): void;
  setTheme(theme: BoardTheme): void;
}

export function createFirstScreen(
  screen: FirstScreen,
  /** the first painted frame with preview elements in it (the debug hook's timing) */
  onPreviewFrame?: () => void,
): FirstScreenState {
  const [count, setCount] = createSignal(screen.preview()?.elements.length ?? 0);
  let layer: PreviewLayer | null = null;
  const off = screen.onPreview((p) => {
    setCount(p?.elements.length ?? 0);
    layer?.show(p?.elements ?? null);
  });
  onCleanup(off);
  return {
    count,
    attach(board, canvas, theme) {
      screen.setSelect((r) => board.elementsNear(r));
      const l = makePreviewLayer(canvas);
      layer = l;
      l.setTheme(theme);
      l.setViewport(board.viewport());
      let offFrame: (() => void) | null = onPreviewFrame
        ? l.onFrame(() => {
            offFrame?.();
            offFrame = null;
            onPreviewFrame();
          })
        : null;
      l.show(screen.preview()?.elements ?? null);
      return () => {
        offFrame?.();
        screen.setSelect(null);
        l.destroy();
        if (layer === l) layer = null;
      };
    },
    viewChanged(v, width, height) {
      if (width > 0 && height > 0) screen.setView(visibleRect(v, width, height));
      layer?.setViewport(v);
    },
    setTheme: (t) => layer?.setTheme(t),
  };
}
