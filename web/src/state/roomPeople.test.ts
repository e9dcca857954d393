import { describe, expect, it } from 'vitest';
import { groupRoomPeers } from './roomPeople';

const peers = [{ id: 'a1' }, { id: 'b' }, { id: 'a2' }, { id: 'm' }, { id: 'me2' }];
const devices: Record<string, string> = { a1: 'dev-a', a2: 'dev-a', me2: 'dev-me' };

describe('groupRoomPeers', () => {
  it('one row per person: tabs of a verified device together, ours folded into us', () => {
    const { others, ownTabs } = groupRoomPeers(
      peers,
      (p) => devices[p.id],
      (p) => p.id === 'a1',
      'dev-me',
    );
    expect(ownTabs).toBe(2);
    expect(others.map((g) => [g.lead.id, g.tabs, g.away])).toEqual([
      ['a2', 2, false], // the active tab leads
      ['b', 1, false],
      ['m', 1, false],
    ]);
  });

  it('peers without a verified device never group, and a person is away only when all tabs are', () => {
    const { others, ownTabs } = groupRoomPeers(
      peers,
      () => undefined,
      () => true,
      undefined,
    );
    expect(ownTabs).toBe(1);
    expect(others.map((g) => [g.tabs, g.away])).toEqual(Array(5).fill([1, true]));
  });
});
