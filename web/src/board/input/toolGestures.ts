/**
 * Which gesture a primary-button press starts, per tool. With the select tool: a handle of the
 * selection frame resizes, an element (or the inside of the frame) moves the selection, Shift
 * toggles an element in it, empty space starts a marquee.
 */
import { expandRect, rectContainsPoint, type Point, type Rect } from '../geometry';
import { handleAt } from '../transform';
import { withGroups } from '@peerboard/core/collab';
import { addCopies } from '../addCopies';
import { draftsOf } from '../clipboard';
import { eraserGesture, penGesture, shapeGesture, type Gesture } from './gestures';
import type { InputCore } from './inputCore';
import { HANDLE_SIZE } from '../render/overlay';
import { marqueeGesture, moveGesture, resizeGesture } from './transformGestures';

/** the selection frame grown by the handle padding, in world units */
function selectionBox(core: InputCore): Rect | null {
  const f = core.renderer.selectionFrame();
  return f ? expandRect(f, 4 / core.renderer.viewport().zoom) : null;
}

function startSelect(core: InputCore, p: Point, e: PointerEvent): Gesture | null {
  const ctx = core.gestureContext();
  const { selection } = core;
  const tol = ctx.pixel * (e.pointerType === 'touch' ? 12 : 6);
  const box = selectionBox(core);
  if (box && selection.size > 0) {
    const handle = handleAt(box, p, (HANDLE_SIZE / 2 + 3) * ctx.pixel);
    if (handle) return resizeGesture(ctx, box, handle);
  }
  const hit = core.renderer.scene.hitTop(p, tol);
  if (hit && e.altKey) {
    // Alt-drag: drag copies away, the originals stay
    const ids = selection.has(hit.id) ? selection : new Set([hit.id]);
    const originals = core.renderer.scene
      .ordered()
      .filter((en) => ids.has(en.el.id))
      .map((en) => en.el);
    const copies = addCopies(core.doc, draftsOf(originals));
    core.setSelection(copies.map((c) => c.id));
    return moveGesture(ctx, p);
  }
  if (hit) {
    // one element of a group stands for the whole group
    const unit = withGroups(
      core.renderer.scene.ordered().map((en) => en.el),
      [hit.id],
    );
    if (e.shiftKey) {
      const next = new Set(selection);
      const removing = next.has(hit.id);
      for (const id of unit)
        if (removing) next.delete(id);
        else next.add(id);
      core.setSelection(next);
      if (removing) return null;
    } else if (!selection.has(hit.id)) core.setSelection(unit);
    return moveGesture(ctx, p);
  }
  if (box && !e.shiftKey && rectContainsPoint(box, p)) return moveGesture(ctx, p);
  return marqueeGesture(ctx, p, e.shiftKey);
}

/** Laser: each point goes to our own trail and, batched per frame, to the others. */
function laserGesture(core: InputCore, p: Point): Gesture {
  const point = (q: Point): void => {
    core.presence.addLaser(q.x, q.y);
    core.events.emit('laser', q);
  };
  point(p);
  return {
    move: (q, e) => (e.coalesced ?? [q]).forEach(point),
    up: (q) => point(q),
    cancel: () => undefined,
  };
}

/** The gesture the current tool starts at world point `p`; null when it starts none. */
export function startToolGesture(core: InputCore, p: Point, e: PointerEvent): Gesture | null {
  const ctx = core.gestureContext();
  switch (core.tool) {
    case 'select':
      return startSelect(core, p, e);
    case 'pen':
      return penGesture(ctx, p, e.pointerType === 'pen' ? e.pressure : 0.5);
    case 'line':
    case 'arrow':
    case 'rect':
    case 'ellipse':
    case 'diamond':
      return shapeGesture(ctx, core.tool, p);
    case 'eraser':
      return eraserGesture(ctx, p);
    case 'laser':
      return laserGesture(core, p);
    case 'text':
      // the editor opens on 'click': after the mousedown that moves focus (pointerInput.ts)
      return null;
  }
}
