import { describe, expect, it } from 'vitest';
import { grownBy, growTo, regionClip, ring, shiftRegion, type Region } from './layerRegions';

const area = (rs: readonly Region[]) => rs.reduce((a, r) => a + r[2] * r[3], 0);
const overlaps = (a: Region, b: Region) => regionClip(a, b) !== null;
const disjoint = (rs: readonly Region[]) =>
  rs.every((a, i) => rs.every((b, j) => i === j || !overlaps(a, b)));

describe('layer regions', () => {
  it('the ring around an inner rectangle tiles the outer one exactly', () => {
    const outer: Region = [0, 0, 100, 80];
    const inner: Region = [10, 20, 30, 40];
    const parts = ring(inner, outer);
    expect(area(parts) + area([inner])).toBe(area([outer]));
    expect(disjoint([...parts, inner])).toBe(true);
  });

  it('growing to a target paints only the new part of their bounding box', () => {
    const g = growTo([100, 100, 200, 100], [112, 100, 200, 100]);
    expect(g.painted).toEqual([100, 100, 212, 100]);
    expect(g.paint).toEqual([[300, 100, 12, 100]]);
    expect(growTo([0, 0, 50, 50], [10, 10, 5, 5]).paint).toEqual([]);
    expect(growTo(null, [1, 2, 3, 4])).toEqual({ painted: [1, 2, 3, 4], paint: [[1, 2, 3, 4]] });
  });

  it('shifted pixels keep what stays on the bitmap, nothing when all of it left', () => {
    expect(shiftRegion([10, 10, 50, 50], 20, -5, 100, 100)).toEqual([0, 15, 40, 50]);
    expect(shiftRegion([10, 10, 50, 50], 200, 0, 100, 100)).toBeNull();
    expect(grownBy([10, 10, 50, 50], 48, 100, 100)).toEqual([0, 0, 100, 100]);
  });
});
