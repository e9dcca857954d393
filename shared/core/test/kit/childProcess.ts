/**
 * A TypeScript script run as a Node process of its own (through tsx) that reports in JSON lines
 * on stdout: what peerHost.ts (a peer in a network namespace) and the call benchmark's light
 * participants (web/bench/call-mesh-peers.ts) have in common. The caller reads each message;
 * lines that are not JSON objects (a stray log) are skipped.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** starts the process; tests swap it to start it elsewhere (e.g. in a network namespace) */
export type Spawner = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

export interface ChildProcessOptions {
  /** absolute path of the .ts script */
  script: string;
  cwd: string;
  /** added to this process's environment (the child's configuration) */
  env: Record<string, string>;
  /** each JSON object line, in order */
  onMessage(message: Record<string, unknown>): void;
  spawner?: Spawner;
  /** 'keep': stderr goes into output() for failure messages; 'inherit': to our own stderr */
  stderr?: 'keep' | 'inherit';
  /** how stop() asks it to end: SIGTERM, or closing its stdin (it then leaves cleanly itself) */
  stopBy?: 'sigterm' | 'stdin';
  /** after stop() asked, how long it has before SIGKILL */
  killAfterMs?: number;
}

export interface JsonChild {
  readonly pid: number;
  /** resolves once the process has exited, for whatever reason */
  readonly exited: Promise<void>;
  hasExited(): boolean;
  /** one JSON line on its stdin */
  send(message: object): void;
  /** everything it wrote (stdout, and stderr when kept) */
  output(): string;
  /** asks it to end, kills it if it has not after killAfterMs; idempotent */
  stop(): Promise<void>;
}

export function startJsonChild(options: ChildProcessOptions): JsonChild {
  const spawner = options.spawner ?? spawn;
  const keepStderr = (options.stderr ?? 'keep') === 'keep';
  const child = spawner(process.execPath, ['--import', 'tsx', options.script], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', keepStderr ? 'pipe' : 'inherit'],
  });
  let raw = '';
  let partial = '';
  let done = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      done = true;
      resolve();
    }),
  );
  child.stdout?.on('data', (d: Buffer) => {
    const text = d.toString();
    raw += text;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        continue; // a log line that happens to start with a brace
      }
      if (typeof message === 'object' && message !== null && !Array.isArray(message))
        options.onMessage(message as Record<string, unknown>);
    }
  });
  if (keepStderr) child.stderr?.on('data', (d: Buffer) => (raw += d.toString()));

  let stopping: Promise<void> | null = null;
  return {
    pid: child.pid ?? -1,
    exited,
    hasExited: () => done,
    send: (message) => void child.stdin?.write(JSON.stringify(message) + '\n'),
    output: () => raw,
    stop() {
      stopping ??= (async () => {
        if (done) return;
        if ((options.stopBy ?? 'sigterm') === 'stdin') child.stdin?.end();
        else child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 3000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
