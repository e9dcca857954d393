/**
 * Renaming yourself inside a room (session.rename) over the real relay and real WebRTC peers:
 * the others see the new presence name at once and new chat messages carry it. makePresenceNames
 * ties each awareness entry to the peer whose link delivered it, so a member who publishes an
 * awareness entry under someone else's client id cannot rename that person.
 */
import { describe, expect, it } from 'vitest';
import type { Session } from '../src/session';
import { encodeAwarenessEntries } from '../src/collab/awarenessFilter';
import { makePresenceNames, type PresenceNames } from '../src/collab/presence';
import { uniqueRoom } from './kit/relay';
import { until, useSessionRelay } from './kit/sessions';

const net = useSessionRelay();
const join = (roomId: string, name: string) => net.join(roomId, name);

/** a tracker of its own, without the provider's tie (sees only states delivered after it) */
function namesOf(s: Session): PresenceNames {
  const n = makePresenceNames(s.doc.awareness);
  net.track(n);
  return n;
}

describe('session.rename', () => {
  it('the others see the new name at once, and new chat messages carry it', async () => {
    const roomId = uniqueRoom('rename');
    const ann = join(roomId, 'Ann');
    const annSees = namesOf(ann);
    const bob = join(roomId, 'Bob');
    await until(() => annSees.nameOf(bob.room.clientId) === 'Bob');
    const before = bob.chat.send('as Bob');
    expect(before.ok).toBe(true);

    let changes = 0;
    annSees.onChange(() => changes++);
    expect(bob.rename('  Robert\u0007 ')).toBe('Robert');
    await until(() => annSees.nameOf(bob.room.clientId) === 'Robert');
    // the People list: Bob's entry at Ann (from his data-channel hello) and his own snapshot
    await until(
      () => ann.room.snapshot().peers.find((p) => p.id === bob.room.clientId)?.name === 'Robert',
    );
    expect(bob.room.snapshot().selfName).toBe('Robert');
    expect(changes).toBeGreaterThan(0);

    expect(bob.chat.send('as Robert').ok).toBe(true);
    await until(() => ann.chat.messages().some((m) => m.text === 'as Robert'));
    const byText = new Map(ann.chat.messages().map((m) => [m.text, m.authorName]));
    expect(byText.get('as Robert')).toBe('Robert');
    expect(byText.get('as Bob')).toBe('Bob'); // history keeps the name it was sent with
  });

  it('a member cannot rename someone else by publishing under their awareness client id', async () => {
    const roomId = uniqueRoom('rename-forge');
    const ann = join(roomId, 'Ann');
    const annSees = namesOf(ann);
    const bob = join(roomId, 'Bob');
    const eve = join(roomId, 'Eve');
    await until(
      () =>
        annSees.nameOf(bob.room.clientId) === 'Bob' && annSees.nameOf(eve.room.clientId) === 'Eve',
    );

    // Eve sends Ann an awareness entry with Bob's client id, a newer clock and a new name.
    const bobState = bob.doc.awareness.getLocalState()!;
    const forged = encodeAwarenessEntries([
      {
        clientId: bob.doc.awareness.clientID,
        clock: 1_000_000,
        state: { ...bobState, name: 'Bob (left, talk to Eve)' },
      },
    ]);
    eve.room.send(ann.room.clientId, { type: 'awareness', data: forged });
    // A later real change from Eve arrives after the forged frame on the same ordered channel.
    eve.rename('Eve2');
    await until(() => annSees.nameOf(eve.room.clientId) === 'Eve2');

    expect(annSees.nameOf(bob.room.clientId)).toBe('Bob');
    const seen = [...ann.doc.awareness.getStates().values()].map((s) => s.name);
    expect(seen).not.toContain('Bob (left, talk to Eve)');
  });

  it('a tracker made after people arrived (a board mounted late) knows them through the provider', async () => {
    const roomId = uniqueRoom('rename-late');
    const ann = join(roomId, 'Ann');
    const bob = join(roomId, 'Bob');
    await until(() => [...ann.doc.awareness.getStates().values()].some((st) => st.name === 'Bob'));
    const bobClient = [...ann.doc.awareness.getStates().entries()].find(
      ([, st]) => st.name === 'Bob',
    )![0];
    // without the provider's tie a late tracker has never seen Bob's state delivered
    const blind = namesOf(ann);
    expect(blind.ownerOf(bobClient)).toBeUndefined();
    const late = makePresenceNames(ann.doc.awareness, ann.doc.provider.ownerOf);
    net.track(late);
    expect(late.ownerOf(bobClient)).toBe(bob.room.clientId);
    expect(late.nameOf(bob.room.clientId)).toBe('Bob');
    expect(late.ownerOf(ann.doc.awareness.clientID)).toBeUndefined();
  });

  it("the session's one tracker (what the board and the People list both read) follows a rename", async () => {
    const roomId = uniqueRoom('rename-one');
    const ann = join(roomId, 'Ann');
    const bob = join(roomId, 'Bob');
    const tracker = ann.presence.names;
    await until(() => tracker.nameOf(bob.room.clientId) === 'Bob');
    const bobClient = bob.doc.awareness.clientID;
    expect(tracker.ownerOf(bobClient)).toBe(bob.room.clientId);
    let changes = 0;
    const off = tracker.onChange(() => changes++);
    bob.rename('Robert');
    await until(() => tracker.nameOf(bob.room.clientId) === 'Robert');
    off();
    expect(changes).toBeGreaterThan(0);
    expect(tracker.ownerOf(bobClient)).toBe(bob.room.clientId);
    expect(tracker.presenceOf(bob.room.clientId)?.name).toBe('Robert');
    expect(ann.presence.devices.claimOf(bob.room.clientId)).toBe('none');
    expect(ann.presence.names).toBe(tracker); // one per session, not one per reader
  });

  it('the tracker ends with its session', async () => {
    const roomId = uniqueRoom('rename-end');
    const ann = join(roomId, 'Ann');
    const bob = join(roomId, 'Bob');
    await until(() => ann.presence.names.nameOf(bob.room.clientId) === 'Bob');
    let changes = 0;
    ann.presence.names.onChange(() => changes++);
    ann.destroy();
    bob.rename('Robert');
    await until(() => bob.room.snapshot().selfName === 'Robert');
    expect(ann.presence.names.nameOf(bob.room.clientId)).toBeUndefined();
    expect(changes).toBe(0);
  });
});
