import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/kit/seededRandom';
import { readAny, readVarString } from './anyReads';

const ALPHABET = ['a', 'Z', '0', ' ', '#', '~', '\u0000', '\u007f', 'é', '€', '😀', '\u0080'];

function randomString(r: () => number): string {
  const length = r() < 0.8 ? Math.floor(r() * 12) : Math.floor(r() * 200);
  const ascii = r() < 0.7;
  let s = '';
  for (let i = 0; i < length; i++)
    s += ascii ? String.fromCharCode(Math.floor(r() * 128)) : ALPHABET[Math.floor(r() * 12)];
  return s;
}

function randomValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * (depth > 2 ? 8 : 10));
  switch (pick) {
    case 0:
      return randomString(r);
    case 1:
      return Math.floor(r() * 2 ** 31) * (r() < 0.5 ? -1 : 1);
    case 2:
      return (r() - 0.5) * 1e6;
    case 3:
      return r() < 0.5;
    case 4:
      return r() < 0.5 ? null : undefined;
    case 5:
      return Uint8Array.from({ length: Math.floor(r() * 20) }, () => Math.floor(r() * 256));
    case 6:
      return BigInt(Math.floor(r() * 1e9)) * 1_000_000_007n;
    case 7:
      return randomString(r);
    case 8:
      return Object.fromEntries(
        Array.from({ length: Math.floor(r() * 8) }, () => [
          randomString(r),
          randomValue(r, depth + 1),
        ]),
      );
    default:
      return Array.from({ length: Math.floor(r() * 8) }, () => randomValue(r, depth + 1));
  }
}

/** both readers on the same bytes: the same value or the same refusal, and the same position */
function both(bytes: Uint8Array, read: 'any' | 'string') {
  const ours = decoding.createDecoder(bytes);
  const lib0 = decoding.createDecoder(bytes);
  const run = (d: decoding.Decoder, f: (d: decoding.Decoder) => unknown) => {
    try {
      return { value: f(d), pos: d.pos };
    } catch (e) {
      return { threw: (e as Error).constructor.name };
    }
  };
  return read === 'any'
    ? [run(ours, readAny), run(lib0, decoding.readAny)]
    : [run(ours, readVarString), run(lib0, decoding.readVarString)];
}

describe('anyReads: lib0 decoding, short ASCII strings read in JS', () => {
  it('reads every value lib0 writes exactly as lib0 reads it (2,000 random values)', () => {
    const r = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const e = encoding.createEncoder();
      encoding.writeAny(e, randomValue(r) as never);
      const [ours, lib0] = both(encoding.toUint8Array(e), 'any');
      expect(ours).toEqual(lib0);
      expect(ours).not.toHaveProperty('threw');
    }
  });

  it('strings: ASCII, not ASCII, long, empty', () => {
    for (const s of ['', 'x', 'stroke', '#1e1e1e', 'a'.repeat(64), 'a'.repeat(65), 'é', 'ab😀c']) {
      const e = encoding.createEncoder();
      encoding.writeVarString(e, s);
      const [ours, lib0] = both(encoding.toUint8Array(e), 'string');
      expect(ours).toEqual({ value: s, pos: lib0!.pos });
    }
  });

  it('refuses what lib0 refuses: bytes that are not UTF-8, a string or an object cut short', () => {
    const cases = [
      [119, 3, 0x61, 0xff, 0x62], // not UTF-8 after an ASCII byte
      [119, 2, 0xc3], // a two-byte character cut short
      [119, 1, 0x80], // a continuation byte alone
      [119, 5, 0x61, 0x62], // shorter than its length
      [118, 2, 1, 0x61, 125, 2], // an object missing its second field
      [117, 3, 120, 121], // an array missing a value
      [119], // no length
      [42], // not a tag
    ];
    for (const bytes of cases) {
      const [ours, lib0] = both(Uint8Array.from(bytes), 'any');
      expect(lib0).toHaveProperty('threw');
      expect(ours).toEqual(lib0);
    }
  });

  it('builds objects as lib0 does, a "__proto__" key included', () => {
    const bytes = Uint8Array.from([
      118,
      2,
      9,
      ...Buffer.from('__proto__'),
      118,
      1,
      1,
      0x6b,
      120,
      1,
      0x61,
      121,
    ]);
    const ours = readAny(decoding.createDecoder(bytes)) as Record<string, unknown>;
    const lib0 = decoding.readAny(decoding.createDecoder(bytes)) as Record<string, unknown>;
    expect(Object.keys(ours)).toEqual(Object.keys(lib0));
    expect(Object.getPrototypeOf(ours)).toEqual(Object.getPrototypeOf(lib0));
    expect(ours['k']).toBe(lib0['k']);
  });
});
