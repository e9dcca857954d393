/**
 * Pure room registry: which members are in which room, bounded by maxPeersPerRoom and maxRooms.
 * No sockets here; members are whatever the caller stores (the server stores its sessions).
 * A room exists while it has at least one member.
 */
import type { PeerId, RoomId } from '@peerboard/protocol';

export interface Room<M> {
  readonly id: RoomId;
  /** Live view: callers must not mutate it; use the registry. */
  readonly members: ReadonlyMap<PeerId, M>;
}

export type JoinResult<M> =
  | { ok: true; room: Room<M> }
  | { ok: false; code: 'ERR_ROOM_FULL' | 'ERR_TOO_MANY_ROOMS' | 'ERR_ALREADY_IN_ROOM' };

export interface RoomRegistry<M extends { readonly id: PeerId }> {
  join(roomId: RoomId, member: M): JoinResult<M>;
  /** Removes the member; deletes the room when it becomes empty. Returns false if absent. */
  leave(room: Room<M>, memberId: PeerId): boolean;
  get(roomId: RoomId): Room<M> | undefined;
  readonly roomCount: number;
}

export interface RoomLimits {
  maxPeersPerRoom: number;
  maxRooms: number;
}

interface MutableRoom<M> {
  id: RoomId;
  members: Map<PeerId, M>;
}

export function makeRoomRegistry<M extends { readonly id: PeerId }>(
  limits: RoomLimits,
): RoomRegistry<M> {
  const rooms = new Map<RoomId, MutableRoom<M>>();
  return {
    join(roomId, member) {
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
      return { ok: true, room };
    },
    leave(room, memberId) {
      const live = rooms.get(room.id);
      if (live === undefined || !live.members.delete(memberId)) return false;
      if (live.members.size === 0) rooms.delete(room.id);
      return true;
    },
    get(roomId) {
      return rooms.get(roomId);
    },
    get roomCount() {
      return rooms.size;
    },
  };
}
