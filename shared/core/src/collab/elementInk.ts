/**
 * How far an element's ink reaches past its geometry (a stroke's points, a line's ends, a
 * shape's box): one answer for the renderer's bounds (web board/geometry.ts), the first-screen
 * pick (firstScreenPick.ts) and the near-view reading of a board that arrives
 * (boardObserver.ts), so the three agree on what a view shows.
 */

/** perfect-freehand's `size` (diameter) for a stroke of this width: what the renderer draws. */
export const penSize = (strokeWidth: number): number => strokeWidth * 2;

/** Arrowhead leg length for a line of this width and length. */
export const arrowHeadLength = (strokeWidth: number, length: number): number =>
  Math.min(Math.max(10, strokeWidth * 4), length * 0.6);

/**
 * The ink's reach past the geometry of an element of `type` (w and h: a line's or arrow's
 * extent); text and images draw inside their box. Plain fields, so an element still stored
 * (not read yet) can be asked too.
 */
export function inkReach(type: unknown, strokeWidth: number, w = 0, h = 0): number {
  switch (type) {
    case 'stroke':
      return penSize(strokeWidth) / 2 + 1;
    case 'arrow':
      return strokeWidth / 2 + arrowHeadLength(strokeWidth, Math.hypot(w, h)) + 1;
    case 'line':
    case 'rect':
    case 'ellipse':
    case 'diamond':
      return strokeWidth / 2 + 1;
    default:
      return 0;
  }
}
