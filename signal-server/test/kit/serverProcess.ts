/**
 * The server as its own process, the way it is deployed: `src/main.ts` through tsx, or the
 * compiled `dist/main.js` with plain node; optionally inside a test network host (netns.ts).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

export const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_DIR = path.resolve(SERVER_DIR, '..');
export const WEB_DIST = path.join(REPO_DIR, 'web', 'dist');

export type Spawner = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

export interface ServerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** the JSON "listening" record, once logged */
  listening(timeoutMs?: number): Promise<{ port: number; urls?: string[] }>;
  /** SIGTERM, then the exit code */
  stop(): Promise<number | null>;
}

export interface SpawnServerOptions {
  env?: Record<string, string>;
  /** extra arguments of main (e.g. --lan) */
  args?: string[];
  /** 'source' (tsx, default) or 'dist' (node signal-server/dist/main.js, built first) */
  entry?: 'source' | 'dist';
  /** how to start the process (default: node:child_process spawn; netns: topology.spawnIn) */
  spawner?: Spawner;
}

const running = new Set<ChildProcess>();
const killRunning = () => {
  for (const c of running) c.kill('SIGKILL');
};
process.on('exit', killRunning);

/** Kills every server spawnServer started that is still running (afterEach: a failed test
 * must not leave one behind). */
export function killServers(): void {
  killRunning();
  running.clear();
}

export function spawnServer(o: SpawnServerOptions = {}): ServerProcess {
  const entryArgs = o.entry === 'dist' ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const spawner: Spawner = o.spawner ?? ((c, a, opts) => spawn(c, a, opts));
  const child = spawner(process.execPath, [...entryArgs, ...(o.args ?? [])], {
    cwd: SERVER_DIR,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );

  const listeningRecord = () => {
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      const rec = JSON.parse(line) as { msg?: string; port?: number; urls?: string[] };
      if (rec.msg === 'listening' && typeof rec.port === 'number')
        return { port: rec.port, urls: rec.urls };
    }
    return null;
  };

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async listening(timeoutMs = 20_000) {
      try {
        return await vi.waitFor(
          () => {
            if (child.exitCode !== null) throw new Error('server exited');
            const rec = listeningRecord();
            if (rec === null) throw new Error('not listening yet');
            return rec;
          },
          { timeout: timeoutMs, interval: 50 },
        );
      } catch (e) {
        child.kill('SIGKILL');
        throw new Error(`no listening line (${(e as Error).message}); stdout=${out} stderr=${err}`);
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
