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
 * - elements being dragged are drawn above the layer (overlay.ts), so moving them does not
 *   repaint it;
 * - nothing is drawn unless something changed (invalidate() -> one rAF).
 */
import type { BoardElement } from '@peerboard/core/collab';
import type { BoardChange } from '@peerboard/core/collab';
import { rectsIntersect, type Rect } from '../geometry';
import { buildPath, paintElement, type BoardTheme, type CachedPath } from './draw';
import type { ImageLookup } from './imagePaint';
import { makeLayerCache } from './layerCache';
import { makeDrafts } from './drafts';
import { LOD_MAX_SCALE, makeLod } from './lod';
import {
  emptyOverlay,
  framesOf,
  paintGrid,
  paintOverlay,
  shownElement,
  type Overlay,
} from './overlay';
import { GRID_SIZE } from '../arrange';
import { makeScene, settledScene, type Scene, type SceneEntry } from './scene';
import { visibleRect, type Viewport } from '../viewport';

export interface RenderOptions {
  /** keep each element's Path2D between frames */
  cachePaths: boolean;
  /** draw only what meets the view */
  cull: boolean;
  /** paint by level of detail when zoomed out (lod.ts); absent = exact */
  lod?: boolean;
  /** paint into a margin-sized layer bitmap and blit it */
  layerCache: boolean;
}

export const FAST: RenderOptions = { cachePaths: true, cull: true, layerCache: true, lod: true };
/** The benchmark's reference: rebuild and paint everything every frame. */
export const NAIVE: RenderOptions = { cachePaths: false, cull: false, layerCache: false };

export interface RenderStats {
  frames: number;
  /** full layer repaints and partial (strip) repaints */
  layerPaints: number;
  stripPaints: number;
  lastFrameMs: number;
  /** Path2D built ahead of need in idle time */
  warmed: number;
  /** elements of a board that arrived, not read yet (read in idle time, or by `scene`) */
  waiting: number;
  /** strokes painted as drafts (drafts.ts) */
  drafts: number;
  /** the layer holds drafts not yet painted again exactly */
  drafted: boolean;
}

export interface BoardRenderer {
  /** the whole board: elements still waiting to be read (setWaiting) are read first */
  readonly scene: Scene;
  /** what is read so far, without reading the rest: for the board's own bookkeeping of a change */
  readonly sceneSoFar: Scene;
  /**
   * where the elements of a big batch wait to be read (observeBoard's near-first reading): the
   * renderer reads them in its idle time, and `scene` reads them all before it answers
   */
  setWaiting(source: WaitingElements | null): void;
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
  /** where image elements get their bitmaps; call again when one is ready (repaints) */
  setImages(images: ImageLookup): void;
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

/** observeBoard's elements not read yet (boardObserver.ts) */
export interface WaitingElements {
  waiting(): number;
  drain(max?: number): void;
}

/** waiting elements read between two checks of the idle slice's time */
const DRAIN_BATCH = 256;

/** CSS px of layer beyond each side of the view */
export const LAYER_MARGIN = 384;

export function makeBoardRenderer(
  canvas: HTMLCanvasElement,
  initial: RenderOptions = FAST,
): BoardRenderer {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  const scene = makeScene();
  let waiting: WaitingElements | null = null;
  /** elements read from those waiting: what they add is no board arriving (drafts.ts) */
  let draining = false;
  const drainWaiting = (max?: number): void => {
    if (!waiting || waiting.waiting() === 0) return;
    draining = true;
    try {
      waiting.drain(max);
    } finally {
      draining = false;
    }
  };
  const whole = settledScene(scene, () => drainWaiting());
  let options = initial;
  let view: Viewport = { x: 0, y: 0, zoom: 1 };
  let cssW = canvas.clientWidth || 300;
  let cssH = canvas.clientHeight || 150;
  let dpr = 1;
  let theme: BoardTheme = 'light';
  let overlay = emptyOverlay();
  let images: ImageLookup | undefined;
  let frame = 0;
  let destroyed = false;
  const frameListeners = new Set<(ms: number) => void>();
  /** the renderer's own counts (stats() adds those of the waiting elements and the drafts) */
  const stats: Omit<RenderStats, 'waiting' | 'drafts' | 'drafted'> = {
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
    // device pixels per world unit of the transform the caller set (zoom x dpr)
    const scale = options.lod ? c.getTransform().a : Infinity;
    for (const entry of list) {
      const id = entry.el.id;
      if (overlay.hidden.has(id) || overlay.active.has(id)) continue;
      const faded = overlay.faded.has(id);
      if (faded) c.globalAlpha = 0.25;
      const shown = shownElement(overlay, entry.el);
      if (lod.paint(c, shown, entry.bounds, scale, theme)) {
        // painted simplified for the zoom
      } else if (drafts.armed && shown.type === 'stroke' && entry.cache === null) {
        drafts.paint(c, shown, scale, theme);
      } else paintElement(c, shown, pathOf(entry), theme, images);
      if (faded) c.globalAlpha = 1;
    }
  };

  const lod = makeLod();
  const layer = makeLayerCache((c, r) => paintElements(c, r), LAYER_MARGIN);
  const drafts = makeDrafts(
    (more) => warmPaths(scene.visible(visibleRect(view, cssW, cssH)), more),
    () => {
      layerVersion++;
      invalidate();
      scheduleIdle();
    },
  );

  /**
   * Idle work, a few milliseconds at a time: the outlines of drafts on screen and their exact
   * repaint (drafts.ts), the rest of a board that arrived, the grid index of a big batch
   * (scene.ts: the frame that shows a new board does not wait for it), the Path2D of what the
   * layer's margin will show, then the margin itself a band at a time, then the Path2D of
   * everything else, so pans and zooming out later find them ready. Nothing here runs longer
   * than the browser's idle slice (bar one element's path), so a pan starting meanwhile is not
   * held up.
   */
  const runIdle = (deadline: { timeRemaining(): number }): void => {
    idle = 0;
    if (destroyed) return;
    const more = () => deadline.timeRemaining() >= 1;
    if (!drafts.refine(more)) return scheduleIdle();
    // the rest of a board that arrived, read a batch at a time (each repaints only if it shows)
    while (waiting && waiting.waiting() > 0) {
      drainWaiting(DRAIN_BATCH);
      if (!more()) return scheduleIdle();
    }
    if (!scene.indexPending(more)) return scheduleIdle();
    if (options.cachePaths) {
      // zoomed out, level of detail paints strokes without their Path2D: none to build first
      const exact = !options.lod || view.zoom * dpr >= LOD_MAX_SCALE;
      const near = options.layerCache && exact ? layer.world() : null;
      if (near && !warmPaths(options.cull ? scene.visible(near) : scene.ordered(), more))
        return scheduleIdle();
    }
    if (options.layerCache && !layer.complete(more)) return scheduleIdle();
    if (options.cachePaths && !warmPaths(scene.ordered(), more)) scheduleIdle();
  };

  /**
   * build missing paths while `more()`, at least one per call (an idle callback run by its
   * timeout has no time left, and must still make progress); true when all have theirs
   */
  const warmPaths = (entries: readonly SceneEntry[], more: () => boolean): boolean => {
    let built = 0;
    for (const entry of entries) {
      if (entry.cache !== null) continue;
      if (built > 0 && !more()) return false;
      pathOf(entry);
      stats.warmed++;
      built++;
    }
    return true;
  };

  const scheduleIdle = (): void => {
    if (idle !== 0 || destroyed) return;
    idle = requestIdleCallback(runIdle, { timeout: 500 });
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
    if (overlay.grid) {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      paintGrid(ctx, view, cssW, cssH, GRID_SIZE, theme);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    }
    if (options.layerCache) {
      const l = layer.prepare(view, cssW, cssH, dpr, layerVersion);
      ctx.drawImage(l.canvas, l.dx, l.dy);
      scheduleIdle();
    } else {
      setWorldTransform(ctx, view.x, view.y, view.zoom);
      paintElements(ctx, visibleRect(view, cssW, cssH));
    }
    drafts.frameDone();
    setWorldTransform(ctx, view.x, view.y, view.zoom);
    paintOverlay(ctx, { overlay, scene, view, dpr, theme, pathOf, images });
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

  /** only new elements, and none of them where the layer has pixels: its bitmap stays right */
  const outsideLayer = (change: Pick<BoardChange, 'added' | 'updated' | 'removed'>): boolean => {
    const world = options.layerCache ? layer.world() : null;
    if (!world || change.updated.length > 0 || change.removed.length > 0) return false;
    for (const el of change.added) {
      const entry = scene.get(el.id);
      if (!entry || rectsIntersect(entry.bounds, world)) return false;
    }
    return true;
  };

  return {
    scene: whole,
    sceneSoFar: scene,
    setWaiting(source) {
      waiting = source;
      if (source && source.waiting() > 0) scheduleIdle();
    },
    setImages(lookup) {
      images = lookup;
      layerVersion++;
      invalidate();
    },
    apply(change) {
      const onlyActive =
        change.added.length === 0 &&
        change.removed.length === 0 &&
        change.updated.every((el) => overlay.active.has(el.id));
      scene.apply(change);
      // drafts only where the exact paint follows: the layer and its idle work, with paths kept
      if (
        !draining &&
        waiting &&
        waiting.waiting() > 0 &&
        options.layerCache &&
        options.cachePaths &&
        options.lod
      )
        drafts.arm();
      if (!onlyActive && !outsideLayer(change)) layerVersion++;
      invalidate();
      if (scene.pendingIndex > 0 || (waiting && waiting.waiting() > 0)) scheduleIdle();
    },
    reset(elements) {
      scene.reset(elements);
      layerVersion++;
      invalidate();
      if (scene.pendingIndex > 0) scheduleIdle();
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
        !sameSet(next.active, overlay.active) ||
        !sameSet(next.bareLabels, overlay.bareLabels)
      )
        layerVersion++;
      overlay = next;
      invalidate();
    },
    overlay: () => overlay,
    setOptions(next) {
      // a Path2D depends on the element alone: only turning the cache off drops them
      if (!next.cachePaths) for (const e of scene.ordered()) e.cache = null;
      options = next;
      layer.reset();
      invalidate();
    },
    selectionFrame: () => framesOf(scene, overlay.selection),
    invalidate,
    renderNow: render,
    onFrame(fn) {
      frameListeners.add(fn);
      return () => frameListeners.delete(fn);
    },
    stats: () => ({
      ...stats,
      waiting: waiting?.waiting() ?? 0,
      drafts: drafts.count,
      drafted: drafts.pending,
    }),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (frame !== 0) cancelAnimationFrame(frame);
      frameListeners.clear();
      // release the bitmaps now rather than at garbage collection
      if (idle !== 0) cancelIdleCallback(idle);
      drafts.destroy();
      layer.destroy();
      canvas.width = 0;
    },
  };
}
