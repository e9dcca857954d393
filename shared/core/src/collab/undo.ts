/**
 * Undo/redo of this client's own board edits. Y.UndoManager tracks only transactions whose
 * origin is LOCAL_ORIGIN, so remote peers' strokes are never undone by us, and an undo that
 * conflicts with a concurrent remote edit is resolved by the CRDT like any other edit.
 *
 * What an undo step deleted is kept (not garbage collected) so that undo can restore it: after
 * "Clear board" the whole board stays in this document, is stored locally and is sent to every
 * newcomer. Yjs never collects it later, even when the step is dropped. So the history is
 * capped (UNDO_MAX_STEPS) and a step that leaves it, or the whole history on destroy(), is
 * released and collected here: what was cleared is then really gone.
 */
import * as Y from 'yjs';
import type { Unsubscribe } from '../types';
import { elementsMap } from './boardModel';
import { LOCAL_ORIGIN } from './origins';

/** Undo (and redo) steps kept; older ones are released and their deleted content collected. */
export const UNDO_MAX_STEPS = 100;

type StackItem = Y.UndoManager['undoStack'][number];

/** Y.UndoManager's keepItem(item, false): the item and its parents may be collected again. */
function release(item: Y.Item): void {
  for (let it: Y.Item | null = item; it !== null && it.keep;) {
    it.keep = false;
    const parent: Y.AbstractType<unknown> | Y.ID | null = it.parent;
    it = parent instanceof Y.AbstractType ? parent._item : null;
  }
}

/** Un-keep what these steps deleted and collect it (Yjs only collects at transaction end). */
function releaseSteps(doc: Y.Doc, steps: readonly StackItem[]): void {
  if (steps.length === 0) return;
  doc.transact((tr) => {
    for (const step of steps)
      Y.iterateDeletedStructs(tr, step.deletions, (s) => {
        if (s instanceof Y.Item) release(s);
      });
  });
  if (!doc.gc) return;
  for (const step of steps) Y.tryGc(step.deletions, doc.store, doc.gcFilter);
}

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
  const cap = (): void => {
    for (const stack of [manager.undoStack, manager.redoStack])
      if (stack.length > UNDO_MAX_STEPS)
        releaseSteps(doc, stack.splice(0, stack.length - UNDO_MAX_STEPS));
  };
  manager.on('stack-item-added', cap);
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
      manager.off('stack-item-added', cap);
      listeners.clear();
      const steps = [...manager.undoStack, ...manager.redoStack];
      manager.destroy();
      releaseSteps(doc, steps);
    },
  };
}
