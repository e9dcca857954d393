/**
 * The `peerboard` command as the tests run it: the compiled `dist/cli.js` (built by buildCli, once
 * per run in the server project) in a child process with plain node, its output captured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { vi } from 'vitest';
import { SERVER_DIR } from './cliBuild';

export { buildCli, SERVER_DIR } from './cliBuild';
export const CLI = path.join(SERVER_DIR, 'dist', 'cli.js');

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** the exit code (a signal's death is reported as null) */
  exited: Promise<number | null>;
  /** waits until stdout contains `text` */
  printed(text: string, timeoutMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/** Kills every CLI process still running (afterEach: a failed test leaves none behind). */
export function killClis(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

export function cli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: SERVER_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    printed: (text, timeoutMs = 20_000) =>
      vi.waitFor(
        () => {
          if (!out.includes(text))
            throw new Error(`CLI has not printed "${text}" yet:\n${out}\n${err}`);
        },
        { timeout: timeoutMs, interval: 50 },
      ),
  };
}
