/**
 * Undo/redo of this client's own board edits. Y.UndoManager tracks only transactions whose
 * origin is LOCAL_ORIGIN, so remote peers' strokes are never undone by us, and an undo that
 * conflicts with a concurrent remote edit is resolved by the CRDT like any other edit.
 */
import * as Y from 'yjs';
import type { Unsubscribe } from '../types';
import { elementsMap } from './boardModel';
import { LOCAL_ORIGIN } from './origins';

export interface BoardUndo {
  undo(): boolean;
  redo(): boolean;
  canUndo(): boolean;
  canRedo(): boolean;
  /** close the current undo step (call at pointerup so the next gesture is its own step) */
  stopCapturing(): void;
  /** fires whenever canUndo/canRedo may have changed */
  onChange(fn: () => void): Unsubscribe;
  destroy(): void;
}

export interface BoardUndoOptions {
  /** edits closer together than this merge into one step unless stopCapturing() is called */
  captureTimeoutMs?: number;
}

export function makeBoardUndo(doc: Y.Doc, options: BoardUndoOptions = {}): BoardUndo {
  const manager = new Y.UndoManager(elementsMap(doc), {
    trackedOrigins: new Set([LOCAL_ORIGIN]),
    captureTimeout: options.captureTimeoutMs ?? 500,
  });
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const fn of listeners) fn();
  };
  const events = ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const;
  for (const name of events) manager.on(name, notify);
  let destroyed = false;
  return {
    undo: () => !destroyed && manager.undo() !== null,
    redo: () => !destroyed && manager.redo() !== null,
    canUndo: () => !destroyed && manager.canUndo(),
    canRedo: () => !destroyed && manager.canRedo(),
    stopCapturing: () => manager.stopCapturing(),
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const name of events) manager.off(name, notify);
      listeners.clear();
      manager.destroy();
    },
  };
}
