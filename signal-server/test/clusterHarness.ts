/**
 * Scale-out test harness: a real redis-server on a free loopback port (no persistence), relay
 * instances in process or as spawned `main.ts` processes (so one can be SIGKILLed), and a TCP
 * forwarder standing in for the load balancer. Everything is stopped by the tests.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { ClusterConfig } from '../src/cluster/config';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export interface RedisServer {
  url: string;
  /** a client for inspecting / injecting (closed by stop) */
  client: Redis;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  const start = Date.now();
  for (;;) {
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') break;
    } catch {
      client.disconnect();
    }
    if (child.exitCode !== null || Date.now() - start > 10_000) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    client,
    async stop() {
      client.disconnect();
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
}

export const clusterConfig = (url: string, heartbeatTtlMs = 2000): ClusterConfig => ({
  url,
  prefix: 'pbtest:',
  heartbeatTtlMs,
});

export interface SpawnedRelay {
  port: number;
  wsUrl: string;
  output(): string;
  kill(): Promise<void>;
}

/** `main.ts` in its own process (REDIS_URL set), to be killed without any goodbye. */
export async function spawnRelay(env: Record<string, string>): Promise<SpawnedRelay> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts'],
    {
      cwd: serverDir,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        STATIC_DIR: '/nonexistent-peerboard-dist',
        ...env,
      },
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = Date.now() + 20_000;
  let port = 0;
  while (port === 0) {
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      const rec = JSON.parse(line) as { msg?: string; port?: number };
      if (rec.msg === 'listening' && typeof rec.port === 'number') port = rec.port;
    }
    if (port !== 0) break;
    if (child.exitCode !== null || Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`spawned relay did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    output: () => out,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
