import { describe, expect, test } from 'vitest';
import { PEER_PALETTE } from '@peerboard/core/collab';
import { leastUsedColour, nextColour, type ColourState } from './colourAssignment';

const [red, orange, gold] = PEER_PALETTE;

describe('presence colour assignment', () => {
  test('the palette has at least 12 distinct hues', () => {
    expect(new Set(PEER_PALETTE).size).toBeGreaterThanOrEqual(12);
  });

  test('least used wins; ties go to the first after the seed', () => {
    expect(leastUsedColour([], 0)).toBe(red);
    expect(leastUsedColour([red], 0)).toBe(orange);
    expect(leastUsedColour([], 2)).toBe(gold);
    const all = [...PEER_PALETTE, ...PEER_PALETTE.filter((c) => c !== gold)];
    expect(leastUsedColour(all, 0)).toBe(gold);
  });

  const me = (over: Partial<ColourState> = {}): ColourState => ({
    clientId: 50,
    colour: red!,
    since: 1000,
    ...over,
  });

  test('a newcomer whose colour is taken moves; the one already there keeps it', () => {
    const there = { clientId: 10, colour: red!, since: 900 };
    expect(nextColour(me(), [there])).not.toBe(red);
    expect(nextColour(me(), [{ clientId: 99, colour: red! }])).not.toBe(red); // no since: first
    // from the other side: the newcomer came after us
    expect(nextColour(me(), [{ clientId: 99, colour: red!, since: 1001 }])).toBe(red);
    expect(nextColour(me(), [{ ...there, colour: orange! }])).toBe(red);
  });

  test('same join time: the lower client id keeps the colour, on both sides', () => {
    const a = { clientId: 5, colour: red!, since: 1000 };
    const b = { clientId: 50, colour: red!, since: 1000 };
    expect(nextColour({ ...a }, [b])).toBe(red);
    expect(nextColour({ ...b }, [a])).not.toBe(red);
  });

  test('a full room: the newcomer takes the least-used colour', () => {
    const peers = PEER_PALETTE.filter((c) => c !== gold).map((colour, i) => ({
      clientId: i,
      colour,
      since: 0,
    }));
    expect(nextColour(me({ colour: red! }), peers)).toBe(gold);
  });
});
