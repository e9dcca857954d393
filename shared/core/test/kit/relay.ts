/**
 * Integration harness: the real relay (signal-server startServer on a loopback port), real `ws`
 * sockets and real WebRTC peers (@roamhq/wrtc). Everything started here is stopped by the tests.
 */
import { createRequire } from 'node:module';
import net from 'node:net';
import { vi } from 'vitest';
import { WebSocket } from 'ws';
import type { Limits } from '@peerboard/protocol';
import { makeRoom, type Room } from '../../src/room';
import { makeSession, type Session, type SessionOptions } from '../../src/session';
import type { RoomOptions, RoomTiming } from '../../src/types';

const require = createRequire(import.meta.url);
export const wrtc: unknown = require('@roamhq/wrtc');

interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}
interface ServerModule {
  startServer(config: unknown, logger?: unknown): Promise<RunningServer>;
}
interface ConfigModule {
  defaultConfig(): { limits: Limits } & Record<string, unknown>;
}

// The relay is another package (not a dependency of web); load its source by path so web's
// TypeScript project does not pull signal-server files under its rootDir.
const serverPath = new URL('../../../../signal-server/src/server.ts', import.meta.url).href;
const configPath = new URL('../../../../signal-server/src/config.ts', import.meta.url).href;

/** The relay's startServer and defaultConfig, loaded from its source. */
export async function loadRelay(): Promise<ServerModule & ConfigModule> {
  const { startServer } = (await import(/* @vite-ignore */ serverPath)) as ServerModule;
  const { defaultConfig } = (await import(/* @vite-ignore */ configPath)) as ConfigModule;
  return { startServer, defaultConfig };
}

export interface Relay {
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * A free loopback port. The relay is started on an explicit port rather than 0 because uSockets
 * only sets SO_REUSEADDR for explicit ports: after a close with connected clients, a relay that
 * had listened on port 0 leaves TIME_WAIT sockets that block re-listening on that port for ~60 s.
 */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Starts the real relay; without `port` on a fresh free port (restart: pass the old one). */
export async function startRelay(port?: number): Promise<Relay> {
  port ??= await freePort();
  const { startServer, defaultConfig } = await loadRelay();
  const base = defaultConfig();
  const server = await startServer({
    ...base,
    host: '127.0.0.1',
    port,
    logLevel: 'silent',
    staticDir: '/nonexistent-peerboard-dist',
  });
  return {
    port: server.port,
    url: `ws://127.0.0.1:${server.port}/ws`,
    close: () => server.close(),
  };
}

/** Test timing: fast retries and stats so the suite does not wait on production defaults. */
export const FAST: Partial<RoomTiming> = {
  signalingRetryBaseMs: 100,
  signalingRetryMaxMs: 800,
  peerRetryBaseMs: 200,
  peerRetryMaxMs: 2000,
  peerStatsIntervalMs: 500,
};

export interface TestPeer {
  room: Room;
  name: string;
  logs: string[];
}

/** makeRoom with test timing and a log capture; `extra` adds options (secret, ICE servers). */
export function joinRoom(
  url: string,
  roomId: string,
  name: string,
  extra: Partial<RoomOptions> = {},
): TestPeer {
  const logs: string[] = [];
  const room = makeRoom({
    roomId,
    name,
    signalingUrl: url,
    WebSocket,
    wrtc,
    timing: FAST,
    log: (msg) => logs.push(msg),
    ...extra,
  });
  return { room, name, logs };
}

/** Waits until `check()` holds (vi.waitFor), failing with `what` in the message. */
export async function waitFor(
  what: string,
  check: () => boolean,
  timeoutMs = 20_000,
  everyMs = 25,
): Promise<void> {
  await vi.waitFor(
    () => {
      if (!check()) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: timeoutMs, interval: everyMs },
  );
}

/** makeSession over the relay at `url` with test timing and silent logs (`extra` adds options). */
export const quietSession = (
  url: string,
  roomId: string,
  name: string,
  extra: Partial<SessionOptions> = {},
): Session =>
  makeSession({
    roomId,
    name,
    signalingUrl: url,
    WebSocket,
    wrtc,
    timing: FAST,
    log: () => {},
    transfers: { log: () => {} },
    call: { log: () => {} },
    ...extra,
  });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every peer sees every other peer with an open direct link. */
export function fullMesh(peers: TestPeer[]): boolean {
  return peers.every((p) => {
    const s = p.room.snapshot();
    const others = peers.filter((q) => q !== p).map((q) => q.room.clientId);
    return (
      s.peers.length === others.length &&
      others.every((id) => s.peers.some((x) => x.id === id && x.state === 'direct')) &&
      p.room.openPeers().length === others.length
    );
  });
}

export const uniqueRoom = (prefix: string) =>
  `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
