import { describe, expect, it } from 'vitest';
import { cleanDisplayName, sanitizeText } from '../src';

/** Every bidi control a peer could use to make a name read in another order than stored. */
const BIDI = [
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
].map((c) => String.fromCharCode(c));

describe('sanitizeText', () => {
  it('removes every bidi control, in line and multiline mode', () => {
    for (const b of BIDI) {
      expect(sanitizeText(`a${b}b`)).toBe('ab');
      expect(sanitizeText(`a${b}b`, { multiline: true })).toBe('ab');
      // bidi controls are removed even where other controls are replaced
      expect(sanitizeText(`a${b}b`, { controlsAs: '_' })).toBe('ab');
    }
    expect(sanitizeText('invoice_\u202efdp.exe')).toBe('invoice_fdp.exe');
  });

  it('removes or replaces every C0/C1 control; multiline keeps tab and newline', () => {
    for (let c = 0; c <= 0x9f; c++) {
      if (c > 0x1f && c < 0x7f) continue;
      const ch = String.fromCharCode(c);
      expect(sanitizeText(`a${ch}b`), `U+${c.toString(16)}`).toBe('ab');
      expect(sanitizeText(`a${ch}b`, { controlsAs: '_' })).toBe('a_b');
      const kept = ch === '\t' || ch === '\n';
      const multi = ch === '\r' ? 'a\nb' : kept ? `a${ch}b` : 'ab';
      expect(sanitizeText(`a${ch}b`, { multiline: true })).toBe(multi);
    }
    expect(sanitizeText('x\r\ny', { multiline: true })).toBe('x\ny');
    // ordinary text, including right-to-left scripts, is untouched
    expect(sanitizeText('Zoë שלום مرحبا 😀')).toBe('Zoë שלום مرحبا 😀');
  });

  it('cleanDisplayName strips bidi controls as well as C0 controls', () => {
    expect(cleanDisplayName(' Ann\u202e\u2066 ')).toBe('Ann');
    expect(cleanDisplayName('\u200f\u200e')).toBe('Guest');
    expect(cleanDisplayName('x'.repeat(500))).toBe('x'.repeat(40));
  });
});
