/**
 * Process helpers for benchmarks (Node only): start a server as its own process and wait for its
 * "listening" log line, and read its CPU time and RSS from /proc (Linux only).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

// Every child a benchmark starts is killed when the benchmark process exits, however it exits.
const children = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Registers a child process so it never outlives the benchmark. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => process.exit(130));
}

let ticks: number | undefined;
/** Clock ticks per second of /proc/PID/stat times (`getconf CLK_TCK`, 100 on Linux). */
export function clockTicks(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  return ticks;
}

export interface CpuTimes {
  /** utime: user space (JS, V8, native addons), seconds. */
  user: number;
  /** stime: kernel (syscalls; on loopback TCP that includes delivering to the receiver). */
  sys: number;
}

/** utime and stime of the whole process (all threads), in seconds. */
export function readCpuTimes(pid: number): CpuTimes {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: count fields from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / clockTicks(), sys: Number(fields[12]) / clockTicks() };
}

/** utime + stime of the whole process, in seconds. */
export function readCpuSeconds(pid: number): number {
  const t = readCpuTimes(pid);
  return t.user + t.sys;
}

/** Resident set size in KiB (VmRSS of /proc/PID/status). */
export function readRssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) : NaN;
}

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** SIGTERM, then SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  name: string;
  /** Path of the TypeScript entry, run as `node --import tsx <entry>`. */
  entry: string;
  env: Record<string, string>;
  nodeArgs?: string[];
  /** Appended to the URL (e.g. the WebSocket endpoint '/ws'). */
  path?: string;
  /** Working directory; `--import tsx` is resolved from here. */
  cwd: string;
  timeoutMs?: number;
}

/** Starts `node --import tsx entry` and resolves once it logs {"msg":"listening","port":N}. */
export function startServerProcess(opts: StartServerOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', opts.entry], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${opts.name}: no "listening" line within timeout\n${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} exited early (${code ?? signal})\n${stderr}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const port = listeningPort(line);
      if (port === null) return;
      clearTimeout(timer);
      // Keep draining stdout so a chatty server never blocks on a full pipe.
      lines.removeAllListeners('line');
      lines.on('line', () => {});
      resolve(
        makeServerProcess(opts.name, child, `ws://127.0.0.1:${port}${opts.path ?? ''}`, port),
      );
    });
  });
}

function listeningPort(line: string): number | null {
  if (!line.startsWith('{')) return null;
  try {
    const data = JSON.parse(line) as { msg?: unknown; port?: unknown };
    return data.msg === 'listening' && typeof data.port === 'number' && data.port > 0
      ? data.port
      : null;
  } catch {
    return null;
  }
}

function makeServerProcess(
  name: string,
  child: ChildProcess,
  url: string,
  port: number,
): ServerProcess {
  child.removeAllListeners('exit');
  const exited = new Promise<void>((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r();
    else child.once('exit', () => r());
  });
  let stopping: Promise<void> | undefined;
  return {
    name,
    pid: child.pid!,
    port,
    url,
    stop() {
      stopping ??= (async () => {
        child.kill('SIGTERM');
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killTimer);
      })();
      return stopping;
    },
  };
}
