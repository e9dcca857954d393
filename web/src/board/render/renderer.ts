/**
 * The board's canvas renderer, framework-free so the benchmark drives exactly what the app uses.
 *
 * Why it stays fast with 10,000 strokes:
 * - each element's Path2D is built once and reused until that element changes (scene.ts drops
 *   the cache on change, fed by observeBoard's incremental changes);
 * - only elements whose bounds meet the view are drawn (grid index in scene.ts);
 * - the elements are painted into a "layer" bitmap a margin larger than the view; a pan frame
 *   is one drawImage, and when the view leaves the layer the old pixels are shifted and only
 *   the newly exposed strips are painted;
 * - elements being dragged are drawn above the layer, so moving them does not repaint it;
 * - nothing is drawn unless something changed (invalidate() -> one rAF).
 */
import type { BoardElement } from '@peerboard/core/collab';
import type { BoardChange } from '@peerboard/core/collab';
import { expandRect, unionRects, type Rect } from '../geometry';
import { handlePoint, HANDLES } from '../transform';
import { buildPath, paintElement, type BoardTheme, type CachedPath } from './draw';
import { makeLayerCache } from './layerCache';
import { makeScene, type Scene, type SceneEntry } from './scene';
import { strokeOutline, traceOutline } from './shapes';
import { visibleRect, type Viewport } from '../viewport';

export interface RenderOptions {
  /** keep each element's Path2D between frames */
  cachePaths: boolean;
  /** draw only what meets the view */
  cull: boolean;
  /** paint into a margin-sized layer bitmap and blit it */
  layerCache: boolean;
}

export const FAST: RenderOptions = { cachePaths: true, cull: true, layerCache: true };
/** The benchmark's reference: rebuild and paint everything every frame. */
export const NAIVE: RenderOptions = { cachePaths: false, cull: false, layerCache: false };

export interface RemoteSelection {
  colour: string;
  name: string;
  ids: readonly string[];
}

export interface Overlay {
  selection: ReadonlySet<string>;
  /** not drawn at all (the text being edited) */
  hidden: ReadonlySet<string>;
  /** drawn translucent (marked by the eraser) */
  faded: ReadonlySet<string>;
  /** drawn above the layer because they change every frame (being moved or resized) */
  active: ReadonlySet<string>;
  /** elements being drawn, not yet in the document */
  previews: readonly BoardElement[];
  /** what other people are drawing right now (their awareness drafts) */
  drafts: readonly BoardElement[];
  marquee: Rect | null;
  remote: readonly RemoteSelection[];
  /** resize handles on the selection frame */
  handles: boolean;
}

const EMPTY: ReadonlySet<string> = new Set();
const emptyOverlay = (): Overlay => ({
  selection: EMPTY,
  hidden: EMPTY,
  faded: EMPTY,
  active: EMPTY,
  previews: [],
  drafts: [],
  marquee: null,
  remote: [],
  handles: false,
});

export interface RenderStats {
  frames: number;
  /** full layer repaints and partial (strip) repaints */
  layerPaints: number;
  stripPaints: number;
  lastFrameMs: number;
  /** Path2D built ahead of need in idle time */
  warmed: number;
}

export interface BoardRenderer {
  readonly scene: Scene;
  apply(change: Pick<BoardChange, 'added' | 'updated' | 'removed'>): void;
  reset(elements: readonly BoardElement[]): void;
  setSize(cssWidth: number, cssHeight: number, dpr: number): void;
  size(): { width: number; height: number };
  viewport(): Viewport;
  setViewport(v: Viewport): void;
  setTheme(theme: BoardTheme): void;
  setOverlay(patch: Partial<Overlay>): void;
  overlay(): Overlay;
  setOptions(options: RenderOptions): void;
  /** the selection frame (world), null when nothing is selected */
  selectionFrame(): Rect | null;
  invalidate(): void;
  /** paint now (synchronously); returns the milliseconds it took */
  renderNow(): number;
  /** called after every painted frame with its duration */
  onFrame(fn: (ms: number) => void): () => void;
  stats(): RenderStats;
  destroy(): void;
}

const SELECTION_LIGHT = '#4f46e5';
const SELECTION_DARK = '#8b8ff8';
/** CSS px of layer beyond each side of the view */
const LAYER_MARGIN = 384;
export const HANDLE_SIZE = 9;

export function makeBoardRenderer(
  canvas: HTMLCanvasElement,
  initial: RenderOptions = FAST,
): BoardRenderer {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  const scene = makeScene();
  let options = initial;
  let view: Viewport = { x: 0, y: 0, zoom: 1 };
  let cssW = canvas.clientWidth || 300;
  let cssH = canvas.clientHeight || 150;
  let dpr = 1;
  let theme: BoardTheme = 'light';
  let overlay = emptyOverlay();
  let frame = 0;
  let destroyed = false;
  const frameListeners = new Set<(ms: number) => void>();
  const stats: RenderStats = {
    frames: 0,
    layerPaints: 0,
    stripPaints: 0,
    lastFrameMs: 0,
    warmed: 0,
  };

  /** bumps when the layer's content must be repainted */
  let layerVersion = 0;
  let idle = 0;

  const pathOf = (entry: SceneEntry): CachedPath | null => {
    if (!options.cachePaths) return buildPath(entry.el);
    if (entry.cache === null) entry.cache = buildPath(entry.el) ?? false;
    return entry.cache === false ? null : (entry.cache as CachedPath);
  };

  const setWorldTransform = (c: CanvasRenderingContext2D, ox: number, oy: number, zoom: number) => {
    const s = zoom * dpr;
    c.setTransform(s, 0, 0, s, -ox * s, -oy * s);
  };

  /** paint the layer elements meeting world rect `r` (everything when not culling) */
  const paintElements = (c: CanvasRenderingContext2D, r: Rect | null): void => {
    const list = r && options.cull ? scene.visible(r) : scene.ordered();
    for (const entry of list) {
      const id = entry.el.id;
      if (overlay.hidden.has(id) || overlay.active.has(id)) continue;
      const faded = overlay.faded.has(id);
      if (faded) c.globalAlpha = 0.25;
      paintElement(c, entry.el, pathOf(entry), theme);
      if (faded) c.globalAlpha = 1;
    }
  };

  const layer = makeLayerCache((c, r) => paintElements(c, r), LAYER_MARGIN);

  /**
   * Idle work: paint the layer's margin, then build the Path2D of elements not drawn yet, a few
   * milliseconds at a time, so later pans and zooming out find them ready.
   */
  const runIdle = (deadline: { timeRemaining(): number }): void => {
    idle = 0;
    if (destroyed) return;
    if (options.layerCache) layer.complete();
    if (!options.cachePaths) return;
    for (const entry of scene.ordered()) {
      if (entry.cache !== null) continue;
      if (deadline.timeRemaining() < 1) return scheduleIdle();
      pathOf(entry);
      stats.warmed++;
    }
  };

  const scheduleIdle = (): void => {
    if (idle !== 0 || destroyed) return;
    idle = requestIdleCallback(runIdle, { timeout: 500 });
  };

  const selectionColour = () => (theme === 'dark' ? SELECTION_DARK : SELECTION_LIGHT);

  const framesOf = (ids: Iterable<string>): Rect | null => {
    const rects: Rect[] = [];
    for (const id of ids) {
      const e = scene.get(id);
      if (e) rects.push(e.bounds);
    }
    return unionRects(rects);
  };

  const paintDraft = (c: CanvasRenderingContext2D, el: BoardElement): void => {
    if (el.type === 'stroke') {
      // perfect-freehand's `last: false` while the pointer is still down
      const p = new Path2D();
      traceOutline(p, strokeOutline(el, false));
      paintElement(c, el, { path: p, paint: 'fill' }, theme);
    } else paintElement(c, el, buildPath(el), theme);
  };

  const paintOverlay = (c: CanvasRenderingContext2D): void => {
    setWorldTransform(c, view.x, view.y, view.zoom);
    // elements in motion, then drafts, above the layer
    if (overlay.active.size > 0) {
      const list = [...overlay.active]
        .map((id) => scene.get(id))
        .filter((e): e is SceneEntry => e !== undefined)
        .sort((a, b) => a.order - b.order);
      for (const e of list)
        if (!overlay.hidden.has(e.el.id)) paintElement(c, e.el, pathOf(e), theme);
    }
    for (const el of overlay.drafts) paintDraft(c, el);
    for (const el of overlay.previews) paintDraft(c, el);
    // frames are drawn in screen pixels so they keep their width at any zoom
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    const toScreen = (r: Rect): Rect => ({
      minX: (r.minX - view.x) * view.zoom,
      minY: (r.minY - view.y) * view.zoom,
      maxX: (r.maxX - view.x) * view.zoom,
      maxY: (r.maxY - view.y) * view.zoom,
    });
    const box = (r: Rect, colour: string, dash: number[]) => {
      c.strokeStyle = colour;
      c.lineWidth = 1.5;
      c.setLineDash(dash);
      c.strokeRect(r.minX, r.minY, r.maxX - r.minX, r.maxY - r.minY);
      c.setLineDash([]);
    };
    for (const peer of overlay.remote) {
      const f = framesOf(peer.ids);
      if (!f) continue;
      const r = expandRect(toScreen(f), 4);
      box(r, peer.colour, [5, 4]);
      c.font = `600 11px ${"'Inter Variable', ui-sans-serif, sans-serif"}`;
      const label = peer.name;
      const tw = c.measureText(label).width + 8;
      c.fillStyle = peer.colour;
      c.fillRect(r.minX, r.minY - 16, tw, 16);
      c.fillStyle = '#ffffff';
      c.textBaseline = 'middle';
      c.fillText(label, r.minX + 4, r.minY - 8);
    }
    const colour = selectionColour();
    if (overlay.selection.size > 0) {
      if (overlay.selection.size > 1) {
        for (const id of overlay.selection) {
          const e = scene.get(id);
          if (e) box(expandRect(toScreen(e.bounds), 2), colour, [3, 3]);
        }
      }
      const f = framesOf(overlay.selection);
      if (f) {
        const r = expandRect(toScreen(f), 4);
        box(r, colour, []);
        if (overlay.handles) {
          c.fillStyle = theme === 'dark' ? '#161920' : '#ffffff';
          c.strokeStyle = colour;
          c.lineWidth = 1.5;
          for (const h of HANDLES) {
            const p = handlePoint(r, h);
            const half = HANDLE_SIZE / 2;
            c.fillRect(p.x - half, p.y - half, HANDLE_SIZE, HANDLE_SIZE);
            c.strokeRect(p.x - half, p.y - half, HANDLE_SIZE, HANDLE_SIZE);
          }
        }
      }
    }
    if (overlay.marquee) {
      const r = toScreen(overlay.marquee);
      c.fillStyle = theme === 'dark' ? 'rgba(139,143,248,0.12)' : 'rgba(79,70,229,0.08)';
      c.fillRect(r.minX, r.minY, r.maxX - r.minX, r.maxY - r.minY);
      box(r, colour, []);
    }
  };

  const render = (): number => {
    const t0 = performance.now();
    // a synchronous paint makes the scheduled one redundant
    if (frame !== 0) cancelAnimationFrame(frame);
    frame = 0;
    const w = Math.round(cssW * dpr);
    const h = Math.round(cssH * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (options.layerCache) {
      const l = layer.prepare(view, cssW, cssH, dpr, layerVersion);
      ctx.drawImage(l.canvas, l.dx, l.dy);
      scheduleIdle();
    } else {
      setWorldTransform(ctx, view.x, view.y, view.zoom);
      paintElements(ctx, visibleRect(view, cssW, cssH));
    }
    paintOverlay(ctx);
    const ms = performance.now() - t0;
    stats.frames++;
    stats.lastFrameMs = ms;
    stats.layerPaints = layer.counts.full;
    stats.stripPaints = layer.counts.strips;
    for (const fn of frameListeners) fn(ms);
    return ms;
  };

  const invalidate = (): void => {
    if (destroyed || frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (!destroyed) render();
    });
  };

  const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) =>
    a.size === b.size && [...a].every((id) => b.has(id));

  return {
    scene,
    apply(change) {
      const onlyActive =
        change.added.length === 0 &&
        change.removed.length === 0 &&
        change.updated.every((el) => overlay.active.has(el.id));
      scene.apply(change);
      if (!onlyActive) layerVersion++;
      invalidate();
    },
    reset(elements) {
      scene.reset(elements);
      layerVersion++;
      invalidate();
    },
    setSize(width, height, ratio) {
      if (width === cssW && height === cssH && ratio === dpr) return;
      cssW = Math.max(1, width);
      cssH = Math.max(1, height);
      dpr = ratio;
      layer.reset();
      invalidate();
    },
    size: () => ({ width: cssW, height: cssH }),
    viewport: () => view,
    setViewport(v) {
      // The origin snaps to whole device pixels: the cached layer is blitted at integer offsets,
      // so the overlay, fresh paint and cached pixels then line up exactly.
      const s = v.zoom * dpr;
      const next = { x: Math.round(v.x * s) / s, y: Math.round(v.y * s) / s, zoom: v.zoom };
      if (next.x === view.x && next.y === view.y && next.zoom === view.zoom) return;
      view = next;
      invalidate();
    },
    setTheme(t) {
      if (t === theme) return;
      theme = t;
      layerVersion++;
      invalidate();
    },
    setOverlay(patch) {
      const next = { ...overlay, ...patch };
      if (
        !sameSet(next.hidden, overlay.hidden) ||
        !sameSet(next.faded, overlay.faded) ||
        !sameSet(next.active, overlay.active)
      )
        layerVersion++;
      overlay = next;
      invalidate();
    },
    overlay: () => overlay,
    setOptions(next) {
      options = next;
      layer.reset();
      for (const e of scene.ordered()) e.cache = null;
      invalidate();
    },
    selectionFrame: () => framesOf(overlay.selection),
    invalidate,
    renderNow: render,
    onFrame(fn) {
      frameListeners.add(fn);
      return () => frameListeners.delete(fn);
    },
    stats: () => ({ ...stats }),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (frame !== 0) cancelAnimationFrame(frame);
      frameListeners.clear();
      // release the bitmaps now rather than at garbage collection
      if (idle !== 0) cancelIdleCallback(idle);
      layer.destroy();
      canvas.width = 0;
    },
  };
}
