/**
 * An element's fields as created in one value (`base`), later changes under their own keys
 * (elements.ts BASE_KEY): what the layout must keep from one-key-per-field (merge, undo, clear
 * back to a default, old boards) and what it gains (one Yjs item per new element).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addElement,
  addElements,
  deleteElements,
  elementsMap,
  readBoard,
  updateElement,
  type ElementDraft,
} from './boardModel';
import { checkDocUpdate } from './docSchema';
import { BASE_KEY, readElement, storedFields } from './elements';
import { encodeFirstScreen } from './firstScreenPick';
import { makeBoardUndo } from './undo';

const rect: ElementDraft = {
  type: 'rect',
  x: 0,
  y: 0,
  w: 40,
  h: 30,
  colour: '#112233',
  strokeWidth: 2,
  fill: null,
};
const stroke: ElementDraft = {
  type: 'stroke',
  x: 5,
  y: 5,
  points: [0, 0, 0.5, 4, 4, 0.5, 9, 2, 0.5],
  colour: '#000000',
  strokeWidth: 3,
};

const yel = (doc: Y.Doc, id: string) => elementsMap(doc).get(id) as Y.Map<unknown>;

/** Two docs exchanging their updates only when `sync()` is called (concurrent edits). */
function pair(): { a: Y.Doc; b: Y.Doc; sync: () => void } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  };
  return { a, b, sync };
}

/** The board as an older version stored it: one Y.Map key per field, no base. */
function perFieldElement(doc: Y.Doc, id: string, draft: ElementDraft): void {
  const checked = readElement({ ...draft, id, author: doc.clientID, z: 'a0' }, id);
  if (!checked.ok) throw new Error(checked.message);
  const m = new Y.Map<unknown>();
  for (const [k, v] of storedFields(checked.value)) m.set(k, v);
  elementsMap(doc).set(id, m);
}

describe('element base value', () => {
  it('a new element is one value in one Yjs item; a 1,000-stroke board has ~2 structs per stroke', () => {
    const doc = new Y.Doc();
    const added = addElement(doc, stroke, 's1');
    if (!added.ok) throw new Error(added.message);
    expect([...yel(doc, 's1').keys()]).toEqual([BASE_KEY]);
    expect(readBoard(doc)).toEqual([added.value]);

    const big = new Y.Doc();
    addElements(
      big,
      Array.from({ length: 1000 }, (_, i) => ({ ...stroke, x: i })),
    );
    const { structs } = Y.decodeUpdate(Y.encodeStateAsUpdate(big));
    // the element's map entry and its base: was ~9 per stroke with a key per field
    expect(structs.length).toBe(2000);
  });

  it('concurrent edits of different fields of one element both survive; the same field converges', () => {
    const { a, b, sync } = pair();
    expect(addElement(a, rect, 'r1').ok).toBe(true);
    sync();
    expect(updateElement(a, 'r1', { x: 100, y: 50 }).ok).toBe(true);
    expect(updateElement(b, 'r1', { colour: '#e03131', w: 80 }).ok).toBe(true);
    sync();
    const want = expect.objectContaining({ x: 100, y: 50, w: 80, colour: '#e03131', h: 30 });
    expect(readBoard(a)).toEqual([want]);
    expect(readBoard(b)).toEqual(readBoard(a));

    expect(updateElement(a, 'r1', { colour: '#2f9e44' }).ok).toBe(true);
    expect(updateElement(b, 'r1', { colour: '#1971c2' }).ok).toBe(true);
    sync();
    expect(readBoard(b)).toEqual(readBoard(a));
    expect(['#2f9e44', '#1971c2']).toContain(readBoard(a)[0]!.colour);
  });

  it('a field set at creation returns to its default when cleared (ungroup, unlock, detach)', () => {
    const doc = new Y.Doc();
    const [shape, other, arrow] = addElements(doc, [
      { ...rect, group: 'g1', locked: true, opacity: 0.5, fillStyle: 'semi', label: 'hi' },
      { ...rect, x: 200, group: 'g1' },
      {
        type: 'arrow',
        x: 40,
        y: 15,
        w: 160,
        h: 0,
        colour: '#000000',
        strokeWidth: 2,
        startBinding: { id: 'zz', ax: 1, ay: 0.5, gap: 4 },
        endBinding: { id: 'yy', ax: 0, ay: 0.5, gap: 4 },
      },
    ]);
    const id = shape!.id;
    expect(updateElement(doc, id, { locked: false }).ok).toBe(true);
    const cleared = updateElement(doc, id, {
      group: null,
      opacity: 1,
      fillStyle: 'solid',
      label: '',
    });
    if (!cleared.ok) throw new Error(cleared.message);
    for (const key of ['group', 'locked', 'opacity', 'fillStyle', 'label'])
      expect(cleared.value).not.toHaveProperty(key);
    expect(readElement(yel(doc, id), id)).toEqual(cleared);
    expect(updateElement(doc, arrow!.id, { startBinding: null }).ok).toBe(true);
    expect(readElement(yel(doc, arrow!.id), arrow!.id)).toMatchObject({
      ok: true,
      value: { endBinding: { id: 'yy' } },
    });
    expect(readBoard(doc).find((e) => e.id === arrow!.id)).not.toHaveProperty('startBinding');
    // and what the clearing wrote is what a peer's schema check accepts
    expect(checkDocUpdate(new Y.Doc(), Y.encodeStateAsUpdate(doc)).ok).toBe(true);
    expect(readBoard(doc).find((e) => e.id === other!.id)).toMatchObject({ group: 'g1' });
  });

  it('deleting a shape detaches an arrow whose binding is in its base; undo brings both back', () => {
    const doc = new Y.Doc();
    const undo = makeBoardUndo(doc, { captureTimeoutMs: 0 });
    expect(addElement(doc, rect, 'r1').ok).toBe(true);
    const arrow: ElementDraft = {
      type: 'arrow',
      x: 100,
      y: 15,
      w: -60,
      h: 0,
      colour: '#000000',
      strokeWidth: 2,
      endBinding: { id: 'r1', ax: 1, ay: 0.5, gap: 0 },
    };
    expect(addElement(doc, arrow, 'a1').ok).toBe(true);
    deleteElements(doc, ['r1']);
    expect(readBoard(doc)).toEqual([
      expect.not.objectContaining({ endBinding: expect.anything() }),
    ]);
    undo.undo();
    expect(readBoard(doc).map((e) => e.id)).toEqual(['r1', 'a1']);
    expect(readBoard(doc)[1]).toMatchObject({ endBinding: { id: 'r1' } });
    undo.destroy();
  });

  it('undo of an edit shows the base value again', () => {
    const doc = new Y.Doc();
    const undo = makeBoardUndo(doc, { captureTimeoutMs: 0 });
    expect(addElement(doc, rect, 'r1').ok).toBe(true);
    expect(updateElement(doc, 'r1', { x: 300, colour: '#e03131' }).ok).toBe(true);
    undo.undo();
    expect(readBoard(doc)).toEqual([expect.objectContaining({ x: 0, colour: '#112233' })]);
    undo.redo();
    expect(readBoard(doc)).toEqual([expect.objectContaining({ x: 300, colour: '#e03131' })]);
    undo.destroy();
  });

  it('a board stored with a key per field (older versions) reads, edits and clears as before', () => {
    const old = new Y.Doc();
    perFieldElement(old, 'r1', { ...rect, group: 'g1' });
    perFieldElement(old, 's1', stroke);
    const mine = new Y.Doc();
    const update = Y.encodeStateAsUpdate(old);
    expect(checkDocUpdate(mine, update).ok).toBe(true);
    Y.applyUpdate(mine, update);
    expect(readBoard(mine).map((e) => e.id)).toEqual(['r1', 's1']);
    expect(updateElement(mine, 'r1', { x: 7, group: null }).ok).toBe(true);
    expect(yel(mine, 'r1').has('group')).toBe(false); // no base: a cleared field has no key
    expect(yel(mine, 'r1').has(BASE_KEY)).toBe(false);
    expect(readBoard(mine)[0]).toMatchObject({ x: 7 });
    expect(readBoard(mine)[0]).not.toHaveProperty('group');
    expect(readBoard(mine)[1]).toMatchObject({ points: [0, 0, 0.5, 4, 4, 0.5, 9, 2, 0.5] });
  });

  it('a field first set on an element the receiver has deleted is accepted and dropped, as Yjs drops it', () => {
    const { a, b, sync } = pair();
    expect(addElement(a, rect, 'r1').ok).toBe(true);
    sync();
    const before = Y.encodeStateVector(b);
    expect(updateElement(b, 'r1', { label: 'late' }).ok).toBe(true); // a key the base lacks
    const late = Y.encodeStateAsUpdate(b, before);
    deleteElements(a, ['r1']);
    const gone = new Y.Doc();
    Y.applyUpdate(gone, Y.encodeStateAsUpdate(a));
    expect(checkDocUpdate(gone, late).ok).toBe(true);
    Y.applyUpdate(gone, late);
    expect(readBoard(gone)).toEqual([]);
  });

  it("the first screen copies an element's current fields as one base value", () => {
    const doc = new Y.Doc();
    expect(addElement(doc, rect, 'r1').ok).toBe(true);
    expect(updateElement(doc, 'r1', { x: 9, label: 'moved' }).ok).toBe(true);
    const update = encodeFirstScreen(doc, ['r1']);
    if (!update) throw new Error('no first screen');
    const copy = new Y.Doc();
    expect(checkDocUpdate(copy, update).ok).toBe(true);
    Y.applyUpdate(copy, update);
    expect([...yel(copy, 'r1').keys()]).toEqual([BASE_KEY]);
    expect(readBoard(copy)).toEqual(readBoard(doc));
  });
});

describe('the schema check on base values', () => {
  const refused = (edit: (m: Y.Map<unknown>, doc: Y.Doc) => void) => {
    const doc = new Y.Doc();
    expect(addElement(doc, stroke, 's1').ok).toBe(true);
    const mine = new Y.Doc();
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(doc));
    const sv = Y.encodeStateVector(doc);
    doc.transact(() => edit(yel(doc, 's1'), doc));
    return checkDocUpdate(mine, Y.encodeStateAsUpdate(doc, sv));
  };
  const newBase = (fields: unknown) => (_m: Y.Map<unknown>, doc: Y.Doc) => {
    const m = new Y.Map<unknown>();
    m.set(BASE_KEY, fields);
    elementsMap(doc).set('n1', m);
  };
  const fine = { type: 'rect', id: 'n1', author: 1, z: 'a5', x: 0, y: 0, w: 1, h: 1 };

  it('accepts a valid new element and the clearing values', () => {
    expect(refused(newBase({ ...fine, colour: '#000000', strokeWidth: 1, fill: null })).ok).toBe(
      true,
    );
    expect(refused((m) => m.set('group', null)).ok).toBe(true);
    expect(refused((m) => m.set('startBinding', null)).ok).toBe(true);
  });

  it.each([
    ['an unknown field', { ...fine, evil: 'x'.repeat(100_000) }],
    ['a list', [fine]],
    ['text', 'rect'],
    ['bytes', new Uint8Array(8)],
    ['a kind no reader draws', { ...fine, type: 'star' }],
    ['an oversize field', { ...fine, colour: 'x'.repeat(10_000) }],
    ['damaged stroke points', { ...fine, type: 'stroke', pts: Uint8Array.of(99, 1, 2) }],
    ['a lock no reader takes', { ...fine, locked: 'no' }],
    ['a nested prototype', JSON.parse('{"__proto__": {"x": 1}, "type": "rect"}') as unknown],
  ])('refuses a base value that is %s', (_what, value) => {
    const r = refused(newBase(value));
    expect(r).toMatchObject({ ok: false, code: 'ERR_DOC_SCHEMA' });
  });

  it('refuses a group or binding that is neither null nor valid', () => {
    expect(refused((m) => m.set('group', 5))).toMatchObject({ ok: false });
    expect(refused((m) => m.set('endBinding', { id: 'x' }))).toMatchObject({ ok: false });
  });
});
