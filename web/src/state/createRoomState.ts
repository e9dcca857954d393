/**
 * Solid bridge over the framework-free room: one `makeRoom()` per mounted room page, its
 * snapshot mirrored into a store on every 'change', destroyed when the owner is cleaned up.
 * UI components read `state` and call room actions; they never see RTCPeerConnection,
 * WebSocket or Y.Doc.
 */
import { onCleanup } from 'solid-js';
import { createStore, reconcile, type Store } from 'solid-js/store';
import { makeRoom, type Room } from '@peerboard/core';
import { initPresence } from '@peerboard/core/collab';
import { makeRoomDoc, type RoomDoc } from '@peerboard/core/collab';
import { peerColor } from '@peerboard/core/collab';
import type { RoomOptions, RoomSnapshot } from '@peerboard/core';

export interface RoomState {
  /** reactive mirror of `room.snapshot()` */
  state: Store<RoomSnapshot>;
  /** for actions added by later features (board, files, chat, call) */
  room: Room;
  /** the room's one Y.Doc + awareness + provider + persistence (board and chat share it) */
  roomDoc: RoomDoc;
}

export function createRoomState(options: RoomOptions): RoomState {
  const room = makeRoom(options);
  // `?debug`: the live room for benchmarks (web/bench/core-*.ts) and the devtools console.
  if (new URLSearchParams(location.search).has('debug'))
    (globalThis as { __peerboard?: { room: Room } }).__peerboard = { room };
  const roomDoc = makeRoomDoc(room);
  // Same colour as this peer's avatar, so cursors, selections and the people list agree.
  initPresence(roomDoc.awareness, {
    name: options.name,
    colour: peerColor(room.clientId),
    cursor: null,
    selection: [],
    typing: false,
  });
  // A copy, so the store never wraps (and later mutates) objects the core still owns.
  const [state, setState] = createStore<RoomSnapshot>(structuredClone(room.snapshot()));
  const off = room.on('change', (snapshot) => {
    setState(reconcile(structuredClone(snapshot), { key: 'id' }));
  });
  onCleanup(() => {
    off();
    roomDoc.destroy();
    room.destroy();
  });
  return { state, room, roomDoc };
}

/** Same-origin signaling endpoint; the server serves the app and `/ws` on one port. */
export function defaultSignalingUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws`;
}
