/**
 * Infinite-canvas camera math. A viewport is the world point at the screen's top-left corner
 * plus a zoom: screen = (world - origin) * zoom, in CSS pixels. Pure, unit-tested.
 */
import type { Point, Rect } from './geometry';

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export const ZOOM_MIN = 0.02;
export const ZOOM_MAX = 8;
/** zoom steps of the +/- buttons and Ctrl+= / Ctrl+- */
export const ZOOM_STEP = 1.25;

export const clampZoom = (z: number): number =>
  Number.isFinite(z) ? Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, z)) : 1;

export const screenToWorld = (v: Viewport, sx: number, sy: number): Point => ({
  x: v.x + sx / v.zoom,
  y: v.y + sy / v.zoom,
});

export const worldToScreen = (v: Viewport, wx: number, wy: number): Point => ({
  x: (wx - v.x) * v.zoom,
  y: (wy - v.y) * v.zoom,
});

/** Move the camera by a screen-space drag (content follows the pointer). */
export const panBy = (v: Viewport, dxScreen: number, dyScreen: number): Viewport => ({
  x: v.x - dxScreen / v.zoom,
  y: v.y - dyScreen / v.zoom,
  zoom: v.zoom,
});

/** Zoom to `zoom` keeping the world point under screen point (sx, sy) where it is. */
export function zoomAt(v: Viewport, sx: number, sy: number, zoom: number): Viewport {
  const z = clampZoom(zoom);
  const w = screenToWorld(v, sx, sy);
  return { x: w.x - sx / z, y: w.y - sy / z, zoom: z };
}

/**
 * Zoom factor for a wheel event: smooth for trackpad pinches (small deltas, ctrlKey set by the
 * browser) and one comfortable step per mouse-wheel notch (~100 px, or 1 line).
 */
export function wheelZoomFactor(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 800 : deltaY;
  const clamped = Math.max(-200, Math.min(200, px));
  return Math.exp(-clamped * 0.0025);
}

/** World rectangle visible in a screen of width x height CSS pixels. */
export const visibleRect = (v: Viewport, width: number, height: number): Rect => ({
  minX: v.x,
  minY: v.y,
  maxX: v.x + width / v.zoom,
  maxY: v.y + height / v.zoom,
});

/**
 * The viewport that shows `r` centred with `padding` CSS pixels around it. Never zooms in past
 * `maxZoom` (a single small element is shown at 100%, not blown up).
 */
export function fitRect(
  r: Rect,
  width: number,
  height: number,
  padding = 48,
  maxZoom = 1,
): Viewport {
  const w = Math.max(r.maxX - r.minX, 1);
  const h = Math.max(r.maxY - r.minY, 1);
  const availW = Math.max(width - padding * 2, 1);
  const availH = Math.max(height - padding * 2, 1);
  const zoom = clampZoom(Math.min(availW / w, availH / h, maxZoom));
  const cx = (r.minX + r.maxX) / 2;
  const cy = (r.minY + r.maxY) / 2;
  return { x: cx - width / 2 / zoom, y: cy - height / 2 / zoom, zoom };
}

/** Midpoint and distance of two touches: the pinch gesture's state. */
export function pinchState(a: Point, b: Point): { center: Point; distance: number } {
  return {
    center: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
    distance: Math.hypot(b.x - a.x, b.y - a.y),
  };
}

/**
 * Two-finger gesture: the world point that was under the fingers' midpoint at the start stays
 * under their current midpoint, zoomed by the change in finger distance.
 */
export function pinchViewport(
  start: Viewport,
  from: { center: Point; distance: number },
  to: { center: Point; distance: number },
): Viewport {
  const zoom = clampZoom(start.zoom * (from.distance > 0 ? to.distance / from.distance : 1));
  const anchor = screenToWorld(start, from.center.x, from.center.y);
  return { x: anchor.x - to.center.x / zoom, y: anchor.y - to.center.y / zoom, zoom };
}

/** "125%" style label. */
export const zoomLabel = (zoom: number): string => `${Math.round(zoom * 100)}%`;
