/**
 * A real coturn (`turnserver`: TURN and STUN on one UDP port, REST-API shared secret) inside a
 * test network host: the server host of netns.ts or of core's natNetwork.ts. `-c` points at an
 * empty file so the machine's /etc/turnserver.conf does not apply. Ready once `ss` in that host
 * lists its UDP socket.
 */
import { execFileSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';

export interface CoturnOptions {
  /** starts `command` inside the server host (topology.spawnIn('srv', ...)) */
  spawn(command: string, args: string[], options?: SpawnOptions): ChildProcess;
  /** that host's namespace name (for the readiness check) */
  namespace: string;
  /** addresses to listen on; the first one also relays */
  listen: string[];
  port: number;
  secret: string;
}

export interface Coturn {
  stunUrl: string;
  turnUrl: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startCoturn(o: CoturnOptions): Promise<Coturn> {
  const dir = mkdtempSync(path.join(tmpdir(), 'peerboard-coturn-'));
  writeFileSync(path.join(dir, 'turnserver.conf'), '');
  const child = o.spawn('turnserver', [
    '-c',
    path.join(dir, 'turnserver.conf'),
    '--use-auth-secret',
    `--static-auth-secret=${o.secret}`,
    '--realm=peerboard.test',
    ...o.listen.map((ip) => `--listening-ip=${ip}`),
    `--relay-ip=${o.listen[0]}`,
    `--listening-port=${o.port}`,
    '--allowed-peer-ip=10.77.0.0-10.77.255.255',
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    '--no-tcp-relay',
    '--fingerprint',
    '--log-file=stdout',
    '--simple-log',
    `--pidfile=${path.join(dir, 'turnserver.pid')}`,
    `--userdb=${path.join(dir, 'turndb')}`,
  ]);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  const listening = `${o.listen[0]}:${o.port}`;
  try {
    await vi.waitFor(
      () => {
        if (child.exitCode !== null) throw new Error('turnserver exited');
        const ss = execFileSync('ip', ['netns', 'exec', o.namespace, 'ss', '-Hlun']).toString();
        if (!ss.includes(listening)) throw new Error('turnserver not listening yet');
      },
      { timeout: 15_000, interval: 100 },
    );
  } catch (e) {
    await stop();
    throw new Error(`turnserver did not start (${(e as Error).message}):\n${out}`);
  }
  return {
    stunUrl: `stun:${listening}`,
    turnUrl: `turn:${listening}?transport=udp`,
    output: () => out,
    stop,
  };
}
