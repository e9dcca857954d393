import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addElement,
  addElements,
  clearBoard,
  deleteElements,
  elementsMap,
  readBoard,
  reorderElements,
  updateElement,
  type ElementDraft,
} from './boardModel';
import { observeBoard, type BoardChange } from './boardObserver';
import { makeDocUpdates, RemoteOrigin } from './docUpdates';
import { makeBoardUndo, UNDO_MAX_STEPS } from './undo';
import { seededRandom } from '../../test/kit/seededRandom';

const rect: ElementDraft = {
  type: 'rect',
  x: 0,
  y: 0,
  w: 10,
  h: 10,
  colour: '#112233',
  strokeWidth: 2,
  fill: null,
};
const stroke: ElementDraft = {
  type: 'stroke',
  x: 5,
  y: 5,
  points: [0, 0, 0.5, 1, 1, 0.5],
  colour: '#000000',
  strokeWidth: 3,
};

/** two docs wired directly: every update of one is applied to the other */
function syncedPair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== b && Y.applyUpdate(b, u, a));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== a && Y.applyUpdate(a, u, b));
  return [a, b];
}

describe('board model', () => {
  it('adds on top, updates only given fields, deletes and clears', () => {
    const doc = new Y.Doc();
    const r1 = addElement(doc, rect);
    const r2 = addElement(doc, stroke);
    if (!r1.ok || !r2.ok) throw new Error('add failed');
    expect(r1.value.author).toBe(doc.clientID);
    expect(readBoard(doc).map((e) => e.id)).toEqual([r1.value.id, r2.value.id]);
    const moved = updateElement(doc, r1.value.id, { x: 50, colour: '#ABCDEF', points: [1, 1, 1] });
    expect(moved.ok && moved.value.type === 'rect' && [moved.value.x, moved.value.colour]).toEqual([
      50,
      '#abcdef',
    ]);
    expect(elementsMap(doc).get(r1.value.id) instanceof Y.Map).toBe(true);
    expect((elementsMap(doc).get(r1.value.id) as Y.Map<unknown>).has('points')).toBe(false);
    expect(updateElement(doc, r1.value.id, { x: NaN }).ok).toBe(false);
    expect(updateElement(doc, 'missing', { x: 1 }).ok).toBe(false);
    reorderElements(doc, [r2.value.id], 'back');
    expect(readBoard(doc).map((e) => e.id)).toEqual([r2.value.id, r1.value.id]);
    reorderElements(doc, [r2.value.id], 'front');
    expect(readBoard(doc).map((e) => e.id)).toEqual([r1.value.id, r2.value.id]);
    deleteElements(doc, [r1.value.id, 'missing']);
    expect(readBoard(doc).map((e) => e.id)).toEqual([r2.value.id]);
    clearBoard(doc);
    expect(readBoard(doc)).toEqual([]);
    expect(addElement(doc, { ...rect, colour: 'red' }).ok).toBe(false);
    expect(readBoard(doc)).toEqual([]);
  });

  it('concurrent move and recolour of one element both survive', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const r = addElement(a, rect);
    if (!r.ok) throw new Error('add');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    updateElement(a, r.value.id, { x: 100, y: 200 });
    updateElement(b, r.value.id, { colour: '#ff00ff' });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const [ea] = readBoard(a);
    expect(ea).toMatchObject({ x: 100, y: 200, colour: '#ff00ff' });
    expect(readBoard(b)).toEqual(readBoard(a));
  });

  it('observeBoard reports added / updated / removed per transaction', () => {
    const [a, b] = syncedPair();
    const seen: BoardChange[] = [];
    const off = observeBoard(b, (c) => seen.push(c));
    const r = addElement(a, rect);
    if (!r.ok) throw new Error('add');
    updateElement(a, r.value.id, { w: 30 });
    // a hostile write: a valid key holding garbage is reported as removed, never thrown
    a.transact(() => elementsMap(a).set('junk', 42));
    deleteElements(a, [r.value.id]);
    off();
    off();
    addElement(a, rect);
    expect(
      seen.map((c) => [c.added.length, c.updated.map((e) => e.id), c.removed, c.local]),
    ).toEqual([
      [1, [], [], false],
      [0, [r.value.id], [], false],
      [0, [], ['junk'], false],
      [0, [], [r.value.id], false],
    ]);
    expect(seen[1]?.updated[0]).toMatchObject({ w: 30 });
  });

  it("observeBoard's added / updated match Yjs's own key actions (random transactions, seeded)", () => {
    // the reference: observeBoard as it was, from Yjs's event.changes.keys for every key
    const reference = (doc: Y.Doc, out: string[][]) => {
      const map = elementsMap(doc);
      const handler = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
        const touched = new Map<string, boolean>();
        for (const ev of events) {
          if (ev.target === map)
            ev.changes.keys.forEach((c, key) =>
              touched.set(key, c.action === 'add' || touched.get(key) === true),
            );
          else if (!touched.has(ev.path[0] as string)) touched.set(ev.path[0] as string, false);
        }
        const seen = [...touched].map(([id, created]) =>
          map.get(id) === undefined ? `${id}:removed` : `${id}:${created ? 'added' : 'updated'}`,
        );
        if (seen.length > 0) out.push(seen.sort());
      };
      map.observeDeep(handler);
      return () => map.unobserveDeep(handler);
    };
    const asActions = (c: BoardChange): string[] =>
      [
        ...c.added.map((e) => `${e.id}:added`),
        ...c.updated.map((e) => `${e.id}:updated`),
        ...c.removed.map((id) => `${id}:removed`),
      ].sort();
    const ids = ['k0', 'k1', 'k2', 'k3'];
    const fresh = (doc: Y.Doc, id: string) => {
      const yel = new Y.Map<unknown>();
      yel.set('base', { ...rect, id, z: 'a0', author: doc.clientID });
      return yel;
    };
    const random = seededRandom(41);
    const rnd = (n: number) => Math.floor(random() * n);
    for (let round = 0; round < 60; round++) {
      const [a, b] = syncedPair();
      const expected: string[][] = [];
      const got: string[][] = [];
      const off1 = reference(b, expected);
      const off2 = observeBoard(b, (c) => got.push(asActions(c)));
      // local ones on b too: the same handler serves our own edits
      for (let t = 0; t < 6; t++) {
        const doc = rnd(2) === 0 ? a : b;
        const map = elementsMap(doc);
        doc.transact(() => {
          for (let op = 1 + rnd(3); op > 0; op--) {
            const id = ids[rnd(ids.length)]!;
            const kind = rnd(4);
            if (kind === 0) map.set(id, fresh(doc, id));
            else if (kind === 1) map.delete(id);
            else if (kind === 2 && map.get(id) instanceof Y.Map)
              (map.get(id) as Y.Map<unknown>).set('x', rnd(100));
            else map.set(id, fresh(doc, id)); // set twice in one transaction, or a replacement
          }
        });
      }
      off1();
      off2();
      expect(got).toEqual(expected);
      expect(got.flat().some((k) => k.endsWith(':added'))).toBe(true);
    }
  });

  it('readBoard skips hostile content without throwing', () => {
    const doc = new Y.Doc();
    const m = elementsMap(doc);
    const good = addElement(doc, rect);
    m.set('a', 'string');
    m.set('b', new Y.Array());
    const fake = new Y.Map<unknown>();
    m.set('c', fake);
    fake.set('type', 'stroke');
    fake.set('points', new Array(1_000_000).fill(0));
    m.set('bad key!', { ...rect, id: 'bad key!', z: 'a0', author: 1 });
    expect(readBoard(doc).map((e) => e.id)).toEqual([good.ok && good.value.id]);
  });
});

describe('undo scoping', () => {
  it("a peer's update (the provider's RemoteOrigin) is never undone", () => {
    const doc = new Y.Doc();
    const undo = makeBoardUndo(doc, { captureTimeoutMs: 0 });
    const peer = new Y.Doc();
    const theirs = addElement(peer, rect);
    // applied exactly as the provider applies a peer's bytes
    const updates = makeDocUpdates(doc);
    updates.applyRemote(Y.encodeStateAsUpdate(peer), new RemoteOrigin('peer-1'));
    expect(readBoard(doc).map((e) => e.id)).toEqual([theirs.ok && theirs.value.id]);
    expect(undo.canUndo()).toBe(false);
    expect(undo.undo()).toBe(false);
    const mine = addElement(doc, stroke);
    expect(undo.undo()).toBe(true);
    expect(readBoard(doc).map((e) => e.id)).toEqual([theirs.ok && theirs.value.id]);
    expect(undo.undo()).toBe(false);
    expect(readBoard(doc).some((e) => mine.ok && e.id === mine.value.id)).toBe(false);
    updates.destroy();
    undo.destroy();
  });

  it('undo in one doc removes only its own changes', () => {
    const [a, b] = syncedPair();
    const undoA = makeBoardUndo(a, { captureTimeoutMs: 0 });
    const undoB = makeBoardUndo(b, { captureTimeoutMs: 0 });
    const sa = addElement(a, stroke);
    const sb = addElement(b, stroke);
    const rb = addElement(b, rect);
    if (!sa.ok || !sb.ok || !rb.ok) throw new Error('add');
    updateElement(a, rb.value.id, { colour: '#00ff00' }); // A recolours B's rect
    expect(undoA.canUndo()).toBe(true);
    expect(undoA.undo()).toBe(true); // undo the recolour
    expect(readBoard(b).find((e) => e.id === rb.value.id)?.colour).toBe('#112233');
    expect(undoA.undo()).toBe(true); // undo A's stroke
    expect(undoA.undo()).toBe(false); // nothing of A's left: B's elements are not in A's stack
    const ids = readBoard(b)
      .map((e) => e.id)
      .sort();
    expect(ids).toEqual([sb.value.id, rb.value.id].sort());
    expect(readBoard(a)).toEqual(readBoard(b));
    expect(undoA.redo()).toBe(true);
    expect(readBoard(b).some((e) => e.id === sa.value.id)).toBe(true);
    // B undoes its rect; A's stroke stays
    undoB.undo();
    expect(
      readBoard(a)
        .map((e) => e.id)
        .sort(),
    ).toEqual([sa.value.id, sb.value.id].sort());
    let changes = 0;
    const off = undoB.onChange(() => changes++);
    undoB.undo();
    expect(changes).toBeGreaterThan(0);
    expect(readBoard(a).map((e) => e.id)).toEqual([sa.value.id]);
    off();
    undoA.destroy();
    undoA.destroy();
    expect(undoA.undo()).toBe(false);
    undoB.destroy();
  });

  it('clearBoard is one undo step that restores everything', () => {
    const doc = new Y.Doc();
    const undo = makeBoardUndo(doc);
    addElement(doc, rect);
    addElement(doc, stroke);
    undo.stopCapturing();
    clearBoard(doc);
    expect(readBoard(doc)).toHaveLength(0);
    undo.undo();
    expect(readBoard(doc)).toHaveLength(2);
    undo.destroy();
  });

  it('clearing the board frees what it cleared once its undo step is gone', () => {
    const big: ElementDraft = {
      ...stroke,
      // 10,000 points: stored as `pts` deltas (a few bytes a point) they still dwarf 100 rects
      points: Array.from({ length: 30_000 }, (_, i) => (i % 3 === 2 ? 0.5 : i * 1.25)),
    };
    const fill = (doc: Y.Doc) => {
      for (let i = 0; i < 20; i++) expect(addElement(doc, big).ok).toBe(true);
      return Y.encodeStateAsUpdate(doc).length;
    };
    expect(new Y.Doc().gc).toBe(true);
    // no undo history: collected at once
    const plain = new Y.Doc();
    const plainBefore = fill(plain);
    clearBoard(plain);
    expect(Y.encodeStateAsUpdate(plain).length).toBeLessThan(plainBefore / 50);

    // the undo step keeps it (undo must restore it) ...
    const doc = new Y.Doc();
    const undo = makeBoardUndo(doc);
    const before = fill(doc);
    undo.stopCapturing();
    clearBoard(doc);
    undo.stopCapturing();
    expect(Y.encodeStateAsUpdate(doc).length).toBeGreaterThan(before / 2);
    // ... until the step leaves the capped history
    for (let i = 0; i < UNDO_MAX_STEPS; i++) {
      addElement(doc, rect);
      undo.stopCapturing();
    }
    const after = Y.encodeStateAsUpdate(doc).length;
    expect(after).toBeLessThan(before / 10);
    // and destroy() releases the rest of the history
    undo.destroy();
    deleteElements(
      doc,
      readBoard(doc).map((e) => e.id),
    );
    expect(Y.encodeStateAsUpdate(doc).length).toBeLessThan(after);
  });

  it('a locked element refuses moves, restyles and deletion until unlocked; clear removes it', () => {
    const doc = new Y.Doc();
    const added = addElement(doc, { ...{ ...rect, x: 10 }, type: 'diamond' });
    expect(added.ok).toBe(true);
    const id = added.ok ? added.value.id : '';
    expect(updateElement(doc, id, { locked: true }).ok).toBe(true);
    expect(updateElement(doc, id, { x: 99 })).toMatchObject({ ok: false, code: 'ERR_LOCKED' });
    expect(updateElement(doc, id, { colour: '#ff0000' })).toMatchObject({ ok: false });
    deleteElements(doc, [id]);
    expect(readBoard(doc)).toHaveLength(1);
    expect(readBoard(doc)[0]).toMatchObject({ locked: true, x: 10 });
    expect(updateElement(doc, id, { locked: false, x: 99 }).ok).toBe(true);
    expect(readBoard(doc)[0]!.locked).toBeUndefined();
    updateElement(doc, id, { locked: true });
    clearBoard(doc);
    expect(readBoard(doc)).toHaveLength(0);
  });

  it('addElements puts copies on top in order as one undo step', () => {
    const doc = new Y.Doc();
    const undo = makeBoardUndo(doc, { captureTimeoutMs: 0 });
    addElement(doc, { ...rect, x: 10 });
    const copies = addElements(doc, [
      { ...{ ...rect, x: 10 }, x: 1 },
      { ...{ ...rect, x: 10 }, x: 2, fill: '#00ff00', fillStyle: 'semi', opacity: 0.5 },
    ]);
    expect(copies).toHaveLength(2);
    expect(readBoard(doc).map((e) => e.x)).toEqual([10, 1, 2]);
    expect(readBoard(doc)[2]).toMatchObject({ fillStyle: 'semi', opacity: 0.5 });
    undo.undo();
    expect(readBoard(doc).map((e) => e.x)).toEqual([10]);
    undo.destroy();
  });
});
