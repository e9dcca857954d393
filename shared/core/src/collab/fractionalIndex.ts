/**
 * Fractional index keys for element z-order: strings that sort with plain `<` and always have
 * room for another key between any two. Concurrent inserts may pick the same key; readers break
 * ties by element id, so every peer still renders the same order.
 *
 * Generation is the `fractional-indexing` package; this module adds the validator every
 * received key passes and the length cap.
 *
 * Layout: an integer part whose first character encodes its length ('a'..'z' non-negative,
 * 'A'..'Z' negative, farther from the middle = longer), then an optional fraction of digits that
 * never ends in '0'. Appending (the common case: every new stroke goes on top) increments the
 * integer part, so 10,000 appends still give 3-4 character keys instead of the linear growth of
 * plain midpoints.
 */

import { generateKeyBetween } from 'fractional-indexing';

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
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

/**
 * A key strictly between a and b (null = open end), from the `fractional-indexing` package
 * (same key format). Throws on programmer error (a >= b, invalid keys) and when the key would
 * pass the length cap that readers enforce (a peer could not accept it).
 */
export function keyBetween(a: string | null, b: string | null): string {
  if (a !== null && b !== null && a >= b) throw new Error(`keyBetween: ${a} >= ${b}`);
  const key = generateKeyBetween(a, b);
  if (key.length > Z_KEY_MAX_LENGTH) throw new Error(`z key over ${Z_KEY_MAX_LENGTH} characters`);
  return key;
}
