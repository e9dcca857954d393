/**
 * Scale-out over Redis (ioredis): room membership in Redis hashes changed only by atomic Lua
 * scripts (scripts.ts), presence events on one pub/sub channel per room (subscribed while this
 * instance has local sessions in the room), signals for a remote peer published to the channel
 * of the instance that holds it. Liveness: each instance refreshes a heartbeat key (PX = TTL)
 * every TTL/5; every instance sweeps once a second and removes the members of instances whose
 * key expired, which publishes their peer_left events. A dead instance's peers therefore leave
 * presence within TTL + 1 s (+ delivery), and its clients reconnect to a surviving instance.
 *
 * Two connections: commands (auto-pipelined, so a burst of signal publishes is one write) and a
 * subscriber. Redis is trusted infrastructure; its events are still validated (mirror.ts).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { PEER_ID_LENGTH, type Member, type PeerId, type RoomId } from '@peerboard/protocol';
import type { ClusterConfig } from './config';
import {
  heartbeatVersion,
  makeMirror,
  parsePresence,
  type MirrorChange,
  type RemoteMember,
} from './mirror';
import { JOIN, LEAVE, SWEEP } from './scripts';
import type { Cluster, ClusterHandlers, ClusterJoin } from './types';

const SWEEP_INTERVAL_MS = 1000;
const CLOSE_TIMEOUT_MS = 2000;

export interface RedisClusterOptions {
  config: ClusterConfig;
  maxPeersPerRoom: number;
  handlers: ClusterHandlers;
  log: Logger;
  /** the protocol version this instance attests for its members (relay.ts) */
  version: number;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e as Error)),
    );
  });
}

/** Connects, registers this instance and subscribes to its signal channel. Throws if Redis is
 * unreachable (the server refuses to start rather than run as an island). */
export async function makeRedisCluster(o: RedisClusterOptions): Promise<Cluster> {
  const { prefix: P, heartbeatTtlMs: ttl } = o.config;
  const self = randomBytes(6).toString('base64url');
  const log = o.log.child({ instance: self });
  const mirror = makeMirror(self);
  const k = {
    alive: `${P}i:${self}:alive`,
    members: `${P}i:${self}:m`,
    instances: `${P}instances`,
    signals: `${P}i:${self}`,
    roomHash: (room: RoomId) => `${P}r:${room}:m`,
    roomSeq: (room: RoomId) => `${P}r:${room}:s`,
    roomChannel: (room: RoomId) => `${P}r:${room}`,
  };
  const roomChannelPrefix = `${P}r:`;
  const options = {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 3,
    retryStrategy: (times: number) => Math.min(100 * 2 ** times, 2000),
  };
  const cmd = new Redis(o.config.url, { ...options, enableAutoPipelining: true });
  const sub = new Redis(o.config.url, options);
  for (const [name, conn] of [
    ['commands', cmd],
    ['subscriber', sub],
  ] as const) {
    conn.on('error', (e: Error) => log.warn({ err: e.message, conn: name }, 'redis error'));
  }
  try {
    await Promise.all([cmd.connect(), sub.connect()]);
  } catch (e) {
    cmd.disconnect();
    sub.disconnect();
    throw new Error(`cannot reach Redis at REDIS_URL: ${(e as Error).message}`);
  }

  const notify = (room: RoomId, changes: MirrorChange[]) => {
    for (const ch of changes) {
      if (ch.type === 'joined') o.handlers.peerJoined(room, ch.member);
      else o.handlers.peerLeft(room, ch.peerId);
    }
  };

  sub.on('messageBuffer', (channelBuf: Buffer, message: Buffer) => {
    try {
      const channel = channelBuf.toString('latin1');
      if (channel === k.signals) return onSignal(message);
      if (!channel.startsWith(roomChannelPrefix)) return;
      const room = channel.slice(roomChannelPrefix.length);
      const e = parsePresence(message.toString('utf8'));
      if (e === null) return log.warn({ room }, 'malformed presence event dropped');
      notify(room, mirror.apply(room, e));
    } catch (e) {
      log.error({ err: e }, 'cluster message handler failed');
    }
  });

  /** [room length u8][room][to: 12 bytes][signal frame] */
  function onSignal(m: Buffer): void {
    const roomLen = m[0] ?? 0;
    const frameAt = 1 + roomLen + PEER_ID_LENGTH;
    if (roomLen === 0 || m.length <= frameAt) return log.warn('malformed cluster signal dropped');
    const room = m.toString('latin1', 1, 1 + roomLen);
    const to = m.toString('latin1', 1 + roomLen, frameAt);
    o.handlers.signal(room, to, m.subarray(frameAt));
  }

  // The heartbeat value says which version this instance attests (scripts.ts).
  const beat = `v${o.version}`;
  const register = async () => {
    await cmd.sadd(k.instances, self);
    await cmd.set(k.alive, beat, 'PX', ttl);
  };
  await register();
  await sub.subscribe(k.signals);

  let heartbeatBusy = false;
  const heartbeat = setInterval(
    () => {
      if (heartbeatBusy) return;
      heartbeatBusy = true;
      cmd
        .set(k.alive, beat, 'PX', ttl, 'XX')
        .then(async (r) => {
          if (r !== null) return;
          // Our key expired (Redis or network trouble): the others may have swept our sessions.
          log.error('heartbeat lost: this instance was presumed dead; its clients must rejoin');
          await register();
          o.handlers.membershipLost();
        })
        .catch((e: unknown) => log.warn({ err: (e as Error).message }, 'heartbeat failed'))
        .finally(() => (heartbeatBusy = false));
    },
    Math.max(200, Math.floor(ttl / 5)),
  );

  let sweepBusy = false;
  const sweeper = setInterval(() => {
    if (sweepBusy) return;
    sweepBusy = true;
    (cmd.eval(SWEEP, 0, P, self, '') as Promise<number>)
      .then((n) => {
        if (n > 0) log.info({ removed: n }, 'swept the members of dead instances');
      })
      .catch((e: unknown) => log.warn({ err: (e as Error).message }, 'sweep failed'))
      .finally(() => (sweepBusy = false));
  }, SWEEP_INTERVAL_MS);
  heartbeat.unref();
  sweeper.unref();

  const subscribed = new Map<RoomId, Promise<unknown>>();

  function releaseRoom(room: RoomId): void {
    if (!mirror.release(room)) return;
    subscribed.delete(room);
    sub.unsubscribe(k.roomChannel(room)).catch(() => undefined);
  }

  let closed: Promise<void> | null = null;

  return {
    instanceId: self,

    async join(room: RoomId, member: Member): Promise<ClusterJoin> {
      if (closed) return { ok: false, code: 'ERR_TOO_MANY_ROOMS', message: 'server shutting down' };
      if (mirror.retain(room)) subscribed.set(room, sub.subscribe(k.roomChannel(room)));
      try {
        await subscribed.get(room);
        const r = (await cmd.eval(
          JOIN,
          3,
          k.roomHash(room),
          k.roomSeq(room),
          k.members,
          self,
          member.id,
          member.name,
          o.maxPeersPerRoom,
          room,
          k.roomChannel(room),
          o.version,
          P,
        )) as [number, number?, string[]?, string[]?];
        if (r[0] !== 1) {
          releaseRoom(room);
          return { ok: false, code: 'ERR_ROOM_FULL', message: 'room is full' };
        }
        const versions = new Map<string, number | undefined>();
        const beats = r[3] ?? [];
        for (let i = 0; i + 1 < beats.length; i += 2)
          versions.set(beats[i]!, heartbeatVersion(beats[i + 1]));
        const all = new Map<PeerId, RemoteMember>();
        const flat = r[2] ?? [];
        for (let i = 0; i + 1 < flat.length; i += 2) {
          const value = flat[i + 1]!;
          const nl = value.indexOf('\n');
          const instance = value.slice(0, nl);
          const version = versions.get(instance);
          all.set(flat[i]!, { instance, name: value.slice(nl + 1), version });
        }
        notify(room, mirror.snapshot(room, r[1] ?? 0, all));
        log.debug({ room, peer: member.id }, 'joined cluster-wide');
        return { ok: true };
      } catch (e) {
        log.error({ err: (e as Error).message, room }, 'cluster join failed');
        // The script may have run even if its reply was lost: undo, best effort.
        cmd.eval(LEAVE, 0, P, self, room, member.id).catch(() => undefined);
        releaseRoom(room);
        return { ok: false, code: 'ERR_TOO_MANY_ROOMS', message: 'server busy, try again' };
      }
    },

    leave(room, peerId) {
      if (!mirror.has(room)) return;
      releaseRoom(room);
      cmd
        .eval(LEAVE, 0, P, self, room, peerId)
        .then(() => log.debug({ room, peer: peerId }, 'left cluster-wide'))
        .catch((e: unknown) =>
          log.warn({ err: (e as Error).message, room }, 'cluster leave failed'),
        );
    },

    ready: () => closed === null && cmd.status === 'ready' && sub.status === 'ready',
    remoteMembers: (room) => mirror.members(room),
    route: (room, peerId) => mirror.route(room, peerId),

    forward(instance, room, to, frame) {
      const msg = Buffer.allocUnsafe(1 + room.length + PEER_ID_LENGTH + frame.length);
      msg[0] = room.length;
      msg.write(room, 1, 'latin1');
      msg.write(to, 1 + room.length, 'latin1');
      msg.set(frame, 1 + room.length + PEER_ID_LENGTH);
      cmd.publish(`${P}i:${instance}`, msg).catch(() => undefined);
    },

    close() {
      closed ??= (async () => {
        clearInterval(heartbeat);
        clearInterval(sweeper);
        try {
          await withTimeout(
            (async () => {
              const n = (await cmd.eval(SWEEP, 0, P, self, self)) as number;
              await cmd.del(k.alive);
              log.info({ removed: n }, 'left the cluster');
            })(),
            CLOSE_TIMEOUT_MS,
          );
        } catch (e) {
          log.warn({ err: (e as Error).message }, 'could not leave the cluster cleanly');
        }
        sub.disconnect();
        await withTimeout(cmd.quit(), CLOSE_TIMEOUT_MS).catch(() => cmd.disconnect());
      })();
      return closed;
    },
  };
}
