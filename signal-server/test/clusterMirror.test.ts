/** The pure remote-member mirror: sequence ordering around the join snapshot, validation. */
import { describe, expect, it } from 'vitest';
import {
  heartbeatVersion,
  makeMirror,
  parsePresence,
  type RemoteMember,
} from '../src/cluster/mirror';

const members = (entries: [string, string, string][]) =>
  new Map<string, RemoteMember>(entries.map(([id, instance, name]) => [id, { instance, name }]));

describe('cluster mirror', () => {
  it('holds events that arrive before the snapshot and drops those already in it', () => {
    const m = makeMirror('me');
    expect(m.retain('r')).toBe(true);
    // subscribed; these race with the join script's reply
    expect(m.apply('r', { t: 'j', s: 4, i: 'B', id: 'bbbbbbbbbbbb', n: 'bob' })).toEqual([]);
    expect(m.apply('r', { t: 'j', s: 5, i: 'me', id: 'mmmmmmmmmmmm', n: 'me' })).toEqual([]);
    expect(m.apply('r', { t: 'l', s: 6, i: 'A', id: 'aaaaaaaaaaaa' })).toEqual([]);
    // the snapshot was taken at seq 5: bob (4) and our own join (5) are in it, the leave is not
    const changes = m.snapshot(
      'r',
      5,
      members([
        ['aaaaaaaaaaaa', 'A', 'ann'],
        ['bbbbbbbbbbbb', 'B', 'bob'],
        ['mmmmmmmmmmmm', 'me', 'me'],
      ]),
    );
    expect(changes).toEqual([{ type: 'left', peerId: 'aaaaaaaaaaaa' }]);
    expect(m.members('r')).toEqual([{ id: 'bbbbbbbbbbbb', name: 'bob' }]);
    expect(m.route('r', 'bbbbbbbbbbbb')).toBe('B');
    expect(m.route('r', 'mmmmmmmmmmmm')).toBeUndefined(); // local members are not routed here
    // stale and duplicate events change nothing
    expect(m.apply('r', { t: 'j', s: 6, i: 'C', id: 'cccccccccccc', n: 'cy' })).toEqual([]);
    expect(m.apply('r', { t: 'j', s: 7, i: 'C', id: 'cccccccccccc', n: 'cy' })).toEqual([
      { type: 'joined', member: { id: 'cccccccccccc', name: 'cy' } },
    ]);
    expect(m.apply('r', { t: 'j', s: 8, i: 'C', id: 'cccccccccccc', n: 'cy' })).toEqual([]);
    expect(m.apply('r', { t: 'l', s: 9, i: 'Z', id: 'zzzzzzzzzzzz' })).toEqual([]);
  });

  it('a second local join reuses the view; the view goes when the last local session leaves', () => {
    const m = makeMirror('me');
    expect(m.retain('r')).toBe(true);
    expect(m.retain('r')).toBe(false);
    m.snapshot('r', 1, members([['bbbbbbbbbbbb', 'B', 'bob']]));
    // a later snapshot (second join) is ignored: events keep the view current
    m.snapshot('r', 3, members([]));
    expect(m.members('r')).toHaveLength(1);
    expect(m.release('r')).toBe(false);
    expect(m.release('r')).toBe(true);
    expect(m.has('r')).toBe(false);
    expect(m.apply('r', { t: 'j', s: 9, i: 'B', id: 'x', n: 'x' })).toEqual([]);
    expect(m.release('r')).toBe(false);
  });

  it("carries a member's attested version from its join event or its instance's heartbeat", () => {
    const m = makeMirror('me');
    m.retain('r');
    m.snapshot(
      'r',
      1,
      new Map<string, RemoteMember>([
        ['aaaaaaaaaaaa', { instance: 'A', name: 'ann', version: 2 }],
        ['bbbbbbbbbbbb', { instance: 'B', name: 'bob' }],
      ]),
    );
    expect(m.apply('r', { t: 'j', s: 2, i: 'C', id: 'cccccccccccc', n: 'cy', v: 3 })).toEqual([
      { type: 'joined', member: { id: 'cccccccccccc', name: 'cy', version: 3 } },
    ]);
    expect(m.members('r')).toEqual([
      { id: 'aaaaaaaaaaaa', name: 'ann', version: 2 },
      { id: 'bbbbbbbbbbbb', name: 'bob' },
      { id: 'cccccccccccc', name: 'cy', version: 3 },
    ]);
    expect(parsePresence('{"t":"j","s":1,"i":"A","id":"p","n":"x","v":2}')).toMatchObject({ v: 2 });
    // a malformed version attests nothing; the join itself still counts
    const odd = parsePresence('{"t":"j","s":1,"i":"A","id":"p","n":"x","v":"2"}');
    expect(odd !== null && !('v' in odd)).toBe(true);
    expect([heartbeatVersion('v2'), heartbeatVersion('v65535')]).toEqual([2, 65535]);
    for (const old of ['1', '', null, 'v', 'v70000', 'v2x'])
      expect(heartbeatVersion(old)).toBeUndefined();
  });

  it('parsePresence accepts only well-formed events', () => {
    expect(parsePresence('{"t":"j","s":1,"i":"A","id":"p","n":"x"}')).toEqual({
      t: 'j',
      s: 1,
      i: 'A',
      id: 'p',
      n: 'x',
    });
    expect(parsePresence('{"t":"l","s":2,"i":"A","id":"p"}')).toEqual({
      t: 'l',
      s: 2,
      i: 'A',
      id: 'p',
    });
    for (const bad of [
      '',
      'null',
      '[]',
      '{"t":"j","s":1,"i":"A","id":"p"}',
      '{"t":"x","s":1,"i":"A","id":"p"}',
      '{"t":"l","s":"1","i":"A","id":"p"}',
    ])
      expect(parsePresence(bad)).toBeNull();
  });
});
