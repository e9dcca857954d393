import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Rect } from '../geometry';
import { makeLayerCache } from './layerCache';

// The web project runs in Node: a canvas that keeps its size and ignores drawing is enough,
// since what is checked is which world rectangles the cache asks to be painted.
const ctx2d = new Proxy({}, { get: () => () => undefined });
const fakeCanvas = () => ({ width: 0, height: 0, getContext: () => ctx2d });
const realDocument = (globalThis as { document?: unknown }).document;
beforeEach(() => {
  (globalThis as { document?: unknown }).document = { createElement: fakeCanvas };
});
afterEach(() => {
  (globalThis as { document?: unknown }).document = realDocument;
});

const W = 1280;
const H = 800;
const MARGIN = 384;
const area = (r: Rect) => (r.maxX - r.minX) * (r.maxY - r.minY);
const overlap = (a: Rect, b: Rect) =>
  Math.min(a.maxX, b.maxX) > Math.max(a.minX, b.minX) &&
  Math.min(a.maxY, b.maxY) > Math.max(a.minY, b.minY);

const clip = (r: Rect, to: Rect): Rect => ({
  minX: Math.max(r.minX, to.minX),
  minY: Math.max(r.minY, to.minY),
  maxX: Math.min(r.maxX, to.maxX),
  maxY: Math.min(r.maxY, to.maxY),
});

function setup() {
  const painted: Rect[] = [];
  const layer = makeLayerCache((_c, r) => painted.push(r), MARGIN);
  return { layer, painted };
}

describe('layer cache', () => {
  it('a pan frame paints only the strip it exposes while the margin is still unpainted', () => {
    const { layer, painted } = setup();
    layer.prepare({ x: 0, y: 0, zoom: 1 }, W, H, 1, 0);
    expect(painted).toEqual([{ minX: 0, minY: 0, maxX: W, maxY: H }]);
    for (let i = 1; i <= 120; i++) {
      const before = painted.length;
      layer.prepare({ x: 12 * i, y: 5 * i, zoom: 1 }, W, H, 1, 0);
      const frame = painted.slice(before).reduce((a, r) => a + area(r), 0);
      // strips 12 and 5 px wide across the bitmap at most; the whole margin would be ~2.2 M px
      expect(frame).toBeLessThanOrEqual(12 * (H + 2 * MARGIN) + 5 * (W + 2 * MARGIN));
    }
  });

  it('idle completion grows a band at a time and the layer is painted once, without overlap', () => {
    const { layer, painted } = setup();
    layer.prepare({ x: 0, y: 0, zoom: 1 }, W, H, 1, 0);
    for (let i = 1; i <= 40; i++) layer.prepare({ x: 12 * i, y: 5 * i, zoom: 1 }, W, H, 1, 0);
    let steps = 0;
    while (!layer.complete(() => false)) steps++;
    expect(steps).toBeGreaterThan(3);
    // a monotonic pan never returns to world it shifted off: every world point painted once
    for (let i = 0; i < painted.length; i++)
      for (let j = i + 1; j < painted.length; j++)
        expect(overlap(painted[i]!, painted[j]!)).toBe(false);
    const world = layer.world()!;
    const clipped = painted.filter((r) => overlap(r, world)).map((r) => clip(r, world));
    expect(clipped.reduce((a, r) => a + area(r), 0)).toBe(area(world));
    expect(area(world)).toBe((W + 2 * MARGIN) * (H + 2 * MARGIN));
  });

  it('complete() without a time limit paints the whole margin at once', () => {
    const { layer, painted } = setup();
    layer.prepare({ x: 0, y: 0, zoom: 1 }, W, H, 1, 0);
    expect(layer.complete()).toBe(true);
    expect(painted.reduce((a, r) => a + area(r), 0)).toBe((W + 2 * MARGIN) * (H + 2 * MARGIN));
    expect(layer.complete()).toBe(true);
  });
});
