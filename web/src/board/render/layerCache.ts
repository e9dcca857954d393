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

export interface LayerFrame {
  canvas: HTMLCanvasElement;
  /** device-pixel position of the layer's top-left corner on the visible canvas */
  dx: number;
  dy: number;
}

export interface LayerCache {
  /** a layer covering `view` at content version `version`, painting whatever is missing */
  prepare(view: Viewport, cssW: number, cssH: number, dpr: number, version: number): LayerFrame;
  /** paint the margin if it is still missing; false when there was nothing to do */
  complete(): boolean;
  readonly counts: { full: number; strips: number; margins: number };
  /** drop the bitmap (a resize, a new theme) */
  reset(): void;
  destroy(): void;
}

type Region = [number, number, number, number];

interface LayerState {
  /** world point at the bitmap's top-left pixel */
  x: number;
  y: number;
  zoom: number;
  dpr: number;
  version: number;
  /** the visible part painted first; the rest is painted when null */
  pending: Region | null;
}

export function makeLayerCache(
  paint: (c: CanvasRenderingContext2D, world: Rect) => void,
  marginCss: number,
): LayerCache {
  let front = document.createElement('canvas');
  let back = document.createElement('canvas');
  let state: LayerState | null = null;
  const counts = { full: 0, strips: 0, margins: 0 };

  const paintRegions = (c: CanvasRenderingContext2D, s: LayerState, regions: Region[]): void => {
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

  /** the four strips around the visible region: together with it they tile the bitmap */
  const ring = (visible: Region, w: number, h: number): Region[] => {
    const [x0, y0, vw, vh] = visible;
    const x1 = x0 + vw;
    const y1 = y0 + vh;
    return [
      [0, 0, w, y0],
      [0, y1, w, h - y1],
      [0, y0, x0, vh],
      [x1, y0, w - x1, vh],
    ];
  };

  const complete = (): boolean => {
    if (!state?.pending) return false;
    const pending = state.pending;
    state.pending = null;
    paintRegions(front.getContext('2d')!, state, ring(pending, front.width, front.height));
    counts.margins++;
    return true;
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
    state = {
      x: view.x - margin / scale,
      y: view.y - margin / scale,
      zoom: view.zoom,
      dpr,
      version,
      pending: [margin, margin, vw, vh],
    };
    paintRegions(c, state, [state.pending!]);
    counts.full++;
  };

  const scroll = (view: Viewport): boolean => {
    const s = state!;
    complete(); // shifted pixels must all be valid
    const scale = s.zoom * s.dpr;
    const margin = Math.round(marginCss * s.dpr);
    const shiftX = Math.round((view.x - s.x) * scale) - margin;
    const shiftY = Math.round((view.y - s.y) * scale) - margin;
    const w = front.width;
    const h = front.height;
    if (Math.abs(shiftX) >= w || Math.abs(shiftY) >= h) return false;
    if (back.width !== w || back.height !== h) {
      back.width = w;
      back.height = h;
    }
    const c = back.getContext('2d')!;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.clearRect(0, 0, w, h);
    c.drawImage(front, -shiftX, -shiftY);
    const next: LayerState = { ...s, x: s.x + shiftX / scale, y: s.y + shiftY / scale };
    // exposed columns over the full height, then exposed rows between them: no overlap
    const regions: Region[] = [];
    const colX = shiftX > 0 ? w - shiftX : 0;
    const colW = Math.abs(shiftX);
    if (colW > 0) regions.push([colX, 0, colW, h]);
    const rowX = shiftX > 0 ? 0 : colW;
    const rowW = w - colW;
    if (shiftY > 0) regions.push([rowX, h - shiftY, rowW, shiftY]);
    if (shiftY < 0) regions.push([rowX, 0, rowW, -shiftY]);
    paintRegions(c, next, regions);
    [front, back] = [back, front];
    state = next;
    counts.strips++;
    return true;
  };

  return {
    prepare(view, cssW, cssH, dpr, version) {
      const margin = Math.round(marginCss * dpr);
      const w = Math.ceil(cssW * dpr) + 2 * margin;
      const h = Math.ceil(cssH * dpr) + 2 * margin;
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
        const vw = Math.ceil(cssW * dpr);
        const vh = Math.ceil(cssH * dpr);
        const p = state.pending;
        const inLayer = ox >= 0 && oy >= 0 && ox + vw <= w && oy + vh <= h;
        const margin = Math.round(marginCss * dpr);
        if (!inLayer) {
          if (!scroll(view)) full(view, cssW, cssH, dpr, version);
        } else if (p) {
          const inPainted =
            ox >= p[0] && oy >= p[1] && ox + vw <= p[0] + p[2] && oy + vh <= p[1] + p[3];
          if (!inPainted) complete();
        } else if (Math.abs(ox - margin) > margin / 4 || Math.abs(oy - margin) > margin / 4) {
          // re-centre early: many thin strips cost less per frame than one wide one
          scroll(view);
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
