import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { addElement, elementsMap, readBoard, updateElement, type ElementDraft } from './boardModel';
import { checkDocUpdate } from './docSchema';
import { BASE_KEY, BOARD_LIMITS, readElement, readLegacyPoints } from './elements';
import { makeBoardPersistence } from './persistence';
import { makeBoardUndo } from './undo';
import { widePoints } from '../../test/kit/strokeArbitraries';
import {
  checkPts,
  decodePts,
  encodePts,
  LEGACY_POINTS_KEY,
  migrateStrokePoints,
  PTS_FORMAT,
  PTS_KEY,
  measuredPtsBox,
  ptsBox,
} from './strokePoints';

const MAX = BOARD_LIMITS.strokeMaxPoints;

/** quarter-pixel coordinates and 1/256 pressures, as readElement stores them */
const quantisedPoints = fc
  .array(
    fc.tuple(
      fc.integer({ min: -40_000_000, max: 40_000_000 }),
      fc.integer({ min: -40_000_000, max: 40_000_000 }),
      fc.integer({ min: 0, max: 256 }),
    ),
    { minLength: 1, maxLength: 200 },
  )
  .map((pts) => pts.flatMap(([x, y, p]) => [x / 4, y / 4, p / 256]));

/** What a client before integer points stored: the element's fields, points as floats. */
function legacyStroke(doc: Y.Doc, id: string, points: number[], x = 10): void {
  doc.transact(() => {
    const yel = new Y.Map<unknown>();
    const fields = { id, type: 'stroke', author: doc.clientID, z: 'a0', x, y: 20 };
    for (const [k, v] of Object.entries(fields)) yel.set(k, v);
    yel.set('colour', '#112233');
    yel.set('strokeWidth', 2);
    yel.set(LEGACY_POINTS_KEY, points);
    elementsMap(doc).set(id, yel);
  });
}

const stroke: ElementDraft = {
  type: 'stroke',
  x: 5,
  y: 6,
  colour: '#112233',
  strokeWidth: 2,
  points: [0, 0, 0.5, 3.25, -1.5, 0.5, 7, 2.75, 0.625],
};

describe('pts encoding', () => {
  it('round-trips any quantised points exactly (seeded property)', () => {
    fc.assert(
      fc.property(quantisedPoints, (points) => {
        const decoded = decodePts(encodePts(points), MAX);
        expect(decoded).toEqual({ ok: true, value: points });
        expect(checkPts(encodePts(points), MAX)).toEqual({ ok: true, value: points.length / 3 });
      }),
      { seed: 20261126, numRuns: 300 },
    );
  });

  it('round-trips and measures values whose varints take all five bytes (past 31 bits)', () => {
    // deltas of 2^28..2^33 quarter px: the fifth byte, and the float side of unzigzag
    const big = [2 ** 28, 2 ** 30 + 3, 2 ** 31 - 1, 2 ** 31 + 1, 2 ** 33 - 5];
    const points = big.flatMap((q, i) => [((i % 2 ? -1 : 1) * q) / 4, (-q + i) / 4, 0.5]);
    const bytes = encodePts(points);
    expect(decodePts(bytes, MAX)).toEqual({ ok: true, value: points });
    const xs = points.filter((_, i) => i % 3 === 0);
    const ys = points.filter((_, i) => i % 3 === 1);
    expect(ptsBox(bytes, MAX, 2 ** 40)).toEqual({
      ok: true,
      value: {
        minX: Math.min(...xs),
        minY: Math.min(...ys),
        maxX: Math.max(...xs),
        maxY: Math.max(...ys),
      },
    });
  });

  it('readElement reads pts exactly as it reads the same floats as points, clamping included (seeded)', () => {
    // values past the coordinate limit and pressures past 0..1: decodePts clamps them in its
    // one pass, where readElement used to clamp the decoded array into a second one
    fc.assert(
      fc.property(widePoints, (points) => {
        const base = { id: 's1', type: 'stroke', author: 1, z: 'a0', x: 0, y: 0 };
        const style = { colour: '#112233', strokeWidth: 2 };
        const fromPts = readElement({ ...base, ...style, [PTS_KEY]: encodePts(points) }, 's1');
        const fromFloats = readElement({ ...base, ...style, points }, 's1');
        expect(fromPts.ok && fromPts.value.type === 'stroke').toBe(true);
        expect(fromPts).toEqual(fromFloats);
      }),
      { seed: 20261126, numRuns: 300 },
    );
  });

  it('ptsBox agrees with checkPts and with the box of decodePts on any bytes (seeded fuzz)', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      // mostly well-formed: the format byte, then short varints with the odd long or cut one
      fc
        .array(fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0x80, max: 0xff })), {
          maxLength: 60,
        })
        .map((rest) => Uint8Array.from([PTS_FORMAT, ...rest])),
    );
    fc.assert(
      fc.property(
        bytes,
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 64 }),
        (b, max, clamp) => {
          const box = ptsBox(b, max, clamp);
          const checked = checkPts(b, max);
          expect(box.ok ? 'ok' : box.code).toBe(checked.ok ? 'ok' : checked.code);
          const decoded = decodePts(b, max, clamp);
          const xs = decoded.ok ? decoded.value.filter((_, i) => i % 3 === 0) : [];
          const ys = decoded.ok ? decoded.value.filter((_, i) => i % 3 === 1) : [];
          const expected = decoded.ok
            ? {
                minX: Math.min(...xs),
                minY: Math.min(...ys),
                maxX: Math.max(...xs),
                maxY: Math.max(...ys),
              }
            : decoded.code;
          expect(box.ok ? box.value : box.code).toEqual(expected);
        },
      ),
      { seed: 20261126, numRuns: 2000 },
    );
  });

  it('measuredPtsBox gives ptsBox, remembers it for those bytes and limits only, and never a failure', () => {
    const bytes = encodePts([0, 0, 0.5, 8, -4, 0.5, 30, 2, 1]);
    const first = measuredPtsBox(bytes, MAX, 100);
    expect(first).toStrictEqual(ptsBox(bytes, MAX, 100));
    // the same bytes again: the remembered box, not a new walk over them
    expect(measuredPtsBox(bytes, MAX, 100).ok && first.ok).toBe(true);
    if (first.ok) expect(measuredPtsBox(bytes, MAX, 100)).toStrictEqual(first);
    // other limits are measured anew (here: clamped at 5, and too few points allowed)
    expect(measuredPtsBox(bytes, MAX, 5)).toStrictEqual(ptsBox(bytes, MAX, 5));
    expect(measuredPtsBox(bytes, 2, 100).ok).toBe(false);
    // a damaged value is refused every time (a failure is not remembered as a box)
    const cut = bytes.subarray(0, bytes.length - 1);
    expect(measuredPtsBox(cut, MAX, 100).ok).toBe(false);
    expect(measuredPtsBox(cut, MAX, 100).ok).toBe(false);
  });

  it('stores a mouse-like stroke in about 3 bytes a point', () => {
    const points: number[] = [];
    for (let i = 0; i < 100; i++) points.push(i * 3.25, Math.sin(i / 5) * 20, 0.5);
    expect(encodePts(points).length).toBeLessThanOrEqual(1 + 100 * 3 + 40);
  });

  it('rejects damaged or hostile bytes with a code', () => {
    const good = encodePts(stroke.type === 'stroke' ? stroke.points : []);
    const cases: [Uint8Array, string][] = [
      [new Uint8Array([]), 'ERR_FIELD'],
      [new Uint8Array([PTS_FORMAT]), 'ERR_FIELD'],
      [new Uint8Array([PTS_FORMAT + 1, 0, 0, 0]), 'ERR_FIELD'],
      [good.subarray(0, good.length - 1), 'ERR_FIELD'], // not a whole point
      [new Uint8Array([PTS_FORMAT, 0, 0, 0x80]), 'ERR_FIELD'], // truncated varint
      [new Uint8Array([PTS_FORMAT, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0]), 'ERR_FIELD'],
      [new Uint8Array(1 + (MAX + 1) * 3).fill(0, 1).fill(PTS_FORMAT, 0, 1), 'ERR_TOO_LARGE'],
    ];
    for (const [bytes, code] of cases) {
      const r = decodePts(bytes, MAX);
      expect(r.ok ? 'ok' : r.code, `${Array.from(bytes.subarray(0, 8)).join(',')}`).toBe(code);
      // the schema check's allocation-free pass refuses the same bytes with the same code
      const c = checkPts(bytes, MAX);
      expect(c.ok ? 'ok' : c.code, `checkPts ${Array.from(bytes.subarray(0, 8)).join(',')}`).toBe(
        code,
      );
      // and so does the measure readElement takes instead of decoding (lazyStroke.ts)
      const m = ptsBox(bytes, MAX, BOARD_LIMITS.maxCoord);
      expect(m.ok ? 'ok' : m.code, `ptsBox ${Array.from(bytes.subarray(0, 8)).join(',')}`).toBe(
        code,
      );
    }
    // more points than allowed, in few bytes: caught while decoding
    expect(decodePts(new Uint8Array([PTS_FORMAT, 0, 0, 0, 0, 0, 0]), 1)).toMatchObject({
      ok: false,
      code: 'ERR_TOO_LARGE',
    });
    expect(ptsBox(new Uint8Array([PTS_FORMAT, 0, 0, 0, 0, 0, 0]), 1, 1)).toMatchObject({
      ok: false,
      code: 'ERR_TOO_LARGE',
    });
  });
});

describe('stroke points in the document', () => {
  it('new strokes are stored as pts, read back as points, and edits keep that form', () => {
    const doc = new Y.Doc();
    const added = addElement(doc, stroke);
    if (!added.ok) throw new Error(added.message);
    const yel = elementsMap(doc).get(added.value.id) as Y.Map<unknown>;
    // in the element's base value (one Yjs item for the whole element)
    expect([...yel.keys()]).toEqual([BASE_KEY]);
    expect((yel.get(BASE_KEY) as Record<string, unknown>)[PTS_KEY]).toBeInstanceOf(Uint8Array);
    expect(LEGACY_POINTS_KEY in (yel.get(BASE_KEY) as object)).toBe(false);
    const old = added.value.type === 'stroke' ? added.value.points : [];
    expect(readBoard(doc)[0]).toMatchObject({ points: old });
    const scaled = old.map((v, i) => (i % 3 === 2 ? v : v * 2)); // a resize
    expect(updateElement(doc, added.value.id, { points: scaled }).ok).toBe(true);
    expect(readBoard(doc)[0]).toMatchObject({ points: scaled });
    // the edit under its own key, over the base
    expect(yel.get(PTS_KEY)).toBeInstanceOf(Uint8Array);
    expect(yel.has(LEGACY_POINTS_KEY)).toBe(false);
  });

  it("an older peer's float points are accepted by the schema check and rendered", () => {
    const old = new Y.Doc();
    legacyStroke(old, 'old1', [0, 0, 0.5, 1.3, 2.6, 0.51]);
    const update = Y.encodeStateAsUpdate(old);
    const mine = new Y.Doc();
    expect(checkDocUpdate(mine, update).ok).toBe(true);
    Y.applyUpdate(mine, update);
    // same validation as before: quantised to quarter px and 1/256 pressure
    expect(readBoard(mine)).toMatchObject([
      { id: 'old1', points: [0, 0, 0.5, 1.25, 2.5, 0.51171875] },
    ]);
    // and an old peer editing the points of an element that has no pts still works
    const edit = new Y.Doc();
    Y.applyUpdate(edit, update);
    (elementsMap(edit).get('old1') as Y.Map<unknown>).set(LEGACY_POINTS_KEY, [1, 1, 1]);
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(edit));
    expect(readBoard(mine)).toMatchObject([{ id: 'old1', points: [1, 1, 1] }]);
  });

  it('hostile pts values are refused by the schema check and by readElement', () => {
    const attacker = new Y.Doc();
    const yel = new Y.Map<unknown>();
    elementsMap(attacker).set('bad1', yel);
    yel.set(PTS_KEY, new Uint8Array(1 + (MAX + 1) * 15));
    const big = checkDocUpdate(new Y.Doc(), Y.encodeStateAsUpdate(attacker));
    expect(big).toMatchObject({ ok: false, code: 'ERR_DOC_SCHEMA' });

    const texty = new Y.Doc();
    const el2 = new Y.Map<unknown>();
    elementsMap(texty).set('bad2', el2);
    el2.set(PTS_KEY, 'AAAA');
    expect(checkDocUpdate(new Y.Doc(), Y.encodeStateAsUpdate(texty))).toMatchObject({
      ok: false,
      code: 'ERR_DOC_SCHEMA',
    });

    // accepted by the schema (small bytes) but not points: the element is not drawn
    const base = { id: 'bad3', type: 'stroke', author: 1, z: 'a0', x: 0, y: 0 };
    const el = { ...base, colour: '#000000', strokeWidth: 2 };
    expect(
      readElement({ ...el, [PTS_KEY]: new Uint8Array([PTS_FORMAT, 0x80]) }, 'bad3'),
    ).toMatchObject({ ok: false, code: 'ERR_FIELD' });
    expect(readElement({ ...el, [PTS_KEY]: [1, 2, 3] }, 'bad3')).toMatchObject({
      ok: false,
      code: 'ERR_FIELD',
    });
  });
});

describe('migration of stored boards', () => {
  const g = globalThis as Record<string, unknown>;
  beforeEach(() => {
    g.indexedDB = indexedDB;
    g.IDBKeyRange = IDBKeyRange;
  });
  afterEach(() => {
    delete g.indexedDB;
    delete g.IDBKeyRange;
  });

  it('a board stored with float points is rewritten as pts, survives a reload and is not undoable', async () => {
    const first = new Y.Doc();
    const p1 = makeBoardPersistence('migrate-room', first);
    await p1.whenSynced;
    legacyStroke(first, 'old1', [0, 0, 0.5, 1.25, 2.5, 0.5]);
    legacyStroke(first, 'old2', [0, 0, 0.25, -3, 4, 0.75], 99);
    const before = readBoard(first);
    await p1.flush();
    p1.destroy();

    const second = new Y.Doc();
    const undo = makeBoardUndo(second);
    const p2 = makeBoardPersistence('migrate-room', second);
    await p2.whenSynced;
    expect(migrateStrokePoints(second, elementsMap(second), readLegacyPoints)).toBe(2);
    expect(migrateStrokePoints(second, elementsMap(second), readLegacyPoints)).toBe(0);
    expect(readBoard(second)).toEqual(before);
    expect(undo.canUndo()).toBe(false);
    await p2.flush();
    p2.destroy();

    const third = new Y.Doc();
    const p3 = makeBoardPersistence('migrate-room', third);
    await p3.whenSynced;
    for (const id of ['old1', 'old2']) {
      const yel = elementsMap(third).get(id) as Y.Map<unknown>;
      expect(yel.get(PTS_KEY)).toBeInstanceOf(Uint8Array);
      expect(yel.has(LEGACY_POINTS_KEY)).toBe(false);
    }
    expect(readBoard(third)).toEqual(before);
    await p3.clearData();
  });
});
