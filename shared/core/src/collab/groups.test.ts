import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addElements, elementsMap, readBoard, type ElementDraft } from './boardModel';
import { checkDocUpdate } from './docSchema';
import { groupElements, ungroupElements, withGroups } from './groups';
import { makeBoardUndo } from './undo';

const draft = (x: number): ElementDraft => ({
  type: 'rect',
  x,
  y: 0,
  w: 10,
  h: 10,
  fill: null,
  colour: '#000000',
  strokeWidth: 2,
});

describe('groups', () => {
  it('groups and ungroups as one undo step each; a click on one selects the group', () => {
    const doc = new Y.Doc();
    const undo = makeBoardUndo(doc);
    const [a, b, c] = addElements(doc, [draft(0), draft(20), draft(40)]);
    undo.stopCapturing();
    const g = groupElements(doc, [a!.id, b!.id]);
    expect(g).not.toBeNull();
    const board = readBoard(doc);
    expect(board.filter((e) => e.group === g).map((e) => e.id)).toEqual([a!.id, b!.id]);
    expect(withGroups(board, [a!.id])).toEqual(new Set([a!.id, b!.id]));
    expect(withGroups(board, [c!.id])).toEqual(new Set([c!.id]));
    undo.stopCapturing();
    ungroupElements(doc, [a!.id, b!.id]);
    expect(readBoard(doc).every((e) => e.group === undefined)).toBe(true);
    undo.undo();
    expect(readBoard(doc).filter((e) => e.group === g)).toHaveLength(2);
    undo.undo();
    expect(readBoard(doc).every((e) => e.group === undefined)).toBe(true);
  });

  it('one element is not a group', () => {
    const doc = new Y.Doc();
    const [a] = addElements(doc, [draft(0)]);
    expect(groupElements(doc, [a!.id])).toBeNull();
  });

  it('a peer cannot store a group that is not an id', () => {
    const doc = new Y.Doc();
    const [a] = addElements(doc, [draft(0)]);
    for (const value of [42, 'not an id!', { id: 'x' }, 'g'.repeat(65)]) {
      const mallory = new Y.Doc();
      Y.applyUpdate(mallory, Y.encodeStateAsUpdate(doc));
      const sv = Y.encodeStateVector(mallory);
      (elementsMap(mallory).get(a!.id) as Y.Map<unknown>).set('group', value);
      const update = Y.encodeStateAsUpdate(mallory, sv);
      expect(checkDocUpdate(doc, update)).toMatchObject({ ok: false, code: 'ERR_DOC_SCHEMA' });
    }
  });

  it('a shape keeps its label; a peer cannot store one over the text limit', () => {
    const doc = new Y.Doc();
    const [a] = addElements(doc, [{ ...draft(0), label: 'Hello' } as ElementDraft]);
    expect(readBoard(doc)[0]).toMatchObject({ label: 'Hello' });
    const mallory = new Y.Doc();
    Y.applyUpdate(mallory, Y.encodeStateAsUpdate(doc));
    const sv = Y.encodeStateVector(mallory);
    (elementsMap(mallory).get(a!.id) as Y.Map<unknown>).set('label', 'x'.repeat(20_001));
    expect(checkDocUpdate(doc, Y.encodeStateAsUpdate(mallory, sv))).toMatchObject({
      ok: false,
      code: 'ERR_DOC_SCHEMA',
    });
  });
});
