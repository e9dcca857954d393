import { describe, expect, it } from 'vitest';
import { PRESENCE_LIMITS, readDraft, readPresence } from './presence';

const valid = {
  name: 'Ann',
  colour: '#A0B0C0',
  cursor: { x: 1.5, y: -2 },
  selection: ['a1', 'b2'],
  typing: true,
};

describe('readPresence', () => {
  it('accepts and normalises a valid state', () => {
    expect(readPresence(valid)).toEqual({ ok: true, value: { ...valid, colour: '#a0b0c0' } });
    expect(readPresence({ name: 'B', colour: '#000000' })).toEqual({
      ok: true,
      value: { name: 'B', colour: '#000000', cursor: null, selection: [], typing: false },
    });
  });

  it('rejects nonsense and clamps oddities', () => {
    for (const bad of [
      null,
      [],
      'x',
      { ...valid, name: 1 },
      { ...valid, colour: 'red' },
      { ...valid, cursor: { x: NaN, y: 0 } },
      { ...valid, cursor: { x: '1', y: 0 } },
      { ...valid, cursor: 5 },
      { ...valid, selection: 'a1' },
    ])
      expect(readPresence(bad).ok).toBe(false);
    const odd = readPresence({
      ...valid,
      name: 'x\n\u0000'.repeat(5_000_000),
      cursor: { x: 1e300, y: -1e300 },
      selection: ['ok', 'bad id!', 5, ...new Array(100_000).fill('id')],
      typing: 'yes',
    });
    expect(odd.ok).toBe(true);
    if (!odd.ok) return;
    expect(odd.value.name.length).toBeLessThanOrEqual(40);
    expect(odd.value.name.includes('\n') || odd.value.name.includes('\u0000')).toBe(false);
    expect(odd.value.cursor).toEqual({ x: 10_000_000, y: -10_000_000 });
    expect(odd.value.selection[0]).toBe('ok');
    expect(odd.value.selection.length).toBeLessThanOrEqual(500);
    expect(odd.value.typing).toBe(false);
    const spoof = readPresence({ ...valid, name: 'Ann\u202e\u2066nimda\u200f' });
    expect(spoof.ok && spoof.value.name).toBe('Annnimda');
  });
});

describe('presence draft (the shape someone is drawing)', () => {
  const stroke = {
    type: 'stroke',
    x: 10,
    y: 20,
    colour: '#E03131',
    strokeWidth: 4,
    points: [0, 0, 0.5, 3, 4, 0.5],
  };

  it('accepts a stroke or shape draft, normalised like an element', () => {
    const r = readPresence({ ...valid, draft: stroke });
    expect(r.ok && r.value.draft).toEqual({ ...stroke, colour: '#e03131' });
    expect(
      readDraft({ type: 'rect', x: 1, y: 2, w: -5, h: 6, colour: '#000000', strokeWidth: 2 }),
    ).toEqual({
      type: 'rect',
      x: 1,
      y: 2,
      w: 5,
      h: 6,
      colour: '#000000',
      strokeWidth: 2,
      fill: null,
    });
    // no draft: the field is absent, as before drafts existed
    const idle = readPresence({ ...valid, draft: null });
    expect(idle.ok && 'draft' in idle.value).toBe(false);
  });

  it('drops a bad draft without rejecting the presence, and bounds its size', () => {
    for (const bad of [
      5,
      [],
      { ...stroke, type: 'text', text: 'x', w: 1, h: 1, fontSize: 10 },
      { ...stroke, type: 'image' },
      { ...stroke, x: NaN },
      { ...stroke, colour: 'red' },
      { ...stroke, points: 'x' },
      { ...stroke, points: [1, 2] },
      { ...stroke, points: [0, 0, 0.5, 1, Infinity, 0.5] },
    ]) {
      const r = readPresence({ ...valid, draft: bad });
      expect(r.ok).toBe(true);
      expect(r.ok && r.value.draft).toBeFalsy();
    }
    // a huge point list keeps only its tail; huge coordinates and widths are clamped
    const n = 100_000;
    const points = Array.from({ length: n * 3 }, (_, i) => (i % 3 === 2 ? 0.5 : i));
    const big = readDraft({ ...stroke, x: 1e300, strokeWidth: 1e9, points });
    expect(big?.type).toBe('stroke');
    if (big?.type !== 'stroke') return;
    expect(big.points.length).toBe(PRESENCE_LIMITS.draftMaxPoints * 3);
    expect(big.points[0]).toBe((n - PRESENCE_LIMITS.draftMaxPoints) * 3);
    expect(big.x).toBe(10_000_000);
    expect(big.strokeWidth).toBe(200);
  });
});
