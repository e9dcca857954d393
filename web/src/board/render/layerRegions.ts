/**
 * The layer bitmap's bookkeeping, kept pure so it can be tested without a canvas: which
 * rectangle of the bitmap holds valid pixels ("painted"), and which regions to paint to grow it.
 *
 * The painted part is always one rectangle. Growing it to cover another rectangle paints the
 * ring between the old rectangle and their bounding box: regions that tile the new area exactly
 * (no overlap, so semi-transparent ink is never painted twice and no seam is left).
 */

/** a whole-pixel rectangle of the bitmap: x, y, width, height */
export type Region = readonly [number, number, number, number];

export const regionEmpty = (r: Region): boolean => r[2] <= 0 || r[3] <= 0;

export const regionContains = (outer: Region, inner: Region): boolean =>
  inner[0] >= outer[0] &&
  inner[1] >= outer[1] &&
  inner[0] + inner[2] <= outer[0] + outer[2] &&
  inner[1] + inner[3] <= outer[1] + outer[3];

/** the intersection, or null when they do not overlap */
export function regionClip(r: Region, bounds: Region): Region | null {
  const x0 = Math.max(r[0], bounds[0]);
  const y0 = Math.max(r[1], bounds[1]);
  const x1 = Math.min(r[0] + r[2], bounds[0] + bounds[2]);
  const y1 = Math.min(r[1] + r[3], bounds[1] + bounds[3]);
  return x1 > x0 && y1 > y0 ? [x0, y0, x1 - x0, y1 - y0] : null;
}

/** the parts of `outer` outside `inner` (inner within outer): rows above/below, then columns */
export function ring(inner: Region, outer: Region): Region[] {
  const [ox, oy, ow, oh] = outer;
  const [ix, iy, iw, ih] = inner;
  const out: Region[] = [
    [ox, oy, ow, iy - oy],
    [ox, iy + ih, ow, oy + oh - (iy + ih)],
    [ox, iy, ix - ox, ih],
    [ix + iw, iy, ox + ow - (ix + iw), ih],
  ];
  return out.filter((r) => !regionEmpty(r));
}

/**
 * Grow `painted` (null = nothing valid) to cover `target`: the new painted rectangle (their
 * bounding box) and the regions to paint for it.
 */
export function growTo(
  painted: Region | null,
  target: Region,
): { painted: Region; paint: Region[] } {
  if (painted === null || regionEmpty(painted)) return { painted: target, paint: [target] };
  if (regionContains(painted, target)) return { painted, paint: [] };
  const x0 = Math.min(painted[0], target[0]);
  const y0 = Math.min(painted[1], target[1]);
  const x1 = Math.max(painted[0] + painted[2], target[0] + target[2]);
  const y1 = Math.max(painted[1] + painted[3], target[1] + target[3]);
  const box: Region = [x0, y0, x1 - x0, y1 - y0];
  return { painted: box, paint: ring(painted, box) };
}

/** `painted` after the bitmap's pixels moved by (-dx, -dy), clipped to a w x h bitmap */
export function shiftRegion(
  painted: Region | null,
  dx: number,
  dy: number,
  w: number,
  h: number,
): Region | null {
  if (painted === null) return null;
  return regionClip([painted[0] - dx, painted[1] - dy, painted[2], painted[3]], [0, 0, w, h]);
}

/** `painted` grown by `band` pixels on every side, within a w x h bitmap */
export function grownBy(painted: Region, band: number, w: number, h: number): Region {
  return regionClip(
    [painted[0] - band, painted[1] - band, painted[2] + 2 * band, painted[3] + 2 * band],
    [0, 0, w, h],
  )!;
}
