import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seededRandom } from '../../test/kit/seededRandom';
import { addElement, elementsMap, updateElement } from './boardModel';
import { makeDocUpdates } from './docUpdates';
import { readStructRecords, type StructRecord } from './structRecords';
import { makeUpdateGate } from './updateGate';

/** What Y.decodeUpdate makes of the same bytes, in the records' terms. */
function yjsView(update: Uint8Array) {
  return (Y.decodeUpdate(update).structs as (Y.Item | Y.GC | Y.Skip)[]).map((s) => ({
    id: [s.id.client, s.id.clock],
    length: s.length,
    gap: !(s instanceof Y.Item),
    ...(s instanceof Y.Item
      ? {
          origin: s.origin && [s.origin.client, s.origin.clock],
          rightOrigin: s.rightOrigin && [s.rightOrigin.client, s.rightOrigin.clock],
          parent: s.parent instanceof Y.ID ? [s.parent.client, s.parent.clock] : s.parent,
          parentSub: s.parentSub,
        }
      : {}),
  }));
}

function recordView(records: StructRecord[]) {
  return records.map((r) => ({
    id: [r.id.client, r.id.clock],
    length: r.length,
    gap: r.gap,
    ...(r.gap
      ? {}
      : {
          origin: r.origin && [r.origin.client, r.origin.clock],
          rightOrigin: r.rightOrigin && [r.rightOrigin.client, r.rightOrigin.clock],
          parent: r.parent instanceof Y.ID ? [r.parent.client, r.parent.clock] : r.parent,
          parentSub: r.parentSub,
        }),
  }));
}

/** Random edits with every kind of content Yjs writes (not only what the room schema allows). */
function randomDocs(seed: number): Y.Doc[] {
  const r = seededRandom(seed);
  const docs = [new Y.Doc(), new Y.Doc()];
  for (let step = 0; step < 60; step++) {
    const doc = docs[Math.floor(r() * docs.length)]!;
    const pick = Math.floor(r() * 9);
    const map = doc.getMap('m');
    const arr = doc.getArray<unknown>('a');
    const text = doc.getText('t');
    if (pick === 0) map.set(`k${Math.floor(r() * 5)}`, Math.floor(r() * 100));
    else if (pick === 1) map.set('bin', new Uint8Array([1, 2, Math.floor(r() * 255)]));
    else if (pick === 2) arr.insert(0, [1, 'two', { three: [3] }, null]);
    else if (pick === 3 && arr.length > 0) arr.delete(0, Math.min(arr.length, 2));
    else if (pick === 4) text.insert(0, 'hello', r() < 0.5 ? { bold: true } : undefined);
    else if (pick === 5) text.insertEmbed(0, { image: 'x' });
    else if (pick === 6) map.set('nested', new Y.Map([['a', 1]]));
    else if (pick === 7)
      doc.getXmlFragment('x').insert(0, [new Y.XmlElement('p'), new Y.XmlText('t')]);
    else map.set('doc', new Y.Doc());
    if (r() < 0.3) Y.applyUpdate(docs[0]!, Y.encodeStateAsUpdate(docs[1]!));
  }
  return docs;
}

describe('struct records (what Yjs reads, written down as it reads)', () => {
  it('match Y.decodeUpdate struct for struct, for every kind of content (seeded)', () => {
    for (let seed = 1; seed <= 8; seed++) {
      for (const doc of randomDocs(seed)) {
        const update = Y.encodeStateAsUpdate(doc);
        expect(recordView(readStructRecords(update)), `seed ${seed}`).toEqual(yjsView(update));
        // and a diff against a partial state (GC'd and skipped ranges, offsets)
        const partial = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(randomDocs(seed + 99)[0]!));
        expect(recordView(readStructRecords(partial))).toEqual(yjsView(partial));
      }
    }
  });

  it('merged updates with Skip structs are recorded like Yjs reads them', () => {
    const a = new Y.Doc();
    const updates: Uint8Array[] = [];
    a.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 5; i++) a.getArray('a').insert(0, [i]);
    const gappy = Y.mergeUpdates([updates[0]!, updates[2]!, updates[4]!]);
    expect(recordView(readStructRecords(gappy)).some((r) => r.gap)).toBe(true);
    expect(recordView(readStructRecords(gappy))).toEqual(yjsView(gappy));
  });
});

/** A board of `n` strokes as one update, made by another peer. */
function board(n: number): { doc: Y.Doc; update: Uint8Array } {
  const doc = new Y.Doc();
  for (let i = 0; i < n; i++)
    addElement(doc, {
      type: 'stroke',
      x: i,
      y: i,
      colour: '#112233',
      strokeWidth: 2,
      points: [0, 0, 0.5, 4, 4, 0.5],
    });
  return { doc, update: Y.encodeStateAsUpdate(doc) };
}

describe('the update gate checks and applies from one decode', () => {
  it('an accepted update gives the same document as Y.applyUpdate', () => {
    const { update } = board(50);
    const mine = new Y.Doc();
    const gate = makeUpdateGate(mine, makeDocUpdates(mine));
    expect(gate.offer('peer', update, true)).toBe(true);
    const plain = new Y.Doc();
    Y.applyUpdate(plain, update);
    expect(Y.encodeStateAsUpdate(mine)).toEqual(Y.encodeStateAsUpdate(plain));
    expect(elementsMap(mine).size).toBe(50);
  });

  it('a refusal in the last struct, a junk root or the budget leaves the document byte-identical', () => {
    const mine = new Y.Doc();
    const gate = makeUpdateGate(mine, makeDocUpdates(mine), { maxBytes: 64 * 1024 });
    const refused: string[] = [];
    gate.onRefused((r) => refused.push(r.code));
    expect(gate.offer('peer', board(5).update, true)).toBe(true);
    const before = Y.encodeStateAsUpdate(mine);
    const roots = [...mine.share.keys()];

    // 200 valid strokes, and as the very last struct read a field no reader knows
    const { doc: mallory } = board(200);
    const last = [...elementsMap(mallory).values()].at(-1) as Y.Map<unknown>;
    const sv = Y.encodeStateVector(mallory);
    last.set('junk', 1);
    const junkLast = Y.encodeStateAsUpdate(mallory);
    // a root type nobody reads, after valid content
    mallory.getMap('extra').set('x', 1);
    const junkRoot = Y.encodeStateAsUpdate(mallory, sv);
    // valid content, more than the document's ceiling
    const big = board(600).update;

    for (const update of [junkLast, junkRoot, big]) {
      expect(gate.offer('peer', update, true)).toBe(false);
      expect(Y.encodeStateAsUpdate(mine)).toEqual(before);
      expect([...mine.share.keys()]).toEqual(roots);
    }
    expect(refused).toEqual(['ERR_DOC_SCHEMA', 'ERR_DOC_SCHEMA', 'ERR_DOC_FULL']);
    expect(elementsMap(mine).size).toBe(5);
  });

  it('bytes that lie about their struct count or end early are refused, the document untouched', () => {
    const mine = new Y.Doc();
    const gate = makeUpdateGate(mine, makeDocUpdates(mine));
    const { doc, update } = board(3);
    const first = [...elementsMap(doc).keys()][0]!;
    updateElement(doc, first, { x: 9 });
    const codes: string[] = [];
    gate.onRefused((r) => codes.push(r.code));
    // [clients][structs]...: announce one struct more than there are, then cut the bytes short
    const lying = update.slice();
    lying[1] = lying[1]! + 1;
    for (const bad of [lying, update.subarray(0, update.length - 3), update.subarray(0, 9)]) {
      expect(gate.offer('peer', bad, true)).toBe(false);
      expect(Y.encodeStateAsUpdate(mine)).toEqual(Y.encodeStateAsUpdate(new Y.Doc()));
    }
    expect(codes.every((c) => c === 'ERR_DOC_MALFORMED')).toBe(true);
    expect(codes).toHaveLength(3);
  });

  it('whole structs with a delete set cut short are refused before any struct is integrated', () => {
    const mine = new Y.Doc();
    const gate = makeUpdateGate(mine, makeDocUpdates(mine));
    const { doc, update: before } = board(3);
    for (const id of elementsMap(doc).keys()) updateElement(doc, id, { x: 7 });
    const update = Y.encodeStateAsUpdate(doc);
    // the update ends with its delete set (the replaced x values): drop its last byte
    expect(update.length).toBeGreaterThan(before.length);
    const codes: string[] = [];
    gate.onRefused((r) => codes.push(r.code));
    expect(gate.offer('peer', update.subarray(0, update.length - 1), true)).toBe(false);
    expect(codes).toEqual(['ERR_DOC_MALFORMED']);
    expect(Y.encodeStateAsUpdate(mine)).toEqual(Y.encodeStateAsUpdate(new Y.Doc()));
    expect(elementsMap(mine).size).toBe(0);
  });
});
