/** The HTTP side on the relay's port: health, metrics, static client, SPA fallback, traversal. */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinedClient, metricValue, startTestServer, type TestServer } from './helpers';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Raw request: unlike fetch(), node:http sends the path exactly as given (no `..` folding). */
function request(
  port: number,
  rawPath: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: rawPath,
        method: opts.method ?? 'GET',
        headers: opts.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const INDEX = '<!doctype html><title>peerboard test index</title>';
const SECRET = 'TOP-SECRET-OUTSIDE-DIST';
let tmp: string;
let srv: TestServer;
let port: number;
const bigJs = 'export const x = 1;\n'.repeat(2000);

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'peerboard-static-'));
  const dist = path.join(tmp, 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
  writeFileSync(path.join(tmp, 'package.json'), SECRET);
  writeFileSync(path.join(dist, 'index.html'), INDEX);
  writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), bigJs);
  writeFileSync(path.join(dist, 'assets', 'index-def456.css'), 'body{margin:0}');
  writeFileSync(
    path.join(dist, 'assets', 'inter-789.woff2'),
    Buffer.from([0x77, 0x4f, 0x46, 0x32]),
  );
  writeFileSync(path.join(dist, 'assets', 'hash-wasm-1.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
  writeFileSync(path.join(dist, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(dist, 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(path.join(dist, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
  writeFileSync(path.join(dist, 'manifest.webmanifest'), '{"name":"Peerboard"}');
  writeFileSync(path.join(dist, 'data.json'), '{"a":1}');
  symlinkSync(path.join(tmp, 'secret.txt'), path.join(dist, 'link.txt'));
  srv = await startTestServer({ staticDir: dist });
  port = srv.server.port;
});
afterAll(async () => {
  await srv.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('http', () => {
  it('GET /healthz reports status, connections and rooms', async () => {
    const before = await request(port, '/healthz');
    expect(before.status).toBe(200);
    expect(before.headers['content-type']).toBe('application/json');
    expect(JSON.parse(before.body.toString())).toEqual({ status: 'ok', connections: 0, rooms: 0 });
    const a = await joinedClient(srv.wsUrl, 'health');
    const b = await joinedClient(srv.wsUrl, 'health-2');
    const during = JSON.parse((await request(port, '/healthz')).body.toString());
    expect(during).toEqual({ status: 'ok', connections: 2, rooms: 2 });
    await a.c.close();
    await b.c.close();
  });

  it('GET /metrics is Prometheus text with every series', async () => {
    const a = await joinedClient(srv.wsUrl, 'metrics');
    const b = await joinedClient(srv.wsUrl, 'metrics');
    a.c.signal(b.id, new Uint8Array([1, 2, 3]));
    await b.c.next('signal');
    a.c.send('nope');
    await a.c.next('error');
    const res = await request(port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = res.body.toString();
    expect(m).toContain('# TYPE peerboard_messages_relayed_total counter');
    expect(metricValue(m, 'peerboard_connections')).toBe(2);
    expect(metricValue(m, 'peerboard_rooms')).toBe(1);
    expect(metricValue(m, 'peerboard_messages_relayed_total')).toBe(1);
    expect(metricValue(m, 'peerboard_messages_rejected_total{reason="bad_json"}')).toBe(1);
    for (const reason of ['rate_limited', 'too_big', 'no_such_peer', 'hello_first'])
      expect(metricValue(m, `peerboard_messages_rejected_total{reason="${reason}"}`)).toBe(0);
    for (const reason of ['client', 'too_big', 'rate_limited', 'slow_consumer', 'shutdown'])
      expect(m).toContain(`peerboard_connections_closed_total{reason="${reason}"}`);
    await a.c.close();
    await b.c.close();
  });

  it.each([
    ['/assets/index-abc123.js', 'text/javascript; charset=utf-8'],
    ['/assets/index-def456.css', 'text/css; charset=utf-8'],
    ['/assets/inter-789.woff2', 'font/woff2'],
    ['/assets/hash-wasm-1.wasm', 'application/wasm'],
    ['/logo.svg', 'image/svg+xml'],
    ['/icon.png', 'image/png'],
    ['/favicon.ico', 'image/x-icon'],
    ['/manifest.webmanifest', 'application/manifest+json'],
    ['/data.json', 'application/json'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/', 'text/html; charset=utf-8'],
  ])('serves %s as %s', async (p, type) => {
    const res = await request(port, p);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('caches hashed assets forever and revalidates index.html', async () => {
    const asset = await request(port, '/assets/index-def456.css');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const p of ['/', '/index.html', '/r/some-room']) {
      const res = await request(port, p);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body.toString()).toBe(INDEX);
    }
  });

  it('serves gzip to clients that accept it, identical bytes otherwise', async () => {
    const plain = await request(port, '/assets/index-abc123.js');
    expect(plain.body.toString()).toBe(bigJs);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gz = await request(port, '/assets/index-abc123.js', {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gz.body.length).toBeLessThan(bigJs.length / 10);
    expect(gunzipSync(gz.body).toString()).toBe(bigJs);
  });

  it('falls back to index.html for room URLs and other non-file paths', async () => {
    for (const p of ['/r/abc-DEF_123', '/r/x?ref=qr', '/some/client/route', '/ws-not-upgrade/x']) {
      const res = await request(port, p);
      expect(res.status, p).toBe(200);
      expect(res.body.toString()).toBe(INDEX);
    }
    expect((await request(port, '/assets/missing-000.js')).status).toBe(404);
    expect((await request(port, '/nothing.png')).status).toBe(404);
  });

  it('answers methods other than GET and HEAD with 405', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await request(port, '/index.html', { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
    expect((await request(port, '/healthz')).status).toBe(200);
  });

  it.each([
    '/../secret.txt',
    '/../package.json',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/..%2fpackage.json',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/%252e%252e/secret.txt',
    '//secret.txt',
    '/link.txt',
    '/%00/../secret.txt',
    '/%',
  ])('never serves a file outside the directory: %s', async (p) => {
    const res = await request(port, p);
    expect([200, 400, 404]).toContain(res.status);
    expect(res.body.toString()).not.toContain(SECRET);
    if (res.status === 200) expect(res.body.toString()).toBe(INDEX);
  });
});

describe('http without a built client', () => {
  it('serves a placeholder page that says how to build the client', async () => {
    const s = await startTestServer({ staticDir: path.join(os.tmpdir(), 'peerboard-no-such-dir') });
    try {
      for (const p of ['/', '/r/room']) {
        const res = await request(s.server.port, p);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.body.toString()).toContain('pnpm --filter @peerboard/web build');
      }
      expect((await request(s.server.port, '/healthz')).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
