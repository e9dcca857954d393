/**
 * Drafts: the frame that first shows a board that arrives paints its strokes without an outline
 * yet as polylines at the pen's width (lod.ts, draftLine.ts), and paints them again exactly once their
 * outlines are built. Building perfect-freehand outlines was about half of that frame (~50 of
 * ~90 ms: 10,000 strokes, ~300 in view; BENCHMARKS.md).
 *
 * The outlines of what the view shows are built in short tasks right after the frame that
 * drafted, and in idle time: other idle work queued by the same arrival (IndexedDB storing the
 * board) would otherwise come first and leave the draft on screen for longer.
 */
import type { StrokeElement } from '@peerboard/core/collab';
import type { BoardTheme } from './draw';
import { paintDraftStroke } from './lod';

/** the longest task building drafts' outlines: input waits no longer than this */
const REFINE_SLICE_MS = 8;

export interface Drafts {
  /** the next frame paints the strokes of a board that arrives as drafts */
  arm(): void;
  /** may this frame paint a stroke without an outline yet as a draft? */
  readonly armed: boolean;
  /** the frame is painted: later frames paint exactly */
  frameDone(): void;
  paint(c: CanvasRenderingContext2D, el: StrokeElement, scale: number, theme: BoardTheme): void;
  /** drafts on screen, not painted again exactly yet */
  readonly pending: boolean;
  /** strokes painted as drafts so far */
  readonly count: number;
  /** build outlines while `more()`; true once the drafts are painted again (or there were none) */
  refine(more: () => boolean): boolean;
  destroy(): void;
}

/**
 * `warmView(more)` builds the outlines of what the view shows while `more()` (true when all are
 * built); `repaint()` asks for the exact repaint.
 */
export function makeDrafts(
  warmView: (more: () => boolean) => boolean,
  repaint: () => void,
): Drafts {
  let armed = false;
  let pending = false;
  let count = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const refine = (more: () => boolean): boolean => {
    if (!pending) return true;
    if (!warmView(more)) return false;
    pending = false;
    repaint();
    return true;
  };

  const refineSoon = (): void => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      const until = performance.now() + REFINE_SLICE_MS;
      if (!refine(() => performance.now() < until)) refineSoon();
    });
  };

  return {
    arm: () => void (armed = true),
    get armed() {
      return armed;
    },
    frameDone: () => void (armed = false),
    paint(c, el, scale, theme) {
      paintDraftStroke(c, el, scale, theme);
      count++;
      pending = true;
      refineSoon();
    },
    get pending() {
      return pending;
    },
    get count() {
      return count;
    },
    refine,
    destroy() {
      clearTimeout(timer);
      pending = false;
    },
  };
}
