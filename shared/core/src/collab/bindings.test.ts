import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addElement,
  deleteElements,
  elementsMap,
  readBoard,
  updateElement,
  type ElementDraft,
} from './boardModel';
import { followBindings, placeArrow } from './bindings';
import { checkDocUpdate } from './docSchema';
import { readElement, type BoardElement, type LineElement } from './elements';
import { LOCAL_ORIGIN } from './origins';
import { makeBoardUndo } from './undo';

const style = { colour: '#112233', strokeWidth: 2 };
const rectDraft: ElementDraft = {
  type: 'rect',
  x: 100,
  y: 100,
  w: 100,
  h: 50,
  fill: null,
  ...style,
};

function setup() {
  const doc = new Y.Doc();
  const rect = addElement(doc, rectDraft);
  if (!rect.ok) throw new Error('rect');
  const arrow = addElement(
    doc,
    placeArrow(doc, {
      type: 'arrow' as const,
      x: 0,
      y: 125,
      w: 150,
      h: 0,
      ...style,
      endBinding: { id: rect.value.id, ax: 0.5, ay: 0.5, gap: 5 },
    }),
  );
  if (!arrow.ok) throw new Error('arrow');
  return { doc, rectId: rect.value.id, arrowId: arrow.value.id };
}

const get = (doc: Y.Doc, id: string): BoardElement => {
  const r = readElement(elementsMap(doc).get(id), id);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

/** the shape moved the way the select tool moves it: one transaction with followBindings */
function move(doc: Y.Doc, ids: string[], dx: number, dy: number) {
  doc.transact(() => {
    for (const id of ids) {
      const el = get(doc, id);
      updateElement(doc, id, { x: el.x + dx, y: el.y + dy });
    }
    followBindings(doc, new Set(ids));
  }, LOCAL_ORIGIN);
}

describe('arrow bindings in the document', () => {
  it('a new arrow stops at the outline; moving the shape moves its end in the same update', () => {
    const { doc, rectId, arrowId } = setup();
    expect(get(doc, arrowId)).toMatchObject({ x: 0, y: 125, w: 95, h: 0 });
    const bob = new Y.Doc();
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    move(doc, [rectId], 0, 200);
    expect(updates).toHaveLength(1);
    Y.applyUpdate(bob, updates[0]!);
    const a = get(bob, arrowId) as LineElement;
    expect(a.x).toBe(0);
    expect(a.y).toBe(125);
    expect(a.y + a.h).toBeGreaterThan(250); // now aims down at the moved shape
    expect(a.endBinding?.id).toBe(rectId);
  });

  it('one undo puts back the shape and the arrow', () => {
    const { doc, rectId, arrowId } = setup();
    const undo = makeBoardUndo(doc);
    const before = get(doc, arrowId);
    undo.stopCapturing();
    move(doc, [rectId], 50, 50);
    expect(get(doc, arrowId)).not.toEqual(before);
    undo.undo();
    expect(get(doc, arrowId)).toEqual(before);
    expect(get(doc, rectId)).toMatchObject({ x: 100, y: 100 });
  });

  it('deleting the shape detaches the arrow, which keeps its last points', () => {
    const { doc, rectId, arrowId } = setup();
    const before = get(doc, arrowId);
    deleteElements(doc, [rectId]);
    const after = get(doc, arrowId) as LineElement;
    expect(after.endBinding).toBeUndefined();
    expect({ ...after, endBinding: undefined }).toEqual({ ...before, endBinding: undefined });
    expect(readBoard(doc)).toHaveLength(1);
  });

  it('an arrow dragged away on its own lets go; dragged with its shape it stays attached', () => {
    const a = setup();
    move(a.doc, [a.arrowId, a.rectId], 10, 10);
    expect((get(a.doc, a.arrowId) as LineElement).endBinding?.id).toBe(a.rectId);
    move(a.doc, [a.arrowId], 0, -300);
    expect((get(a.doc, a.arrowId) as LineElement).endBinding).toBeUndefined();
  });

  it('a peer cannot store a binding that is not exactly { id, ax, ay, gap }', () => {
    const { doc, arrowId } = setup();
    const bob = new Y.Doc();
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(doc));
    const hostile = [
      { id: 'x', ax: 0, ay: 0, gap: 0, extra: 'y'.repeat(1000) },
      { id: 'bad id!', ax: 0, ay: 0, gap: 0 },
      { id: 'x', ax: 'a', ay: 0, gap: 0 },
      { id: 'x', ax: 0, ay: 0, gap: 0, nested: { deep: [1, 2, 3] } },
      'x|0|0|0',
    ];
    for (const value of hostile) {
      const mallory = new Y.Doc();
      Y.applyUpdate(mallory, Y.encodeStateAsUpdate(doc));
      const sv = Y.encodeStateVector(mallory);
      (elementsMap(mallory).get(arrowId) as Y.Map<unknown>).set('endBinding', value);
      const update = Y.encodeStateAsUpdate(mallory, sv);
      expect(checkDocUpdate(bob, update)).toMatchObject({ ok: false, code: 'ERR_DOC_SCHEMA' });
    }
    // and a reader given one anyway (an old stored board) refuses the element
    const raw = { ...get(doc, arrowId), endBinding: { id: 'x', ax: 1 } };
    expect(readElement(raw, arrowId)).toMatchObject({ ok: false, code: 'ERR_FIELD' });
  });

  it('clamps a binding that merely looks odd (anchor outside 0..1, huge gap)', () => {
    const { doc, arrowId } = setup();
    const raw = { ...get(doc, arrowId), startBinding: { id: 'x', ax: 7, ay: -2, gap: 1e9 } };
    expect(readElement(raw, arrowId)).toMatchObject({
      ok: true,
      value: { startBinding: { id: 'x', ax: 1, ay: 0, gap: 64 } },
    });
  });
});
