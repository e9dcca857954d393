import { describe, expect, it } from 'vitest';
import { groupPeople, type PresenceEntry } from './peopleGroups';

const e = (clientId: number, name: string, extra: Partial<PresenceEntry> = {}): PresenceEntry => ({
  clientId,
  name,
  colour: '#123456',
  followable: true,
  ...extra,
});

describe('groupPeople', () => {
  it('shows two tabs of one verified device once, with a tab count', () => {
    const groups = groupPeople([
      e(5, 'Alice · tab 2', { device: 'dev-a' }),
      e(3, 'Alice', { device: 'dev-a' }),
      e(9, 'Bob'),
    ]);
    expect(groups).toHaveLength(2);
    const alice = groups.find((g) => g.key === 'd:dev-a')!;
    expect(alice).toMatchObject({ name: 'Alice', tabs: 2, clientIds: [3, 5], away: false });
    expect(groups.find((g) => g.key === 'c:9')).toMatchObject({ name: 'Bob', tabs: 1 });
  });

  it('never merges entries by name: no verified device, no grouping', () => {
    const groups = groupPeople([e(3, 'Alice', { device: 'dev-a' }), e(4, 'Alice'), e(6, 'Alice')]);
    expect(groups.map((g) => g.tabs)).toEqual([1, 1, 1]);
  });

  it('is away only when every tab is, and follows an active tab', () => {
    const both = groupPeople([
      e(3, 'Alice', { device: 'd', away: 'hidden' }),
      e(5, 'Alice', { device: 'd' }),
    ])[0]!;
    expect(both).toMatchObject({ away: false, followId: 5 });
    const gone = groupPeople([
      e(3, 'Alice', { device: 'd', away: 'hidden' }),
      e(5, 'Alice', { device: 'd', away: 'idle' }),
    ])[0]!;
    expect(gone).toMatchObject({ away: true, followId: 3 });
    expect(groupPeople([e(1, 'X', { followable: false })])[0]!.followId).toBeNull();
  });
});
