/**
 * The board controller's shared state and the operations every input path uses (pointer,
 * keyboard, toolbar): tool, style, selection, the gesture in progress, the camera, the cursor.
 * pointerInput.ts, toolGestures.ts and keyboardInput.ts each handle one kind of input on top of
 * this; controller.ts composes them. Framework-free.
 */
import type * as Y from 'yjs';
import {
  deleteElements,
  followBindings,
  LOCAL_ORIGIN,
  updateElement,
} from '@peerboard/core/collab';
import { snapPoint } from '../arrange';
import type { BoardUndo } from '@peerboard/core/collab';
import type { Emitter } from '@peerboard/core';
import type { Point } from '../geometry';
import { translatePatch } from '../transform';
import type { Gesture, GestureContext } from './gestures';
import type { SelectionAction } from './shortcuts';
import type { PresencePublisher } from '../presencePublisher';
import type { BoardRenderer } from '../render/renderer';
import { DEFAULT_STYLE, type DrawStyle, type Tool } from './tools';
import {
  clampZoom,
  fitRect,
  pinchState,
  screenToWorld,
  worldToScreen,
  zoomAt,
  type Viewport,
} from '../viewport';

/** Open the inline text editor: a new text at (x, y), or the existing element `id`. */
export interface TextEditRequest {
  id: string | null;
  x: number;
  y: number;
  /** edit the label inside the shape `id` (not a text element) */
  label?: boolean;
}

export interface ControllerEvents extends Record<string, unknown> {
  viewport: Viewport;
  selection: readonly string[];
  tool: Tool;
  cursor: string;
  textEdit: TextEditRequest;
  help: undefined;
  /** open the context menu at this point (client coordinates) */
  menu: Point;
  /** a shortcut for an action on the selection */
  action: SelectionAction;
  /** snapping to the grid went on or off */
  grid: boolean;
  /** the laser pointer passed this world point */
  laser: Point;
}

export type Pan = { kind: 'pan'; last: Point };
export type Pinch = { kind: 'pinch'; start: Viewport; from: ReturnType<typeof pinchState> };
export type ToolDrag = { kind: 'tool'; gesture: Gesture };

export interface InputCore {
  readonly doc: Y.Doc;
  readonly undo: BoardUndo;
  readonly renderer: BoardRenderer;
  readonly surface: HTMLElement;
  readonly events: Emitter<ControllerEvents>;
  /** cursor, selection and draft: one awareness broadcast per animation frame at most */
  readonly presence: PresencePublisher;
  tool: Tool;
  style: DrawStyle;
  readonly selection: ReadonlySet<string>;
  spaceHeld: boolean;
  /** true once the user moved the camera (the board then stops auto-fitting) */
  movedView: boolean;
  active: Pan | Pinch | ToolDrag | null;
  activePointer: number | null;
  /** touch and pen pointers currently down, in screen coordinates */
  readonly touches: Map<number, Point>;
  /** event position relative to the surface (CSS px) */
  local(e: { clientX: number; clientY: number }): Point;
  world(e: { clientX: number; clientY: number }): Point;
  setViewport(v: Viewport): void;
  setSelection(ids: Iterable<string>): void;
  updateCursor(): void;
  gestureContext(): GestureContext;
  /** interrupt the gesture in progress (the document stays as it was) */
  cancelActive(): void;
  setTool(t: Tool): void;
  zoomBy(factor: number): void;
  zoomToFit(): void;
  deleteSelection(): void;
  /** move the selection by (dx, dy) world units */
  nudge(dx: number, dy: number): void;
  /** the last pointer position on the board (world), null when it left */
  pointer: Point | null;
  /** where a keyboard-opened menu goes (client coordinates): the selection, else the middle */
  menuPoint(): Point;
  /** moves, resizes and shapes snap to the grid (arrange.ts) */
  readonly grid: boolean;
  setGrid(on: boolean): void;
}

export function makeInputCore(o: {
  doc: Y.Doc;
  undo: BoardUndo;
  renderer: BoardRenderer;
  surface: HTMLElement;
  events: Emitter<ControllerEvents>;
  presence: PresencePublisher;
}): InputCore {
  const { doc, renderer, surface, events, presence } = o;
  let selection = new Set<string>();
  let grid = false;

  const core: InputCore = {
    ...o,
    tool: 'pen',
    style: { ...DEFAULT_STYLE },
    get selection() {
      return selection;
    },
    spaceHeld: false,
    movedView: false,
    active: null,
    activePointer: null,
    touches: new Map(),

    local(e) {
      const r = surface.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    },
    world(e) {
      const p = core.local(e);
      return screenToWorld(renderer.viewport(), p.x, p.y);
    },
    setViewport(v) {
      renderer.setViewport(v);
      events.emit('viewport', renderer.viewport());
    },
    setSelection(ids) {
      const next = new Set(ids);
      if (next.size === selection.size && [...next].every((id) => selection.has(id))) return;
      selection = next;
      renderer.setOverlay({ selection, handles: core.tool === 'select' && selection.size > 0 });
      const list = [...selection];
      presence.set({ selection: list });
      events.emit('selection', list);
    },
    updateCursor() {
      events.emit('cursor', cursorFor());
    },
    get grid() {
      return grid;
    },
    setGrid(on) {
      if (on === grid) return;
      grid = on;
      renderer.setOverlay({ grid });
      events.emit('grid', grid);
    },
    gestureContext: () => ({
      doc,
      renderer,
      snap: grid ? snapPoint : (p: Point) => p,
      style: core.style,
      pixel: 1 / renderer.viewport().zoom,
      selection: () => selection,
      setSelection: core.setSelection,
      publishDraft: presence.setDraft,
    }),
    cancelActive() {
      if (core.active?.kind === 'tool') {
        core.active.gesture.cancel();
        presence.flush();
      }
      core.active = null;
      core.activePointer = null;
      o.undo.stopCapturing();
      core.updateCursor();
    },
    setTool(t) {
      if (core.active) core.cancelActive();
      core.tool = t;
      if (t !== 'select') core.setSelection([]);
      renderer.setOverlay({ handles: t === 'select' && selection.size > 0 });
      events.emit('tool', t);
      core.updateCursor();
    },
    zoomBy(factor) {
      const { width, height } = renderer.size();
      const v = renderer.viewport();
      core.movedView = true;
      core.setViewport(zoomAt(v, width / 2, height / 2, clampZoom(v.zoom * factor)));
    },
    zoomToFit() {
      const { width, height } = renderer.size();
      const b = renderer.scene.bounds();
      if (!b) return core.setViewport({ x: -width / 2, y: -height / 2, zoom: 1 });
      core.setViewport(fitRect(b, width, height, 64, 2));
    },
    deleteSelection() {
      if (selection.size === 0) return;
      deleteElements(doc, [...selection]);
      // locked elements stay, and stay selected (so Unlock is at hand)
      core.setSelection([...selection].filter((id) => renderer.scene.get(id)));
    },
    pointer: null,
    menuPoint() {
      const r = surface.getBoundingClientRect();
      const f = renderer.selectionFrame();
      const v = renderer.viewport();
      if (!f) return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      const s = worldToScreen(v, (f.minX + f.maxX) / 2, (f.minY + f.maxY) / 2);
      return { x: r.left + s.x, y: r.top + s.y };
    },
    nudge(dx, dy) {
      doc.transact(() => {
        for (const id of selection) {
          const entry = renderer.scene.get(id);
          if (entry) updateElement(doc, id, translatePatch(entry.el, dx, dy));
        }
        followBindings(doc, selection);
      }, LOCAL_ORIGIN);
    },
  };

  const cursorFor = (): string => {
    if (core.active?.kind === 'pan') return 'grabbing';
    if (core.spaceHeld) return 'grab';
    switch (core.tool) {
      case 'select':
        return 'default';
      case 'text':
        return 'text';
      default:
        return 'crosshair';
    }
  };

  return core;
}
