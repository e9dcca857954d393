/**
 * The set-up most integration files share: a fresh relay and room per test, and everything a
 * test starts torn down after it, last started first (peers before the relay they use). Call
 * `useRelayRoom` at the top of a file: it registers the file's afterEach.
 */
import { afterEach } from 'vitest';
import type { RoomOptions } from '../../src/types';
import { joinRoom, startRelay, uniqueRoom, type Relay, type TestPeer } from './relay';

export type Cleanup = () => Promise<unknown> | void;

/** `defer(fn)`: run `fn` after this test, after what was deferred later (a stack). */
export function useCleanups(): (fn: Cleanup) => void {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  return (fn) => void cleanups.push(fn);
}

export interface RelayRoom {
  relay: Relay;
  url: string;
  roomId: string;
}

export interface RelayRooms {
  /** a cleanup for after this test (see useCleanups) */
  defer: (fn: Cleanup) => void;
  /**
   * A relay of its own (closed after the test; on `port` to restart one) and a fresh room id
   * `<prefix>-<random>` (the file's prefix unless given).
   */
  startRoom(o?: { port?: number; prefix?: string }): Promise<RelayRoom>;
  /** joinRoom (test timing, logs captured), its room destroyed after the test */
  join(url: string, roomId: string, name: string, extra?: Partial<RoomOptions>): TestPeer;
}

export function useRelayRoom(prefix: string): RelayRooms {
  const defer = useCleanups();
  return {
    defer,
    async startRoom(o = {}) {
      const relay = await startRelay(o.port);
      defer(() => relay.close());
      return { relay, url: relay.url, roomId: uniqueRoom(o.prefix ?? prefix) };
    },
    join(url, roomId, name, extra) {
      const p = joinRoom(url, roomId, name, extra);
      defer(() => p.room.destroy());
      return p;
    },
  };
}
