/**
 * The inline text editor's sessions: a new text, an existing text element, or the label inside
 * a rectangle, ellipse or diamond. One session at a time; opening another commits the current
 * one. What is typed is written when the session ends (one undo step).
 */
import type * as Y from 'yjs';
import {
  addElement,
  deleteElements,
  followBindings,
  LOCAL_ORIGIN,
  updateElement,
  type BoardUndo,
} from '@peerboard/core/collab';
import type { BoardController, TextEditRequest } from './input/controller';
import { fontSizeFor } from './input/tools';
import { labelFontSize } from './render/labels';
import type { BoardRenderer } from './render/renderer';
import { measureText } from './render/textMeasure';

/** The inline text editor's state: a new text (id null) or an existing element. */
export interface TextEditing {
  /** which editing session (a late blur from a closed editor must not commit into a new one) */
  key: number;
  id: string | null;
  x: number;
  y: number;
  text: string;
  fontSize: number;
  colour: string;
  /** a shape's label: the box it wraps and centres in (world) */
  box?: { x: number; y: number; w: number; h: number };
}

export interface TextEditingSessions {
  open(req: TextEditRequest): void;
  /** end the session `key` (default: the current one), writing `text` */
  commit(text: string, key?: number): void;
  /** the editor's live text (kept so a click elsewhere commits what was typed) */
  setText(text: string): void;
}

export function makeTextEditing(o: {
  doc: Y.Doc;
  undo: BoardUndo;
  renderer: BoardRenderer;
  controller: BoardController;
  onChange(editing: TextEditing | null): void;
}): TextEditingSessions {
  const { doc, undo, renderer, controller } = o;
  let editing: TextEditing | null = null;
  let editKey = 0;
  const setEditing = (next: TextEditing | null): void => {
    editing = next;
    o.onChange(next);
  };

  const commit = (text: string, key?: number): void => {
    const current = editing;
    if (!current || (key !== undefined && key !== current.key)) return;
    setEditing(null);
    renderer.setOverlay({ hidden: new Set(), bareLabels: new Set() });
    const trimmed = text.replace(/\s+$/, '');
    if (current.box && current.id) {
      updateElement(doc, current.id, { label: trimmed });
      undo.stopCapturing();
      return;
    }
    const size = measureText(trimmed, current.fontSize);
    if (current.id) {
      const id = current.id;
      if (trimmed === '') deleteElements(doc, [id]);
      else
        doc.transact(() => {
          updateElement(doc, id, { text: trimmed, w: size.w, h: size.h });
          followBindings(doc, new Set([id]));
        }, LOCAL_ORIGIN);
    } else if (trimmed !== '') {
      addElement(doc, {
        type: 'text',
        x: current.x,
        y: current.y,
        w: size.w,
        h: size.h,
        text: trimmed,
        fontSize: current.fontSize,
        colour: current.colour,
        strokeWidth: controller.style().strokeWidth,
      });
    }
    undo.stopCapturing();
  };

  const open = (req: TextEditRequest): void => {
    commit(editing?.text ?? '');
    const existing = req.id ? renderer.scene.get(req.id)?.el : undefined;
    const style = controller.style();
    if (
      req.label &&
      (existing?.type === 'rect' || existing?.type === 'ellipse' || existing?.type === 'diamond')
    ) {
      const { x, y, w, h } = existing;
      setEditing({
        key: ++editKey,
        id: existing.id,
        x,
        y,
        text: existing.label ?? '',
        fontSize: labelFontSize(existing.strokeWidth),
        colour: existing.colour,
        box: { x, y, w, h },
      });
      renderer.setOverlay({ bareLabels: new Set([existing.id]) });
      return;
    }
    setEditing({
      key: ++editKey,
      id: req.id,
      x: req.x,
      y: req.y,
      text: existing?.type === 'text' ? existing.text : '',
      fontSize: existing?.type === 'text' ? existing.fontSize : fontSizeFor(style.strokeWidth),
      colour: existing ? existing.colour : style.colour,
    });
    renderer.setOverlay({ hidden: new Set(req.id ? [req.id] : []) });
  };

  return {
    open,
    commit,
    setText(text) {
      if (editing) setEditing({ ...editing, text });
    },
  };
}
