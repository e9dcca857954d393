/**
 * Solid bridge over the session's room: its snapshot (signaling state, peers, paths, RTTs)
 * mirrored into a store on every 'change'. Components read the store; they never see
 * RTCPeerConnection or WebSocket.
 */
import { onCleanup } from 'solid-js';
import { createStore, reconcile, type Store } from 'solid-js/store';
import type { Room, RoomSnapshot } from '@peerboard/core';

export function createRoomState(room: Room): Store<RoomSnapshot> {
  // A copy, so the store never wraps (and later mutates) objects the core still owns.
  const [state, setState] = createStore<RoomSnapshot>(structuredClone(room.snapshot()));
  const off = room.on('change', (snapshot) => {
    setState(reconcile(structuredClone(snapshot), { key: 'id' }));
  });
  onCleanup(off);
  return state;
}
