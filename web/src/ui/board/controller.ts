/**
 * Input for the board, framework-free: pointer events (mouse, pen, touch with two-finger
 * pan/pinch), wheel, keyboard shortcuts, selection, the camera, and publishing our cursor and
 * selection through awareness. The Solid layer (createBoardState) listens to its events.
 */
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { deleteElements, LOCAL_ORIGIN, updateElement } from '../../core/collab/boardModel';
import type { BoardUndo } from '../../core/collab/undo';
import { assertNever } from '@peerboard/shared';
import { makeEmitter } from '../../core/emitter';
import type { Unsubscribe } from '../../core/types';
import {
  expandRect,
  handleAt,
  rectContainsPoint,
  translatePatch,
  type Handle,
  type Point,
  type Rect,
} from './geometry';
import {
  eraserGesture,
  marqueeGesture,
  moveGesture,
  penGesture,
  resizeGesture,
  shapeGesture,
  type Gesture,
  type GestureContext,
} from './gestures';
import { makePresencePublisher } from './presencePublisher';
import { HANDLE_SIZE, type BoardRenderer } from './renderer';
import { commandForKey, type BoardCommand } from './shortcuts';
import type { DrawStyle, Tool } from './tools';
import {
  clampZoom,
  fitRect,
  panBy,
  pinchState,
  pinchViewport,
  screenToWorld,
  wheelZoomFactor,
  zoomAt,
  ZOOM_STEP,
  type Viewport,
} from './viewport';

/** Open the inline text editor: a new text at (x, y), or the existing element `id`. */
export interface TextEditRequest {
  id: string | null;
  x: number;
  y: number;
}

export interface ControllerEvents extends Record<string, unknown> {
  viewport: Viewport;
  selection: readonly string[];
  tool: Tool;
  cursor: string;
  textEdit: TextEditRequest;
  help: undefined;
}

export interface BoardController {
  on<K extends keyof ControllerEvents>(event: K, fn: (p: ControllerEvents[K]) => void): Unsubscribe;
  tool(): Tool;
  setTool(tool: Tool): void;
  setStyle(style: Partial<DrawStyle>): void;
  style(): DrawStyle;
  selection(): readonly string[];
  setSelection(ids: Iterable<string>): void;
  deleteSelection(): void;
  setViewport(v: Viewport): void;
  zoomBy(factor: number): void;
  zoomToFit(): void;
  /** true once the user moved the camera (the board then stops auto-fitting) */
  userMovedView(): boolean;
  /** a keydown that is not aimed at a text field; returns true when it was a board shortcut */
  keyDown(e: KeyboardEvent): boolean;
  keyUp(e: KeyboardEvent): void;
  destroy(): void;
}

export interface ControllerOptions {
  doc: Y.Doc;
  awareness: Awareness;
  undo: BoardUndo;
  renderer: BoardRenderer;
  /** the element receiving pointer and wheel events (the canvas) */
  surface: HTMLElement;
}

type Pan = { kind: 'pan'; last: Point };
type Pinch = { kind: 'pinch'; start: Viewport; from: ReturnType<typeof pinchState> };
type ToolDrag = { kind: 'tool'; gesture: Gesture };

export function makeBoardController(o: ControllerOptions): BoardController {
  const { doc, awareness, undo, renderer, surface } = o;
  const events = makeEmitter<ControllerEvents>();
  let tool: Tool = 'pen';
  let style: DrawStyle = { colour: '#1e1e1e', strokeWidth: 4 };
  let selection = new Set<string>();
  let spaceHeld = false;
  let movedView = false;
  let active: Pan | Pinch | ToolDrag | null = null;
  let activePointer: number | null = null;
  /** touch and pen pointers currently down, in screen coordinates */
  const touches = new Map<number, Point>();
  let destroyed = false;
  // cursor, selection and draft: one awareness broadcast per animation frame at most
  const presence = makePresencePublisher(awareness);

  const local = (e: { clientX: number; clientY: number }): Point => {
    const r = surface.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const world = (e: { clientX: number; clientY: number }): Point => {
    const p = local(e);
    return screenToWorld(renderer.viewport(), p.x, p.y);
  };

  const setViewport = (v: Viewport): void => {
    renderer.setViewport(v);
    events.emit('viewport', renderer.viewport());
  };

  const setSelection = (ids: Iterable<string>): void => {
    const next = new Set(ids);
    if (next.size === selection.size && [...next].every((id) => selection.has(id))) return;
    selection = next;
    renderer.setOverlay({ selection, handles: tool === 'select' && selection.size > 0 });
    const list = [...selection];
    presence.set({ selection: list });
    events.emit('selection', list);
  };

  const cursorFor = (): string => {
    if (active?.kind === 'pan') return 'grabbing';
    if (spaceHeld) return 'grab';
    switch (tool) {
      case 'select':
        return 'default';
      case 'text':
        return 'text';
      default:
        return 'crosshair';
    }
  };
  const updateCursor = (): void => events.emit('cursor', cursorFor());

  const publishCursor = (p: Point | null): void => presence.set({ cursor: p });

  const gestureContext = (): GestureContext => ({
    doc,
    renderer,
    style,
    pixel: 1 / renderer.viewport().zoom,
    selection: () => selection,
    setSelection,
    publishDraft: presence.setDraft,
  });

  /** the selection frame grown by the handle padding, in world units */
  const selectionBox = (): Rect | null => {
    const f = renderer.selectionFrame();
    return f ? expandRect(f, 4 / renderer.viewport().zoom) : null;
  };

  const startSelect = (p: Point, e: PointerEvent): Gesture | null => {
    const ctx = gestureContext();
    const tol = ctx.pixel * (e.pointerType === 'touch' ? 12 : 6);
    const box = selectionBox();
    if (box && selection.size > 0) {
      const handle: Handle | null = handleAt(box, p, (HANDLE_SIZE / 2 + 3) * ctx.pixel);
      if (handle) return resizeGesture(ctx, box, handle);
    }
    const hit = renderer.scene.hitTop(p, tol);
    if (hit) {
      if (e.shiftKey) {
        const next = new Set(selection);
        if (next.has(hit.id)) next.delete(hit.id);
        else next.add(hit.id);
        setSelection(next);
        if (!next.has(hit.id)) return null;
      } else if (!selection.has(hit.id)) setSelection([hit.id]);
      return moveGesture(ctx, p);
    }
    if (box && !e.shiftKey && rectContainsPoint(box, p)) return moveGesture(ctx, p);
    return marqueeGesture(ctx, p, e.shiftKey);
  };

  const startTool = (p: Point, e: PointerEvent): Gesture | null => {
    const ctx = gestureContext();
    switch (tool) {
      case 'select':
        return startSelect(p, e);
      case 'pen':
        return penGesture(ctx, p, e.pointerType === 'pen' ? e.pressure : 0.5);
      case 'line':
      case 'arrow':
      case 'rect':
      case 'ellipse':
        return shapeGesture(ctx, tool, p);
      case 'eraser':
        return eraserGesture(ctx, p);
      case 'text':
        // the editor opens on 'click': after the mousedown that moves focus (see onClick)
        return null;
    }
  };

  const cancelActive = (): void => {
    if (active?.kind === 'tool') {
      active.gesture.cancel();
      presence.flush();
    }
    active = null;
    activePointer = null;
    undo.stopCapturing();
    updateCursor();
  };

  const onPointerDown = (e: PointerEvent): void => {
    if (e.pointerType !== 'mouse') touches.set(e.pointerId, local(e));
    if (e.pointerType === 'touch' && touches.size === 2) {
      // a second finger turns whatever the first one started into a pan/pinch
      cancelActive();
      const [a, b] = [...touches.values()] as [Point, Point];
      active = { kind: 'pinch', start: renderer.viewport(), from: pinchState(a, b) };
      movedView = true;
      return;
    }
    if (active) return;
    if (e.pointerType === 'mouse' && e.button !== 0 && e.button !== 1) return;
    surface.setPointerCapture?.(e.pointerId);
    activePointer = e.pointerId;
    undo.stopCapturing();
    if (e.button === 1 || spaceHeld) {
      e.preventDefault();
      active = { kind: 'pan', last: local(e) };
      movedView = true;
      updateCursor();
      return;
    }
    const gesture = startTool(world(e), e);
    active = gesture ? { kind: 'tool', gesture } : null;
    if (!gesture) activePointer = null;
  };

  const onPointerMove = (e: PointerEvent): void => {
    if (touches.has(e.pointerId)) touches.set(e.pointerId, local(e));
    if (e.pointerType !== 'touch') publishCursor(world(e));
    if (!active) return;
    if (active.kind === 'pinch') {
      if (touches.size < 2) return;
      const [a, b] = [...touches.values()] as [Point, Point];
      setViewport(pinchViewport(active.start, active.from, pinchState(a, b)));
      return;
    }
    if (e.pointerId !== activePointer) return;
    if (active.kind === 'pan') {
      const p = local(e);
      setViewport(panBy(renderer.viewport(), p.x - active.last.x, p.y - active.last.y));
      active.last = p;
      return;
    }
    const coalesced = e.getCoalescedEvents?.() ?? [];
    active.gesture.move(world(e), {
      shiftKey: e.shiftKey,
      coalesced: coalesced.length > 0 ? coalesced.map(world) : undefined,
      pressure: e.pointerType === 'pen' ? e.pressure : 0.5,
    });
  };

  const onPointerUp = (e: PointerEvent): void => {
    touches.delete(e.pointerId);
    if (active?.kind === 'pinch') {
      if (touches.size === 0) active = null;
      return;
    }
    if (e.pointerId !== activePointer || !active) return;
    if (active.kind === 'tool') {
      active.gesture.up(world(e), { shiftKey: e.shiftKey });
      // the element went out with the doc update just now: take the draft down with it
      presence.flush();
    }
    active = null;
    activePointer = null;
    undo.stopCapturing();
    updateCursor();
  };

  const onPointerCancel = (e: PointerEvent): void => {
    touches.delete(e.pointerId);
    if (e.pointerId === activePointer || active?.kind === 'pinch') cancelActive();
  };

  const onPointerLeave = (e: PointerEvent): void => {
    if (e.pointerType !== 'touch' && !active) publishCursor(null);
  };

  const onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    movedView = true;
    const v = renderer.viewport();
    if (e.ctrlKey || e.metaKey) {
      // trackpad pinches arrive as ctrl+wheel
      const p = local(e);
      setViewport(zoomAt(v, p.x, p.y, v.zoom * wheelZoomFactor(e.deltaY, e.deltaMode)));
      return;
    }
    const unit = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? renderer.size().height : 1;
    const dx = (e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX) * unit;
    const dy = (e.shiftKey && e.deltaX === 0 ? 0 : e.deltaY) * unit;
    setViewport(panBy(v, -dx, -dy));
  };

  /**
   * Text tool: open the editor on click, not pointerdown. The mousedown (or a tap's emulated
   * mousedown) that follows pointerdown moves focus, which would close an editor opened earlier.
   */
  const onClick = (e: MouseEvent): void => {
    if (tool !== 'text') return;
    const p = world(e);
    const hit = renderer.scene.hitTop(p, 4 / renderer.viewport().zoom);
    if (hit?.type === 'text') events.emit('textEdit', { id: hit.id, x: hit.x, y: hit.y });
    else events.emit('textEdit', { id: null, x: p.x, y: p.y });
  };

  const onDoubleClick = (e: MouseEvent): void => {
    if (tool !== 'select') return;
    const p = world(e);
    const hit = renderer.scene.hitTop(p, 6 / renderer.viewport().zoom);
    if (hit?.type === 'text') events.emit('textEdit', { id: hit.id, x: hit.x, y: hit.y });
    else if (!hit) events.emit('textEdit', { id: null, x: p.x, y: p.y });
  };

  const deleteSelection = (): void => {
    if (selection.size === 0) return;
    deleteElements(doc, [...selection]);
    setSelection([]);
  };

  const nudge = (dx: number, dy: number): void => {
    doc.transact(() => {
      for (const id of selection) {
        const entry = renderer.scene.get(id);
        if (entry) updateElement(doc, id, translatePatch(entry.el, dx, dy));
      }
    }, LOCAL_ORIGIN);
  };

  const zoomBy = (factor: number): void => {
    const { width, height } = renderer.size();
    const v = renderer.viewport();
    movedView = true;
    setViewport(zoomAt(v, width / 2, height / 2, clampZoom(v.zoom * factor)));
  };

  const zoomToFit = (): void => {
    const { width, height } = renderer.size();
    const b = renderer.scene.bounds();
    if (!b) return setViewport({ x: -width / 2, y: -height / 2, zoom: 1 });
    setViewport(fitRect(b, width, height, 64, 2));
  };

  const setTool = (t: Tool): void => {
    if (active) cancelActive();
    tool = t;
    if (t !== 'select') setSelection([]);
    renderer.setOverlay({ handles: t === 'select' && selection.size > 0 });
    events.emit('tool', t);
    updateCursor();
  };

  /** Runs a shortcut; false when it does not apply now (so the key keeps its default). */
  const run = (cmd: BoardCommand): boolean => {
    switch (cmd.kind) {
      case 'pan-mode':
        if (!spaceHeld) {
          spaceHeld = true;
          updateCursor();
        }
        return true;
      case 'undo':
        undo.undo();
        return true;
      case 'redo':
        undo.redo();
        return true;
      case 'select-all':
        setTool('select');
        setSelection(renderer.scene.ordered().map((en) => en.el.id));
        return true;
      case 'zoom-in':
        zoomBy(ZOOM_STEP);
        return true;
      case 'zoom-out':
        zoomBy(1 / ZOOM_STEP);
        return true;
      case 'zoom-reset':
        zoomBy(1 / renderer.viewport().zoom);
        return true;
      case 'zoom-fit':
        zoomToFit();
        return true;
      case 'help':
        events.emit('help', undefined);
        return true;
      case 'delete':
        deleteSelection();
        return true;
      case 'escape':
        if (active) cancelActive();
        else setSelection([]);
        return true;
      case 'nudge': {
        if (selection.size === 0) return false;
        const z = renderer.viewport().zoom;
        nudge(cmd.dx / z, cmd.dy / z);
        return true;
      }
      case 'tool':
        setTool(cmd.tool);
        return true;
      default:
        return assertNever(cmd);
    }
  };

  const keyDown = (e: KeyboardEvent): boolean => {
    const cmd = commandForKey(e);
    return cmd !== null && run(cmd);
  };

  const keyUp = (e: KeyboardEvent): void => {
    if (e.key === ' ') {
      spaceHeld = false;
      updateCursor();
    }
  };

  const onBlur = (): void => {
    spaceHeld = false;
    updateCursor();
  };

  surface.addEventListener('pointerdown', onPointerDown);
  surface.addEventListener('pointermove', onPointerMove);
  surface.addEventListener('pointerup', onPointerUp);
  surface.addEventListener('pointercancel', onPointerCancel);
  surface.addEventListener('pointerleave', onPointerLeave);
  surface.addEventListener('wheel', onWheel, { passive: false });
  surface.addEventListener('dblclick', onDoubleClick);
  surface.addEventListener('click', onClick);
  window.addEventListener('blur', onBlur);

  return {
    on: (event, fn) => events.on(event, fn),
    tool: () => tool,
    setTool,
    setStyle(patch) {
      style = { ...style, ...patch };
    },
    style: () => style,
    selection: () => [...selection],
    setSelection,
    deleteSelection,
    setViewport: (v) => {
      movedView = true;
      setViewport(v);
    },
    zoomBy,
    zoomToFit,
    userMovedView: () => movedView,
    keyDown,
    keyUp,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (active?.kind === 'tool') active.gesture.cancel();
      presence.destroy();
      surface.removeEventListener('pointerdown', onPointerDown);
      surface.removeEventListener('pointermove', onPointerMove);
      surface.removeEventListener('pointerup', onPointerUp);
      surface.removeEventListener('pointercancel', onPointerCancel);
      surface.removeEventListener('pointerleave', onPointerLeave);
      surface.removeEventListener('wheel', onWheel);
      surface.removeEventListener('dblclick', onDoubleClick);
      surface.removeEventListener('click', onClick);
      window.removeEventListener('blur', onBlur);
      events.clear();
    },
  };
}
