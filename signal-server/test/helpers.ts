/** Test harness: a real relay on port 0 and real `ws` clients that speak the protocol. */
import http from 'node:http';
import { afterEach } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';
import { pino } from 'pino';
import {
  DEFAULT_LIMITS,
  PROTOCOL_VERSION,
  encodeSignal,
  parseServerMessage,
  type ServerMessage,
} from '@peerboard/protocol';
import { defaultConfig, type ServerConfig } from '../src/config';
import { startServer, type RunningServer } from '../src/server';

export interface TestServer {
  server: RunningServer;
  wsUrl: string;
  httpUrl: string;
  close(): Promise<void>;
}

/** Sections a test may override field by field. */
type Sections = 'limits' | 'perAddress' | 'recipient' | 'metrics';
export type TestServerOverrides = Partial<Omit<ServerConfig, Sections>> & {
  [K in Sections]?: Partial<ServerConfig[K]>;
};

export async function startTestServer(overrides: TestServerOverrides = {}): Promise<TestServer> {
  const base = defaultConfig();
  const config: ServerConfig = {
    ...base,
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    staticDir: '/nonexistent-peerboard-dist',
    ...overrides,
    limits: { ...DEFAULT_LIMITS, ...overrides.limits },
    perAddress: { ...base.perAddress, ...overrides.perAddress },
    recipient: { ...base.recipient, ...overrides.recipient },
    metrics: { ...base.metrics, ...overrides.metrics },
  };
  const server = await startServer(config, pino({ level: 'silent' }));
  return {
    server,
    wsUrl: `ws://127.0.0.1:${server.port}/ws`,
    httpUrl: `http://127.0.0.1:${server.port}`,
    close: () => server.close(),
  };
}

type Received = ServerMessage | { type: 'invalid'; raw: string };

export interface Closed {
  code: number;
  reason: string;
}

export interface TestClient {
  ws: WebSocket;
  /** Every message received so far, in order. */
  readonly messages: Received[];
  readonly closed: Promise<Closed>;
  /** Resolves with the next not-yet-consumed message of this type (errors if none in time). */
  next<T extends Received['type']>(
    type: T,
    timeoutMs?: number,
  ): Promise<Extract<Received, { type: T }>>;
  /** All messages of a type received so far. */
  all<T extends Received['type']>(type: T): Extract<Received, { type: T }>[];
  send(msg: object | string): void;
  signal(to: string, payload: Uint8Array): void;
  hello(version?: number): Promise<string>;
  join(room: string, name?: string): Promise<Extract<ServerMessage, { type: 'joined' }>>;
  close(): Promise<Closed>;
}

const DEFAULT_TIMEOUT = 10_000;

export async function connect(url: string, options?: ClientOptions): Promise<TestClient> {
  const ws = new WebSocket(url, options);
  ws.binaryType = 'nodebuffer';
  const messages: Received[] = [];
  const consumed = new Set<Received>();
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  ws.on('message', (data: Buffer, isBinary) => {
    const frame = isBinary
      ? { binary: new Uint8Array(data.buffer, data.byteOffset, data.length).slice() }
      : { text: data.toString('utf8') };
    const parsed = parseServerMessage(frame);
    messages.push(parsed.ok ? parsed.value : { type: 'invalid', raw: String(frame) });
    wake();
  });
  const closed = new Promise<Closed>((resolve) => {
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString('utf8') });
      wake();
    });
  });
  ws.on('error', () => {
    // surfaced through `closed` / the open promise
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`unexpected response ${res.statusCode}`)),
    );
  });

  const client: TestClient = {
    ws,
    messages,
    closed,
    next(type, timeoutMs = DEFAULT_TIMEOUT) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = messages.find((x) => x.type === type && !consumed.has(x));
          if (m === undefined) return false;
          consumed.add(m);
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m as never);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out waiting for "${type}"; got ${JSON.stringify(messages.map((m) => m.type))}`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    all(type) {
      return messages.filter((m) => m.type === type) as never;
    },
    send(msg) {
      ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
    },
    signal(to, payload) {
      ws.send(encodeSignal(to, payload));
    },
    async hello(version = PROTOCOL_VERSION) {
      client.send({ type: 'hello', version });
      return (await client.next('welcome')).peerId;
    },
    async join(room, name = 'tester') {
      client.send({ type: 'join', room, name });
      return client.next('joined');
    },
    close() {
      ws.close();
      return closed;
    },
  };
  return client;
}

/** Connect, hello and join in one go. */
export async function joinedClient(url: string, room: string, name = 'tester') {
  const c = await connect(url);
  const id = await c.hello();
  const joined = await c.join(room, name);
  return { c, id, joined };
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function health(httpUrl: string) {
  return (await (await fetch(`${httpUrl}/healthz`)).json()) as {
    status: string;
    connections: number;
    rooms: number;
  };
}

export async function metricsText(httpUrl: string): Promise<string> {
  return (await fetch(`${httpUrl}/metrics`)).text();
}

/** Value of one Prometheus sample line, e.g. metric('x{reason="y"}'). */
export function metricValue(text: string, sample: string): number {
  const line = text.split('\n').find((l) => l.startsWith(sample + ' '));
  if (line === undefined) throw new Error(`metric ${sample} missing`);
  return Number(line.slice(sample.length + 1));
}

export const bytes = (s: string) => new TextEncoder().encode(s);
export const text = (b: Uint8Array) => new TextDecoder().decode(b);

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** the request went out on a kept-alive socket that had already served a response */
  reusedSocket: boolean;
}

/** A raw node:http request (sends the path as given; `agent` for keep-alive reuse checks). */
export function httpRequest(
  port: number,
  rawPath: string,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    agent?: http.Agent;
    host?: string;
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: opts.host ?? '127.0.0.1',
        port,
        path: rawPath,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        agent: opts.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            reusedSocket: req.reusedSocket,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Servers and joined members that close after each test of the calling file: call once at the
 * top of a test file (it registers an afterEach).
 */
export function trackedServers() {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    for (const s of servers.splice(0)) await s.close();
  });
  return {
    async server(overrides: TestServerOverrides = {}) {
      const s = await startTestServer(overrides);
      servers.push(s);
      return s;
    },
    async member(s: TestServer, room: string, name: string) {
      const m = await joinedClient(s.wsUrl, room, name);
      clients.push(m.c);
      return m;
    },
  };
}
