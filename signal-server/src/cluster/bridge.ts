/**
 * Glue between server.ts and a Cluster, so the uWS wiring changes by a few calls: joins go
 * through Redis first (room size is cluster-wide, the joined reply lists remote members),
 * leaves are mirrored, a signal for a peer that is not local is published to its instance, and
 * what other instances send is delivered to local sessions. Still no socket code here: the
 * server passes its own send/reject/execute/close functions.
 */
import type { Logger } from 'pino';
import {
  encodeServerControl,
  writePeerId,
  type ClientMessage,
  type ErrorCode,
  type PeerId,
  type RoomId,
} from '@peerboard/protocol';
import {
  envelopePeerId,
  handleMessage,
  type Action,
  type RelayContext,
  type Session,
} from '../relay';
import type { ClusterConfig } from './config';
import { makeRedisCluster } from './redisCluster';
import type { Cluster } from './types';

/** WebSocket 1012 "service restart": the client reconnects (to any instance). */
export const CLOSE_SERVICE_RESTART = 1012;

export interface BridgeDeps<S extends Session<S>> {
  config: ClusterConfig;
  maxPeersPerRoom: number;
  ctx: RelayContext<S>;
  log: Logger;
  isOpen(s: S): boolean;
  send(to: S, data: string | Uint8Array, binary: boolean): void;
  /** a signal frame from another instance for local session `to` (may be dropped if `to` is
   * congested: the sender's instance cannot be told, the frame is just lost) */
  deliverSignal(to: S, frame: Uint8Array): void;
  /** may `s` send `bytes` more to remote peer `to` now? (per-recipient budget; false = the
   * frame is dropped and the sender told, like for a local recipient) */
  admitRemote(s: S, to: PeerId, bytes: number): boolean;
  reject(s: S, code: ErrorCode, message: string): void;
  execute(s: S, actions: Action<S>[]): void;
  /** closes every local session with this code (they rejoin elsewhere or here) */
  closeAll(code: number, reason: string): void;
}

export interface ClusterBridge<S> {
  /** runs a validated control message (instead of handleMessage + execute) */
  control(s: S, msg: ClientMessage): void;
  /** ERR_NO_SUCH_PEER locally: true if the target is a remote member (the frame was sent, or
   * dropped by the per-recipient budget); false = no such peer anywhere */
  forwardRemote(s: S, frame: Uint8Array): boolean;
  /** the session left `room` locally (disconnect or leave) */
  left(s: S, room: RoomId): void;
  ready(): boolean;
  close(): Promise<void>;
}

export async function makeClusterBridge<S extends Session<S>>(
  d: BridgeDeps<S>,
): Promise<ClusterBridge<S>> {
  const rooms = d.ctx.rooms;
  const joining = new WeakSet<S>();

  const toRoom = (room: RoomId, text: string) => {
    const r = rooms.get(room);
    if (r !== undefined) for (const m of r.members.values()) d.send(m, text, false);
  };

  const cluster: Cluster = await makeRedisCluster({
    config: d.config,
    maxPeersPerRoom: d.maxPeersPerRoom,
    log: d.log,
    version: d.ctx.version,
    handlers: {
      peerJoined: (room, peer) => toRoom(room, encodeServerControl({ type: 'peer_joined', peer })),
      peerLeft: (room, peerId) => toRoom(room, encodeServerControl({ type: 'peer_left', peerId })),
      signal(room, to, frame) {
        // Looked up in the frame's room only: a frame never reaches another room's member.
        const target = rooms.get(room)?.members.get(to);
        if (target !== undefined) d.deliverSignal(target, frame);
      },
      membershipLost: () => d.closeAll(CLOSE_SERVICE_RESTART, 'cluster membership lost; reconnect'),
    },
  });
  d.ctx.remoteMembers = (room) => cluster.remoteMembers(room);

  function join(s: S, msg: Extract<ClientMessage, { type: 'join' }>): void {
    if (joining.has(s)) return d.reject(s, 'ERR_ALREADY_IN_ROOM', 'a join is already in progress');
    joining.add(s);
    cluster.join(msg.room, { id: s.id, name: msg.name }).then(
      (r) => {
        joining.delete(s);
        if (!r.ok) return d.reject(s, r.code, r.message);
        if (!d.isOpen(s) || s.room !== null) return cluster.leave(msg.room, s.id);
        // Local registry + joined reply (local and remote members) + local peer_joined.
        const actions = handleMessage(d.ctx, s, msg);
        if (s.room === null) cluster.leave(msg.room, s.id); // refused locally (too many rooms)
        d.execute(s, actions);
      },
      (e: unknown) => {
        joining.delete(s);
        d.log.error({ err: e, peer: s.id }, 'cluster join failed');
      },
    );
  }

  return {
    control(s, msg) {
      if (msg.type === 'join' && s.greeted && s.room === null) return join(s, msg);
      const before = s.room;
      d.execute(s, handleMessage(d.ctx, s, msg));
      if (before !== null && s.room === null) cluster.leave(before.id, s.id);
    },
    forwardRemote(s, frame) {
      if (s.room === null) return false;
      const to: PeerId | null = envelopePeerId(frame);
      const instance = to === null ? undefined : cluster.route(s.room.id, to);
      if (to === null || instance === undefined) return false;
      if (!d.admitRemote(s, to, frame.length)) return true;
      writePeerId(frame, 1, s.id);
      cluster.forward(instance, s.room.id, to, frame);
      return true;
    },
    left: (s, room) => cluster.leave(room, s.id),
    ready: () => cluster.ready(),
    close: () => cluster.close(),
  };
}
