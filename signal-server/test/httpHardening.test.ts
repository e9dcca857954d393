/**
 * HTTP hardening over real HTTP: security headers on the app, no source maps by default,
 * HEAD like GET without a body, /readyz (with and without Redis), and /metrics behind a token
 * or on a separate loopback port.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src/securityHeaders';
import { clusterConfig, freePort, startRedis } from './clusterHarness';
import {
  httpRequest,
  startTestServer,
  waitFor,
  type RawResponse,
  type TestServerOverrides,
} from './helpers';

const INDEX =
  '<!doctype html><title>t</title><script type="module" src="/assets/app-1.js"></script>';
const APP_JS = 'export const x = 1;\n'.repeat(500) + '//# sourceMappingURL=app-1.js.map\n';
const MAP = '{"version":3,"sources":["secret-source.ts"],"mappings":""}';
let tmp: string;
let dist: string;
const cleanups: (() => Promise<unknown> | void)[] = [];

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'peerboard-hardening-'));
  dist = path.join(tmp, 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), INDEX);
  writeFileSync(path.join(dist, 'assets', 'app-1.js'), APP_JS);
  writeFileSync(path.join(dist, 'assets', 'app-1.js.map'), MAP);
});
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function server(overrides: TestServerOverrides = {}) {
  const s = await startTestServer({ staticDir: dist, ...overrides });
  cleanups.push(() => s.close());
  return s;
}

describe('security headers', () => {
  it('HTML carries a strict CSP and the document policies; every response nosniff + no-referrer', async () => {
    const s = await server();
    for (const p of ['/', '/index.html', '/r/some-room']) {
      const res = await httpRequest(s.server.port, p);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp, p).toBe(CONTENT_SECURITY_POLICY);
      const directives = new Map(
        csp.split(';').map((d: string) => {
          const [name, ...values] = d.trim().split(/\s+/);
          return [name!, values.join(' ')];
        }),
      );
      expect(directives.get('script-src')).toBe("'self' 'wasm-unsafe-eval'");
      expect(directives.get('style-src')).toBe("'self'");
      expect(directives.get('connect-src')).toBe("'self'");
      expect(directives.get('frame-ancestors')).toBe("'none'");
      expect(directives.get('object-src')).toBe("'none'");
      expect(directives.get('base-uri')).toBe("'none'");
      expect(directives.get('img-src')).toBe("'self' data: blob:");
      expect(directives.get('media-src')).toBe("'self' blob:");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain("'unsafe-eval'");
      const permissions = res.headers['permissions-policy'] as string;
      for (const p of [
        'camera=(self)',
        'microphone=(self)',
        'display-capture=(self)',
        'geolocation=()',
      ])
        expect(permissions).toContain(p);
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    for (const p of ['/', '/assets/app-1.js', '/healthz', '/readyz', '/metrics', '/nothing.png']) {
      const res = await httpRequest(s.server.port, p);
      expect(res.headers['x-content-type-options'], p).toBe('nosniff');
      expect(res.headers['referrer-policy'], p).toBe('no-referrer');
    }
  });
  // The built client under this policy: web/e2e/csp.test.ts (static check + a real page).
});

describe('source maps', () => {
  it('are not served by default, and are with SOURCE_MAPS=1', async () => {
    const s = await server();
    const hidden = await httpRequest(s.server.port, '/assets/app-1.js.map');
    expect(hidden.status).toBe(404);
    expect(hidden.body.toString()).not.toContain('secret-source');
    expect((await httpRequest(s.server.port, '/assets/app-1.js')).status).toBe(200);

    const withMaps = await server({ sourceMaps: true });
    const shown = await httpRequest(withMaps.server.port, '/assets/app-1.js.map');
    expect(shown.status).toBe(200);
    expect(shown.body.toString()).toBe(MAP);
  });
});

/** Everything but Date (which may tick between the two requests). */
const comparable = (r: RawResponse) => {
  const { date: _date, ...rest } = r.headers;
  return rest;
};

describe('HEAD', () => {
  it.each([
    ['/', {}],
    ['/r/a-room', {}],
    ['/assets/app-1.js', {}],
    ['/assets/app-1.js', { 'accept-encoding': 'gzip' }],
    ['/healthz', {}],
    ['/readyz', {}],
    ['/metrics', {}],
    ['/nothing.png', {}],
  ])('HEAD %s %j: the GET status and headers, no body', async (p, headers) => {
    const s = await server();
    const get = await httpRequest(s.server.port, p, { headers });
    const head = await httpRequest(s.server.port, p, { method: 'HEAD', headers });
    expect(head.status).toBe(get.status);
    expect(comparable(head)).toEqual(comparable(get));
    expect(Number(head.headers['content-length'])).toBe(get.body.length);
    expect(get.body.length).toBeGreaterThan(0);
    expect(head.body.length).toBe(0);
  });

  it('leaves the connection usable: HEAD then GET on one kept-alive socket', async () => {
    const s = await server();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    const head = await httpRequest(s.server.port, '/assets/app-1.js', { method: 'HEAD', agent });
    expect(head.body.length).toBe(0);
    const get = await httpRequest(s.server.port, '/healthz', { agent });
    expect(get.reusedSocket).toBe(true);
    expect(JSON.parse(get.body.toString())).toMatchObject({ status: 'ok' });
  });

  it('writes no body bytes on the wire (pipelined HEAD + GET parse as two responses)', async () => {
    const s = await server();
    const sock = net.connect(s.server.port, '127.0.0.1');
    cleanups.push(() => void sock.destroy());
    let raw = '';
    sock.on('data', (d: Buffer) => (raw += d.toString('latin1')));
    const ended = new Promise((r) => sock.on('close', r));
    sock.write(
      'HEAD / HTTP/1.1\r\nHost: t\r\n\r\n' +
        'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n',
    );
    await ended;
    const first = raw.indexOf('\r\n\r\n');
    expect(raw.slice(0, first)).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw.slice(0, first)).toContain(`Content-Length: ${INDEX.length}`);
    const rest = raw.slice(first + 4);
    expect(rest).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(rest).toMatch(/\{"status":"ok".*\}$/);
  });
});

describe('GET /readyz', () => {
  it('is ready without Redis configured', async () => {
    const s = await server();
    const res = await httpRequest(s.server.port, '/readyz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ status: 'ready', redis: 'not_configured' });
  });

  it('with Redis: ready while connected, 503 once Redis is gone (while /healthz stays 200)', async () => {
    const redis = await startRedis();
    let redisStopped = false;
    cleanups.push(() => (redisStopped ? undefined : redis.stop()));
    const s = await server({ cluster: clusterConfig(redis.url) });
    const ready = await httpRequest(s.server.port, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body.toString())).toEqual({ status: 'ready', redis: 'connected' });

    await redis.stop();
    redisStopped = true;
    await waitFor(async () => (await httpRequest(s.server.port, '/readyz')).status === 503);
    const down = await httpRequest(s.server.port, '/readyz');
    expect(JSON.parse(down.body.toString())).toEqual({
      status: 'not_ready',
      redis: 'disconnected',
    });
    expect((await httpRequest(s.server.port, '/healthz')).status).toBe(200);
  });
});

describe('/metrics exposure', () => {
  const token = 'metrics-token-0123456789';
  it('METRICS_TOKEN: 401 without the right Bearer token, 200 with it', async () => {
    const s = await server({ metrics: { token } });
    const port = s.server.port;
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: token },
    ] as Record<string, string>[]) {
      const res = await httpRequest(port, '/metrics', { headers });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body.toString()).not.toContain('peerboard_');
    }
    expect((await httpRequest(port, '/metrics', { method: 'HEAD' })).status).toBe(401);
    const ok = await httpRequest(port, '/metrics', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.toString()).toContain('peerboard_connections 0');
  });

  it('METRICS_PORT: only on the separate loopback port, 404 on the public one', async () => {
    const metricsPort = await freePort();
    const s = await server({ host: '0.0.0.0', metrics: { port: metricsPort, token } });
    expect(s.server.metricsPort).toBe(metricsPort);
    const pub = await httpRequest(s.server.port, '/metrics');
    expect(pub.status).toBe(404);
    expect(pub.body.toString()).not.toContain('peerboard_');
    const auth = { authorization: `Bearer ${token}` };
    const res = await httpRequest(metricsPort, '/metrics', { headers: auth });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain('peerboard_connections 0');
    expect((await httpRequest(metricsPort, '/metrics')).status).toBe(401);
    expect((await httpRequest(metricsPort, '/')).status).toBe(404);
    expect((await httpRequest(metricsPort, '/healthz')).status).toBe(404);
    // bound to loopback: another local interface address reaches the public port only
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;
    if (external !== undefined) {
      expect((await httpRequest(s.server.port, '/healthz', { host: external })).status).toBe(200);
      await expect(httpRequest(metricsPort, '/metrics', { host: external })).rejects.toThrow(
        /ECONNREFUSED/,
      );
    }
  });

  it('METRICS_PORT=off: not served at all', async () => {
    const s = await server({ metrics: { enabled: false } });
    expect((await httpRequest(s.server.port, '/metrics')).status).toBe(404);
  });
});
