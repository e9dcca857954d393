import { describe, expect, it } from 'vitest';
import { labelLayout, LABEL_PADDING, wrapText } from './labels';

const mono: (t: string) => number = (t) => t.length * 10;

describe('shape labels', () => {
  it('wraps words to the width, keeps newlines and breaks a word wider than a line', () => {
    expect(wrapText('one two three', 80, mono)).toEqual(['one two', 'three']);
    expect(wrapText('a\nb c', 1000, mono)).toEqual(['a', 'b c']);
    expect(wrapText('abcdefghij', 40, mono)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('', 40, mono)).toEqual(['']);
  });

  it('centres the block in the shape and wraps to its width less the padding', () => {
    const el = { x: 100, y: 100, w: 60 + LABEL_PADDING * 2, h: 200, strokeWidth: 2 };
    const l = labelLayout({ ...el, label: 'one two three' }, mono)!;
    expect(l.lines).toEqual(['one', 'two', 'three']);
    expect(l.cx).toBe(100 + el.w / 2);
    const blockH = l.lines.length * l.lineHeight;
    expect(l.top + blockH / 2).toBe(200);
    expect(labelLayout({ ...el }, mono)).toBeNull();
    // the label follows a moved, resized shape
    const wide = labelLayout({ ...el, x: 0, w: 400, label: 'one two three' }, mono)!;
    expect(wide.lines).toEqual(['one two three']);
    expect(wide.cx).toBe(200);
  });
});
