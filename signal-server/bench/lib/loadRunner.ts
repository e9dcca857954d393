/** Parent side of a load-generator process (bench/load.ts). */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isLoadReport, type LoadConfig, type ParentCommand, type WindowResult } from './loadIpc';
import { trackChild } from '@peerboard/bench-kit/proc';

const LOAD_ENTRY = fileURLToPath(new URL('../load.ts', import.meta.url));

export interface LoadProcess {
  readonly pid: number;
  /** Resolves with the number of joined connections once every pair is set up. */
  readonly ready: Promise<number>;
  /** Resolves with how long connecting and joining every pair took (ms), with `ready`. */
  readonly setupMs: Promise<number>;
  send(cmd: ParentCommand): void;
  /** The report that answers the next 'stop_window'. */
  nextWindow(): Promise<WindowResult>;
  /**
   * Sends 'finish' and waits for the process to drain, close its sockets and exit; resolves
   * with the round trips that never came back (null if it did not say). Idempotent.
   */
  finish(): Promise<number | null>;
}

export function forkLoad(config: LoadConfig, cwd: string): LoadProcess {
  const child = fork(LOAD_ENTRY, [JSON.stringify(config)], {
    cwd,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  trackChild(child);
  let failure: Error | undefined;
  const windows: Array<(w: WindowResult) => void> = [];
  let unanswered: number | null = null;
  const failWaiters: Array<(e: Error) => void> = [];
  const fail = (e: Error): void => {
    failure ??= e;
    for (const f of failWaiters.splice(0)) f(failure);
  };
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0) fail(new Error(`load process exited with ${code ?? signal}`));
      resolve();
    }),
  );
  let setupDone: (ms: number) => void = () => {};
  const setupMs = new Promise<number>((r) => (setupDone = r));
  const ready = new Promise<number>((resolve, reject) => {
    failWaiters.push(reject);
    child.on('message', (msg: unknown) => {
      if (!isLoadReport(msg)) return;
      switch (msg.type) {
        case 'ready':
          setupDone(msg.setupMs);
          return resolve(msg.connections);
        case 'window':
          return windows.shift()?.(msg);
        case 'drained':
          unanswered = msg.unanswered;
          return;
        case 'failed':
          return fail(new Error(`load process failed: ${msg.message}`));
      }
    });
  });
  let finishing: Promise<number | null> | undefined;
  return {
    pid: child.pid!,
    ready,
    setupMs,
    send: (cmd) => void (child.connected && child.send(cmd)),
    nextWindow: () =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        windows.push(resolve);
        failWaiters.push(reject);
      }),
    finish() {
      finishing ??= (async () => {
        if (child.connected) child.send('finish');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
        return unanswered;
      })();
      return finishing;
    },
  };
}
