/**
 * Scale-out benchmark (issue 7): relay throughput and latency with two instances sharing rooms
 * through a real redis-server, against one instance, same load, same run.
 *
 *   1 instance        both connections of a pair on the single in-memory instance (reference)
 *   2 inst, split     connection A on instance 1, B on instance 2: every signal crosses Redis
 *   2 inst, same      both on instance 1 of the cluster: Redis only for membership
 *
 * CPU per relayed message is summed over the instances (and reported for redis-server apart),
 * since on 2 cores throughput alone mostly measures the load generator (see BENCHMARKS.md).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, formatTable, sleep, summarize, type Benchmark } from '@peerboard/bench-kit';
import {
  readCpuSeconds,
  startServerProcess,
  trackChild,
  type ServerProcess,
} from '@peerboard/bench-kit/proc';
import type { LoadConfig } from './lib/loadIpc';
import { forkLoad } from './lib/loadRunner';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const GENEROUS_LIMITS = {
  RATE_PER_SEC: '1000000',
  RATE_BURST: '1000000',
  MAX_CONNECTIONS: '50000',
  MAX_ROOMS: '50000',
};

const OPTIONS = {
  duration: { type: 'string', default: '6' },
  warmup: { type: 'string', default: '2' },
  connections: { type: 'string', default: '200' },
  'in-flight': { type: 'string', default: '4' },
  rate: { type: 'string', default: '10000' },
  payload: { type: 'string', default: '200' },
  rounds: { type: 'string', default: '2' },
} as const;

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** PING over a raw socket (the bench project has no Redis client). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d: Buffer) => done(d.toString().startsWith('+PONG')));
    s.once('error', () => done(false));
    setTimeout(() => done(false), 500);
  });
}

async function startRedis(): Promise<{ pid: number; url: string; stop(): void }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  trackChild(child);
  for (let i = 0; !(await ping(port)); i++) {
    if (i > 100 || child.exitCode !== null) throw new Error('redis-server did not start');
    await sleep(50);
  }
  return { pid: child.pid!, url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

interface Scenario {
  label: string;
  urlA: string;
  urlB: string;
  /** processes whose CPU counts as "relay" */
  servers: ServerProcess[];
}

interface Row {
  scenario: string;
  mode: string;
  msgsPerSec: number;
  p50: number;
  p99: number;
  serverUs: number;
  redisUs: number;
  anomalies: string;
}

async function measure(
  s: Scenario,
  mode: 'closed' | 'rate',
  o: ReturnType<typeof readOptions>,
  redisPid: number,
  tag: string,
): Promise<Row> {
  const common = { url: s.urlA, urlB: s.urlB, pairs: o.pairs, roomPrefix: tag };
  const config: LoadConfig =
    mode === 'closed'
      ? { ...common, mode, inFlight: o.inFlight, payloadBytes: o.payload }
      : {
          ...common,
          mode,
          roundTripsPerSec: o.rate / 2,
          maxInFlightPerPair: 64,
          payloadBytes: o.payload,
        };
  const load = forkLoad(config, ROOT);
  try {
    await load.ready;
    load.send('go');
    await sleep(o.warmupMs);
    const cpu = () => s.servers.reduce((t, p) => t + readCpuSeconds(p.pid), 0);
    const [c0, r0, t0] = [cpu(), readCpuSeconds(redisPid), performance.now()];
    load.send('start_window');
    await sleep(o.durationMs);
    const window = load.nextWindow();
    load.send('stop_window');
    const [c1, r1] = [cpu(), readCpuSeconds(redisPid)];
    const seconds = (performance.now() - t0) / 1000;
    const w = await window;
    const unanswered = (await load.finish()) ?? 0;
    const rtt = summarize([w.rtt]);
    const anomalies = [
      w.wrongSender && `wrongSender=${w.wrongSender}`,
      w.unexpected && `unexpected=${w.unexpected}`,
      w.closed && `closed=${w.closed}`,
      unanswered && `unanswered=${unanswered}`,
      mode === 'rate' && w.received / seconds < 0.95 * o.rate && 'rate_missed',
      w.loopDelayP99Ms > 20 && 'load_starved',
    ].filter(Boolean);
    return {
      scenario: s.label,
      mode,
      msgsPerSec: w.received / seconds,
      p50: rtt.p50,
      p99: rtt.p99,
      serverUs: ((c1 - c0) / w.received) * 1e6,
      redisUs: ((r1 - r0) / w.received) * 1e6,
      anomalies: anomalies.join(' ') || 'none',
    };
  } finally {
    await load.finish();
  }
}

function readOptions(args: string[]) {
  const { values: v } = parseArgs({ args, options: OPTIONS, strict: true });
  return {
    durationMs: Number(v.duration) * 1000,
    warmupMs: Number(v.warmup) * 1000,
    pairs: Math.max(1, Math.floor(Number(v.connections) / 2)),
    inFlight: Math.max(1, Number(v['in-flight'])),
    rate: Number(v.rate),
    payload: Number(v.payload),
    rounds: Math.max(1, Math.floor(Number(v.rounds))),
  };
}

async function run(args: string[]): Promise<void> {
  const o = readOptions(args);
  console.log(
    `scale-out: ${o.pairs * 2} connections in ${o.pairs} pairs, ${o.payload} B payloads, ` +
      `closed loop (${o.inFlight} in flight per pair) and open loop at ${o.rate} msgs/s, ` +
      `window ${o.durationMs / 1000} s, ${o.rounds} round(s)`,
  );
  const redis = await startRedis();
  const started: ServerProcess[] = [];
  const server = async (name: string, env: Record<string, string>) => {
    const p = await startServerProcess({
      name,
      entry: 'signal-server/src/main.ts',
      path: '/ws',
      cwd: ROOT,
      env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...GENEROUS_LIMITS, ...env },
    });
    started.push(p);
    return p;
  };
  try {
    const single = await server('single', {});
    const cluster = { REDIS_URL: redis.url, REDIS_PREFIX: 'bench:' };
    const c1 = await server('cluster-1', cluster);
    const c2 = await server('cluster-2', cluster);
    const scenarios: Scenario[] = [
      { label: '1 instance', urlA: single.url, urlB: single.url, servers: [single] },
      { label: '2 inst, split', urlA: c1.url, urlB: c2.url, servers: [c1, c2] },
      { label: '2 inst, same', urlA: c1.url, urlB: c1.url, servers: [c1, c2] },
    ];
    const rows: Row[] = [];
    for (let round = 0; round < o.rounds; round++) {
      const order = round % 2 === 0 ? scenarios : [...scenarios].reverse();
      for (const mode of ['closed', 'rate'] as const) {
        for (const s of order) {
          const row = await measure(s, mode, o, redis.pid, `so-r${round}-${mode}-${rows.length}`);
          console.log(
            `  ${row.scenario} ${mode}: ${fmt(row.msgsPerSec, 0)} msgs/s, p50 ${fmt(row.p50, 2)} ms, ` +
              `p99 ${fmt(row.p99, 2)} ms, ${fmt(row.serverUs, 2)} us server CPU/msg, ` +
              `${fmt(row.redisUs, 2)} us redis/msg, ${row.anomalies}`,
          );
          rows.push(row);
        }
      }
    }
    // Per scenario and mode: the rounds without anomalies if any (a shared machine disturbs
    // some), then the lower median of each figure.
    const median = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const table = scenarios.flatMap((s) =>
      (['closed', 'rate'] as const).map((mode) => {
        const all = rows.filter((r) => r.scenario === s.label && r.mode === mode);
        const clean = all.filter((r) => r.anomalies === 'none');
        const rs = clean.length > 0 ? clean : all;
        return [
          s.label,
          mode,
          fmt(median(rs.map((r) => r.msgsPerSec)), 0),
          fmt(median(rs.map((r) => r.p50)), 2),
          fmt(median(rs.map((r) => r.p99)), 2),
          fmt(median(rs.map((r) => r.serverUs)), 2),
          fmt(median(rs.map((r) => r.redisUs)), 2),
          [...new Set(rs.map((r) => r.anomalies))].join(', '),
        ];
      }),
    );
    console.log(`machine load average (1 min) at the end: ${fmt(loadavg()[0]!, 1)}`);
    console.log(
      '\n' +
        formatTable(
          [
            'scenario',
            'mode',
            'msgs/s',
            'RTT p50 ms',
            'RTT p99 ms',
            'instances CPU us/msg',
            'redis CPU us/msg',
            'anomalies',
          ],
          table,
        ),
    );
  } finally {
    await Promise.all(started.map((p) => p.stop()));
    redis.stop();
  }
}

export const scaleoutBenchmark: Benchmark = {
  name: 'scaleout',
  description:
    'relay with 2 instances + Redis vs 1 instance (msgs/s, RTT, CPU/msg incl. redis). ' +
    'Options: --duration 6 --warmup 2 --connections 200 --in-flight 4 --rate 10000 ' +
    '--payload 200 --rounds 2',
  run,
};
