import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addElements,
  deleteElements,
  readBoard,
  updateElement,
  type ElementDraft,
} from './boardModel';
import { observeBoard, READ_FIRST_AT, type BoardChange } from './boardObserver';
import type { WorldRect } from './firstScreenPick';

/** a board of `n` elements on a grid 1,000 units apart: strokes and rectangles in turn */
function bigBoard(n: number, extra: ElementDraft[] = []): Y.Doc {
  const doc = new Y.Doc();
  const drafts: ElementDraft[] = [];
  for (let i = 0; i < n; i++) {
    const x = (i % 40) * 1000;
    const y = Math.floor(i / 40) * 1000;
    drafts.push(
      i % 2 === 0
        ? {
            type: 'stroke',
            x,
            y,
            colour: '#112233',
            strokeWidth: 2,
            points: [0, 0, 0.5, 8, 4, 0.5],
          }
        : { type: 'rect', x, y, w: 20, h: 10, colour: '#112233', strokeWidth: 2, fill: null },
    );
  }
  const all = [...drafts, ...extra];
  if (addElements(doc, all).length !== all.length) throw new Error('an invalid draft');
  return doc;
}

/** the board of `from` arriving at an empty, observed document (a peer's SyncStep2) */
function arrive(from: Y.Doc, readFirst?: () => WorldRect | null) {
  const doc = new Y.Doc();
  const seen: BoardChange[] = [];
  const observer = observeBoard(doc, (c) => seen.push(c), { readFirst });
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from), 'peer');
  return { doc, seen, observer };
}

const ids = (changes: BoardChange[], kind: 'added' | 'updated') =>
  changes.flatMap((c) => c[kind].map((e) => e.id));

/** the first 1,000 x 1,000 units: the elements anchored at (0, 0) only, with their ink */
const CORNER: WorldRect = { minX: -50, minY: -50, maxX: 500, maxY: 500 };

describe('observeBoard: a board that arrives is read near its view first', () => {
  it('reads what meets the area now and the rest on drain, each element once, all of them', () => {
    const from = bigBoard(READ_FIRST_AT + 88);
    const { doc, seen, observer } = arrive(from, () => CORNER);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.added.map((e) => [e.x, e.y])).toEqual([[0, 0]]);
    expect(seen[0]!.origin).toBe('peer');
    expect(observer.waiting()).toBe(READ_FIRST_AT + 87);
    observer.drain(100);
    expect(seen[1]!.added).toHaveLength(100);
    expect(seen[1]).toMatchObject({ local: false, origin: 'peer', updated: [], removed: [] });
    expect(observer.waiting()).toBe(READ_FIRST_AT - 13);
    observer.drain();
    expect(observer.waiting()).toBe(0);
    observer.drain();
    expect(seen).toHaveLength(3);
    const got = seen.flatMap((c) => c.added).sort((a, b) => a.id.localeCompare(b.id));
    const board = readBoard(doc).sort((a, b) => a.id.localeCompare(b.id));
    expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(board)));
  });

  it("finds an element by its extent, not only its anchor: a stroke's points, a shape's size", () => {
    const reaching: ElementDraft[] = [
      // anchored far outside the corner; its points come back into it
      {
        type: 'stroke',
        x: 3000,
        y: 3000,
        colour: '#112233',
        strokeWidth: 2,
        points: [0, 0, 0.5, -2900, -2900, 0.5],
      },
      {
        type: 'rect',
        x: -3000,
        y: 200,
        w: 3100,
        h: 10,
        colour: '#112233',
        strokeWidth: 2,
        fill: null,
      },
    ];
    const { seen } = arrive(bigBoard(READ_FIRST_AT, reaching), () => CORNER);
    expect(seen[0]!.added.map((e) => [e.type, e.x, e.y])).toEqual([
      ['stroke', 0, 0],
      ['stroke', 3000, 3000],
      ['rect', -3000, 200],
    ]);
  });

  it('reads everything at once for a small batch, without an area, or for our own edits', () => {
    expect(arrive(bigBoard(READ_FIRST_AT - 1), () => CORNER).seen[0]!.added).toHaveLength(
      READ_FIRST_AT - 1,
    );
    expect(arrive(bigBoard(READ_FIRST_AT), () => null).seen[0]!.added).toHaveLength(READ_FIRST_AT);
    expect(arrive(bigBoard(READ_FIRST_AT)).seen[0]!.added).toHaveLength(READ_FIRST_AT);
    // a local batch (a paste, an undo of a clear) is ours: selected and acted on at once
    const doc = new Y.Doc();
    const seen: BoardChange[] = [];
    const observer = observeBoard(doc, (c) => seen.push(c), { readFirst: () => CORNER });
    const from = bigBoard(READ_FIRST_AT);
    const drafts = readBoard(from).map(({ id: _id, author: _a, z: _z, ...draft }) => draft);
    addElements(doc, drafts as ElementDraft[]);
    expect(seen[0]).toMatchObject({ local: true });
    expect(seen[0]!.added).toHaveLength(READ_FIRST_AT);
    expect(observer.waiting()).toBe(0);
  });

  it('an element still waiting when it is changed is reported then, as added; one deleted never is', () => {
    const from = bigBoard(READ_FIRST_AT);
    const { doc, seen, observer } = arrive(from, () => CORNER);
    const [moved, gone] = readBoard(from).filter((e) => e.x > 5000);
    if (!moved || !gone) throw new Error('no far elements');
    const before = observer.waiting();
    const sync = () => Y.applyUpdate(doc, Y.encodeStateAsUpdate(from, Y.encodeStateVector(doc)));
    updateElement(from, moved.id, { colour: '#ff0000' });
    deleteElements(from, [gone.id]);
    sync();
    const latest = seen[seen.length - 1]!;
    expect(latest.added.map((e) => [e.id, e.colour])).toEqual([[moved.id, '#ff0000']]);
    expect(latest.updated).toEqual([]);
    expect(latest.removed).toEqual([]);
    expect(observer.waiting()).toBe(before - 2);
    observer.drain();
    const all = ids(seen, 'added');
    expect(all.filter((id) => id === moved.id)).toHaveLength(1);
    expect(all).not.toContain(gone.id);
    expect(new Set(all).size).toBe(READ_FIRST_AT - 1);
    // once read, later changes are updates as usual
    updateElement(from, moved.id, { colour: '#00ff00' });
    sync();
    expect(ids(seen, 'updated')).toEqual([moved.id]);
  });

  it('stops with its subscription: nothing waits, nothing more is reported', () => {
    const { doc, seen, observer } = arrive(bigBoard(READ_FIRST_AT), () => CORNER);
    observer();
    expect(observer.waiting()).toBe(0);
    observer.drain();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(bigBoard(3)));
    expect(seen).toHaveLength(1);
  });
});
