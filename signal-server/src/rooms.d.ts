/**
 * Pure room registry: which members are in which room, bounded by maxPeersPerRoom and maxRooms.
 * No sockets here; members are whatever the caller stores (the server stores its sessions).
 * A room exists while it has at least one member.
 */
import type { PeerId, RoomId } from '@peerboard/shared';
export interface Room<M> {
  readonly id: RoomId;
  /** Live view: callers must not mutate it; use the registry. */
  readonly members: ReadonlyMap<PeerId, M>;
}
export type JoinResult<M> =
  | {
      ok: true;
      room: Room<M>;
    }
  | {
      ok: false;
      code: 'ERR_ROOM_FULL' | 'ERR_TOO_MANY_ROOMS' | 'ERR_ALREADY_IN_ROOM';
    };
export interface RoomRegistry<
  M extends {
    readonly id: PeerId;
  },
> {
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
export declare function makeRoomRegistry<
  M extends {
    readonly id: PeerId;
  },
>(limits: RoomLimits): RoomRegistry<M>;
