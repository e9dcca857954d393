import { describe, expect, it } from 'vitest';
import {
  bindingAt,
  boundEndpoint,
  insideShape,
  outlineEntry,
  resolveArrow,
  type BindableElement,
} from './bindingGeometry';
import type { BoardElement } from './elements';

const base = { author: 1, z: 'a0', colour: '#000000', strokeWidth: 2, fill: null };
const rect: BindableElement = { ...base, id: 'r', type: 'rect', x: 100, y: 100, w: 100, h: 50 };
const ellipse: BindableElement = { ...rect, id: 'e', type: 'ellipse' };
const diamond: BindableElement = { ...rect, id: 'd', type: 'diamond' };
const centre = { ax: 0.5, ay: 0.5 };

describe('binding geometry', () => {
  it('stops an end at the left edge of each outline, `gap` short of it', () => {
    const from = { x: 0, y: 125 }; // level with the centre, to the left
    const b = { id: 'x', ...centre, gap: 5 };
    expect(boundEndpoint(rect, b, from)).toEqual({ x: 95, y: 125 });
    expect(boundEndpoint(ellipse, b, from)).toEqual({ x: 95, y: 125 });
    expect(boundEndpoint(diamond, b, from)).toEqual({ x: 95, y: 125 });
  });

  it('meets the ellipse and the diamond on their slanted outline, not the box', () => {
    // from the top-left corner direction towards the centre (150, 125)
    const from = { x: 0, y: 50 };
    const b = { id: 'x', ...centre, gap: 0 };
    const onEllipse = boundEndpoint(ellipse, b, from);
    const u = (onEllipse.x - 150) / 50;
    const v = (onEllipse.y - 125) / 25;
    expect(u * u + v * v).toBeCloseTo(1, 9);
    const onDiamond = boundEndpoint(diamond, b, from);
    expect(Math.abs(onDiamond.x - 150) / 50 + Math.abs(onDiamond.y - 125) / 25).toBeCloseTo(1, 9);
    const onRect = boundEndpoint(rect, b, from);
    expect(onRect.y).toBeCloseTo(100, 9); // enters through the top edge
    // the box corner is further out than the diamond's edge along the same line
    expect(onDiamond.x).toBeGreaterThan(onRect.x);
  });

  it('aims at the remembered anchor, not the centre', () => {
    const b = { id: 'x', ax: 0, ay: 0, gap: 0 }; // the top-left corner
    expect(boundEndpoint(rect, b, { x: 0, y: 0 })).toEqual({ x: 100, y: 100 });
  });

  it('an other end inside the shape points straight at the anchor', () => {
    const b = { id: 'x', ...centre, gap: 5 };
    expect(boundEndpoint(rect, b, { x: 120, y: 110 })).toEqual({ x: 150, y: 125 });
  });

  it('outlineEntry: null for a segment that misses; 0 from inside', () => {
    expect(outlineEntry(rect, { x: 0, y: 0 }, { x: 50, y: 300 })).toBeNull();
    expect(outlineEntry(ellipse, { x: 0, y: 0 }, { x: 300, y: 0 })).toBeNull();
    expect(outlineEntry(rect, { x: 150, y: 125 }, { x: 400, y: 125 })).toBe(0);
    expect(outlineEntry(rect, { x: 0, y: 125 }, { x: 200, y: 125 })).toBeCloseTo(0.5, 9);
  });

  it('insideShape: the diamond corners of the box are outside it', () => {
    expect(insideShape(diamond, { x: 105, y: 105 }, 0)).toBe(false);
    expect(insideShape(rect, { x: 105, y: 105 }, 0)).toBe(true);
    expect(insideShape(ellipse, { x: 150, y: 125 }, 0)).toBe(true);
    expect(insideShape(rect, { x: 96, y: 125 }, 5)).toBe(true);
  });

  it('bindingAt stores the drop point as fractions of the box (clamped)', () => {
    expect(bindingAt(rect, { x: 125, y: 150 }, 4)).toEqual({ id: 'r', ax: 0.25, ay: 1, gap: 4 });
    expect(bindingAt(rect, { x: 0, y: 999 })).toMatchObject({ ax: 0, ay: 1 });
  });

  it('resolveArrow follows a moved and a resized shape; a missing shape keeps the point', () => {
    const arrow = {
      x: 0,
      y: 125,
      w: 90,
      h: 0,
      endBinding: { id: 'r', ...centre, gap: 5 },
    };
    const lookup = (m: Record<string, BoardElement>) => (id: string) => m[id];
    expect(resolveArrow(arrow, lookup({ r: rect }))).toEqual({ x: 0, y: 125, w: 95, h: 0 });
    const moved = { ...rect, x: 300, y: 200 };
    const r = resolveArrow(arrow, lookup({ r: moved }));
    // the end lies on the line to the new centre (350, 225), 5 short of the outline
    const end = { x: r.x + r.w, y: r.y + r.h };
    expect((end.y - 125) / (end.x - 0)).toBeCloseTo(100 / 350, 9);
    expect(end.x).toBeLessThan(300);
    const wide = { ...rect, x: 100, w: 300 };
    expect(resolveArrow(arrow, lookup({ r: wide }))).toEqual({ x: 0, y: 125, w: 95, h: 0 });
    expect(resolveArrow(arrow, lookup({}))).toEqual({ x: 0, y: 125, w: 90, h: 0 });
  });

  it('both ends attached: outline to outline between the anchors', () => {
    const right = { ...rect, id: 'r2', x: 400 };
    const arrow = {
      x: 0,
      y: 0,
      w: 1,
      h: 1,
      startBinding: { id: 'r', ...centre, gap: 0 },
      endBinding: { id: 'r2', ...centre, gap: 0 },
    };
    const m: Record<string, BoardElement> = { r: rect, r2: right };
    expect(resolveArrow(arrow, (id) => m[id])).toEqual({ x: 200, y: 125, w: 200, h: 0 });
  });
});
