/**
 * JSON length of a value without writing the JSON. The schema check sizes every scalar field
 * of every element a peer sends (~70,000 on a 10,000-stroke board); JSON.stringify made a
 * string for each only to read its length. Scalars are measured here; anything else (objects,
 * and what JSON.stringify refuses, such as a bigint) still goes through JSON.stringify.
 */

/** decimal digits of a whole number below 2^53 (a multiply per digit, not a division) */
const digits = (n: number): number => {
  let d = 1;
  for (let ten = 10; n >= ten; ten *= 10) d++;
  return d;
};

/** Escaped length of a string's JSON form, quotes included; stops counting past `max`. */
function stringLength(s: string, max: number): number {
  let n = 2;
  for (let i = 0; i < s.length && n <= max; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) n += 2;
    else if (c < 0x20) n += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // a surrogate pair is copied as it is; a lone surrogate is written as \udxxx
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        n += 2;
        i++;
      } else n += 6;
    } else n += 1;
  }
  return n;
}

/**
 * Length of a finite number's JSON form, or -1 when only writing it out would tell: integers
 * and multiples of 1/4 (the board's coordinates) below 2^53 are counted, others are not.
 */
function numberLength(v: number): number {
  const a = Math.abs(v);
  if (a >= 2 ** 53) return -1;
  const whole = Math.floor(a);
  const frac = a - whole;
  const fracLength = frac === 0 ? 0 : frac === 0.5 ? 2 : frac === 0.25 || frac === 0.75 ? 3 : -1;
  if (fracLength < 0) return -1;
  return (v < 0 ? 1 : 0) + digits(whole) + fracLength;
}

/** JSON length of `value` (0 for what JSON leaves out), or max + 1 when it is longer than max. */
export function jsonLength(value: unknown, max: number): number {
  let n: number;
  if (typeof value === 'string') n = stringLength(value, max);
  else if (typeof value === 'number') n = Number.isFinite(value) ? numberLength(value) : 4;
  else if (typeof value === 'boolean') n = value ? 4 : 5;
  else if (value === null) n = 4;
  else n = -1;
  if (n < 0) {
    const text = JSON.stringify(value) as string | undefined;
    n = text === undefined ? 0 : text.length;
  }
  return n > max ? max + 1 : n;
}
