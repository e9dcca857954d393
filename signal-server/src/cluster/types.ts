/**
 * The seam between the relay and scale-out. server.ts talks to a Cluster only when REDIS_URL is
 * set; the single-instance path never touches this module. Local sessions stay in the local
 * RoomRegistry (the uWS fast path for local targets is unchanged); the cluster adds what other
 * instances hold: remote room members, and delivery to them.
 */
import type { ErrorCode, Member, PeerId, RoomId } from '@peerboard/protocol';

/** What other instances tell this one; server.ts turns them into frames for local sessions. */
export interface ClusterHandlers {
  /** a member connected to another instance joined `room` */
  peerJoined(room: RoomId, member: Member): void;
  /** a member of another instance left `room` (or its instance died) */
  peerLeft(room: RoomId, peerId: PeerId): void;
  /** a signal frame ([0x01][sender id][payload]) for local peer `to` in `room` */
  signal(room: RoomId, to: PeerId, frame: Uint8Array): void;
  /** the others declared this instance dead (heartbeat lost): local sessions must rejoin */
  membershipLost(): void;
}

export type ClusterJoin =
  | { ok: true }
  | {
      ok: false;
      code: Extract<ErrorCode, 'ERR_ROOM_FULL' | 'ERR_TOO_MANY_ROOMS'>;
      message: string;
    };

export interface Cluster {
  readonly instanceId: string;
  /**
   * Registers a local session in `room` cluster-wide (room size is enforced across instances).
   * Once it resolves ok, remoteMembers(room) is the rest of the room on other instances.
   */
  join(room: RoomId, member: Member): Promise<ClusterJoin>;
  /** Removes a local session from `room` cluster-wide (fire and forget, idempotent). */
  leave(room: RoomId, peerId: PeerId): void;
  /** members of `room` connected to other instances */
  remoteMembers(room: RoomId): Member[];
  /** the instance of a remote member of `room`, or undefined (not a member, or local) */
  route(room: RoomId, peerId: PeerId): string | undefined;
  /** Sends a signal frame to a remote member. Copies `frame` before returning. */
  forward(instance: string, room: RoomId, to: PeerId, frame: Uint8Array): void;
  /** both Redis connections are up (GET /readyz) */
  ready(): boolean;
  /** Removes every local session from Redis, stops the heartbeat, disconnects. Idempotent. */
  close(): Promise<void>;
}
