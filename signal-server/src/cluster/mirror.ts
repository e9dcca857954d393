/**
 * Pure: this instance's view of the remote members of the rooms it has local sessions in.
 *
 * Every membership change is made by a Lua script that increments the room's sequence number and
 * publishes the event with it, so events arrive in sequence order. The snapshot a join returns
 * carries the sequence number it was taken at. Events that arrive before the snapshot are held;
 * events at or below the snapshot's number are already in it and are dropped. This closes the
 * race between "subscribe to the room" and "read its members".
 */
import { isProtocolVersion, type Member, type PeerId, type RoomId } from '@peerboard/protocol';

/** `v`: the protocol version the joiner's instance attests (absent from an older instance) */
export type PresenceEvent =
  | { t: 'j'; s: number; i: string; id: PeerId; n: string; v?: number }
  | { t: 'l'; s: number; i: string; id: PeerId };

/** Validates an event from the room channel (Redis is trusted, but not blindly). */
export function parsePresence(text: string): PresenceEvent | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const e = v as Record<string, unknown>;
  if (typeof e.s !== 'number' || typeof e.i !== 'string' || typeof e.id !== 'string') return null;
  if (e.t === 'j' && typeof e.n === 'string') {
    const join: PresenceEvent = { t: 'j', s: e.s, i: e.i, id: e.id, n: e.n };
    if (isProtocolVersion(e.v)) join.v = e.v;
    return join;
  }
  if (e.t === 'l') return { t: 'l', s: e.s, i: e.i, id: e.id };
  return null;
}

export interface RemoteMember {
  instance: string;
  name: string;
  /** the version its instance attests; undefined = an instance that says none (older code) */
  version?: number;
}

/**
 * The version an instance's heartbeat key holds (`v<version>`, redisCluster.ts); an older
 * instance writes `1` there, which attests nothing.
 */
export function heartbeatVersion(value: string | null | undefined): number | undefined {
  const m = /^v(\d{1,5})$/.exec(value ?? '');
  const v = m ? Number(m[1]) : undefined;
  return isProtocolVersion(v) ? v : undefined;
}

const asMember = (id: PeerId, m: RemoteMember): Member =>
  m.version === undefined ? { id, name: m.name } : { id, name: m.name, version: m.version };

export type MirrorChange = { type: 'joined'; member: Member } | { type: 'left'; peerId: PeerId };

interface RoomView {
  /** null until the first snapshot */
  seq: number | null;
  pending: PresenceEvent[];
  members: Map<PeerId, RemoteMember>;
  /** local sessions in (or joining) this room; the view is dropped at 0 */
  local: number;
}

export interface Mirror {
  /** A local session starts joining; returns true if the room is new here (subscribe to it). */
  retain(room: RoomId): boolean;
  /** A local session left (or its join failed); returns true if the room is gone here. */
  release(room: RoomId): boolean;
  /** A join's snapshot: all members (instance, name, attested version) at sequence `seq`. */
  snapshot(room: RoomId, seq: number, all: Map<PeerId, RemoteMember>): MirrorChange[];
  /** An event from the room channel; returns what local sessions must be told. */
  apply(room: RoomId, e: PresenceEvent): MirrorChange[];
  members(room: RoomId): Member[];
  route(room: RoomId, peerId: PeerId): string | undefined;
  has(room: RoomId): boolean;
}

/** Events held per room before its first snapshot (a burst of joins while we subscribe). */
const MAX_PENDING = 10_000;

export function makeMirror(self: string): Mirror {
  const rooms = new Map<RoomId, RoomView>();

  function step(v: RoomView, e: PresenceEvent, out: MirrorChange[]): void {
    if (v.seq !== null && e.s <= v.seq) return;
    v.seq = e.s;
    if (e.i === self) return; // our own sessions live in the local registry
    if (e.t === 'j') {
      if (v.members.has(e.id)) return;
      const m: RemoteMember = { instance: e.i, name: e.n, version: e.v };
      v.members.set(e.id, m);
      out.push({ type: 'joined', member: asMember(e.id, m) });
    } else if (v.members.delete(e.id)) {
      out.push({ type: 'left', peerId: e.id });
    }
  }

  return {
    retain(room) {
      const v = rooms.get(room);
      if (v !== undefined) {
        v.local++;
        return false;
      }
      rooms.set(room, { seq: null, pending: [], members: new Map(), local: 1 });
      return true;
    },
    release(room) {
      const v = rooms.get(room);
      if (v === undefined) return false;
      if (--v.local > 0) return false;
      rooms.delete(room);
      return true;
    },
    snapshot(room, seq, all) {
      const v = rooms.get(room);
      const out: MirrorChange[] = [];
      if (v === undefined || v.seq !== null) return out; // later joins: events keep it current
      for (const [id, m] of all) if (m.instance !== self) v.members.set(id, m);
      v.seq = seq;
      for (const e of v.pending) step(v, e, out);
      v.pending = [];
      return out;
    },
    apply(room, e) {
      const v = rooms.get(room);
      const out: MirrorChange[] = [];
      if (v === undefined) return out;
      if (v.seq === null) {
        if (v.pending.length < MAX_PENDING) v.pending.push(e);
        return out;
      }
      step(v, e, out);
      return out;
    },
    members(room) {
      const v = rooms.get(room);
      return v ? [...v.members].map(([id, m]) => asMember(id, m)) : [];
    },
    route: (room, peerId) => rooms.get(room)?.members.get(peerId)?.instance,
    has: (room) => rooms.has(room),
  };
}
