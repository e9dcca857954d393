/**
 * Hardening load test (issue 7), loopback only, bounded, stops by itself:
 *
 *   ~10k good connections in pairs (one room per pair) doing signal round trips at a steady
 *   rate, measured in three phases: baseline, attack, after. During the attack a separate
 *   process runs fuzzers (malformed / oversize / invalid frames, join spam, signals to strangers),
 *   flooders (pings as fast as the socket drains) and connection churn.
 *
 * Reported: good clients' relay RTT p50/p99 per phase (same run = the reference), good clients
 * that were closed or got errors (must be none), what the attackers were told (error codes,
 * close codes + reasons: rate-limited connections must get ERR_RATE_LIMITED and 4008 with a
 * reason), server CPU, RSS, its /metrics counters, and that it still answers /healthz.
 */
import { execFileSync, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, formatTable, sleep, summarize, type Benchmark } from '@peerboard/bench-kit';
import {
  readCpuSeconds,
  readRssKiB,
  startServerProcess,
  trackChild,
  type ServerProcess,
} from '@peerboard/bench-kit/proc';
import type { WorkerCommand, WorkerConfig, WorkerMessage, WorkerReport } from './hardeningLoad';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./hardeningLoad.ts', import.meta.url));

const OPTIONS = {
  connections: { type: 'string', default: '10000' },
  'good-procs': { type: 'string', default: '4' },
  rate: { type: 'string', default: '2000' },
  fuzzers: { type: 'string', default: '150' },
  flooders: { type: 'string', default: '50' },
  churners: { type: 'string', default: '20' },
  phase: { type: 'string', default: '10' },
} as const;

interface Worker {
  pid: number;
  ready: Promise<number>;
  command(c: WorkerCommand): void;
  report(): Promise<WorkerReport>;
  finish(): Promise<void>;
}

function startWorker(config: WorkerConfig): Worker {
  const child = fork(WORKER, [JSON.stringify(config)], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', '--max-old-space-size=2048'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  trackChild(child);
  const reports: ((r: WorkerReport) => void)[] = [];
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = new Promise<number>((resolve, reject) => {
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') resolve(m.connections);
      else if (m.type === 'report') reports.shift()?.(m);
      else reject(new Error(`worker failed: ${m.message}`));
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return {
    pid: child.pid!,
    ready,
    command: (c) => void (child.connected && child.send(c)),
    report: () =>
      new Promise((resolve) => {
        reports.push(resolve);
        child.send({ cmd: 'report' } satisfies WorkerCommand);
      }),
    async finish() {
      if (child.connected) child.send({ cmd: 'finish' } satisfies WorkerCommand);
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

function openFilesLimit(): { soft: number; hard: number } {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line ?? '').split(/\s+/).slice(3, 5).map(Number);
  return { soft: soft ?? 1024, hard: hard ?? 1024 };
}

async function health(url: string): Promise<{ ok: boolean; ms: number }> {
  const t0 = performance.now();
  try {
    const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
    return { ok: r.ok, ms: performance.now() - t0 };
  } catch {
    return { ok: false, ms: performance.now() - t0 };
  }
}

async function metrics(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(peerboard_\S+) (\d+(?:\.\d+)?)$/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

const merge = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  return into;
};
const top = (rec: Record<string, number>, n = 12) =>
  Object.entries(rec)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ') || 'none';

async function run(args: string[]): Promise<void> {
  const { values: v } = parseArgs({ args, options: OPTIONS, strict: true });
  const connections = Number(v.connections);
  const goodProcs = Math.max(1, Number(v['good-procs']));
  const phaseMs = Number(v.phase) * 1000;
  const attackers = Number(v.fuzzers) + Number(v.flooders) + Number(v.churners);
  const needFds = connections + attackers + 256;
  const limit = openFilesLimit();
  if (limit.soft < needFds) {
    if (limit.hard < needFds)
      throw new Error(`need ${needFds} open files, the hard limit is ${limit.hard}`);
    // Node cannot raise its own limit: run the runner again (this process's entry script)
    // under a shell that does.
    console.log(`raising the open-files limit ${limit.soft} -> ${limit.hard} and re-running`);
    const self = ['--import', 'tsx', process.argv[1]!, 'hardening', ...args];
    execFileSync(
      'bash',
      ['-c', `ulimit -n ${limit.hard} && exec "$0" "$@"`, process.execPath, ...self],
      { cwd: ROOT, stdio: 'inherit' },
    );
    return;
  }

  const pairsPerProc = Math.floor(connections / 2 / goodProcs);
  console.log(
    `hardening: ${pairsPerProc * 2 * goodProcs} good connections (${goodProcs} processes, ` +
      `${v.rate} round trips/s), attack: ${v.fuzzers} fuzzers, ${v.flooders} flooders, ` +
      `${v.churners} churners; phases of ${phaseMs / 1000} s; open-files limit ${limit.soft}`,
  );
  let server: ServerProcess | undefined;
  const workers: Worker[] = [];
  try {
    server = await startServerProcess({
      name: 'relay',
      entry: 'signal-server/src/main.ts',
      path: '/ws',
      cwd: ROOT,
      // Production limits (rate 100/s, burst 300, 50 strikes); room for every connection.
      env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', MAX_CONNECTIONS: '20000' },
    });
    const httpUrl = `http://127.0.0.1:${server.port}`;
    const rssIdle = readRssKiB(server.pid);
    const t0 = performance.now();
    for (let i = 0; i < goodProcs; i++)
      workers.push(
        startWorker({
          role: 'good',
          url: server.url,
          pairs: pairsPerProc,
          roomPrefix: `good${i}`,
          roundTripsPerSec: Number(v.rate) / goodProcs,
        }),
      );
    const good = [...workers];
    const goodConns = (await Promise.all(good.map((w) => w.ready))).reduce((a, b) => a + b, 0);
    const connectS = (performance.now() - t0) / 1000;
    const attacker = startWorker({
      role: 'attack',
      url: server.url,
      fuzzers: Number(v.fuzzers),
      flooders: Number(v.flooders),
      churners: Number(v.churners),
      seed: 7,
    });
    workers.push(attacker);
    // Real attackers run on other machines: here the attack process gets the lowest CPU
    // priority, so it cannot starve the good clients' load generators of CPU on this box.
    setPriority(attacker.pid, 19);
    await attacker.ready;
    await sleep(1000);
    const rssConnected = readRssKiB(server.pid);
    console.log(
      `${goodConns} good connections joined in ${fmt(connectS, 1)} s; server RSS ` +
        `${fmt(rssIdle / 1024)} -> ${fmt(rssConnected / 1024)} MiB`,
    );

    const phases: { name: string; cpuPct: number; rssMiB: number; healthMs: number }[] = [];
    const runPhase = async (name: string, ms: number, before?: () => void) => {
      for (const w of good) w.command({ cmd: 'phase', name });
      before?.();
      const c0 = readCpuSeconds(server!.pid);
      const p0 = performance.now();
      await sleep(ms / 2);
      const h = await health(httpUrl);
      await sleep(ms / 2);
      const cpuPct = ((readCpuSeconds(server!.pid) - c0) / ((performance.now() - p0) / 1000)) * 100;
      phases.push({ name, cpuPct, rssMiB: readRssKiB(server!.pid) / 1024, healthMs: h.ms });
      console.log(`  phase ${name}: server CPU ${fmt(cpuPct, 0)} %, /healthz ${fmt(h.ms, 1)} ms`);
    };
    await runPhase('warmup', 5000); // setup garbage collected, JIT warm; not reported
    phases.pop();
    await runPhase('baseline', phaseMs);
    await runPhase('attack', phaseMs, () => attacker.command({ cmd: 'attack' }));
    attacker.command({ cmd: 'calm' });
    await runPhase('after', phaseMs / 2);
    for (const w of good) w.command({ cmd: 'phase', name: 'drain' });
    await sleep(2000);

    const goodReports = await Promise.all(good.map((w) => w.report()));
    const attack = await attacker.report();
    const alive = (await health(httpUrl)).ok;
    const m = await metrics(httpUrl);

    const rows = ['baseline', 'attack', 'after'].map((name, i) => {
      const lat = summarize(goodReports.map((r) => r.phases[name] ?? []));
      const started = goodReports.reduce((s, r) => s + (r.started[name] ?? 0), 0);
      const done = goodReports.reduce((s, r) => s + (r.completed[name] ?? 0), 0);
      const ph = phases[i]!;
      return [
        name,
        fmt(done / (phaseMs / (name === 'after' ? 2000 : 1000)), 0),
        `${done}/${started}`,
        fmt(lat.p50, 2),
        fmt(lat.p99, 2),
        fmt(lat.p999, 2),
        fmt(ph.cpuPct, 0),
        fmt(ph.rssMiB, 0),
        fmt(ph.healthMs, 1),
        fmt(Math.max(...goodReports.map((r) => r.phaseLoopLagP99Ms[name] ?? NaN)), 1),
      ];
    });
    console.log(
      '\n' +
        formatTable(
          [
            'phase',
            'round trips/s',
            'answered/sent',
            'RTT p50 ms',
            'RTT p99 ms',
            'RTT p99.9 ms',
            'server CPU %',
            'server RSS MiB',
            '/healthz ms',
            'load gen lag p99 ms',
          ],
          rows,
        ),
    );
    const goodCloses = goodReports.reduce((acc, r) => merge(acc, r.closes), {});
    const goodErrors = goodReports.reduce((acc, r) => merge(acc, r.errors), {});
    const wrong = goodReports.reduce((s, r) => s + r.wrongSender, 0);
    console.log(
      `\ngood clients: closed ${top(goodCloses)}; errors ${top(goodErrors)}; wrong sender ${wrong}`,
    );
    console.log(`attack frames sent: ${top(attack.sent, 20)}`);
    console.log(`attackers were told (errors): ${top(attack.errors, 20)}`);
    console.log(`attackers were closed with: ${top(attack.closes, 20)}`);
    const pick = (prefix: string) =>
      Object.fromEntries(
        Object.entries(m)
          .filter(([k, n]) => k.startsWith(prefix) && n > 0)
          .map(([k, n]) => [k.slice(prefix.length), n]),
      );
    console.log(`server rejected (metrics): ${top(pick('peerboard_messages_rejected_total'), 20)}`);
    console.log(`server closed (metrics): ${top(pick('peerboard_connections_closed_total'), 20)}`);
    console.log(
      `server alive after the attack: ${alive ? 'yes' : 'NO'} (exit code ${alive ? '-' : 'gone'}); ` +
        `load generator loop lag p99: ${fmt(Math.max(...goodReports.map((r) => r.loopDelayP99Ms)), 1)} ms; ` +
        `machine load average (1 min) ${fmt(loadavg()[0]!, 1)} (other processes included)`,
    );
    if (!alive) throw new Error('the relay did not survive the attack');
  } finally {
    await Promise.all(workers.map((w) => w.finish()));
    await server?.stop();
  }
}

export const hardeningBenchmark: Benchmark = {
  name: 'hardening',
  description:
    '10k connections with steady signaling + fuzzers/flooders/churn: good RTT before/during/after. ' +
    'Options: --connections 10000 --good-procs 4 --rate 2000 --fuzzers 150 --flooders 50 ' +
    '--churners 20 --phase 10',
  run,
};
