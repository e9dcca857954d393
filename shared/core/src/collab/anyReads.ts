/**
 * Strings and Any values of a Yjs update, read as lib0 reads them but without a native call per
 * string. lib0 decodes every string with TextDecoder, and in Chromium that call costs more than
 * the rest of reading a short key; a board's update is mostly short keys and values (an
 * element's fields are one Any object: `x`, `type`, `stroke`, a colour), ~150,000 strings for
 * 10,000 strokes, and TextDecoder was the largest single item in a profile of that load. Short
 * ASCII strings are built here from their bytes; any other string goes to lib0, so what a
 * string decodes to, and which bytes are refused as not UTF-8, does not change. Objects and
 * arrays are walked here as lib0 walks them, so that their keys and strings come here too;
 * every other value is lib0's.
 */
import * as decoding from 'lib0/decoding';

/** longer strings are few, and TextDecoder is fast on them */
const SHORT = 64;
/** lib0's tags for a string, an object and an array inside an Any value */
const ANY_STRING = 119;
const ANY_OBJECT = 118;
const ANY_ARRAY = 117;

/** decoding.readVarString: the same result, short ASCII strings read in JS */
export function readVarString(d: decoding.Decoder): string {
  const start = d.pos;
  const length = decoding.readVarUint(d);
  const arr = d.arr;
  const end = d.pos + length;
  if (length <= SHORT && end <= arr.length) {
    let s = '';
    let i = d.pos;
    for (; i < end; i++) {
      const byte = arr[i]!;
      if (byte > 0x7f) break;
      s += String.fromCharCode(byte);
    }
    if (i === end) {
      d.pos = end;
      return s;
    }
  }
  d.pos = start;
  return decoding.readVarString(d);
}

/** decoding.readAny: the same value, its strings read by readVarString */
export function readAny(d: decoding.Decoder): unknown {
  const tag = d.arr[d.pos];
  if (tag === ANY_STRING) {
    d.pos++;
    return readVarString(d);
  }
  if (tag === ANY_OBJECT) {
    d.pos++;
    const length = decoding.readVarUint(d);
    // built as lib0 builds it (plain assignment), so every peer stores the same value
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < length; i++) {
      const key = readVarString(d);
      obj[key] = readAny(d);
    }
    return obj;
  }
  if (tag === ANY_ARRAY) {
    d.pos++;
    const length = decoding.readVarUint(d);
    const arr: unknown[] = [];
    for (let i = 0; i < length; i++) arr.push(readAny(d));
    return arr;
  }
  return decoding.readAny(d);
}
