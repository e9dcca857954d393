/**
 * The only thing the collab provider needs from the network: reliable, ordered byte delivery
 * per peer on two channels. The room adapts its data-channel wire to this (roomTransport.ts);
 * tests use the in-memory network (memoryNetwork.ts). Payloads are y-protocols messages of any
 * size: a full-state sync of a big board is megabytes and the wire fragments it.
 */
import type { PeerId } from '@peerboard/protocol';
import type { Unsubscribe } from '../types';

export type CollabChannel = 'sync' | 'awareness';

export interface CollabTransport {
  /** peers whose channel is open right now */
  peers(): readonly PeerId[];
  send(peer: PeerId, channel: CollabChannel, bytes: Uint8Array): void;
  /** to every open peer (the room is a full mesh, so this reaches everyone) */
  broadcast(channel: CollabChannel, bytes: Uint8Array): void;
  onMessage(fn: (peer: PeerId, channel: CollabChannel, bytes: Uint8Array) => void): Unsubscribe;
  onPeerOpen(fn: (peer: PeerId) => void): Unsubscribe;
  onPeerClose(fn: (peer: PeerId) => void): Unsubscribe;
  /** control bytes queued towards `peer` and not yet in its channel (absent: unknown) */
  queuedBytes?(peer: PeerId): number;
}
