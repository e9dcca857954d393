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

  test('a later tab of the same browser takes the first tab’s colour, whoever else is here', () => {
    const firstTab = { clientId: 70, colour: orange!, since: 900, sameDevice: true };
    const thirdTab = { clientId: 80, colour: orange!, since: 1100, sameDevice: true };
    const bob = { clientId: 10, colour: gold!, since: 950 };
    // it had been moved off before the device was verified: it comes back to its browser's
    expect(nextColour(me({ colour: gold! }), [firstTab, bob, thirdTab])).toBe(orange);
    // the earliest tab decides when two came before us
    const older = { clientId: 60, colour: red!, since: 800, sameDevice: true };
    expect(nextColour(me({ colour: gold! }), [firstTab, older])).toBe(red);
    // the first tab itself keeps its colour: a later tab of ours is no reason to give way
    expect(nextColour(me({ colour: orange!, since: 900, clientId: 70 }), [thirdTab])).toBe(orange);
    // an unverified tab with our colour is someone else: the later one gives way as before
    expect(nextColour(me(), [{ clientId: 70, colour: red!, since: 900 }])).not.toBe(red);
  });

  test('someone else’s two tabs both count: we stay off their colour', () => {
    const aliceTabs = [
      { clientId: 1, colour: red!, since: 100 },
      { clientId: 2, colour: red!, since: 200 },
    ];
    const mine = nextColour(me({ colour: red! }), aliceTabs);
    expect(mine).not.toBe(red);
  });
});
