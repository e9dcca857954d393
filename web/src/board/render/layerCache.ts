/**
 * The static layer: the board's elements painted into a bitmap a margin larger than the view.
 * A pan frame is one drawImage of it. When the view leaves the bitmap, its pixels are shifted by
 * whole device pixels (so they line up exactly with fresh paint) and only the exposed strips are
 * painted. After a full repaint only the visible part is painted at once; the margin follows in
 * idle time (`complete()`), or at the latest when a pan needs it.
 *
 * Regions are whole-pixel rectangles that tile the bitmap without overlap, each clipped, so an
 * element crossing a border is rasterised identically on both sides: no seams, no double alpha.
 */
import type { Rect } from '../geometry';
import type { Viewport } from '../viewport';
import { grownBy, growTo, regionContains, shiftRegion, type Region } from './layerRegions';

export interface LayerFrame {
  canvas: HTMLCanvasElement;
  /** device-pixel position of the layer's top-left corner on the visible canvas */
  dx: number;
  dy: number;
}

export interface LayerCache {
  /** a layer covering `view` at content version `version`, painting whatever is missing */
  prepare(view: Viewport, cssW: number, cssH: number, dpr: number, version: number): LayerFrame;
  /**
   * Paint what is missing of the margin, a band at a time while `more()` says there is time
   * (everything when absent); true when the whole bitmap is now valid.
   */
  complete(more?: () => boolean): boolean;
  /** the world rectangle the bitmap covers, null before the first paint */
  world(): Rect | null;
  readonly counts: { full: number; strips: number; margins: number };
  /** drop the bitmap (a resize, a new theme) */
  reset(): void;
  destroy(): void;
}

interface LayerState {
  /** world point at the bitmap's top-left pixel */
  x: number;
  y: number;
  zoom: number;
  dpr: number;
  version: number;
  /** the bitmap's valid pixels: the visible part first, the margin grows in idle time */
  painted: Region;
}

/** device px the margin grows by per idle step: a few ms of painting, not a whole frame */
const BAND = 48;

export function makeLayerCache(
  paint: (c: CanvasRenderingContext2D, world: Rect) => void,
  marginCss: number,
): LayerCache {
  let front = document.createElement('canvas');
  let back = document.createElement('canvas');
  let state: LayerState | null = null;
  const counts = { full: 0, strips: 0, margins: 0 };

  const paintRegions = (
    c: CanvasRenderingContext2D,
    s: LayerState,
    regions: readonly Region[],
  ): void => {
    const scale = s.zoom * s.dpr;
    for (const [px, py, pw, ph] of regions) {
      if (pw <= 0 || ph <= 0) continue;
      c.save();
      c.setTransform(1, 0, 0, 1, 0, 0);
      c.beginPath();
      c.rect(px, py, pw, ph);
      c.clip();
      c.setTransform(scale, 0, 0, scale, -s.x * scale, -s.y * scale);
      paint(c, {
        minX: s.x + px / scale,
        minY: s.y + py / scale,
        maxX: s.x + (px + pw) / scale,
        maxY: s.y + (py + ph) / scale,
      });
      c.restore();
    }
  };

  /** make `target` (bitmap pixels) valid, painting only what is not yet */
  const cover = (s: LayerState, target: Region): void => {
    const next = growTo(s.painted, target);
    paintRegions(front.getContext('2d')!, s, next.paint);
    s.painted = next.painted;
  };

  const isComplete = (s: LayerState): boolean =>
    s.painted[0] === 0 &&
    s.painted[1] === 0 &&
    s.painted[2] === front.width &&
    s.painted[3] === front.height;

  const complete = (more?: () => boolean): boolean => {
    const s = state;
    if (!s) return true;
    if (isComplete(s)) return true;
    do {
      cover(
        s,
        more
          ? grownBy(s.painted, BAND, front.width, front.height)
          : [0, 0, front.width, front.height],
      );
    } while (!isComplete(s) && more?.());
    counts.margins++;
    return isComplete(s);
  };

  const full = (view: Viewport, cssW: number, cssH: number, dpr: number, version: number) => {
    const margin = Math.round(marginCss * dpr);
    const vw = Math.ceil(cssW * dpr);
    const vh = Math.ceil(cssH * dpr);
    const w = vw + 2 * margin;
    const h = vh + 2 * margin;
    if (front.width !== w || front.height !== h) {
      front.width = w;
      front.height = h;
    }
    const c = front.getContext('2d')!;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.clearRect(0, 0, w, h);
    const scale = view.zoom * dpr;
    const visible: Region = [margin, margin, vw, vh];
    state = {
      x: view.x - margin / scale,
      y: view.y - margin / scale,
      zoom: view.zoom,
      dpr,
      version,
      painted: visible,
    };
    paintRegions(c, state, [visible]);
    counts.full++;
  };

  /**
   * Re-centre the bitmap on the view: shift the valid pixels by whole device pixels and paint
   * only what the view needs of the exposed part; the rest of the margin follows in idle time.
   */
  const scroll = (view: Viewport, vw: number, vh: number): boolean => {
    const s = state!;
    const scale = s.zoom * s.dpr;
    const margin = Math.round(marginCss * s.dpr);
    const shiftX = Math.round((view.x - s.x) * scale) - margin;
    const shiftY = Math.round((view.y - s.y) * scale) - margin;
    const w = front.width;
    const h = front.height;
    const painted = shiftRegion(s.painted, shiftX, shiftY, w, h);
    if (painted === null) return false;
    if (back.width !== w || back.height !== h) {
      back.width = w;
      back.height = h;
    }
    const c = back.getContext('2d')!;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.clearRect(0, 0, w, h);
    c.drawImage(front, -shiftX, -shiftY);
    [front, back] = [back, front];
    state = { ...s, x: s.x + shiftX / scale, y: s.y + shiftY / scale, painted };
    cover(state, [margin, margin, vw, vh]);
    counts.strips++;
    return true;
  };

  return {
    prepare(view, cssW, cssH, dpr, version) {
      const margin = Math.round(marginCss * dpr);
      const vw = Math.ceil(cssW * dpr);
      const vh = Math.ceil(cssH * dpr);
      const w = vw + 2 * margin;
      const h = vh + 2 * margin;
      if (
        !state ||
        state.zoom !== view.zoom ||
        state.dpr !== dpr ||
        state.version !== version ||
        front.width !== w ||
        front.height !== h
      ) {
        full(view, cssW, cssH, dpr, version);
      } else {
        const scale = state.zoom * dpr;
        const ox = Math.round((view.x - state.x) * scale);
        const oy = Math.round((view.y - state.y) * scale);
        const inLayer = ox >= 0 && oy >= 0 && ox + vw <= w && oy + vh <= h;
        if (!inLayer) {
          if (!scroll(view, vw, vh)) full(view, cssW, cssH, dpr, version);
        } else if (Math.abs(ox - margin) > margin / 4 || Math.abs(oy - margin) > margin / 4) {
          // re-centre early: many thin strips cost less per frame than one wide one
          scroll(view, vw, vh);
        } else if (!regionContains(state.painted, [ox, oy, vw, vh])) {
          cover(state, [ox, oy, vw, vh]);
        }
      }
      const s = state!;
      const scale = s.zoom * dpr;
      // the same rounding as the coverage check above, so the blit never shows an unpainted edge
      return {
        canvas: front,
        dx: -Math.round((view.x - s.x) * scale),
        dy: -Math.round((view.y - s.y) * scale),
      };
    },
    complete,
    world() {
      if (!state) return null;
      const scale = state.zoom * state.dpr;
      return {
        minX: state.x,
        minY: state.y,
        maxX: state.x + front.width / scale,
        maxY: state.y + front.height / scale,
      };
    },
    counts,
    reset() {
      state = null;
    },
    destroy() {
      state = null;
      front.width = front.height = 0;
      back.width = back.height = 0;
    },
  };
}
