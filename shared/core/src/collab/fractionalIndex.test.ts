import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FIRST_KEY, isValidZKey, keyBetween } from './fractionalIndex';

describe('fractional index', () => {
  it('appends stay short (integer part grows logarithmically)', () => {
    let k: string | null = null;
    for (let i = 0; i < 10_000; i++) {
      const next = keyBetween(k, null);
      if (k !== null) expect(next > k).toBe(true);
      k = next;
    }
    expect((k as string).length).toBeLessThanOrEqual(4);
    let low: string | null = FIRST_KEY;
    for (let i = 0; i < 10_000; i++) {
      const next = keyBetween(null, low);
      expect(next < (low as string)).toBe(true);
      expect(isValidZKey(next)).toBe(true);
      low = next;
    }
  });

  it('random inserts keep a strict order and valid keys', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 300 }), (picks) => {
        const keys: string[] = [];
        for (const p of picks) {
          const i = p % (keys.length + 1); // insert before keys[i]
          const k = keyBetween(keys[i - 1] ?? null, keys[i] ?? null);
          expect(isValidZKey(k)).toBe(true);
          keys.splice(i, 0, k);
        }
        for (let i = 1; i < keys.length; i++) expect(keys[i - 1]! < keys[i]!).toBe(true);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('rejects invalid keys', () => {
    for (const bad of [
      '',
      'a',
      '!0',
      'a00',
      'a0V0',
      5,
      null,
      'A' + '0'.repeat(26),
      'a'.repeat(300),
    ])
      expect(isValidZKey(bad)).toBe(false);
    for (const good of ['a0', 'a0V', 'Zz', 'b00', 'a1x']) expect(isValidZKey(good)).toBe(true);
    expect(() => keyBetween('a1', 'a0')).toThrow();
  });
});
