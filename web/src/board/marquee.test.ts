import { describe, expect, test } from 'vitest';
import type { BoardElement } from '@peerboard/core/collab';
import { marqueeSelection } from './marquee';

const rect = (id: string, x: number, group?: string): BoardElement => ({
  id,
  author: 1,
  z: 'a0',
  type: 'rect',
  x,
  y: 0,
  w: 10,
  h: 10,
  colour: '#000000',
  strokeWidth: 2,
  fill: null,
  ...(group ? { group } : {}),
});

describe('marquee selection', () => {
  const all = [rect('a', 0, 'g'), rect('b', 500, 'g'), rect('c', 20), rect('d', 900, 'h')];

  test('a band around one member of a group selects the whole group, not other groups', () => {
    const ids = marqueeSelection(new Set(), [all[0]!, all[2]!], () => all);
    expect([...ids].sort()).toEqual(['a', 'b', 'c']);
  });

  test('without groups inside, only what is inside (plus the Shift base); the board is not walked', () => {
    let walked = false;
    const ids = marqueeSelection(new Set(['d']), [all[2]!], () => {
      walked = true;
      return all;
    });
    expect([...ids].sort()).toEqual(['c', 'd']);
    expect(walked).toBe(false);
  });
});
