/**
 * Harness for the protected-room and TURN integration tests: the real relay with config
 * overrides and a captured debug log, a TCP tap that records every byte the relay sends to its
 * clients, and a real coturn (`turnserver`) on loopback. Everything is stopped by the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, loadRelay } from './relay';

interface PinoModule {
  pino(options: object, stream: { write(s: string): void }): unknown;
}

// pino is a dependency of the relay, not of web: resolve it from there.
const pinoPath = new URL('../../../../signal-server/node_modules/pino/pino.js', import.meta.url)
  .href;

export interface LoggedRelay {
  port: number;
  url: string;
  /** every JSON log line the relay wrote (level debug) */
  logs: string[];
  close(): Promise<void>;
}

/** The real relay with `overrides` merged into its default config, logging at debug level. */
export async function startLoggedRelay(
  overrides: Record<string, unknown> = {},
): Promise<LoggedRelay> {
  const { startServer, defaultConfig } = await loadRelay();
  const { pino } = (await import(/* @vite-ignore */ pinoPath)) as PinoModule;
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const port = await freePort();
  const server = await startServer(
    {
      ...defaultConfig(),
      host: '127.0.0.1',
      port,
      logLevel: 'debug',
      staticDir: '/nonexistent-peerboard-dist',
      ...overrides,
    },
    logger,
  );
  return { port, url: `ws://127.0.0.1:${port}/ws`, logs, close: () => server.close() };
}

export interface Tap {
  url: string;
  /** new connections go to this port from now on (a load balancer after an instance died) */
  setTarget(port: number): void;
  /** all bytes the relay sent to clients through the tap (server -> client direction) */
  downstream(): Buffer;
  close(): Promise<void>;
}

/** A TCP forwarder in front of the relay that records what the relay sends. WebSocket frames
 * from a server are unmasked, so relayed payload bytes appear verbatim in this capture. */
export async function startTap(targetPort: number): Promise<Tap> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  let target = targetPort;
  const srv = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    upstream.on('data', (d: Buffer) => {
      chunks.push(Buffer.from(d));
      client.write(d);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    setTarget: (p) => void (target = p),
    downstream: () => Buffer.concat(chunks),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => srv.close(resolve));
    },
  };
}

export interface Turn {
  port: number;
  url: string;
  output(): string;
  close(): Promise<void>;
}

/** Resolves once something answers a STUN binding request on 127.0.0.1:port (UDP). */
async function stunAnswers(port: number, timeoutMs: number): Promise<boolean> {
  const sock = dgram.createSocket('udp4');
  const request = Buffer.alloc(20);
  request.writeUInt16BE(0x0001, 0); // binding request, no attributes
  request.writeUInt32BE(0x2112a442, 4); // magic cookie
  randomFillSync(request, 8, 12);
  try {
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      sock.on('message', (msg) => {
        if (msg.length >= 20 && msg.readUInt16BE(0) === 0x0101) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      sock.on('error', () => undefined);
      sock.send(request, port, '127.0.0.1');
    });
  } finally {
    sock.close();
  }
}

/**
 * A real coturn on 127.0.0.1 with the REST-API shared secret. `-c` points at an empty file so
 * the machine's /etc/turnserver.conf does not apply; pid file and user db go to a temp dir.
 */
export async function startTurn(secret: string): Promise<Turn> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'peerboard-turn-'));
  const conf = path.join(dir, 'turnserver.conf');
  await writeFile(conf, '');
  let out = '';
  const child: ChildProcess = spawn(
    'turnserver',
    [
      '-c',
      conf,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=peerboard.test',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--min-port=49160',
      '--max-port=49999',
      '--allow-loopback-peers',
      '--no-cli',
      '--no-tls',
      '--no-dtls',
      '--no-tcp-relay',
      '--fingerprint',
      '--log-file=stdout',
      '--simple-log',
      '--verbose',
      `--pidfile=${path.join(dir, 'turnserver.pid')}`,
      `--userdb=${path.join(dir, 'turndb')}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    await rm(dir, { recursive: true, force: true });
  };
  const start = Date.now();
  while (!(await stunAnswers(port, 200))) {
    if (child.exitCode !== null || Date.now() - start > 10_000) {
      await stop();
      throw new Error(`turnserver did not start:\n${out}`);
    }
  }
  return { port, url: `turn:127.0.0.1:${port}?transport=udp`, output: () => out, close: stop };
}
