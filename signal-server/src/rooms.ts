/**
 * Pure room registry: which members are in which room, bounded by maxPeersPerRoom, maxRooms and
 * maxRoomsPerAddress. No sockets here; members are whatever the caller stores (the server stores
 * its sessions). A room exists while it has at least one member.
 *
 * Per address, a room counts while at least one member from that address is in it (not only
 * rooms the address created): every room in the table is then held by some address, so the
 * table can only fill up with the help of maxRooms / maxRoomsPerAddress distinct addresses, and
 * a room cannot be created by one address and kept alive by another for free.
 */
import type { PeerId, RoomId } from '@peerboard/protocol';

export interface Room<M> {
  readonly id: RoomId;
  /** Live view: callers must not mutate it; use the registry. */
  readonly members: ReadonlyMap<PeerId, M>;
}

export type JoinResult<M> =
  | { ok: true; room: Room<M> }
  | { ok: false; code: 'ERR_ROOM_FULL' | 'ERR_TOO_MANY_ROOMS' | 'ERR_ALREADY_IN_ROOM' }
  /** the member's address already holds maxRoomsPerAddress other rooms */
  | { ok: false; code: 'ERR_TOO_MANY_ROOMS'; perAddress: true };

/** `address`: the per-client limit key (clientAddress.ts); members without one are not capped. */
export interface RoomMember {
  readonly id: PeerId;
  readonly address?: string;
}

export interface RoomRegistry<M extends RoomMember> {
  join(roomId: RoomId, member: M): JoinResult<M>;
  /** Removes the member; deletes the room when it becomes empty. Returns false if absent. */
  leave(room: Room<M>, memberId: PeerId): boolean;
  get(roomId: RoomId): Room<M> | undefined;
  readonly roomCount: number;
  /** distinct rooms with a member from `address` */
  roomsHeldBy(address: string): number;
}

export interface RoomLimits {
  maxPeersPerRoom: number;
  maxRooms: number;
  /** absent = no per-address cap */
  maxRoomsPerAddress?: number;
}

interface MutableRoom<M> {
  id: RoomId;
  members: Map<PeerId, M>;
}

export function makeRoomRegistry<M extends RoomMember>(limits: RoomLimits): RoomRegistry<M> {
  const rooms = new Map<RoomId, MutableRoom<M>>();
  /** address -> room -> members from that address in it */
  const held = new Map<string, Map<RoomId, number>>();
  const maxPerAddress = limits.maxRoomsPerAddress ?? Infinity;

  function hold(address: string | undefined, roomId: RoomId): void {
    if (address === undefined) return;
    let mine = held.get(address);
    if (mine === undefined) held.set(address, (mine = new Map()));
    mine.set(roomId, (mine.get(roomId) ?? 0) + 1);
  }

  function release(address: string | undefined, roomId: RoomId): void {
    const mine = address === undefined ? undefined : held.get(address);
    if (mine === undefined) return;
    const n = mine.get(roomId) ?? 0;
    if (n > 1) mine.set(roomId, n - 1);
    else if (mine.delete(roomId) && mine.size === 0) held.delete(address!);
  }

  return {
    join(roomId, member) {
      const mine = member.address === undefined ? undefined : held.get(member.address);
      if (mine !== undefined && !mine.has(roomId) && mine.size >= maxPerAddress)
        return { ok: false, code: 'ERR_TOO_MANY_ROOMS', perAddress: true };
      let room = rooms.get(roomId);
      if (room === undefined) {
        if (rooms.size >= limits.maxRooms) return { ok: false, code: 'ERR_TOO_MANY_ROOMS' };
        room = { id: roomId, members: new Map() };
        rooms.set(roomId, room);
      } else if (room.members.has(member.id)) {
        return { ok: false, code: 'ERR_ALREADY_IN_ROOM' };
      } else if (room.members.size >= limits.maxPeersPerRoom) {
        return { ok: false, code: 'ERR_ROOM_FULL' };
      }
      room.members.set(member.id, member);
      hold(member.address, roomId);
      return { ok: true, room };
    },
    leave(room, memberId) {
      const live = rooms.get(room.id);
      const member = live?.members.get(memberId);
      if (live === undefined || member === undefined) return false;
      live.members.delete(memberId);
      release(member.address, room.id);
      if (live.members.size === 0) rooms.delete(room.id);
      return true;
    },
    get(roomId) {
      return rooms.get(roomId);
    },
    get roomCount() {
      return rooms.size;
    },
    roomsHeldBy: (address) => held.get(address)?.size ?? 0,
  };
}
