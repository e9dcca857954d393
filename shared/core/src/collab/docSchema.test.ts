import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { chatArray, sendChatMessage } from '../chat/chatModel';
import {
  addElement,
  clearBoard,
  deleteElements,
  elementsMap,
  reorderElements,
  updateElement,
  type ElementDraft,
} from './boardModel';
import { checkDocStructs, checkDocUpdate, DOC_SCHEMA_LIMITS } from './docSchema';
import { readStructRecords } from './structRecords';
import { makeBoardUndo } from './undo';
import { LOCAL_ORIGIN } from './origins';

const rect: ElementDraft = {
  type: 'rect',
  x: 1,
  y: 2,
  w: 3,
  h: 4,
  colour: '#112233',
  strokeWidth: 2,
  fill: null,
};

/** Every update `edit` makes on `doc`, each checked against a replica that has the rest. */
function updatesOf(doc: Y.Doc, edit: () => void): Uint8Array[] {
  const out: Uint8Array[] = [];
  const on = (u: Uint8Array) => out.push(u);
  doc.on('update', on);
  edit();
  doc.off('update', on);
  return out;
}

function replicaOf(doc: Y.Doc): Y.Doc {
  const r = new Y.Doc();
  Y.applyUpdate(r, Y.encodeStateAsUpdate(doc));
  return r;
}

const codeOf = (doc: Y.Doc, update: Uint8Array) => {
  const r = checkDocUpdate(doc, update);
  return r.ok ? 'ok' : r.code;
};

describe('checkDocUpdate', () => {
  it('accepts every edit the app makes, step by step and as a full state', () => {
    const doc = new Y.Doc();
    const replica = new Y.Doc();
    const steps: (() => void)[] = [
      () => addElement(doc, rect, 'a1'),
      () =>
        addElement(
          doc,
          {
            type: 'text',
            x: 0,
            y: 0,
            w: 10,
            h: 10,
            colour: '#000000',
            strokeWidth: 1,
            text: 'hi',
            fontSize: 12,
          },
          't1',
        ),
      () =>
        addElement(doc, {
          type: 'stroke',
          x: 0,
          y: 0,
          colour: '#000000',
          strokeWidth: 2,
          points: [0, 0, 0.5, 1, 1, 0.5],
        }),
      () => updateElement(doc, 'a1', { x: 50, colour: '#445566' }),
      () => updateElement(doc, 't1', { text: 'hello' }),
      () => reorderElements(doc, ['a1'], 'back'),
      () => reorderElements(doc, ['a1'], 'forward'),
      () =>
        addElement(
          doc,
          { ...rect, type: 'diamond', fill: '#ff0000', fillStyle: 'semi', opacity: 0.5 },
          'd1',
        ),
      () => updateElement(doc, 'd1', { fill: null, fillStyle: 'solid', locked: true }),
      () => updateElement(doc, 'd1', { locked: false }),
      () => sendChatMessage(doc, { name: 'Ann', colour: '#123456' }, 'hello'),
      () => sendChatMessage(doc, { name: 'Ann', colour: '#123456' }, 'again'),
      () => deleteElements(doc, ['t1']),
      () => clearBoard(doc),
    ];
    for (const step of steps)
      for (const u of updatesOf(doc, step)) {
        expect(checkDocUpdate(replica, u)).toMatchObject({ ok: true });
        Y.applyUpdate(replica, u);
      }
    expect(checkDocUpdate(new Y.Doc(), Y.encodeStateAsUpdate(doc))).toMatchObject({ ok: true });
    // what the replica already has counts as nothing new
    const again = checkDocUpdate(replica, Y.encodeStateAsUpdate(doc));
    expect(again.ok && again.value.newBytes).toBe(0);
  });

  it('refuses unknown root types, junk keys, unknown fields, nested types and oversize values', () => {
    const base = new Y.Doc();
    addElement(base, rect, 'a1');
    sendChatMessage(base, { name: 'Ann', colour: '#123456' }, 'hi');
    const attack = (edit: (d: Y.Doc) => void): string => {
      const evil = replicaOf(base);
      const [u] = updatesOf(evil, () => evil.transact(() => edit(evil), LOCAL_ORIGIN));
      return codeOf(base, u!);
    };
    const huge = 'x'.repeat(1_000_000);
    expect(attack((d) => d.getText('junk').insert(0, huge))).toBe('ERR_DOC_SCHEMA');
    expect(attack((d) => d.getMap('elements2').set('a', 1))).toBe('ERR_DOC_SCHEMA');
    expect(attack((d) => elementsMap(d).set('not an id!', new Y.Map()))).toBe('ERR_DOC_SCHEMA');
    expect(attack((d) => elementsMap(d).set('plain', { type: 'rect' }))).toBe('ERR_DOC_SCHEMA');
    const element = (d: Y.Doc) => elementsMap(d).get('a1') as Y.Map<unknown>;
    expect(attack((d) => element(d).set('evil', huge))).toBe('ERR_DOC_SCHEMA');
    expect(attack((d) => element(d).set('colour', huge))).toBe('ERR_DOC_SCHEMA');
    expect(attack((d) => element(d).set('text', huge))).toBe('ERR_DOC_SCHEMA');
    expect(attack((d) => element(d).set('points', ['a', 'b', 'c']))).toBe('ERR_DOC_SCHEMA');
    expect(attack((d) => element(d).set('points', new Array(70_000).fill(1)))).toBe(
      'ERR_DOC_SCHEMA',
    );
    expect(attack((d) => element(d).set('x', new Y.Text('nested')))).toBe('ERR_DOC_SCHEMA');
    expect(attack((d) => element(d).set('fill', { deep: huge }))).toBe('ERR_DOC_SCHEMA');
    expect(attack((d) => chatArray(d).push([new Y.Map()]))).toBe('ERR_DOC_SCHEMA');
    expect(attack((d) => chatArray(d).push(['just a string']))).toBe('ERR_DOC_SCHEMA');
    expect(attack((d) => chatArray(d).push([{ text: huge }]))).toBe('ERR_DOC_SCHEMA');
    // the field limit is on the value's JSON: 512 characters, escapes counted
    const limit = DOC_SCHEMA_LIMITS.fieldMaxChars;
    expect(attack((d) => element(d).set('colour', 'x'.repeat(limit - 2)))).toBe('ok');
    expect(attack((d) => element(d).set('colour', 'x'.repeat(limit - 1)))).toBe('ERR_DOC_SCHEMA');
    // a control character is six in JSON (\u0001): 85 of them are 512, 86 are over
    const escaped = (n: number) => '\u0001'.repeat(n);
    expect(attack((d) => element(d).set('colour', escaped((limit - 2) / 6)))).toBe('ok');
    expect(attack((d) => element(d).set('colour', escaped((limit - 2) / 6 + 1)))).toBe(
      'ERR_DOC_SCHEMA',
    );
    expect(attack((d) => element(d).set('x', 1e300))).toBe('ok');
    // an overwrite (an item with a left origin and no parent written) is placed like its origin
    expect(attack((d) => element(d).set('x', 5))).toBe('ok');
    expect(attack((d) => chatArray(d).insert(1, [{ id: 'm', text: 'x' }]))).toBe('ok');
  });

  it('refuses a kind, fill, fill style, lock or opacity no reader accepts', () => {
    const base = new Y.Doc();
    addElement(base, rect, 'a1');
    const attack = (edit: (el: Y.Map<unknown>) => void): string => {
      const evil = replicaOf(base);
      const el = elementsMap(evil).get('a1') as Y.Map<unknown>;
      const [u] = updatesOf(evil, () => evil.transact(() => edit(el), LOCAL_ORIGIN));
      return codeOf(base, u!);
    };
    expect(attack((el) => el.set('type', 'hexagon'))).toBe('ERR_DOC_SCHEMA');
    expect(attack((el) => el.set('fill', 'url(#x)'))).toBe('ERR_DOC_SCHEMA');
    expect(attack((el) => el.set('fill', 12))).toBe('ERR_DOC_SCHEMA');
    expect(attack((el) => el.set('fillStyle', 'hatched'))).toBe('ERR_DOC_SCHEMA');
    expect(attack((el) => el.set('locked', 'yes'))).toBe('ERR_DOC_SCHEMA');
    expect(attack((el) => el.set('opacity', 7))).toBe('ERR_DOC_SCHEMA');
    expect(attack((el) => el.set('opacity', -1))).toBe('ERR_DOC_SCHEMA');
    // the same fields with good values pass
    expect(attack((el) => el.set('type', 'diamond'))).toBe('ok');
    expect(attack((el) => el.set('fill', '#00ff00'))).toBe('ok');
    expect(attack((el) => el.set('fillStyle', 'semi'))).toBe('ok');
    expect(attack((el) => el.set('locked', true))).toBe('ok');
    expect(attack((el) => el.set('opacity', 0.4))).toBe('ok');
  });

  it('refuses content hanging off items the document does not have, and garbage', () => {
    const a = new Y.Doc();
    const [first] = updatesOf(a, () => addElement(a, rect, 'a1'));
    const [second] = updatesOf(a, () => updateElement(a, 'a1', { x: 9 }));
    // the second depends on the first, which this document has not seen
    expect(codeOf(new Y.Doc(), second!)).toBe('ERR_DOC_UNRESOLVED');
    const ready = new Y.Doc();
    Y.applyUpdate(ready, first!);
    expect(codeOf(ready, second!)).toBe('ok');
    expect(codeOf(ready, new Uint8Array([1, 2, 3, 4, 5]))).toBe('ERR_DOC_MALFORMED');
  });

  it('a newcomer accepts a board whose moved-then-cleared values Yjs merged (kept for undo)', () => {
    // Regression (board E2E, phone joining after clear + undo): successive values of one field,
    // all deleted by Clear but kept by the undo manager, are merged by Yjs into one item with
    // several values; the whole board was refused as "not one JSON value".
    const doc = new Y.Doc();
    const undo = makeBoardUndo(doc, { captureTimeoutMs: 0 });
    const added = addElement(doc, rect);
    const id = added.ok ? added.value.id : '';
    updateElement(doc, id, { x: 10 });
    updateElement(doc, id, { x: 20 });
    updateElement(doc, id, { x: 30 });
    clearBoard(doc);
    undo.undo();
    const state = Y.encodeStateAsUpdate(doc);
    const merged = (Y.decodeUpdate(state).structs as { content?: { arr?: unknown[] } }[]).some(
      (s) => (s.content?.arr?.length ?? 0) > 1,
    );
    expect(merged).toBe(true); // the shape this test is about is really in the update
    expect(checkDocUpdate(new Y.Doc(), state).ok).toBe(true);
    undo.destroy();
  });

  it("finds an item's parent among its client's structs when that client comes in two runs", () => {
    // Yjs writes one run per client; the check's index keeps ranges of the records for that
    // and its own list for a client that comes back: the element's fields (second run) hang
    // off its map, which is in the first run
    const alice = new Y.Doc();
    const entry = updatesOf(alice, () => {
      alice.transact(() => elementsMap(alice).set('r1', new Y.Map()));
    })[0]!;
    const fields = updatesOf(alice, () => {
      const yel = elementsMap(alice).get('r1') as Y.Map<unknown>;
      alice.transact(() => {
        yel.set('type', 'rect');
        yel.set('colour', '#112233');
      });
    })[0]!;
    const bob = new Y.Doc();
    const other = updatesOf(bob, () => void addElement(bob, rect))[0]!;
    const records = [entry, other, fields].flatMap((u) => readStructRecords(u));
    expect(new Set(records.map((r) => r.id.client)).size).toBe(2);
    const r = checkDocStructs(new Y.Doc(), records);
    expect(r.ok ? 'ok' : r.code).toBe('ok');
    // without the first run the fields hang off nothing: the same lookup fails
    const orphan = checkDocStructs(
      new Y.Doc(),
      [other, fields].flatMap((u) => readStructRecords(u)),
    );
    expect(orphan.ok ? 'ok' : orphan.code).toBe('ERR_DOC_UNRESOLVED');
  });
});
