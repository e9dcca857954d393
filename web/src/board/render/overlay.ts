/**
 * What the renderer paints above the cached layer every frame: elements in motion, drafts
 * (ours and other people's), selection frames with resize handles, other people's selections
 * with their names, and the marquee. Kept out of the layer because it changes with every
 * pointer event; none of it is in the document.
 */
import { compareElements, type BoardElement } from '@peerboard/core/collab';
import { expandRect, unionRects, type Rect } from '../geometry';
import { handlePoint, HANDLES } from '../transform';
import type { Viewport } from '../viewport';
import { buildPath, paintElement, type BoardTheme, type CachedPath } from './draw';
import type { ImageLookup } from './imagePaint';
import type { Scene, SceneEntry } from './scene';
import { strokeOutline, traceOutline } from './shapes';
import { paintLasers } from './laserPaint';
import type { LaserPaint } from '../laserTrail';

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
  /** shapes drawn without their label (the label being edited) */
  bareLabels: ReadonlySet<string>;
  /** the snapping grid is drawn under the board */
  grid: boolean;
  /** laser pointer trails (ours and other people's), fading */
  lasers: readonly LaserPaint[];
}

/** The element as painted: without its label while the label is being edited. */
export function shownElement(overlay: Overlay, el: BoardElement): BoardElement {
  if (!overlay.bareLabels.has(el.id) || !('label' in el)) return el;
  const { label: _label, ...rest } = el;
  return rest;
}

/** The grid's lines in screen pixels (`c` without a transform but the pixel ratio). */
export function paintGrid(
  c: CanvasRenderingContext2D,
  view: Viewport,
  cssW: number,
  cssH: number,
  size: number,
  theme: BoardTheme,
): void {
  let step = size * view.zoom;
  // zoomed far out, every fifth line, then every 25th: never a grey wash
  while (step < 8) step *= 5;
  const world = step / view.zoom;
  const x0 = (Math.ceil(view.x / world) * world - view.x) * view.zoom;
  const y0 = (Math.ceil(view.y / world) * world - view.y) * view.zoom;
  c.beginPath();
  for (let x = x0; x < cssW; x += step) {
    c.moveTo(Math.round(x) + 0.5, 0);
    c.lineTo(Math.round(x) + 0.5, cssH);
  }
  for (let y = y0; y < cssH; y += step) {
    c.moveTo(0, Math.round(y) + 0.5);
    c.lineTo(cssW, Math.round(y) + 0.5);
  }
  c.strokeStyle = theme === 'dark' ? 'rgba(233,235,241,0.09)' : 'rgba(30,30,30,0.08)';
  c.lineWidth = 1;
  c.stroke();
}

const EMPTY: ReadonlySet<string> = new Set();
export const emptyOverlay = (): Overlay => ({
  selection: EMPTY,
  hidden: EMPTY,
  faded: EMPTY,
  active: EMPTY,
  previews: [],
  drafts: [],
  marquee: null,
  remote: [],
  handles: false,
  bareLabels: EMPTY,
  grid: false,
  lasers: [],
});

const SELECTION_LIGHT = '#4f46e5';
const SELECTION_DARK = '#8b8ff8';
export const HANDLE_SIZE = 9;

/** The box around the elements `ids` (world), null when none of them is on the board. */
export function framesOf(scene: Scene, ids: Iterable<string>): Rect | null {
  const rects: Rect[] = [];
  for (const id of ids) {
    const e = scene.get(id);
    if (e) rects.push(e.bounds);
  }
  return unionRects(rects);
}

export interface OverlayFrame {
  overlay: Overlay;
  scene: Scene;
  view: Viewport;
  dpr: number;
  theme: BoardTheme;
  /** the element's Path2D as the renderer caches it */
  pathOf(entry: SceneEntry): CachedPath | null;
  images?: ImageLookup;
}

function paintDraft(c: CanvasRenderingContext2D, el: BoardElement, theme: BoardTheme): void {
  if (el.type === 'stroke') {
    // perfect-freehand's `last: false` while the pointer is still down
    const p = new Path2D();
    traceOutline(p, strokeOutline(el, false));
    paintElement(c, el, { path: p, paint: 'fill' }, theme);
  } else paintElement(c, el, buildPath(el), theme);
}

/**
 * The scene's entries for `ids`, bottom first. Compared by the elements themselves, not by
 * `SceneEntry.order`, which is stale until something calls `scene.ordered()` after a z change
 * (a peer's "bring to front" while we drag, with the layer cached).
 */
export function inPaintOrder(ids: Iterable<string>, scene: Scene): SceneEntry[] {
  return [...ids]
    .map((id) => scene.get(id))
    .filter((e): e is SceneEntry => e !== undefined)
    .sort((a, b) => compareElements(a.el, b.el));
}

/** Paints the overlay; `c` arrives with the world transform of `f.view` set. */
export function paintOverlay(c: CanvasRenderingContext2D, f: OverlayFrame): void {
  const { overlay, scene, view, dpr, theme } = f;
  // elements in motion, then drafts, above the layer
  if (overlay.active.size > 0) {
    for (const e of inPaintOrder(overlay.active, scene))
      if (!overlay.hidden.has(e.el.id))
        paintElement(c, shownElement(overlay, e.el), f.pathOf(e), theme, f.images);
  }
  for (const el of overlay.drafts) paintDraft(c, el, theme);
  for (const el of overlay.previews) paintDraft(c, el, theme);
  if (overlay.lasers.length > 0) paintLasers(c, overlay.lasers, view.zoom);
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
    const frame = framesOf(scene, peer.ids);
    if (!frame) continue;
    const r = expandRect(toScreen(frame), 4);
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
  const colour = theme === 'dark' ? SELECTION_DARK : SELECTION_LIGHT;
  if (overlay.selection.size > 0) {
    if (overlay.selection.size > 1) {
      for (const id of overlay.selection) {
        const e = scene.get(id);
        if (e) box(expandRect(toScreen(e.bounds), 2), colour, [3, 3]);
      }
    }
    const frame = framesOf(scene, overlay.selection);
    if (frame) {
      const r = expandRect(toScreen(frame), 4);
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
}
