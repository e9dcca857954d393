/**
 * Relay benchmark (issue 2): the uWebSockets.js signal server against the `ws` reference relay,
 * same load, same run. Each server and each load generator is its own process; the figure that
 * compares servers on a 2-core machine is the server's CPU time per relayed message (utime +
 * stime from /proc/PID/stat over the measured window), because a Node load generator saturates
 * before either server does. See BENCHMARKS.md for how to read the output.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, sleep, summarize, type Benchmark } from '@peerboard/bench-kit';
import {
  readCpuSeconds,
  readCpuTimes,
  readRssKiB,
  startServerProcess,
  type ServerProcess,
} from '@peerboard/bench-kit/proc';
import type { LoadConfig } from './lib/loadIpc';
import { forkLoad, type LoadProcess } from './lib/loadRunner';
import { CONNECTIONS_PER_SOURCE, loopbackSources } from './lib/loopbackSources';
import { formatRelayReport, type IdleRow, type LoadRow, type Mode } from './lib/relayReport';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface ServerSpec {
  label: string;
  entry: string;
  /** WebSocket endpoint path. */
  path: string;
  env: Record<string, string>;
}

/** Limits opened wide so the benchmark measures relaying, not the rate limiter saying no. */
const GENEROUS_LIMITS = {
  RATE_PER_SEC: '1000000',
  RATE_BURST: '1000000',
  MAX_PEERS_PER_ROOM: '16',
  // every load connection comes from loopback: the per-address and per-recipient guards would
  // refuse the benchmark itself
  MAX_CONNECTIONS_PER_IP: '10000000',
  MAX_ROOMS_PER_IP: '10000000',
  PEER_BYTES_PER_SEC: String(1024 ** 3),
  PEER_BURST_BYTES: String(1024 ** 3),
};

const SERVER_SPECS: Record<string, ServerSpec> = {
  uws: {
    label: 'uWS',
    entry: 'signal-server/src/main.ts',
    path: '/ws',
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...GENEROUS_LIMITS },
  },
  ws: {
    label: 'ws',
    entry: 'signal-server/bench/reference-relay.ts',
    path: '/ws', // the reference accepts any path
    env: { PORT: '0', HOST: '127.0.0.1', ...GENEROUS_LIMITS },
  },
};

const OPTIONS = {
  servers: { type: 'string', default: 'uws,ws' },
  duration: { type: 'string', default: '8' },
  warmup: { type: 'string', default: '2' },
  connections: { type: 'string', default: '200' },
  'in-flight': { type: 'string', default: '4' },
  payload: { type: 'string', default: '200' },
  rate: { type: 'string', default: '20000' },
  'load-procs': { type: 'string', default: '1' },
  /** Idle joined connections to hold, one test per size: `--idle 5000,20000,100000`. */
  idle: { type: 'string', default: '5000' },
  modes: { type: 'string', default: 'closed,rate' },
  rounds: { type: 'string', default: '3' },
  profile: { type: 'boolean', default: false },
  /** Benchmark a variant of the server (e.g. a prototype in another checkout) as "uws". */
  'uws-entry': { type: 'string' },
  /** Also run this main.ts (e.g. the code before a change, in another checkout) as "uWS-base",
   * interleaved with the others: before and after in one run. */
  baseline: { type: 'string' },
} as const;

/** A load process whose own event loop lags this much (p99) was starved of CPU. */
const LOAD_LAG_FLAG_MS = 20;

type Options = ReturnType<typeof readOptions>;

/** File descriptors a server needs besides its client sockets. */
const FD_MARGIN = 1000;

/**
 * Every idle connection is a file descriptor in the server (and in a load process). Raises this
 * process's RLIMIT_NOFILE (inherited by the servers and load processes it starts) when the hard
 * limit allows it and returns how many idle connections one server process can then hold.
 * Where the hard limit cannot be raised, the idle test spreads its connections over several
 * server processes on one machine (each pair's room on one of them, as a room-sharded
 * deployment would) and says so.
 */
function connectionsPerProcess(largest: number): number {
  const need = largest + FD_MARGIN;
  const hard = Number(execFileSync('sh', ['-c', 'ulimit -Hn']).toString().trim());
  if (!Number.isFinite(hard) || hard >= need) return Infinity;
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${need}:${need}`], {
      stdio: 'ignore',
    });
    return Infinity;
  } catch {
    const fit = 2 * Math.floor((hard - FD_MARGIN) / 2);
    console.log(
      `idle test: ${largest} connections need ${need} open files, but the hard limit here is ` +
        `${hard} and cannot be raised (prlimit: not permitted); a server process holds at most ` +
        `${fit}, larger idle tests run ceil(N / ${fit}) server processes side by side`,
    );
    return fit;
  }
}

/**
 * BENCH_IDLE_TIMEOUT_S=S sets the servers' IDLE_TIMEOUT_S for the idle test (default: the server's
 * own, 30 s): whether the pings every idle connection gets are what fails a large run.
 */
const idleEnv = (): Record<string, string> =>
  process.env.BENCH_IDLE_TIMEOUT_S ? { IDLE_TIMEOUT_S: process.env.BENCH_IDLE_TIMEOUT_S } : {};

/** `total` split into `parts` even shares (every pair whole), the first ones larger. */
function evenShares(total: number, parts: number): number[] {
  const pairs = total / 2;
  return Array.from(
    { length: parts },
    (_, i) => 2 * (Math.floor(pairs / parts) + (i < pairs % parts ? 1 : 0)),
  );
}

function readOptions(args: string[]) {
  const { values: v } = parseArgs({ args, options: OPTIONS, strict: true });
  const num = (name: keyof typeof OPTIONS, s: string): number => {
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number >= 0`);
    return n;
  };
  const servers = v.servers.split(',').map((key) => {
    const spec = SERVER_SPECS[key];
    if (!spec) throw new Error(`unknown server "${key}" (known: ${Object.keys(SERVER_SPECS)})`);
    const entry = v['uws-entry'];
    return key === 'uws' && entry ? { ...spec, entry: resolve(entry) } : spec;
  });
  if (servers.length < 1 || servers.length > 2) throw new Error('--servers takes 1 or 2 servers');
  if (v.baseline)
    servers.splice(1, 0, { ...SERVER_SPECS.uws!, label: 'uWS-base', entry: resolve(v.baseline) });
  const modes = v.modes.split(',').filter((m) => m !== '');
  for (const m of modes)
    if (m !== 'closed' && m !== 'rate') throw new Error(`--modes: unknown mode "${m}"`);
  const loadProcs = Math.max(1, Math.floor(num('load-procs', v['load-procs'])));
  const idleSizes = v.idle
    .split(',')
    .filter((x) => x !== '')
    .map((x) => 2 * Math.floor(num('idle', x) / 2))
    .filter((n) => n > 0);
  const pairs = Math.max(loadProcs, Math.floor(num('connections', v.connections) / 2));
  return {
    servers,
    durationMs: num('duration', v.duration) * 1000,
    warmupMs: num('warmup', v.warmup) * 1000,
    pairsPerProc: Math.floor(pairs / loadProcs),
    inFlight: Math.max(1, num('in-flight', v['in-flight'])),
    payloadBytes: num('payload', v.payload),
    rate: num('rate', v.rate),
    loadProcs,
    idleSizes,
    idlePerProcess: connectionsPerProcess(Math.max(0, ...idleSizes)),
    modes: modes as Mode[],
    rounds: Math.max(1, Math.floor(num('rounds', v.rounds))),
    profile: v.profile,
  };
}

function loadConfig(opts: Options, mode: Mode, server: ServerProcess, tag: string): LoadConfig {
  const common = { url: server.url, pairs: opts.pairsPerProc, roomPrefix: tag };
  return mode === 'closed'
    ? { ...common, mode, inFlight: opts.inFlight, payloadBytes: opts.payloadBytes }
    : {
        ...common,
        mode,
        // one round trip = two relayed messages
        roundTripsPerSec: opts.rate / 2 / opts.loadProcs,
        maxInFlightPerPair: 64,
        payloadBytes: opts.payloadBytes,
      };
}

async function withLoad<T>(configs: LoadConfig[], fn: (procs: LoadProcess[]) => Promise<T>) {
  const procs = configs.map((c) => forkLoad(c, ROOT));
  try {
    await Promise.all(procs.map((p) => p.ready));
    return await fn(procs);
  } finally {
    await Promise.all(procs.map((p) => p.finish()));
  }
}

async function runLoad(opts: Options, server: ServerProcess, mode: Mode, tag: string) {
  const configs = Array.from({ length: opts.loadProcs }, (_, i) =>
    loadConfig(opts, mode, server, `${tag}-p${i}`),
  );
  return withLoad(configs, async (procs): Promise<LoadRow> => {
    const sendAll = (cmd: 'go' | 'start_window' | 'stop_window'): void =>
      procs.forEach((p) => p.send(cmd));
    sendAll('go');
    await sleep(opts.warmupMs);
    const loadCpu0 = procs.map((p) => readCpuSeconds(p.pid));
    sendAll('start_window');
    const cpu0 = readCpuTimes(server.pid);
    const t0 = performance.now();
    await sleep(opts.durationMs);
    const windows = procs.map((p) => p.nextWindow());
    sendAll('stop_window');
    const cpu1 = readCpuTimes(server.pid);
    const seconds = (performance.now() - t0) / 1000;
    const loadCpu = procs.reduce((s, p, i) => s + readCpuSeconds(p.pid) - loadCpu0[i]!, 0);
    const results = await Promise.all(windows);
    const unanswered = (await Promise.all(procs.map((p) => p.finish()))).reduce<number>(
      (n, u) => n + (u ?? 0),
      0,
    );
    const sum = (k: 'received' | 'wrongSender' | 'unexpected' | 'skipped' | 'closed'): number =>
      results.reduce((s, r) => s + r[k], 0);
    const received = sum('received');
    const rtt = summarize(results.map((r) => r.rtt));
    const loadLoopLagP99 = Math.max(...results.map((r) => r.loopDelayP99Ms));
    const anomalies = (['wrongSender', 'unexpected', 'skipped', 'closed'] as const)
      .filter((k) => sum(k) > 0)
      .map((k) => `${k}=${sum(k)}`);
    if (unanswered > 0) anomalies.push(`unanswered=${unanswered}`);
    // Runs disturbed by other processes on the machine are flagged, not hidden.
    if (mode === 'rate' && received / seconds < 0.95 * opts.rate) anomalies.push('rate_missed');
    if (loadLoopLagP99 > LOAD_LAG_FLAG_MS) anomalies.push('load_starved');
    return {
      server: server.name,
      mode,
      msgsPerSec: received / seconds,
      p50: rtt.p50,
      p99: rtt.p99,
      p99Scheduled: mode === 'rate' ? summarize(results.map((r) => r.rttFromSchedule)).p99 : NaN,
      cpuUsPerMsg: ((cpu1.user + cpu1.sys - cpu0.user - cpu0.sys) / received) * 1e6,
      sysUsPerMsg: ((cpu1.sys - cpu0.sys) / received) * 1e6,
      serverCpuPct: ((cpu1.user + cpu1.sys - cpu0.user - cpu0.sys) / seconds) * 100,
      loadLoopLagP99,
      loadCpuPct: (loadCpu / seconds) * 100,
      rssMiB: readRssKiB(server.pid) / 1024,
      anomalies: anomalies.join(' ') || 'none',
    };
  });
}

/** Idle connections per load process (each is a file descriptor there too). */
const IDLE_PER_PROC = CONNECTIONS_PER_SOURCE;

/**
 * Holds `size` idle joined connections against fresh processes of `spec` (as many as the file
 * limit needs) and reads their summed RSS before and after.
 */
async function runIdle(opts: Options, spec: ServerSpec, label: string, size: number) {
  const shares = evenShares(size, Math.max(1, Math.ceil(size / opts.idlePerProcess)));
  const servers: ServerProcess[] = [];
  try {
    for (const [i, share] of shares.entries()) {
      const tables = String(Math.max(50_000, share + FD_MARGIN));
      servers.push(
        await startServerProcess({
          name: `${label}-idle-${i}`,
          entry: spec.entry,
          path: spec.path,
          env: { ...spec.env, MAX_CONNECTIONS: tables, MAX_ROOMS: tables, ...idleEnv() },
          cwd: ROOT,
        }),
      );
    }
    return await holdIdle(servers, shares, label);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/**
 * Joins the connections in two halves (each server's share split between two sets of load
 * processes) and reads the servers' RSS before, between and after. The second half's slope is
 * the per-connection figure that a fresh process's start-up garbage (collected at some point
 * during the first half) does not disturb.
 */
async function holdIdle(servers: ServerProcess[], shares: number[], label: string) {
  await sleep(1500); // the same settling as after: a fresh process's RSS still moves
  const rss = (): number => servers.reduce((kib, s) => kib + readRssKiB(s.pid), 0);
  const rssBefore = rss();
  const halves: [LoadConfig[], LoadConfig[]] = [[], []];
  let index = 0;
  for (const [i, server] of servers.entries()) {
    const loads = Math.max(2, 2 * Math.ceil(shares[i]! / IDLE_PER_PROC / 2));
    for (const [k, share] of evenShares(shares[i]!, loads).entries()) {
      halves[k % 2]!.push({
        mode: 'idle',
        url: server.url,
        pairs: share / 2,
        roomPrefix: `idle-${server.port}-p${index}`,
        localAddresses: loopbackSources(index++, Math.ceil(share / CONNECTIONS_PER_SOURCE)),
      });
    }
  }
  const join = async (loads: LoadProcess[]) => ({
    connections: (await Promise.all(loads.map((l) => l.ready))).reduce((a, b) => a + b, 0),
    // the load processes join in parallel: the slowest one's setup time is the half's
    setupMs: Math.max(...(await Promise.all(loads.map((l) => l.setupMs)))),
  });
  return withLoad(halves[0], async (first) => {
    const a = await join(first);
    await sleep(1500);
    const rssHalf = rss();
    return withLoad(halves[1], async (second): Promise<IdleRow> => {
      const b = await join(second);
      await sleep(1500); // let the servers settle (lazy allocations, GC)
      const rssHeld = rss();
      const connections = a.connections + b.connections;
      return {
        server: label,
        processes: servers.length,
        connections,
        rssBeforeMiB: rssBefore / 1024,
        rssHeldMiB: rssHeld / 1024,
        perConnKiB: (rssHeld - rssBefore) / connections,
        secondHalfKiB: (rssHeld - rssHalf) / b.connections,
        joinsPerSec: connections / ((a.setupMs + b.setupMs) / 1000),
        loadAverage: loadavg()[0]!,
      };
    });
  });
}

async function run(args: string[]): Promise<void> {
  const opts = readOptions(args);
  const pairs = opts.pairsPerProc * opts.loadProcs;
  console.log(
    `relay: ${pairs * 2} connections in ${pairs} pairs over ${opts.loadProcs} load process(es), ` +
      `${opts.payloadBytes} B signal payloads, warmup ${opts.warmupMs / 1000} s, ` +
      `window ${opts.durationMs / 1000} s, ${opts.rounds} round(s); ` +
      `idle tests: ${opts.idleSizes.join(', ') || 'none'} connections`,
  );
  const servers: ServerProcess[] = [];
  const labels = opts.servers.map((s, i, all) =>
    all.findIndex((o) => o.label === s.label) === i ? s.label : `${s.label}#${i + 1}`,
  );
  try {
    // Started one after the other: startup (tsx compile) must not overlap anything measured.
    // (The idle tests start their own.)
    for (const [i, spec] of opts.modes.length > 0 ? opts.servers.entries() : []) {
      const profile = opts.profile
        ? ['--cpu-prof', '--cpu-prof-dir', 'signal-server/bench/.profiles']
        : [];
      const tables = '50000';
      const server = await startServerProcess({
        name: labels[i]!,
        entry: spec.entry,
        path: spec.path,
        env: { ...spec.env, MAX_CONNECTIONS: tables, MAX_ROOMS: tables },
        nodeArgs: profile,
        cwd: ROOT,
      });
      servers.push(server);
      console.log(`started ${server.name}: pid ${server.pid}, ${server.url}`);
    }
    const idle: IdleRow[] = [];
    for (const size of opts.idleSizes)
      for (const [i, spec] of opts.servers.entries()) {
        const row = await runIdle(opts, spec, labels[i]!, size);
        console.log(
          `  idle ${row.server}: ${row.connections} connections over ${row.processes} ` +
            `process(es), ${fmt(row.perConnKiB, 2)} KiB/conn (second half ${fmt(row.secondHalfKiB, 2)}), ${fmt(row.joinsPerSec, 0)} joins/s, ` +
            `load average ${fmt(row.loadAverage, 1)}`,
        );
        idle.push(row);
      }
    const rows: LoadRow[] = [];
    for (let round = 0; round < opts.rounds; round++) {
      // Alternate the order every round so a drifting machine does not favour one server.
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const mode of opts.modes) {
        for (const server of order) {
          const row = await runLoad(opts, server, mode, `r${round}-${mode}-${server.port}`);
          console.log(
            `  ${row.server} ${mode}: ${fmt(row.msgsPerSec, 0)} msgs/s, ` +
              `${fmt(row.cpuUsPerMsg, 2)} us CPU/msg, p99 ${fmt(row.p99, 2)} ms`,
          );
          rows.push(row);
        }
      }
    }
    console.log(
      '\n' +
        formatRelayReport(
          { inFlight: opts.inFlight, rate: opts.rate, servers: labels },
          rows,
          idle,
        ),
    );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export const relayBenchmark: Benchmark = {
  name: 'relay',
  description:
    'signal relay: uWS server vs ws reference (msgs/s, p50/p99, CPU us/msg, RSS/connection). ' +
    'Options: --servers uws,ws --duration 8 --warmup 2 --connections 200 --in-flight 4 ' +
    '--payload 200 --rate 20000 --load-procs 1 --idle 5000[,20000,...] --modes closed,rate --rounds 3 ' +
    '--profile --uws-entry <path to another main.ts> --baseline <path to another main.ts>',
  run,
};
