import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { readString, readValue } from './valueReader';

type Outcome = { ok: true; value: unknown; pos: number } | { ok: false };

/** what a reader makes of `bytes`, and where it stopped */
function outcome(read: (d: decoding.Decoder) => unknown, bytes: Uint8Array): Outcome {
  const d = decoding.createDecoder(bytes);
  try {
    return { ok: true, value: read(d), pos: d.pos };
  } catch {
    return { ok: false };
  }
}

/** the same value, the same prototypes (lib0 sets one from a `__proto__` key), the same end */
function expectSameAsLib0(bytes: Uint8Array): void {
  const ours = outcome(readValue, bytes);
  const lib0 = outcome(decoding.readAny, bytes);
  expect(ours.ok).toBe(lib0.ok);
  if (!ours.ok || !lib0.ok) return;
  expect(ours.value).toStrictEqual(lib0.value);
  expect(ours.pos).toBe(lib0.pos);
  const proto = (v: unknown) => (typeof v === 'object' && v ? Object.getPrototypeOf(v) : null);
  expect(proto(ours.value) === Object.prototype).toBe(proto(lib0.value) === Object.prototype);
}

const encodeAny = (v: unknown): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeAny(e, v as Parameters<typeof encoding.writeAny>[1]);
  return encoding.toUint8Array(e);
};

const encodeString = (s: string): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, s);
  return encoding.toUint8Array(e);
};

describe('reading update values as lib0 does', () => {
  it('strings: short ASCII, long, empty, accented, emoji, at the 64-byte edge', () => {
    for (const s of [
      '',
      'x',
      'stroke',
      '#1e1e1e',
      'a'.repeat(64),
      'a'.repeat(65),
      'b'.repeat(5000),
      'élan',
      'ab🙂',
      `${'a'.repeat(63)}é`,
    ]) {
      const bytes = encodeString(s);
      const d = decoding.createDecoder(bytes);
      expect(readString(d)).toBe(s);
      expect(d.pos).toBe(bytes.length);
    }
  });

  it('bytes that are not UTF-8, and a string cut short, fail as in lib0', () => {
    const invalid = new Uint8Array([3, 0x61, 0xff, 0x62]);
    const cut = encodeString('stroke').subarray(0, 4);
    for (const bytes of [invalid, cut]) {
      expect(() => readString(decoding.createDecoder(bytes))).toThrow();
      expect(() => decoding.readVarString(decoding.createDecoder(bytes))).toThrow();
    }
  });

  it('every kind of value: the same as lib0 reads', () => {
    const values: unknown[] = [
      undefined,
      null,
      0,
      -7,
      2 ** 40,
      1.5,
      0.1,
      BigInt(2) ** BigInt(60),
      true,
      false,
      'z',
      { type: 'stroke', x: 1, pts: new Uint8Array([1, 2, 3]), colour: '#e03131' },
      [1, 'two', [3], { four: 4 }],
      new Uint8Array(0),
      { é: 'ü', long: 'x'.repeat(300) },
    ];
    for (const v of values) expectSameAsLib0(encodeAny(v));
  });

  it('an object whose key is __proto__ comes out as lib0 makes it', () => {
    // hand-written: writeAny of a literal would not carry the key
    const e = encoding.createEncoder();
    encoding.writeUint8(e, 118);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, '__proto__');
    encoding.writeAny(e, { polluted: true });
    expectSameAsLib0(encoding.toUint8Array(e));
  });

  it('an unknown tag and truncated values fail as in lib0', () => {
    expectSameAsLib0(new Uint8Array([115]));
    expectSameAsLib0(new Uint8Array([0]));
    const obj = encodeAny({ a: 'b', c: [1, 2] });
    for (let n = 0; n < obj.length; n++) expectSameAsLib0(obj.subarray(0, n));
  });

  it('random values and random bytes: the same as lib0', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => expectSameAsLib0(encodeAny(v))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => expectSameAsLib0(bytes)),
      { numRuns: 2000 },
    );
  });
});
