/**
 * Reads the strings and values of a Yjs V1 update (lib0's encoding) as lib0 does, but short
 * ASCII strings are built in JavaScript instead of by a TextDecoder call each.
 *
 * Why: a board's update holds some fifteen short strings per element (map keys, field names,
 * ids, colours, order keys). lib0 decodes every string with TextDecoder, and in Chromium each
 * call costs far more than the few bytes it decodes: on a 10,000-stroke board ~150,000 calls
 * took ~80 ms of a ~400 ms load, while building the same strings in JavaScript takes ~8 ms
 * (measured in the same page). Node's TextDecoder is cheaper per call; the gain there is small.
 *
 * Any string that is long or not plain ASCII goes to lib0's own reader from its first byte, so
 * what Yjs gets is exactly what lib0 would give it (valueReader.test.ts compares the two on
 * every kind of value, including the `__proto__` key lib0's object reading honours).
 */
import * as decoding from 'lib0/decoding';

/** Longer strings are rare here (texts, chat) and TextDecoder's per-call cost is paid once. */
const SHORT_STRING = 64;

/** lib0's readVarString, with short ASCII strings built in JavaScript. */
export function readString(decoder: decoding.Decoder): string {
  const start = decoder.pos;
  const length = decoding.readVarUint(decoder);
  const from = decoder.pos;
  const to = from + length;
  const bytes = decoder.arr;
  if (length <= SHORT_STRING && to <= bytes.length) {
    let s = '';
    let i = from;
    for (; i < to; i++) {
      const b = bytes[i]!;
      if (b >= 0x80) break;
      s += String.fromCharCode(b);
    }
    if (i === to) {
      decoder.pos = to;
      return s;
    }
  }
  decoder.pos = start;
  return decoding.readVarString(decoder);
}

/** lib0's readAny (its tags 127 down to 116), with readString for strings and object keys. */
export function readValue(decoder: decoding.Decoder): unknown {
  const tag = decoding.readUint8(decoder);
  switch (tag) {
    case 127:
      return undefined;
    case 126:
      return null;
    case 125:
      return decoding.readVarInt(decoder);
    case 124:
      return decoding.readFloat32(decoder);
    case 123:
      return decoding.readFloat64(decoder);
    case 122:
      return decoding.readBigInt64(decoder);
    case 121:
      return false;
    case 120:
      return true;
    case 119:
      return readString(decoder);
    case 118: {
      const length = decoding.readVarUint(decoder);
      // as lib0 builds it: a plain object, keys assigned in order (a `__proto__` key sets the
      // prototype there too; the schema check refuses such a value: docSchema.ts checkBase)
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < length; i++) {
        const key = readString(decoder);
        obj[key] = readValue(decoder);
      }
      return obj;
    }
    case 117: {
      const length = decoding.readVarUint(decoder);
      const arr: unknown[] = [];
      for (let i = 0; i < length; i++) arr.push(readValue(decoder));
      return arr;
    }
    case 116:
      return decoding.readVarUint8Array(decoder);
    default:
      // lib0 fails here too (no reader for the tag): the update is unreadable either way
      throw new Error(`unknown value tag ${tag}`);
  }
}
