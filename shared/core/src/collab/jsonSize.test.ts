import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonLength } from './jsonSize';

/** what the schema check used to compute: the length of JSON.stringify, capped at max + 1 */
const reference = (value: unknown, max: number): number => {
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? 0 : text.length > max ? max + 1 : text.length;
};

const scalars = fc.oneof(
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
  fc.integer({ min: -40_000_000, max: 40_000_000 }).map((q) => q / 4), // quarter pixels
  fc.constantFrom(0, -0, 9, 10, 99, 100, 999_999_999_999_999, 1e15, 2 ** 53 - 1, 2 ** 53, 1e21),
  fc.double(), // NaN, infinities, -0, tiny and huge values, any fraction
  fc.string({ unit: 'binary', maxLength: 40 }), // any code units: lone surrogates included
  fc.string({ unit: fc.integer({ min: 0, max: 0x3f }).map((c) => String.fromCharCode(c)) }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);

describe('jsonLength', () => {
  it('is the length of JSON.stringify for any scalar, capped past max (seeded)', () => {
    fc.assert(
      fc.property(scalars, fc.integer({ min: 0, max: 600 }), (value, max) => {
        expect(jsonLength(value, max)).toBe(reference(value, max));
      }),
      { seed: 20261126, numRuns: 3000 },
    );
  });

  it('stops counting a huge string past max, and measures objects and refuses bigints as JSON does', () => {
    expect(jsonLength('x'.repeat(10_000_000), 512)).toBe(513);
    expect(jsonLength('"\\\n\u0001\ud800\ud83d\ude00', 100)).toBe(
      reference('"\\\n\u0001\ud800\ud83d\ude00', 100),
    );
    const binding = { id: 'r1', ax: 0.5, ay: 0.25, gap: 8 };
    expect(jsonLength(binding, 512)).toBe(JSON.stringify(binding).length);
    expect(() => jsonLength(10n, 512)).toThrow(TypeError);
  });
});
