/**
 * One pointer gesture per tool: what happens between pointerdown and pointerup. Each gesture
 * gets world points and writes to the document only when it is done (pen, shapes, eraser), so
 * a stroke is one undo step; while drawing, the shape goes to the others as an awareness draft.
 * Gestures on the selection (move, resize, marquee) are in transformGestures.ts.
 */
import type * as Y from 'yjs';
import { addElement, deleteElements, placeArrow } from '@peerboard/core/collab';
import { bindingsFor } from '../binding';
import { BOARD_LIMITS, type BoardElement } from '@peerboard/core/collab';
import { rectFromCorners, type Point, type Rect } from '../geometry';
import { hitElementAlong } from '../hitTest';
import { snapAngle, squareCorner } from '../transform';
import type { PresenceDraft } from '@peerboard/core/collab';
import { presenceDraft } from '../liveDraft';
import type { BoardRenderer } from '../render/renderer';
import type { DrawStyle } from './tools';
import { fillPatch } from '../styleSelection';

export interface GestureContext {
  doc: Y.Doc;
  renderer: BoardRenderer;
  style: DrawStyle;
  /** world units per screen pixel right now */
  pixel: number;
  /** the point on the grid when snapping is on, else the point itself */
  snap(p: Point): Point;
  setSelection(ids: Iterable<string>): void;
  selection(): ReadonlySet<string>;
  /** show the others what we are drawing (evaluated once per frame), null when done */
  publishDraft(make: (() => PresenceDraft | null) | null): void;
}

export interface Gesture {
  move(p: Point, e: { shiftKey: boolean; coalesced?: readonly Point[]; pressure?: number }): void;
  /** finished normally */
  up(p: Point, e: { shiftKey: boolean }): void;
  /** interrupted (second finger, Escape, pointercancel): leave the document as it was */
  cancel(): void;
}

const DRAFT_ID = 'draft';
const opacityOf = (style: DrawStyle) => (style.opacity !== 1 ? { opacity: style.opacity } : {});
const draftBase = (style: DrawStyle) => ({
  id: DRAFT_ID,
  author: 0,
  z: 'a0',
  colour: style.colour,
  strokeWidth: style.strokeWidth,
  ...opacityOf(style),
});

/** Freehand: collect points (coalesced events included), commit one stroke at pointerup. */
export function penGesture(ctx: GestureContext, start: Point, pressure: number): Gesture {
  let origin = start;
  let points: number[] = [0, 0, pressure];
  const preview = (): void => {
    ctx.renderer.setOverlay({
      previews: [{ ...draftBase(ctx.style), type: 'stroke', x: origin.x, y: origin.y, points }],
    });
    // reads origin and points when the frame's broadcast goes out (a split replaces both)
    ctx.publishDraft(() =>
      presenceDraft(
        {
          type: 'stroke',
          x: origin.x,
          y: origin.y,
          colour: ctx.style.colour,
          strokeWidth: ctx.style.strokeWidth,
          points,
        },
        ctx.pixel,
      ),
    );
  };
  const done = (): void => {
    ctx.renderer.setOverlay({ previews: [] });
    ctx.publishDraft(null);
  };
  const commit = (): void => {
    if (points.length >= 3)
      addElement(ctx.doc, {
        type: 'stroke',
        x: origin.x,
        y: origin.y,
        colour: ctx.style.colour,
        strokeWidth: ctx.style.strokeWidth,
        ...opacityOf(ctx.style),
        points,
      });
  };
  const add = (p: Point, pr: number): void => {
    const n = points.length;
    const dx = p.x - origin.x;
    const dy = p.y - origin.y;
    // points closer than half a screen pixel add size, not shape
    if (Math.hypot(dx - points[n - 3]!, dy - points[n - 2]!) < ctx.pixel * 0.5) return;
    if (n / 3 >= BOARD_LIMITS.strokeMaxPoints) {
      // a very long stroke continues as a new element instead of being rejected
      commit();
      origin = { x: origin.x + points[n - 3]!, y: origin.y + points[n - 2]! };
      points = [0, 0, points[n - 1]!];
    }
    points.push(p.x - origin.x, p.y - origin.y, pr);
  };
  preview();
  return {
    move(p, e) {
      for (const c of e.coalesced ?? [p]) add(c, e.pressure ?? 0.5);
      preview();
    },
    up(p) {
      add(p, points[points.length - 1]!);
      commit();
      done();
    },
    cancel: done,
  };
}

/** Line, arrow, rectangle, ellipse: drag out a shape; a click without a drag draws nothing. */
export function shapeGesture(
  ctx: GestureContext,
  type: 'line' | 'arrow' | 'rect' | 'ellipse' | 'diamond',
  rawStart: Point,
): Gesture {
  const start = ctx.snap(rawStart);
  let end = start;
  const draft = (): BoardElement => {
    const base = draftBase(ctx.style);
    if (type === 'line' || type === 'arrow')
      return { ...base, type, x: start.x, y: start.y, w: end.x - start.x, h: end.y - start.y };
    const r = rectFromCorners(start, end);
    return {
      ...base,
      type,
      x: r.minX,
      y: r.minY,
      w: r.maxX - r.minX,
      h: r.maxY - r.minY,
      fill: null,
      ...fillPatch(ctx.style.fill, ctx.style.colour),
    } as BoardElement;
  };
  const track = (raw: Point, shift: boolean): void => {
    const p = ctx.snap(raw);
    end = !shift
      ? p
      : type === 'line' || type === 'arrow'
        ? snapAngle(start, p)
        : squareCorner(start, p);
    ctx.renderer.setOverlay({ previews: [draft()] });
    ctx.publishDraft(() => presenceDraft(fields(), ctx.pixel));
  };
  const fields = () => {
    const { id: _id, author: _a, z: _z, ...rest } = draft();
    return rest;
  };
  const done = (): void => {
    ctx.renderer.setOverlay({ previews: [] });
    ctx.publishDraft(null);
  };
  return {
    move: (p, e) => track(p, e.shiftKey),
    up(p, e) {
      track(p, e.shiftKey);
      if (Math.hypot(end.x - start.x, end.y - start.y) >= ctx.pixel * 3) {
        const f = fields();
        // a line or arrow starting or ending over a shape is attached to it (bindings.ts)
        if (f.type === 'line' || f.type === 'arrow')
          addElement(
            ctx.doc,
            placeArrow(ctx.doc, {
              ...f,
              ...bindingsFor(ctx.renderer.scene, start, end, ctx.pixel * 4),
            }),
          );
        else addElement(ctx.doc, f);
      }
      done();
    },
    cancel: done,
  };
}

/** Eraser: everything the pointer passes over fades, and is deleted (one undo step) on release. */
export function eraserGesture(ctx: GestureContext, start: Point): Gesture {
  const marked = new Set<string>();
  let last = start;
  const sweep = (p: Point): void => {
    const tol = ctx.pixel * 8;
    const area: Rect = {
      minX: Math.min(last.x, p.x) - tol,
      minY: Math.min(last.y, p.y) - tol,
      maxX: Math.max(last.x, p.x) + tol,
      maxY: Math.max(last.y, p.y) + tol,
    };
    let grew = false;
    for (const e of ctx.renderer.scene.visible(area)) {
      if (!marked.has(e.el.id) && hitElementAlong(e.el, last, p, tol)) {
        marked.add(e.el.id);
        grew = true;
      }
    }
    last = p;
    if (grew) ctx.renderer.setOverlay({ faded: new Set(marked) });
  };
  sweep(start);
  return {
    move: (p) => sweep(p),
    up(p) {
      sweep(p);
      ctx.renderer.setOverlay({ faded: new Set() });
      if (marked.size > 0) deleteElements(ctx.doc, [...marked]);
    },
    cancel: () => ctx.renderer.setOverlay({ faded: new Set() }),
  };
}
