import { describe, expect, it } from 'vitest';
import { readPresence } from './presence';

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
  });
});
