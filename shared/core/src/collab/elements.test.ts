import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BOARD_LIMITS, readElement } from './elements';

const base = { id: 'el1', author: 7, z: 'a0', x: 10, y: 20, colour: '#FF0000', strokeWidth: 2 };
const valid = {
  stroke: { ...base, type: 'stroke', points: [0, 0, 0.5, 3.3, 4.1, 0.7] },
  line: { ...base, type: 'line', w: -30, h: 40 },
  arrow: { ...base, type: 'arrow', w: 30, h: 0 },
  rect: { ...base, type: 'rect', w: 100, h: 50, fill: null },
  ellipse: { ...base, type: 'ellipse', w: 100, h: 50, fill: '#00ff00' },
  text: { ...base, type: 'text', w: 100, h: 30, text: 'hello', fontSize: 16 },
};

describe('readElement', () => {
  it('accepts every element type, as a plain object and as a Y.Map in a doc', () => {
    const doc = new Y.Doc();
    for (const [type, raw] of Object.entries(valid)) {
      const r = readElement(raw, 'el1');
      expect(r, type).toMatchObject({ ok: true, value: { type } });
      const m = new Y.Map<unknown>();
      doc.getMap('t').set(type, m);
      for (const [k, v] of Object.entries(raw)) m.set(k, v);
      const fromY = readElement(m, 'el1');
      expect(fromY).toEqual(r);
    }
  });

  it('normalises: lower-case colours, quantised points, clamped sizes, |w| for boxes', () => {
    const r = readElement({ ...valid.rect, w: -100, strokeWidth: 1e9, x: 1e12 });
    expect(r).toMatchObject({
      ok: true,
      value: {
        type: 'rect',
        colour: '#ff0000',
        w: 100,
        strokeWidth: BOARD_LIMITS.maxStrokeWidth,
        x: BOARD_LIMITS.maxCoord,
      },
    });
    const s = readElement(valid.stroke);
    const points = [0, 0, 0.5, 3.25, 4, 0.69921875];
    expect(s).toMatchObject({ ok: true, value: { type: 'stroke', points } });
    for (const v of points) expect(Math.fround(v)).toBe(v);
  });

  it('rejects each kind of invalid input with a code', () => {
    const cases: [unknown, string][] = [
      [null, 'ERR_NOT_OBJECT'],
      ['rect', 'ERR_NOT_OBJECT'],
      [[1, 2], 'ERR_NOT_OBJECT'],
      [{ ...valid.rect, type: 'star' }, 'ERR_TYPE'],
      [{ ...valid.rect, type: undefined }, 'ERR_TYPE'],
      [{ ...valid.rect, id: 'bad id!' }, 'ERR_FIELD'],
      [{ ...valid.rect, id: 'x'.repeat(65) }, 'ERR_FIELD'],
      [{ ...valid.rect, author: -1 }, 'ERR_FIELD'],
      [{ ...valid.rect, author: 1.5 }, 'ERR_FIELD'],
      [{ ...valid.rect, z: 'zz!' }, 'ERR_FIELD'],
      [{ ...valid.rect, x: NaN }, 'ERR_FIELD'],
      [{ ...valid.rect, y: Infinity }, 'ERR_FIELD'],
      [{ ...valid.rect, w: '100' }, 'ERR_FIELD'],
      [{ ...valid.rect, colour: 'red' }, 'ERR_FIELD'],
      [{ ...valid.rect, colour: '#ff0000' + 'x'.repeat(10_000_000) }, 'ERR_FIELD'],
      [{ ...valid.rect, fill: 'blue' }, 'ERR_FIELD'],
      [{ ...valid.rect, strokeWidth: null }, 'ERR_FIELD'],
      [{ ...valid.text, text: 42 }, 'ERR_FIELD'],
      [{ ...valid.text, fontSize: NaN }, 'ERR_FIELD'],
      [{ ...valid.stroke, points: 'nope' }, 'ERR_FIELD'],
      [{ ...valid.stroke, points: [] }, 'ERR_FIELD'],
      [{ ...valid.stroke, points: [1, 2] }, 'ERR_FIELD'],
      [{ ...valid.stroke, points: [1, NaN, 0.5] }, 'ERR_FIELD'],
      [{ ...valid.stroke, points: [1, '2', 0.5] }, 'ERR_FIELD'],
      [
        { ...valid.stroke, points: new Array(BOARD_LIMITS.strokeMaxPoints * 3 + 3).fill(1) },
        'ERR_TOO_LARGE',
      ],
      [{ ...valid.stroke, points: { length: 3 } }, 'ERR_FIELD'],
    ];
    for (const [raw, code] of cases)
      expect(readElement(raw), JSON.stringify(raw)?.slice(0, 80)).toMatchObject({
        ok: false,
        code,
      });
  });

  it('rejects an id that does not match its key, and nested Y types in fields', () => {
    expect(readElement(valid.rect, 'other').ok).toBe(false);
    const doc = new Y.Doc();
    const m = new Y.Map<unknown>();
    doc.getMap('t').set('m', m);
    for (const [k, v] of Object.entries(valid.stroke)) m.set(k, v);
    m.set('points', new Y.Array());
    expect(readElement(m).ok).toBe(false);
    expect(readElement(new Y.Array()).ok).toBe(false);
  });

  it('cuts over-long text instead of rejecting it', () => {
    const r = readElement({ ...valid.text, text: 'a'.repeat(10_000_000) });
    expect(r.ok && r.value.type === 'text' && r.value.text.length).toBe(BOARD_LIMITS.textMaxLength);
  });

  it('never throws on hostile getters or prototypes', () => {
    const hostile = Object.create({ type: 'rect' }) as Record<string, unknown>;
    Object.defineProperty(hostile, 'id', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(readElement(hostile).ok).toBe(false); // inherited type is ignored
    const withGetter = { ...valid.rect };
    Object.defineProperty(withGetter, 'x', {
      get() {
        throw new Error('boom');
      },
    });
    expect(readElement(withGetter).ok).toBe(false);
  });
});
