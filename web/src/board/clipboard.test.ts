import { describe, expect, test } from 'vitest';
import type { BoardElement } from '@peerboard/core/collab';
import {
  bindCopies,
  looseDraft,
  CLIPBOARD_KIND,
  CLIPBOARD_LIMITS,
  draftsOf,
  encodeClipboard,
  parseClipboard,
  placeDrafts,
  textDraft,
} from './clipboard';

const base = { author: 7, z: 'a3', colour: '#e03131', strokeWidth: 4 };
const els: BoardElement[] = [
  { ...base, id: 'r1', type: 'rect', x: 0, y: 0, w: 100, h: 50, fill: null, locked: true },
  { ...base, id: 'd1', type: 'diamond', x: 200, y: 100, w: 20, h: 20, fill: '#e03131' },
  { ...base, id: 's1', type: 'stroke', x: 10, y: 10, points: [0, 0, 0.5, 5, 5, 0.5] },
];
const measure = (t: string, size: number) => ({ w: t.length * 10, h: size });

describe('board clipboard', () => {
  test('round trip: elements come back without id, author, order or lock', () => {
    const parsed = parseClipboard(encodeClipboard(els));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toHaveLength(3);
    expect(parsed.value[0]).toEqual({
      type: 'rect',
      x: 0,
      y: 0,
      w: 100,
      h: 50,
      fill: null,
      colour: '#e03131',
      strokeWidth: 4,
      ref: 'r1',
    });
    expect(parsed.value[1]).toMatchObject({ type: 'diamond', fill: '#e03131' });
  });

  test('other text is not board elements; hostile payloads are cut down or refused', () => {
    expect(parseClipboard('hello')).toMatchObject({ ok: false, code: 'ERR_NOT_PEERBOARD' });
    expect(parseClipboard('{"a":1}')).toMatchObject({ ok: false, code: 'ERR_NOT_PEERBOARD' });
    expect(parseClipboard('{broken')).toMatchObject({ ok: false, code: 'ERR_NOT_PEERBOARD' });
    const payload = (elements: unknown) => JSON.stringify({ type: CLIPBOARD_KIND, elements });
    expect(parseClipboard(payload([{ type: 'hexagon', x: 0 }]))).toMatchObject({
      ok: false,
      code: 'ERR_EMPTY',
    });
    // the bad ones are skipped, the good one kept (normalised: colour lower-cased)
    const mixed = parseClipboard(
      payload([
        { type: 'rect', x: 0, y: 0, w: 1, h: 1, colour: '#ABCDEF', strokeWidth: 2, fill: 'red' },
        { type: 'rect', x: 'NaN', y: 0, w: 1, h: 1, colour: '#abcdef', strokeWidth: 2 },
        null,
        { type: 'rect', x: 0, y: 0, w: 1, h: 1, colour: '#ABCDEF', strokeWidth: 2, fill: null },
      ]),
    );
    expect(mixed.ok && mixed.value).toEqual([expect.objectContaining({ colour: '#abcdef' })]);
    const many = payload(new Array(CLIPBOARD_LIMITS.maxElements + 1).fill({}));
    expect(parseClipboard(many)).toMatchObject({ ok: false, code: 'ERR_TOO_LARGE' });
  });

  test('a paste is centred where it goes; plain text becomes a text element', () => {
    const parsed = parseClipboard(encodeClipboard(els.slice(0, 2)));
    if (!parsed.ok) throw new Error('parse failed');
    // frame 0..220 x 0..120, centred at (1000, 1000)
    const placed = placeDrafts(parsed.value, { x: 1000, y: 1000 });
    expect(placed.map((d) => [d.x, d.y])).toEqual([
      [890, 940],
      [1090, 1040],
    ]);
    const t = textDraft(
      'two\r\nlines  \n',
      { x: 0, y: 0 },
      { colour: '#1e1e1e', fontSize: 20, strokeWidth: 2 },
      measure,
    );
    expect(t).toMatchObject({ type: 'text', text: 'two\nlines', fontSize: 20, w: 90 });
    expect(
      textDraft(
        '   ',
        { x: 0, y: 0 },
        { colour: '#1e1e1e', fontSize: 20, strokeWidth: 2 },
        measure,
      ),
    ).toBeNull();
  });

  test('copies form a group of their own; an arrow stays bound only to copied shapes', () => {
    const grouped: BoardElement[] = [
      { ...base, id: 'a', type: 'rect', x: 0, y: 0, w: 10, h: 10, fill: null, group: 'g1' },
      { ...base, id: 'b', type: 'rect', x: 20, y: 0, w: 10, h: 10, fill: null, group: 'g1' },
      {
        ...base,
        id: 'c',
        type: 'arrow',
        x: 0,
        y: 0,
        w: 5,
        h: 5,
        endBinding: { id: 'a', ax: 0.5, ay: 0.5, gap: 6 },
      },
    ];
    for (const drafts of [draftsOf(grouped), parseClipboard(encodeClipboard(grouped))]) {
      const list = Array.isArray(drafts) ? drafts : drafts.ok ? drafts.value : [];
      expect(list).toHaveLength(3);
      expect(list[0]!.group).toBeDefined();
      expect(list[0]!.group).not.toBe('g1');
      expect(list[1]!.group).toBe(list[0]!.group);
      // its shape came along: bound to it by ref (bindCopies gives it the new id)
      expect(list[2]).toMatchObject({ endBinding: { id: 'a' }, ref: 'c' });
    }
    // copied without its shape: loose, naming nothing of the source board
    for (const drafts of [
      draftsOf([grouped[2]!]),
      parseClipboard(encodeClipboard([grouped[2]!])),
    ]) {
      const list = Array.isArray(drafts) ? drafts : drafts.ok ? drafts.value : [];
      expect(list).toHaveLength(1);
      expect(list[0]).not.toHaveProperty('endBinding');
      expect(bindCopies(list, ['new'])).toEqual([]);
    }
  });

  test('bindCopies gives a pasted arrow the ids of the pasted shapes, never dangling ones', () => {
    const arrow: BoardElement = {
      ...base,
      id: 'arr',
      type: 'arrow',
      x: 0,
      y: 0,
      w: 50,
      h: 0,
      startBinding: { id: 'r1', ax: 0.5, ay: 0.5, gap: 4 },
      endBinding: { id: 'd1', ax: 0, ay: 0.5, gap: 6 },
    };
    const parsed = parseClipboard(encodeClipboard([els[0]!, els[1]!, arrow]));
    if (!parsed.ok) throw new Error('parse failed');
    expect(bindCopies(parsed.value, ['n1', 'n2', 'n3'])).toEqual([
      {
        id: 'n3',
        patch: {
          startBinding: { id: 'n1', ax: 0.5, ay: 0.5, gap: 4 },
          endBinding: { id: 'n2', ax: 0, ay: 0.5, gap: 6 },
        },
      },
    ]);
    // looseDraft: what is stored first carries no ref and no binding
    for (const d of parsed.value.map(looseDraft)) {
      expect(d).not.toHaveProperty('ref');
      expect(d).not.toHaveProperty('startBinding');
    }
    // a copy the board refused (fewer added than drafts): no guessing which is which
    expect(bindCopies(parsed.value, ['n1', 'n3'])).toEqual([]);
    // a hostile payload naming a ref that is not in it, or binding an arrow to itself
    const hostile = JSON.stringify({
      type: CLIPBOARD_KIND,
      elements: [{ ...parsed.value[2], ref: 'x', startBinding: { id: 'x', ax: 0, ay: 0, gap: 0 } }],
    });
    const h = parseClipboard(hostile);
    if (!h.ok) throw new Error('parse failed');
    expect(bindCopies(h.value, ['z'])).toEqual([]);
    expect(h.value[0]).not.toHaveProperty('endBinding');
  });
});
