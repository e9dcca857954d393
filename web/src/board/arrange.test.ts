import { describe, expect, it } from 'vitest';
import { alignMoves, distributeMoves, snapPoint, type Arrangeable } from './arrange';

const box = (
  id: string,
  x: number,
  y: number,
  w: number,
  h: number,
  group?: string,
): Arrangeable => ({
  id,
  bounds: { minX: x, minY: y, maxX: x + w, maxY: y + h },
  ...(group ? { group } : {}),
});

describe('align, distribute, snap', () => {
  const items = [box('a', 0, 0, 10, 10), box('b', 50, 20, 30, 40), box('c', 20, 100, 20, 20)];

  it('aligns edges and centres to the selection box; what is already there stays out', () => {
    expect(alignMoves(items, 'left')).toEqual(
      new Map([
        ['b', { x: -50, y: 0 }],
        ['c', { x: -20, y: 0 }],
      ]),
    );
    expect(alignMoves(items, 'right').get('a')).toEqual({ x: 70, y: 0 });
    expect(alignMoves(items, 'centre').get('a')).toEqual({ x: 35, y: 0 });
    expect(alignMoves(items, 'top').get('c')).toEqual({ x: 0, y: -100 });
    expect(alignMoves(items, 'middle').get('a')).toEqual({ x: 0, y: 55 });
    expect(alignMoves(items, 'bottom').get('b')).toEqual({ x: 0, y: 60 });
    expect(alignMoves([items[0]!], 'left').size).toBe(0);
  });

  it('a group moves as one unit', () => {
    const grouped = [
      box('a', 0, 0, 10, 10),
      box('g1', 50, 0, 10, 10, 'g'),
      box('g2', 80, 0, 10, 10, 'g'),
    ];
    const m = alignMoves(grouped, 'left');
    expect(m.get('g1')).toEqual({ x: -50, y: 0 });
    expect(m.get('g2')).toEqual({ x: -50, y: 0 });
    // two units only: nothing to distribute
    expect(distributeMoves(grouped, 'horizontal').size).toBe(0);
  });

  it('distributes with equal gaps, the outer two staying', () => {
    const row = [box('a', 0, 0, 10, 10), box('b', 15, 0, 20, 10), box('c', 90, 0, 10, 10)];
    // span 0..100, sizes 40 -> gaps of 30: b goes to 40
    expect(distributeMoves(row, 'horizontal')).toEqual(new Map([['b', { x: 25, y: 0 }]]));
    const col = row.map((r) => box(r.id, 0, r.bounds.minX, 10, r.bounds.maxX - r.bounds.minX));
    expect(distributeMoves(col, 'vertical')).toEqual(new Map([['b', { x: 0, y: 25 }]]));
  });

  it('snaps to the 20 px grid', () => {
    expect(snapPoint({ x: 29, y: -11 })).toEqual({ x: 20, y: -20 });
  });
});
