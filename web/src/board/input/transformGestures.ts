/**
 * Gestures on the selection: move, resize (both written once per animation frame, so a drag is
 * one undo step and peers see it live) and the marquee.
 */
import { followBindings, LOCAL_ORIGIN, updateElement } from '@peerboard/core/collab';
import type { BoardElement } from '@peerboard/core/collab';
import { rectFromCorners, type Point, type Rect } from '../geometry';
import { resizeScale, scalePatch, translatePatch, type Handle } from '../transform';
import type { Gesture, GestureContext } from './gestures';
import { marqueeSelection } from '../marquee';

/** Writes at most once per animation frame; `flush` forces the pending write. */
function frameWriter(write: () => void): { schedule(): void; flush(): void; stop(): void } {
  let frame = 0;
  return {
    schedule() {
      if (frame === 0)
        frame = requestAnimationFrame(() => {
          frame = 0;
          write();
        });
    },
    flush() {
      if (frame !== 0) cancelAnimationFrame(frame);
      frame = 0;
      write();
    },
    stop() {
      if (frame !== 0) cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}

const snapshot = (ctx: GestureContext): Map<string, BoardElement> => {
  const out = new Map<string, BoardElement>();
  for (const id of ctx.selection()) {
    const e = ctx.renderer.scene.get(id);
    if (e) out.set(id, e.el);
  }
  return out;
};

/** Drag the selection. Drawn above the layer while it moves, so big boards stay smooth. */
export function moveGesture(ctx: GestureContext, start: Point): Gesture {
  const originals = snapshot(ctx);
  let delta = { x: 0, y: 0 };
  const write = (d: Point): void => {
    ctx.doc.transact(() => {
      for (const el of originals.values())
        updateElement(ctx.doc, el.id, translatePatch(el, d.x, d.y));
      followBindings(ctx.doc, moved);
    }, LOCAL_ORIGIN);
  };
  const moved = new Set(originals.keys());
  // with the grid on, the selection's top-left corner lands on it
  const ref = {
    x: Math.min(...[...originals.values()].map((el) => el.x)),
    y: Math.min(...[...originals.values()].map((el) => el.y)),
  };
  const deltaTo = (p: Point): Point => {
    const d = { x: p.x - start.x, y: p.y - start.y };
    if (originals.size === 0) return d;
    const at = ctx.snap({ x: ref.x + d.x, y: ref.y + d.y });
    return { x: at.x - ref.x, y: at.y - ref.y };
  };
  const writer = frameWriter(() => write(delta));
  ctx.renderer.setOverlay({ active: new Set(originals.keys()) });
  const end = (): void => ctx.renderer.setOverlay({ active: new Set() });
  return {
    move(p) {
      delta = deltaTo(p);
      writer.schedule();
    },
    up(p) {
      delta = deltaTo(p);
      if (delta.x !== 0 || delta.y !== 0) writer.flush();
      else writer.stop();
      end();
    },
    cancel() {
      writer.stop();
      write({ x: 0, y: 0 });
      end();
    },
  };
}

/** Drag a handle of the selection frame: scale every selected element about the anchor. */
export function resizeGesture(ctx: GestureContext, frame: Rect, handle: Handle): Gesture {
  const originals = snapshot(ctx);
  const resized = new Set(originals.keys());
  let target: Point | null = null;
  let keepAspect = false;
  const write = (p: Point | null): void => {
    ctx.doc.transact(() => {
      for (const el of originals.values()) {
        const patch = p ? scalePatch(el, resizeScale(frame, handle, p, keepAspect)) : { ...el };
        updateElement(ctx.doc, el.id, patch);
      }
      followBindings(ctx.doc, resized);
    }, LOCAL_ORIGIN);
  };
  const writer = frameWriter(() => write(target));
  ctx.renderer.setOverlay({ active: new Set(originals.keys()) });
  const end = (): void => ctx.renderer.setOverlay({ active: new Set() });
  return {
    move(p, e) {
      target = ctx.snap(p);
      keepAspect = e.shiftKey;
      writer.schedule();
    },
    up(p, e) {
      if (target === null) {
        writer.stop();
        return end();
      }
      target = ctx.snap(p);
      keepAspect = e.shiftKey;
      writer.flush();
      end();
    },
    cancel() {
      writer.stop();
      write(null);
      end();
    },
  };
}

/**
 * Rubber-band selection of everything fully inside (and the rest of their groups); Shift adds to
 * the current selection.
 */
export function marqueeGesture(ctx: GestureContext, start: Point, additive: boolean): Gesture {
  const base = additive ? new Set(ctx.selection()) : new Set<string>();
  const update = (p: Point): void => {
    const r = rectFromCorners(start, p);
    ctx.renderer.setOverlay({ marquee: r });
    const scene = ctx.renderer.scene;
    ctx.setSelection(
      marqueeSelection(base, scene.inside(r), () => scene.ordered().map((en) => en.el)),
    );
  };
  if (!additive) ctx.setSelection([]);
  return {
    move: (p) => update(p),
    up(p) {
      update(p);
      ctx.renderer.setOverlay({ marquee: null });
    },
    cancel() {
      ctx.renderer.setOverlay({ marquee: null });
      ctx.setSelection(base);
    },
  };
}
