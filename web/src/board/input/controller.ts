/**
 * Input for the board, framework-free: pointer events (mouse, pen, touch with two-finger
 * pan/pinch), wheel, keyboard shortcuts, selection, the camera, and publishing our cursor,
 * selection and the shape being drawn through awareness. makeBoard (../makeBoard.ts) listens
 * to its events.
 *
 * The parts: inputCore.ts (shared state and operations), pointerInput.ts (pointer, wheel,
 * clicks), toolGestures.ts (what a press starts per tool), keyboardInput.ts (shortcuts),
 * gestures.ts (each gesture), presencePublisher.ts (awareness, once per frame).
 */
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { BoardUndo } from '@peerboard/core/collab';
import { makeEmitter } from '@peerboard/core';
import type { Unsubscribe } from '@peerboard/core';
import { makeInputCore, type ControllerEvents } from './inputCore';
import { makeKeyboardInput } from './keyboardInput';
import { attachPointerInput } from './pointerInput';
import { makePresencePublisher, type PresencePublisher } from '../presencePublisher';
import type { BoardRenderer } from '../render/renderer';
import type { DrawStyle, Tool } from './tools';
import type { Viewport } from '../viewport';

export type { ControllerEvents, TextEditRequest } from './inputCore';

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
  grid(): boolean;
  setGrid(on: boolean): void;
  /** the pointer on the board (world), null when it is elsewhere */
  pointer(): { x: number; y: number } | null;
  /** merge into our next presence broadcast (at most one per frame) */
  publish(patch: Parameters<PresencePublisher['set']>[0]): void;
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

export function makeBoardController(o: ControllerOptions): BoardController {
  const events = makeEmitter<ControllerEvents>();
  const presence = makePresencePublisher(o.awareness);
  const core = makeInputCore({
    doc: o.doc,
    undo: o.undo,
    renderer: o.renderer,
    surface: o.surface,
    events,
    presence,
  });
  const detachPointer = attachPointerInput(core);
  const keyboard = makeKeyboardInput(core);
  const onBlur = (): void => keyboard.blur();
  window.addEventListener('blur', onBlur);
  let destroyed = false;

  return {
    on: (event, fn) => events.on(event, fn),
    tool: () => core.tool,
    setTool: core.setTool,
    setStyle(patch) {
      core.style = { ...core.style, ...patch };
    },
    style: () => core.style,
    selection: () => [...core.selection],
    setSelection: core.setSelection,
    deleteSelection: core.deleteSelection,
    setViewport: (v) => {
      core.movedView = true;
      core.setViewport(v);
    },
    zoomBy: core.zoomBy,
    zoomToFit: core.zoomToFit,
    userMovedView: () => core.movedView,
    pointer: () => core.pointer,
    grid: () => core.grid,
    setGrid: (on) => core.setGrid(on),
    publish: (patch) => presence.set(patch),
    keyDown: keyboard.keyDown,
    keyUp: keyboard.keyUp,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (core.active?.kind === 'tool') core.active.gesture.cancel();
      presence.destroy();
      detachPointer();
      window.removeEventListener('blur', onBlur);
      events.clear();
    },
  };
}
