/**
 * POST /share-target without a service worker: the installed app's share target normally never
 * reaches the server (the service worker takes it); when it does, the server answers with a
 * plain page saying what to do, reads nothing, and keeps serving on the same connection.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src/securityHeaders';
import { startTestServer, type TestServer } from './helpers';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({});
});
afterAll(async () => {
  await srv.close();
});

const BOUNDARY = 'peerboardtestboundary';
function multipart(fileBytes: number): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="photo.jpg"\r\n` +
        'Content-Type: image/jpeg\r\n\r\n',
    ),
    Buffer.alloc(fileBytes, 0x5a),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

function post(
  agent: http.Agent,
  body: Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: srv.server.port,
        path: '/share-target',
        method: 'POST',
        agent,
        headers: {
          'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
          'Content-Length': String(body.length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('POST /share-target without a service worker', () => {
  it('answers a plain page (strict CSP) saying what to do, for small and large shares', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (const size of [10, 3 * 1024 * 1024]) {
      const res = await post(agent, multipart(size));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('Share to Peerboard needs the app in this browser');
      expect(res.text).toContain('open the\nroom you want, then share again');
    }
    // the server still answers afterwards (the body it did not read broke nothing)
    const health = await fetch(`http://127.0.0.1:${srv.server.port}/healthz`);
    expect(health.status).toBe(200);
    agent.destroy();
  });

  it('still refuses other methods on the share path and POST elsewhere', async () => {
    const other = await fetch(`http://127.0.0.1:${srv.server.port}/share-target`, {
      method: 'PUT',
    });
    expect(other.status).toBe(405);
    const elsewhere = await fetch(`http://127.0.0.1:${srv.server.port}/r/abc`, { method: 'POST' });
    expect(elsewhere.status).toBe(405);
  });
});
