/**
 * In-memory CollabTransport mesh for tests and benchmarks (the idea of yjs' TestConnector):
 * every send is queued, and the test decides when and in which order queues are delivered.
 * Each directed link stays FIFO, like an ordered data channel; which link delivers next is
 * picked by a seeded random function, so interleavings across peers are random but replayable.
 */
import type { PeerId } from '@peerboard/protocol';
import type { Unsubscribe } from '../../src/types';
import type { CollabChannel, CollabTransport } from '../../src/collab/transport';

interface Packet {
  channel: CollabChannel;
  bytes: Uint8Array;
}

interface Node {
  id: PeerId;
  open: Set<PeerId>;
  message: Set<(peer: PeerId, channel: CollabChannel, bytes: Uint8Array) => void>;
  peerOpen: Set<(peer: PeerId) => void>;
  peerClose: Set<(peer: PeerId) => void>;
}

export interface MemoryNetwork {
  /** a transport for `id`; not connected to anyone until connect() */
  transport(id: PeerId): CollabTransport;
  connect(a: PeerId, b: PeerId): void;
  /** drops both directions' queued packets, like a closed data channel */
  disconnect(a: PeerId, b: PeerId): void;
  /** inject raw bytes as if `from` sent them to `to` (hostile peer tests) */
  inject(from: PeerId, to: PeerId, channel: CollabChannel, bytes: Uint8Array): void;
  /** deliver one packet from a random non-empty link; false if nothing is queued */
  deliverOne(): boolean;
  /** deliver until quiet; returns the number of packets delivered */
  flush(maxPackets?: number): number;
  pending(): number;
}

export function makeMemoryNetwork(random: () => number = Math.random): MemoryNetwork {
  const nodes = new Map<PeerId, Node>();
  const queues = new Map<string, Packet[]>(); // "from>to"
  const linkKey = (from: PeerId, to: PeerId): string => `${from}>${to}`;

  const node = (id: PeerId): Node => {
    let n = nodes.get(id);
    if (!n) {
      n = { id, open: new Set(), message: new Set(), peerOpen: new Set(), peerClose: new Set() };
      nodes.set(id, n);
    }
    return n;
  };

  const enqueue = (from: PeerId, to: PeerId, packet: Packet): void => {
    const key = linkKey(from, to);
    const q = queues.get(key);
    if (q) q.push(packet);
    else queues.set(key, [packet]);
  };

  const subscribe = <T>(set: Set<T>, fn: T): Unsubscribe => {
    set.add(fn);
    return () => set.delete(fn);
  };

  return {
    transport(id) {
      const self = node(id);
      return {
        peers: () => Array.from(self.open),
        send(peer, channel, bytes) {
          if (self.open.has(peer)) enqueue(id, peer, { channel, bytes: bytes.slice() });
        },
        broadcast(channel, bytes) {
          for (const peer of self.open) enqueue(id, peer, { channel, bytes: bytes.slice() });
        },
        onMessage: (fn) => subscribe(self.message, fn),
        onPeerOpen: (fn) => subscribe(self.peerOpen, fn),
        onPeerClose: (fn) => subscribe(self.peerClose, fn),
      };
    },
    connect(a, b) {
      const na = node(a);
      const nb = node(b);
      if (na.open.has(b)) return;
      na.open.add(b);
      nb.open.add(a);
      for (const fn of [...na.peerOpen]) fn(b);
      for (const fn of [...nb.peerOpen]) fn(a);
    },
    disconnect(a, b) {
      const na = node(a);
      const nb = node(b);
      if (!na.open.has(b)) return;
      na.open.delete(b);
      nb.open.delete(a);
      queues.delete(linkKey(a, b));
      queues.delete(linkKey(b, a));
      for (const fn of [...na.peerClose]) fn(b);
      for (const fn of [...nb.peerClose]) fn(a);
    },
    inject(from, to, channel, bytes) {
      enqueue(from, to, { channel, bytes: bytes.slice() });
    },
    deliverOne() {
      const keys = Array.from(queues.keys()).filter((k) => (queues.get(k)?.length ?? 0) > 0);
      if (keys.length === 0) return false;
      const key = keys[Math.floor(random() * keys.length)] as string;
      const q = queues.get(key) as Packet[];
      const packet = q.shift() as Packet;
      if (q.length === 0) queues.delete(key);
      const [from, to] = key.split('>') as [PeerId, PeerId];
      const target = nodes.get(to);
      if (target) for (const fn of [...target.message]) fn(from, packet.channel, packet.bytes);
      return true;
    },
    flush(maxPackets = 1_000_000) {
      let n = 0;
      while (n < maxPackets && this.deliverOne()) n++;
      return n;
    },
    pending() {
      let n = 0;
      for (const q of queues.values()) n += q.length;
      return n;
    },
  };
}
