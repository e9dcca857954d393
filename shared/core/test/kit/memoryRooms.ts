/**
 * Test helper (not used by the app): rooms joined by an in-memory network that speaks the real
 * wire encoding (every frame is encoded and re-parsed, so shapes and limits are checked), with
 * asynchronous delivery, links that can be cut and restored (peer_close / peer_open with the
 * same stable id, in-flight frames lost), and a hook to inject raw frames from any peer.
 */
import { encodeWireFrame, parseWireFrame, type WireFrame } from '@peerboard/protocol/wire';
import type { FeatureFrame } from '../../src/room';
import type { TransferRoom } from '../../src/transfer/room';

type Handler = (frame: never, from: string) => void;

export interface MemoryRoom extends TransferRoom {
  readonly clientId: string;
}

export interface MemoryNetwork {
  room(id: string): MemoryRoom;
  /** opens the link between a and b (both get peer_open) */
  connect(a: string, b: string): void;
  /** cuts the link (both get peer_close with `reason`, default 'lost'; frames in flight are lost) */
  cut(a: string, b: string, reason?: 'bye' | 'left' | 'lost'): void;
  /** delivers a raw frame to `to` as if `from` sent it (no link needed) */
  inject(from: string, to: string, frame: WireFrame): void;
  /** frames delivered so far, per kind */
  delivered(kind: WireFrame['type']): number;
}

export function makeMemoryNetwork(): MemoryNetwork {
  const rooms = new Map<string, ReturnType<typeof build>>();
  /** `${a}|${b}` -> generation; frames of an older generation are dropped */
  const links = new Map<string, number>();
  const counts = new Map<string, number>();
  let gen = 0;
  const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

  const deliver = (from: string, to: string, frame: WireFrame) => {
    const parsed = parseWireFrame(encodeWireFrame(frame));
    if (!parsed.ok) throw new Error(`test network: invalid frame ${parsed.message}`);
    counts.set(parsed.value.type, (counts.get(parsed.value.type) ?? 0) + 1);
    rooms.get(to)?.dispatch(parsed.value, from);
  };

  function build(id: string) {
    const handlers = new Map<string, Set<Handler>>();
    const listeners = new Map<string, Set<(p: { id: string; reason?: string }) => void>>();
    const emit = (e: string, peer: string, reason?: string) => {
      for (const fn of [...(listeners.get(e) ?? [])]) fn({ id: peer, reason });
    };
    const openPeers = () =>
      [...links.keys()].flatMap((k) => {
        const [a, b] = k.split('|') as [string, string];
        return a === id ? [b] : b === id ? [a] : [];
      });
    const post = (peerId: string, frame: FeatureFrame): Promise<void> | null => {
      const g = links.get(key(id, peerId));
      if (g === undefined) return null;
      return new Promise((resolve, reject) =>
        setImmediate(() => {
          if (links.get(key(id, peerId)) !== g) return reject(new Error('link closed'));
          deliver(id, peerId, frame);
          resolve();
        }),
      );
    };
    const room = {
      clientId: id,
      onFrame(kind: string, fn: Handler) {
        let set = handlers.get(kind);
        if (!set) handlers.set(kind, (set = new Set()));
        set.add(fn);
        return () => void set.delete(fn);
      },
      send(peerId: string, frame: FeatureFrame, priority: 'control' | 'bulk' = 'control') {
        const p = post(peerId, frame);
        if (priority === 'bulk') return p ?? Promise.reject(new Error('not open'));
        p?.catch(() => undefined);
        return p !== null;
      },
      broadcast(frame: FeatureFrame) {
        return openPeers().filter((p) => room.send(p, frame)).length;
      },
      on(e: string, fn: (p: { id: string }) => void) {
        let set = listeners.get(e);
        if (!set) listeners.set(e, (set = new Set()));
        set.add(fn);
        return () => void set.delete(fn);
      },
      openPeers,
    } as unknown as MemoryRoom;
    return {
      room,
      emit,
      dispatch(frame: WireFrame, from: string) {
        for (const fn of [...(handlers.get(frame.type) ?? [])]) fn(frame as never, from);
      },
    };
  }

  return {
    room(id) {
      let r = rooms.get(id);
      if (!r) rooms.set(id, (r = build(id)));
      return r.room;
    },
    connect(a, b) {
      links.set(key(a, b), ++gen);
      rooms.get(a)?.emit('peer_open', b);
      rooms.get(b)?.emit('peer_open', a);
    },
    cut(a, b, reason = 'lost') {
      links.delete(key(a, b));
      rooms.get(a)?.emit('peer_close', b, reason);
      rooms.get(b)?.emit('peer_close', a, reason);
    },
    inject: (from, to, frame) => deliver(from, to, frame),
    delivered: (kind) => counts.get(kind) ?? 0,
  };
}
