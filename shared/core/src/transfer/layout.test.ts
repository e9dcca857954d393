import { describe, expect, it } from 'vitest';
import { blockOf, blockSpan, bytesBefore, chunkSpan, makeLayout } from './layout';

describe('layout: chunker edge sizes', () => {
  const C = 1000;
  const cases: [string, number, number, number][] = [
    // name, size, chunks, blocks (4 chunks per block)
    ['0 B', 0, 0, 0],
    ['1 B', 1, 1, 1],
    ['one chunk exactly', C, 1, 1],
    ['exact multiple of the chunk size', 8 * C, 8, 2],
    ['exact multiple + 1 B', 8 * C + 1, 9, 3],
    ['one block + 1 chunk - 1 B', 5 * C - 1, 5, 2],
  ];
  it.each(cases)('%s', (_name, size, chunks, blocks) => {
    const l = makeLayout(size, C, 4);
    expect(l.chunks).toBe(chunks);
    expect(l.blocks).toBe(blocks);
    // chunks tile the file exactly
    let total = 0;
    for (let i = 0; i < l.chunks; i++) {
      const s = chunkSpan(l, i);
      expect(s.offset).toBe(total);
      expect(s.length).toBeGreaterThan(0);
      expect(s.length).toBeLessThanOrEqual(C);
      total += s.length;
    }
    expect(total).toBe(size);
    // blocks tile the chunks exactly
    let next = 0;
    let bytes = 0;
    for (let b = 0; b < l.blocks; b++) {
      const s = blockSpan(l, b);
      expect(s.from).toBe(next);
      expect(s.offset).toBe(bytes);
      for (let i = s.from; i < s.to; i++) expect(blockOf(l, i)).toBe(b);
      next = s.to;
      bytes += s.length;
    }
    expect(next).toBe(chunks);
    expect(bytes).toBe(size);
    expect(bytesBefore(l, l.chunks)).toBe(size);
  });

  it('rejects nonsense', () => {
    expect(() => makeLayout(-1, C, 4)).toThrow(RangeError);
    expect(() => makeLayout(10, 0, 4)).toThrow(RangeError);
    expect(() => makeLayout(10, C, 0)).toThrow(RangeError);
    expect(() => makeLayout(1.5, C, 4)).toThrow(RangeError);
  });
});
