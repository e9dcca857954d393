/**
 * The parent side of call-mesh-peer.ts: starts light Node participants, one process each, and
 * keeps what they report; and the mix benchmark's reference row: two of them alone in a call,
 * to check that a synthetic stream arrives at the rate it is sent before the 1+N table is read.
 */
import { fileURLToPath } from 'node:url';
import { sleep } from '@peerboard/bench-kit';
import { startJsonChild } from '../../shared/core/test/kit/childProcess';
import { cpuSeconds } from './call-mesh';
import type { PeerConfig } from './call-mesh-peer';

const SCRIPT = fileURLToPath(new URL('./call-mesh-peer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface PeerStats {
  /** the peer's clock when it read these */
  at: number;
  /** decoded frames per remote participant id (with `count`) */
  frames: Record<string, number>;
  bytesSent: number;
  framesEncoded: number;
}

export interface LightPeer {
  readonly pid: number;
  /** resolves with the peer's id once it is in the call */
  readonly ready: Promise<string>;
  /** the last stats line; null before the first */
  stats(): PeerStats | null;
  stop(): Promise<void>;
}

export type CameraConfig = Pick<PeerConfig, 'width' | 'height' | 'fps'>;

export function startLightPeer(config: PeerConfig): LightPeer {
  let last: PeerStats | null = null;
  let settle: { resolve(id: string): void; reject(e: Error): void } | undefined;
  const ready = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => undefined);
  const child = startJsonChild({
    script: SCRIPT,
    cwd: ROOT,
    env: { MIX_PEER: JSON.stringify(config) },
    stderr: 'inherit',
    // closing its stdin is its cue to leave the call and exit by itself
    stopBy: 'stdin',
    killAfterMs: 5_000,
    onMessage(raw) {
      const msg = raw as { t?: string; id?: string; msg?: string } & Partial<PeerStats>;
      if (msg.t === 'ready' && msg.id) settle?.resolve(msg.id);
      else if (msg.t === 'error') settle?.reject(new Error(`${config.name}: ${msg.msg ?? '?'}`));
      else if (msg.t === 'stats')
        last = {
          at: msg.at ?? Date.now(),
          frames: msg.frames ?? {},
          bytesSent: msg.bytesSent ?? 0,
          framesEncoded: msg.framesEncoded ?? 0,
        };
    },
  });
  void child.exited.then(() =>
    settle?.reject(new Error(`${config.name} exited before joining the call`)),
  );
  return {
    pid: child.pid,
    ready,
    stats: () => last,
    stop: () => child.stop(),
  };
}

/** a per-second rate of `value` between two stats lines of one peer, by the peer's own clock */
export function rate(a: PeerStats | null, b: PeerStats | null, value: (s: PeerStats) => number) {
  if (!a || !b || b.at <= a.at) return NaN;
  return ((value(b) - value(a)) * 1000) / (b.at - a.at);
}

export interface NodeReference {
  /** decoded fps per stream, each direction (the set rate is what was asked) */
  recvFps: number[];
  /** encoded fps of each sender (one link each): what the synthetic camera really produced */
  sentFps: number[];
  sentKbpsPerSender: number;
  /** CPU % of each of the two processes */
  cpuPct: number[];
}

/** Two light peers alone in a call, each counting what it decodes of the other's camera. */
export async function nodeReference(
  wsUrl: string,
  camera: CameraConfig,
  seconds: number,
  settle: number,
): Promise<NodeReference> {
  const roomId = `mix-reference-${process.pid}-${Date.now()}`;
  const peers = ['NodeA', 'NodeB'].map((name) =>
    startLightPeer({ url: wsUrl, roomId, name, ...camera, count: true }),
  );
  try {
    const ids = await Promise.all(peers.map((p) => p.ready));
    const framesFrom = (i: number) => (s: PeerStats) => s.frames[ids[1 - i]!] ?? 0;
    const flowing = (p: LightPeer, i: number) => {
      const s = p.stats();
      return s !== null && framesFrom(i)(s) > 0;
    };
    const deadline = Date.now() + 60_000;
    while (!peers.every(flowing)) {
      if (Date.now() > deadline) throw new Error('Node reference: no frame in 60 s');
      await sleep(250);
    }
    await sleep(settle * 1000);
    const s0 = peers.map((p) => p.stats());
    const cpu0 = peers.map((p) => cpuSeconds([p.pid]));
    const t0 = Date.now();
    await sleep(seconds * 1000);
    const s = (Date.now() - t0) / 1000;
    const s1 = peers.map((p) => p.stats());
    return {
      recvFps: [0, 1].map((i) => rate(s0[i]!, s1[i]!, framesFrom(i))),
      sentFps: [0, 1].map((i) => rate(s0[i]!, s1[i]!, (x) => x.framesEncoded)),
      sentKbpsPerSender:
        ([0, 1].reduce((a, i) => a + rate(s0[i]!, s1[i]!, (x) => x.bytesSent), 0) * 8) / 1000 / 2,
      cpuPct: peers.map((p, i) => ((cpuSeconds([p.pid]) - cpu0[i]!) / s) * 100),
    };
  } finally {
    await Promise.all(peers.map((p) => p.stop()));
  }
}
