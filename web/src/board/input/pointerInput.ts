/**
 * Pointer, wheel and click input on the board surface: tool gestures with the primary button,
 * pan with the middle button or space-drag, two-finger pan/pinch on touch, wheel pan and
 * ctrl/⌘-wheel (trackpad pinch) zoom, the text editor on click / double-click, and our cursor
 * for the others. Returns the function that detaches every listener.
 */
import type { Point } from '../geometry';
import type { InputCore } from './inputCore';
import { startToolGesture } from './toolGestures';
import { isLabelled, shapeAt } from '../binding';
import { panBy, pinchState, pinchViewport, wheelZoomFactor, zoomAt } from '../viewport';

export function attachPointerInput(core: InputCore): () => void {
  const { renderer, surface, events, presence, touches } = core;
  const publishCursor = (p: Point | null): void => {
    core.pointer = p;
    presence.set({ cursor: p });
  };

  // Long-press opens the menu on touch (no right button there); a move or a lift cancels it.
  let longPress: { timer: ReturnType<typeof setTimeout>; at: Point } | null = null;
  /** when a long-press last opened the menu: the browser's own contextmenu follows it on touch */
  let longPressMenuAt = 0;
  const cancelLongPress = (): void => {
    if (longPress) clearTimeout(longPress.timer);
    longPress = null;
  };
  /** select what is under the point (if it is not selected yet) and ask for the menu there */
  const openMenu = (e: { clientX: number; clientY: number }): void => {
    if (core.active) core.cancelActive();
    const hit = renderer.scene.hitTop(core.world(e), 8 / renderer.viewport().zoom);
    if (hit && !core.selection.has(hit.id)) {
      core.setTool('select');
      core.setSelection([hit.id]);
    } else if (hit && core.tool !== 'select') core.setTool('select');
    events.emit('menu', { x: e.clientX, y: e.clientY });
  };

  const onPointerDown = (e: PointerEvent): void => {
    cancelLongPress();
    if (e.pointerType === 'touch') {
      const at = { x: e.clientX, y: e.clientY };
      const timer = setTimeout(() => {
        longPressMenuAt = performance.now();
        openMenu({ clientX: at.x, clientY: at.y });
      }, 550);
      longPress = { at, timer };
    }
    if (e.pointerType !== 'mouse') touches.set(e.pointerId, core.local(e));
    if (e.pointerType === 'touch' && touches.size === 2) {
      // a second finger turns whatever the first one started into a pan/pinch
      core.cancelActive();
      const [a, b] = [...touches.values()] as [Point, Point];
      core.active = { kind: 'pinch', start: renderer.viewport(), from: pinchState(a, b) };
      core.movedView = true;
      return;
    }
    if (core.active) return;
    if (e.pointerType === 'mouse' && e.button !== 0 && e.button !== 1) return;
    surface.setPointerCapture?.(e.pointerId);
    core.activePointer = e.pointerId;
    core.undo.stopCapturing();
    if (e.button === 1 || core.spaceHeld) {
      e.preventDefault();
      core.active = { kind: 'pan', last: core.local(e) };
      core.movedView = true;
      core.updateCursor();
      return;
    }
    const gesture = startToolGesture(core, core.world(e), e);
    core.active = gesture ? { kind: 'tool', gesture } : null;
    if (!gesture) core.activePointer = null;
  };

  const onPointerMove = (e: PointerEvent): void => {
    if (longPress && Math.hypot(e.clientX - longPress.at.x, e.clientY - longPress.at.y) > 10)
      cancelLongPress();
    if (touches.has(e.pointerId)) touches.set(e.pointerId, core.local(e));
    if (e.pointerType !== 'touch') publishCursor(core.world(e));
    const active = core.active;
    if (!active) return;
    if (active.kind === 'pinch') {
      if (touches.size < 2) return;
      const [a, b] = [...touches.values()] as [Point, Point];
      core.setViewport(pinchViewport(active.start, active.from, pinchState(a, b)));
      return;
    }
    if (e.pointerId !== core.activePointer) return;
    if (active.kind === 'pan') {
      const p = core.local(e);
      core.setViewport(panBy(renderer.viewport(), p.x - active.last.x, p.y - active.last.y));
      active.last = p;
      return;
    }
    const coalesced = e.getCoalescedEvents?.() ?? [];
    active.gesture.move(core.world(e), {
      shiftKey: e.shiftKey,
      coalesced: coalesced.length > 0 ? coalesced.map(core.world) : undefined,
      pressure: e.pointerType === 'pen' ? e.pressure : 0.5,
    });
  };

  const onPointerUp = (e: PointerEvent): void => {
    cancelLongPress();
    touches.delete(e.pointerId);
    const active = core.active;
    if (active?.kind === 'pinch') {
      if (touches.size === 0) core.active = null;
      return;
    }
    if (e.pointerId !== core.activePointer || !active) return;
    if (active.kind === 'tool') {
      active.gesture.up(core.world(e), { shiftKey: e.shiftKey });
      // the element went out with the doc update just now: take the draft down with it
      presence.flush();
    }
    core.active = null;
    core.activePointer = null;
    core.undo.stopCapturing();
    core.updateCursor();
  };

  const onPointerCancel = (e: PointerEvent): void => {
    cancelLongPress();
    touches.delete(e.pointerId);
    if (e.pointerId === core.activePointer || core.active?.kind === 'pinch') core.cancelActive();
  };

  const onPointerLeave = (e: PointerEvent): void => {
    if (e.pointerType !== 'touch' && !core.active) publishCursor(null);
  };

  const onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    core.movedView = true;
    const v = renderer.viewport();
    if (e.ctrlKey || e.metaKey) {
      // trackpad pinches arrive as ctrl+wheel
      const p = core.local(e);
      core.setViewport(zoomAt(v, p.x, p.y, v.zoom * wheelZoomFactor(e.deltaY, e.deltaMode)));
      return;
    }
    const unit = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? renderer.size().height : 1;
    const dx = (e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX) * unit;
    const dy = (e.shiftKey && e.deltaX === 0 ? 0 : e.deltaY) * unit;
    core.setViewport(panBy(v, -dx, -dy));
  };

  /**
   * Text tool: open the editor on click, not pointerdown. The mousedown (or a tap's emulated
   * mousedown) that follows pointerdown moves focus, which would close an editor opened earlier.
   */
  const onClick = (e: MouseEvent): void => {
    if (core.tool !== 'text') return;
    const p = core.world(e);
    const hit = renderer.scene.hitTop(p, 4 / renderer.viewport().zoom);
    if (hit?.type === 'text') events.emit('textEdit', { id: hit.id, x: hit.x, y: hit.y });
    else events.emit('textEdit', { id: null, x: p.x, y: p.y });
  };

  const onDoubleClick = (e: MouseEvent): void => {
    if (core.tool !== 'select') return;
    const p = core.world(e);
    const tol = 6 / renderer.viewport().zoom;
    const hit = renderer.scene.hitTop(p, tol);
    if (hit?.type === 'text') return events.emit('textEdit', { id: hit.id, x: hit.x, y: hit.y });
    // inside a rectangle, ellipse or diamond (on its outline or anywhere within): its label
    const shape = shapeAt(renderer.scene, p, tol, isLabelled);
    if (shape && (!hit || hit.id === shape.id))
      events.emit('textEdit', { id: shape.id, x: shape.x, y: shape.y, label: true });
    else if (!hit) events.emit('textEdit', { id: null, x: p.x, y: p.y });
  };

  const onContextMenu = (e: MouseEvent): void => {
    e.preventDefault();
    cancelLongPress();
    // a right-click soon after the last one (Esc, then right-click again) still opens the menu
    if (performance.now() - longPressMenuAt < 800) return;
    openMenu(e);
  };

  const listeners: [string, (e: never) => void, AddEventListenerOptions?][] = [
    ['contextmenu', onContextMenu],
    ['pointerdown', onPointerDown],
    ['pointermove', onPointerMove],
    ['pointerup', onPointerUp],
    ['pointercancel', onPointerCancel],
    ['pointerleave', onPointerLeave],
    ['wheel', onWheel, { passive: false }],
    ['dblclick', onDoubleClick],
    ['click', onClick],
  ];
  for (const [name, fn, opts] of listeners)
    surface.addEventListener(name, fn as EventListener, opts);
  return () => {
    cancelLongPress();
    for (const [name, fn] of listeners) surface.removeEventListener(name, fn as EventListener);
  };
}
