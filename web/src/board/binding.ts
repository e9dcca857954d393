/**
 * Which shape an arrow end or a double-click lands on: the topmost rectangle, ellipse, diamond
 * (or, for arrows, text box) whose outline contains the point, filled or not. The geometry of
 * attached ends is in @peerboard/core (collab/bindingGeometry.ts), shared with the document
 * operation that makes arrows follow.
 */
import {
  bindingAt,
  insideShape,
  isBindable,
  type BindableElement,
  type Binding,
} from '@peerboard/core/collab';
import { expandRect, type Point } from './geometry';
import type { Scene } from './render/scene';

export function shapeAt(
  scene: Scene,
  p: Point,
  tolerance: number,
  accept: (el: BindableElement) => boolean = () => true,
): BindableElement | null {
  const near = scene.visible(expandRect({ minX: p.x, minY: p.y, maxX: p.x, maxY: p.y }, tolerance));
  for (let i = near.length - 1; i >= 0; i--) {
    const el = near[i]!.el;
    if (isBindable(el) && accept(el) && insideShape(el, p, tolerance)) return el;
  }
  return null;
}

/** The attachments of a line drawn from `start` to `end` (ends over no shape stay free). */
export function bindingsFor(
  scene: Scene,
  start: Point,
  end: Point,
  tolerance: number,
): { startBinding?: Binding; endBinding?: Binding } {
  const s = shapeAt(scene, start, tolerance);
  const e = shapeAt(scene, end, tolerance);
  return {
    ...(s ? { startBinding: bindingAt(s, start) } : {}),
    ...(e ? { endBinding: bindingAt(e, end) } : {}),
  };
}

export const isLabelled = (el: BindableElement): boolean => el.type !== 'text';
