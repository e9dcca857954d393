/**
 * Connectivity as on the internet: two homes behind NAT routers (nft masquerade) and a server
 * host running the relay and coturn (STUN + TURN), all network namespaces (kit/natNetwork.ts).
 * Each peer is a real makeRoom + @roamhq/wrtc process inside its home (kit/peerProcess.ts).
 * - STUN: the pair connects directly between the routers' mappings, never touching TURN.
 * - UDP between the homes dropped: the first attempt (no TURN) fails and the one relay-only
 *   retry (peers/iceFallback.ts) connects through coturn; both sides stay "connecting" meanwhile.
 * - The same without TURN: both sides end "failed", nothing else is tried, the relay serves on.
 * - Without STUN the routers' NAT alone blocks a direct path: host candidates cannot meet.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RoomTiming } from '../src/types';
import {
  natNetworkUp,
  NA_WAN,
  NB_WAN,
  SRV,
  SRV_B,
  type NatHost,
  type NatNetwork,
} from './kit/natNetwork';
import { startPeerHost, type PeerHost } from './kit/peerHost';
import { uniqueRoom } from './kit/relay';

interface ServerProcess {
  listening(timeoutMs?: number): Promise<{ port: number }>;
  stop(): Promise<number | null>;
}
interface ServerProcessModule {
  spawnServer(o: {
    env?: Record<string, string>;
    spawner?: (c: string, a: string[], o: SpawnOptions) => ChildProcess;
  }): ServerProcess;
}
interface CoturnModule {
  startCoturn(o: {
    spawn: (c: string, a: string[], o?: SpawnOptions) => ChildProcess;
    namespace: string;
    listen: string[];
    port: number;
    secret: string;
  }): Promise<{ stop(): Promise<void> }>;
}
// The relay is another package: its test kit is loaded by path (see kit/relay.ts loadRelay).
const serverKit = new URL('../../../signal-server/test/kit/serverProcess.ts', import.meta.url).href;
const coturnKit = new URL('../../../signal-server/test/kit/coturn.ts', import.meta.url).href;

const SECRET = 'peerboard-nat-test-secret';
const TURN_PORT = 3478;
const STUN_URL = `stun:${SRV}:${TURN_PORT}`;
const TURN_URL = `turn:${SRV}:${TURN_PORT}?transport=udp`;
const CONNECT_TIMEOUT_MS = 10_000;
/** process start-up (tsx) on a loaded 2-core machine takes up to tens of seconds */
const STARTUP_MS = 60_000;
const TEST_MS = 180_000;
const timing: Partial<RoomTiming> = {
  signalingRetryBaseMs: 100,
  signalingRetryMaxMs: 800,
  peerRetryBaseMs: 300,
  peerRetryMaxMs: 2000,
  peerStatsIntervalMs: 500,
  peerConnectTimeoutMs: CONNECT_TIMEOUT_MS,
  peerDirectTimeoutMs: 6_000,
};

let net: NatNetwork;
let nextPort = 8100;
const cleanups: (() => Promise<unknown> | void)[] = [];
const finalCleanups: (() => Promise<unknown> | void)[] = [];

const inHost =
  (host: NatHost) =>
  (c: string, a: string[], o: SpawnOptions): ChildProcess =>
    net.spawnIn(host, c, a, o);

beforeAll(async () => {
  net = natNetworkUp();
  const { startCoturn } = (await import(/* @vite-ignore */ coturnKit)) as CoturnModule;
  const turn = await startCoturn({
    spawn: (c, a, o) => net.spawnIn('srv', c, a, o ?? {}),
    namespace: net.names.srv,
    listen: [SRV, SRV_B],
    port: TURN_PORT,
    secret: SECRET,
  });
  finalCleanups.push(() => turn.stop());
});

afterAll(async () => {
  for (const fn of finalCleanups.splice(0).reverse()) await fn();
  net?.down();
});

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  net.dropUdp(false);
});

/** The relay in srv on a new port; `env` adds STUN_URLS / TURN_* */
async function relay(env: Record<string, string>): Promise<string> {
  const { spawnServer } = (await import(/* @vite-ignore */ serverKit)) as ServerProcessModule;
  const port = nextPort++;
  const server = spawnServer({
    env: { HOST: '0.0.0.0', PORT: String(port), STATIC_DIR: '/nonexistent-peerboard', ...env },
    spawner: inHost('srv'),
  });
  cleanups.push(() => server.stop());
  await server.listening(STARTUP_MS);
  return `ws://${SRV}:${port}/ws`;
}

/**
 * Ann in pa, Bob in pb, in one new room, both listing the other (met through the relay);
 * `sooner` replaces some of the timing
 */
async function pair(url: string, sooner: Partial<RoomTiming> = {}): Promise<[PeerHost, PeerHost]> {
  const roomId = uniqueRoom('nat');
  const t = { ...timing, ...sooner };
  const ann = startPeerHost(inHost('pa'), { url, roomId, name: 'Ann', timing: t });
  const bob = startPeerHost(inHost('pb'), { url, roomId, name: 'Bob', timing: t });
  cleanups.push(
    () => ann.stop(),
    () => bob.stop(),
  );
  await expect.poll(() => ann.stateOf('Bob'), { timeout: STARTUP_MS }).not.toBeNull();
  await expect.poll(() => bob.stateOf('Ann'), { timeout: STARTUP_MS }).not.toBeNull();
  return [ann, bob];
}

const withTurn = { STUN_URLS: STUN_URL, TURN_SECRET: SECRET, TURN_URLS: TURN_URL };

async function exchange(ann: PeerHost, bob: PeerHost) {
  ann.send('from Ann');
  bob.send('from Bob');
  await expect.poll(() => bob.got(), { timeout: 10_000 }).toContain('from Ann');
  await expect.poll(() => ann.got(), { timeout: 10_000 }).toContain('from Bob');
}

const relayAttempts = (p: PeerHost) => p.logs().filter((l) => /started \(\w+, ICE relay\)/.test(l));

describe('peers behind two NAT routers (network namespaces)', { timeout: TEST_MS }, () => {
  it('STUN on the server host: a direct link between the routers’ mappings, no TURN', async () => {
    const [ann, bob] = await pair(await relay(withTurn));
    await expect.poll(() => ann.stateOf('Bob'), { timeout: 30_000 }).toBe('direct');
    await expect.poll(() => bob.stateOf('Ann'), { timeout: 10_000 }).toBe('direct');
    await exchange(ann, bob);
    await expect.poll(() => ann.pairs().length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => bob.pairs().length, { timeout: 10_000 }).toBeGreaterThan(0);
    // Each reaches the other's router, never the other's own address nor a relay.
    const [a, b] = [ann.pairs()[0]!, bob.pairs()[0]!];
    expect(a.remote.address, ann.output()).toBe(NB_WAN);
    expect(b.remote.address, bob.output()).toBe(NA_WAN);
    expect(['srflx', 'prflx']).toContain(a.remote.type);
    expect(['srflx', 'prflx']).toContain(b.remote.type);
    expect(a.local.type).not.toBe('relay');
    expect(b.local.type).not.toBe('relay');
    expect([...relayAttempts(ann), ...relayAttempts(bob)]).toEqual([]);
  });

  it('UDP between the homes dropped: the relay-only retry connects through coturn', async () => {
    net.dropUdp(true);
    const [ann, bob] = await pair(await relay(withTurn));
    await expect.poll(() => ann.stateOf('Bob'), { timeout: 45_000 }).toBe('relayed');
    await expect.poll(() => bob.stateOf('Ann'), { timeout: 10_000 }).toBe('relayed');
    await exchange(ann, bob);
    // one direct attempt, then the relay-only one, on both sides
    for (const p of [ann, bob]) {
      expect(
        p.logs().some((l) => /started \(\w+, ICE direct\)/.test(l)),
        p.output(),
      ).toBe(true);
      expect(relayAttempts(p), p.output()).toHaveLength(1);
      expect(p.linksCreated()).toBe(2);
    }
    await expect.poll(() => ann.pairs().length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(ann.pairs()[0]!.local).toEqual({ type: 'relay', address: SRV });
    // The retry was no failure the user had to see.
    expect(ann.historyOf('Bob')).not.toContain('failed');
    expect(bob.historyOf('Ann')).not.toContain('failed');
  });

  it('UDP dropped and no TURN: both end "failed", nothing else is tried, the relay serves on', async () => {
    net.dropUdp(true);
    // with UDP between the homes dropped and no TURN no attempt can connect, however long it
    // is given: the only attempt's deadline (CONNECT_TIMEOUT_MS) need not be waited in full
    const [ann, bob] = await pair(await relay({ STUN_URLS: STUN_URL }), {
      peerConnectTimeoutMs: 4_000,
    });
    await expect.poll(() => ann.stateOf('Bob'), { timeout: 40_000 }).toBe('failed');
    await expect.poll(() => bob.stateOf('Ann'), { timeout: 10_000 }).toBe('failed');
    for (const p of [ann, bob]) {
      expect(relayAttempts(p)).toEqual([]);
      expect(p.signaling()).toBe('open');
      expect(p.output()).not.toMatch(/Uncaught|unhandled/i);
    }
    expect(ann.got()).toEqual([]);
  });

  it('no STUN either: the NAT routers alone block host candidates (the network is real)', async () => {
    const [ann, bob] = await pair(await relay({}));
    await expect.poll(() => ann.stateOf('Bob'), { timeout: 40_000 }).toBe('failed');
    await expect.poll(() => bob.stateOf('Ann'), { timeout: 10_000 }).toBe('failed');
    expect([ann.pairs(), bob.pairs()]).toEqual([[], []]);
  });
});
