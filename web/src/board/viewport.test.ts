import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  clampZoom,
  fitRect,
  panBy,
  pinchState,
  pinchViewport,
  screenToWorld,
  visibleRect,
  wheelZoomFactor,
  worldToScreen,
  zoomAt,
  ZOOM_MAX,
  ZOOM_MIN,
  zoomLabel,
} from './viewport';

const viewport = fc.record({
  x: fc.double({ min: -1e5, max: 1e5, noNaN: true }),
  y: fc.double({ min: -1e5, max: 1e5, noNaN: true }),
  zoom: fc.double({ min: ZOOM_MIN, max: ZOOM_MAX, noNaN: true }),
});
const screen = fc.double({ min: 0, max: 4000, noNaN: true });

describe('viewport math', () => {
  test('world <-> screen round-trips', () => {
    fc.assert(
      fc.property(viewport, screen, screen, (v, sx, sy) => {
        const w = screenToWorld(v, sx, sy);
        const s = worldToScreen(v, w.x, w.y);
        expect(s.x).toBeCloseTo(sx, 4);
        expect(s.y).toBeCloseTo(sy, 4);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  test('zoomAt keeps the world point under the pointer in place', () => {
    fc.assert(
      fc.property(
        viewport,
        screen,
        screen,
        fc.double({ min: 0.01, max: 20, noNaN: true }),
        (v, sx, sy, z) => {
          const before = screenToWorld(v, sx, sy);
          const next = zoomAt(v, sx, sy, z);
          const after = screenToWorld(next, sx, sy);
          expect(next.zoom).toBe(clampZoom(z));
          expect(after.x).toBeCloseTo(before.x, 3);
          expect(after.y).toBeCloseTo(before.y, 3);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  test('panBy moves content with the pointer', () => {
    const v = { x: 10, y: 20, zoom: 2 };
    const p = worldToScreen(v, 50, 50);
    const next = panBy(v, 30, -10);
    const q = worldToScreen(next, 50, 50);
    expect(q.x - p.x).toBeCloseTo(30);
    expect(q.y - p.y).toBeCloseTo(-10);
  });

  test('zoom is clamped and never NaN', () => {
    expect(clampZoom(100)).toBe(ZOOM_MAX);
    expect(clampZoom(0)).toBe(ZOOM_MIN);
    expect(clampZoom(Number.NaN)).toBe(1);
  });

  test('wheel: scrolling up zooms in, down zooms out by the inverse factor', () => {
    const inward = wheelZoomFactor(-100, 0);
    const outward = wheelZoomFactor(100, 0);
    expect(inward).toBeGreaterThan(1);
    expect(inward * outward).toBeCloseTo(1);
    expect(wheelZoomFactor(-3, 1)).toBeCloseTo(wheelZoomFactor(-99, 0));
    // a huge delta (a flung wheel) is capped
    expect(wheelZoomFactor(-100000, 0)).toBe(wheelZoomFactor(-200, 0));
  });

  test('fitRect centres the box with padding, capped at maxZoom', () => {
    const r = { minX: 1000, minY: 1000, maxX: 3000, maxY: 2000 };
    const v = fitRect(r, 800, 600, 50, 1);
    const shown = visibleRect(v, 800, 600);
    expect(shown.minX).toBeLessThanOrEqual(r.minX);
    expect(shown.maxX).toBeGreaterThanOrEqual(r.maxX);
    expect(shown.minY).toBeLessThanOrEqual(r.minY);
    expect(shown.maxY).toBeGreaterThanOrEqual(r.maxY);
    expect((shown.minX + shown.maxX) / 2).toBeCloseTo(2000);
    expect(v.zoom).toBeCloseTo(700 / 2000);
    expect(fitRect({ minX: 0, minY: 0, maxX: 10, maxY: 10 }, 800, 600).zoom).toBe(1);
  });

  test('pinch: the point between the fingers follows them while zooming', () => {
    const start = { x: 0, y: 0, zoom: 1 };
    const from = pinchState({ x: 100, y: 100 }, { x: 200, y: 100 });
    const to = pinchState({ x: 120, y: 150 }, { x: 320, y: 150 });
    const v = pinchViewport(start, from, to);
    expect(v.zoom).toBeCloseTo(2);
    const anchor = screenToWorld(start, 150, 100);
    const now = worldToScreen(v, anchor.x, anchor.y);
    expect(now.x).toBeCloseTo(220);
    expect(now.y).toBeCloseTo(150);
  });

  test('zoomLabel', () => {
    expect(zoomLabel(1)).toBe('100%');
    expect(zoomLabel(0.333)).toBe('33%');
  });
});
