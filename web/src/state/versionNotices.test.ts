import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@peerboard/protocol';
import { makeEmitter, type PeerClose, type RoomEvents } from '@peerboard/core';
import { makeVersionNotices } from './versionNotices';

/** the room's own event emitter, fired by hand as the mesh would */
function roomEvents() {
  const events = makeEmitter<RoomEvents>();
  return {
    on: events.on,
    close: (p: PeerClose) => events.emit('peer_close', p),
    open: (id: string) => events.emit('peer_open', { id }),
  };
}

const older = (id: string, name: string): PeerClose => ({
  id,
  reason: 'version',
  version: PROTOCOL_VERSION - 1,
  name,
});

describe('version notices', () => {
  it('names an outdated peer once however often its page is cut off again', () => {
    const room = roomEvents();
    let changes = 0;
    const notices = makeVersionNotices(room, () => changes++);
    for (let retry = 0; retry < 5; retry++) room.close(older('bob', 'Bob'));
    room.close({ id: 'carol', reason: 'lost' }); // an ordinary drop says nothing
    expect(notices.outdatedPeers()).toEqual([{ id: 'bob', name: 'Bob' }]);
    expect(notices.selfOutdated()).toBe(false);
    expect(changes).toBe(1);
    room.close(older('dan', 'Dan'));
    expect(notices.outdatedPeers().map((p) => p.name)).toEqual(['Bob', 'Dan']);
    expect(changes).toBe(2);
  });

  it('says once that this page is out of date when a peer speaks a newer version', () => {
    const room = roomEvents();
    let changes = 0;
    const notices = makeVersionNotices(room, () => changes++);
    for (const id of ['bob', 'bob', 'carol'])
      room.close({ id, reason: 'version', version: PROTOCOL_VERSION + 1, name: id });
    expect(notices.selfOutdated()).toBe(true);
    expect(notices.outdatedPeers()).toEqual([]);
    expect(changes).toBe(1);
  });

  it('drops a notice when that peer comes back on our version, or when dismissed for good', () => {
    const room = roomEvents();
    const notices = makeVersionNotices(room, () => {});
    room.close(older('bob', 'Bob'));
    room.open('bob'); // reloaded: its link opened
    expect(notices.outdatedPeers()).toEqual([]);
    room.close(older('carol', 'Carol'));
    notices.dismiss('carol');
    room.close(older('carol', 'Carol')); // its page retries
    expect(notices.outdatedPeers()).toEqual([]);
    notices.destroy();
    room.close(older('dan', 'Dan'));
    expect(notices.outdatedPeers()).toEqual([]);
  });
});
