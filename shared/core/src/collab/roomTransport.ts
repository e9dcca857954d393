/**
 * CollabTransport over a Room (room.ts): y-protocols bytes travel as the wire's `sync` and
 * `awareness` frames at control priority, so whiteboard traffic never waits behind a file.
 * Large frames (a full-state SyncStep2 of a big board) are fragmented by the wire.
 * Peer ids are the room's stable client ids; a re-created link fires peer_open again and the
 * provider re-runs step1/step2 on it, which catches up whatever was missed while it was down.
 */
import type { Room } from '../room';
import type { Unsubscribe } from '../types';
import type { CollabTransport } from './transport';

export type CollabRoom = Pick<
  Room,
  'openPeers' | 'send' | 'broadcast' | 'onFrame' | 'on' | 'queuedBytes'
>;

export function makeRoomTransport(room: CollabRoom): CollabTransport {
  return {
    peers: () => room.openPeers(),
    send(peer, channel, bytes) {
      room.send(peer, { type: channel, data: bytes });
    },
    broadcast(channel, bytes) {
      room.broadcast({ type: channel, data: bytes });
    },
    onMessage(fn): Unsubscribe {
      const offSync = room.onFrame('sync', (frame, from) => fn(from, 'sync', frame.data));
      const offAwareness = room.onFrame('awareness', (frame, from) =>
        fn(from, 'awareness', frame.data),
      );
      return () => {
        offSync();
        offAwareness();
      };
    },
    onPeerOpen: (fn) => room.on('peer_open', ({ id }) => fn(id)),
    onPeerClose: (fn) => room.on('peer_close', ({ id }) => fn(id)),
    queuedBytes: (peer) => room.queuedBytes(peer)?.control ?? 0,
  };
}
