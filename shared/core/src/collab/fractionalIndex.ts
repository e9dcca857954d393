/**
 * Fractional index keys for element z-order: strings that sort with plain `<` and always have
 * room for another key between any two. Concurrent inserts may pick the same key; readers break
 * ties by element id, so every peer still renders the same order.
 *
 * Layout: an integer part whose first character encodes its length ('a'..'z' non-negative,
 * 'A'..'Z' negative, farther from the middle = longer), then an optional fraction of digits that
 * never ends in '0'. Appending (the common case: every new stroke goes on top) increments the
 * integer part, so 10,000 appends still give 3-4 character keys instead of the linear growth of
 * plain midpoints.
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const SMALLEST_INTEGER = 'A' + '0'.repeat(26);
export const FIRST_KEY = 'a0';
export const Z_KEY_MAX_LENGTH = 256;

const digitValue = (c: string | undefined): number => (c === undefined ? -1 : DIGITS.indexOf(c));

function integerLength(head: string): number | null {
  if (head >= 'a' && head <= 'z') return head.charCodeAt(0) - 97 + 2;
  if (head >= 'A' && head <= 'Z') return 90 - head.charCodeAt(0) + 2;
  return null;
}

function split(key: string): { int: string; frac: string } | null {
  const len = integerLength(key.charAt(0));
  if (len === null || key.length < len) return null;
  return { int: key.slice(0, len), frac: key.slice(len) };
}

export function isValidZKey(key: unknown): key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > Z_KEY_MAX_LENGTH) return false;
  const parts = split(key);
  if (!parts || parts.int === SMALLEST_INTEGER) return false;
  for (let i = 1; i < key.length; i++) if (digitValue(key[i]) < 0) return false;
  return !parts.frac.endsWith('0');
}

/** A fraction strictly between a and b (b === null: above a). Neither ends in '0'; a < b. */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const da = a.length > 0 ? digitValue(a[0]) : 0;
  const db = b !== null ? digitValue(b[0]) : BASE;
  if (db - da > 1) return DIGITS.charAt(Math.round((da + db) / 2));
  // adjacent digits: b's first digit alone is between if b continues; else go one level deeper
  if (b !== null && b.length > 1) return b.charAt(0);
  return DIGITS.charAt(da) + midpoint(a.slice(1), null);
}

function increment(int: string): string | null {
  const head = int.charAt(0);
  const digits = int.slice(1).split('');
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = digitValue(digits[i]) + 1;
    if (d < BASE) {
      digits[i] = DIGITS.charAt(d);
      return head + digits.join('');
    }
    digits[i] = '0';
  }
  // overflow: move to the next length class
  if (head === 'z') return null;
  if (head === 'Z') return FIRST_KEY;
  const next = String.fromCharCode(head.charCodeAt(0) + 1);
  return head >= 'a' ? next + '0'.repeat(digits.length + 1) : next + '0'.repeat(digits.length - 1);
}

function decrement(int: string): string | null {
  const head = int.charAt(0);
  const digits = int.slice(1).split('');
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = digitValue(digits[i]) - 1;
    if (d >= 0) {
      digits[i] = DIGITS.charAt(d);
      return head + digits.join('');
    }
    digits[i] = 'z';
  }
  if (head === 'A') return null;
  if (head === 'a') return 'Zz';
  const prev = String.fromCharCode(head.charCodeAt(0) - 1);
  const result =
    head >= 'a' ? prev + 'z'.repeat(digits.length - 1) : prev + 'z'.repeat(digits.length + 1);
  return result === SMALLEST_INTEGER ? null : result;
}

/**
 * A key strictly between a and b (null = open end). Throws only on programmer error (a >= b or
 * invalid keys); callers pass keys that passed isValidZKey.
 */
export function keyBetween(a: string | null, b: string | null): string {
  if (a !== null && b !== null && a >= b) throw new Error(`keyBetween: ${a} >= ${b}`);
  if (a === null && b === null) return FIRST_KEY;
  if (a === null) {
    const pb = split(b as string);
    if (!pb) throw new Error(`invalid key ${b}`);
    if (pb.frac.length > 0) return pb.int;
    const dec = decrement(pb.int);
    if (dec === null) return pb.int + midpoint('', pb.frac);
    return dec;
  }
  const pa = split(a);
  if (!pa) throw new Error(`invalid key ${a}`);
  if (b === null) {
    const inc = increment(pa.int);
    return inc ?? pa.int + midpoint(pa.frac, null);
  }
  const pb = split(b);
  if (!pb) throw new Error(`invalid key ${b}`);
  if (pa.int === pb.int) return pa.int + midpoint(pa.frac, pb.frac);
  const inc = increment(pa.int);
  if (inc !== null && inc < b) return inc;
  return pa.int + midpoint(pa.frac, null);
}
