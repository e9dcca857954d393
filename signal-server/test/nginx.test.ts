/**
 * signal-server/deploy/nginx.conf, as shipped, in front of a real relay: nginx (Debian's
 * /usr/sbin/nginx, on loopback ports, its own prefix) terminates TLS and proxies the app and the
 * /ws WebSocket; with TRUST_PROXY=127.0.0.1 the relay counts each client by the address nginx
 * puts in X-Forwarded-For, not by nginx's own address, and a header a client writes itself does
 * not change what it is counted as.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLOSE } from '@peerboard/protocol';
import { connect, httpRequest, startTestServer, type TestServer } from './helpers';
import { makeTestCertificate, type TestCertificate } from './kit/certs';
import { SERVER_DIR } from './kit/serverProcess';

const SHIPPED = path.join(SERVER_DIR, 'deploy', 'nginx.conf');

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** the shipped file with only its site values replaced; each must be found exactly once */
function siteConfig(o: {
  tlsPort: number;
  httpPort: number;
  relayPort: number;
  cert: TestCertificate;
}) {
  let text = readFileSync(SHIPPED, 'utf8');
  const swaps: [string, string][] = [
    ['listen 443 ssl;', `listen 127.0.0.1:${o.tlsPort} ssl;`],
    ['listen 80;', `listen 127.0.0.1:${o.httpPort};`],
    ['server 127.0.0.1:8080;', `server 127.0.0.1:${o.relayPort};`],
    ['/etc/letsencrypt/live/peerboard.example.org/fullchain.pem', o.cert.certFile],
    ['/etc/letsencrypt/live/peerboard.example.org/privkey.pem', o.cert.keyFile],
  ];
  for (const [from, to] of swaps) {
    if (text.split(from).length !== 2) throw new Error(`${SHIPPED}: "${from}" not found once`);
    text = text.replace(from, to);
  }
  return text;
}

function httpsGet(port: number, urlPath: string, ca: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port, path: urlPath, ca, servername: 'localhost' }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        })
        .on('error', reject);
    },
  );
}

describe('behind nginx (deploy/nginx.conf)', () => {
  let relay: TestServer;
  let nginx: ChildProcess;
  let dir: string;
  let cert: TestCertificate;
  let tlsPort: number;
  let httpPort: number;
  let ca: string;
  let nginxLog = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'peerboard-nginx-'));
    const site = path.join(dir, 'site');
    writeFileSync(
      path.join(dir, 'index.html'),
      '<!doctype html><title>via nginx</title><h1>hi</h1>',
    );
    relay = await startTestServer({
      staticDir: dir,
      trustProxy: ['127.0.0.1'],
      perAddress: { maxConnections: 1 },
    });
    cert = makeTestCertificate({ ips: ['127.0.0.1'], dnsNames: ['localhost'] });
    ca = readFileSync(cert.certFile, 'utf8');
    [tlsPort, httpPort] = [await freePort(), await freePort()];
    writeFileSync(
      site + '.conf',
      siteConfig({ tlsPort, httpPort, relayPort: relay.server.port, cert }),
    );
    const main = path.join(dir, 'nginx.conf');
    writeFileSync(
      main,
      `pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_processes 1;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  include ${site}.conf;
}
`,
    );
    nginx = spawn('/usr/sbin/nginx', ['-c', main, '-p', dir, '-g', 'daemon off;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    nginx.stderr?.on('data', (d: Buffer) => (nginxLog += d.toString()));
    await vi.waitFor(
      async () => {
        if (nginx.exitCode !== null) throw new Error(`nginx exited: ${nginxLog}`);
        expect((await httpsGet(tlsPort, '/healthz', ca)).status).toBe(200);
      },
      { timeout: 15_000, interval: 100 },
    );
  }, 60_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx.on('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await relay?.close();
    cert?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the app over https with the relay's security headers, and redirects http to https", async () => {
    const page = await httpsGet(tlsPort, '/r/some-room', ca);
    expect(page.status).toBe(200);
    expect(page.body).toContain('via nginx');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
    expect((await httpsGet(tlsPort, '/metrics', ca)).status).toBe(404);
    const plain = await httpRequest(httpPort, '/r/some-room', { headers: { Host: 'localhost' } });
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe('https://localhost/r/some-room');
  });

  it('proxies the WebSocket: two clients meet in a room and relay a signal through nginx', async () => {
    const wss = `wss://localhost:${tlsPort}/ws`;
    const a = await connect(wss, { ca, localAddress: '127.0.0.2' });
    const b = await connect(wss, { ca, localAddress: '127.0.0.3' });
    const aId = await a.hello();
    await b.hello();
    await a.join('behind-nginx');
    await b.join('behind-nginx');
    b.signal(aId, new TextEncoder().encode('offer via nginx'));
    const got = await a.next('signal');
    expect(new TextDecoder().decode(got.payload)).toBe('offer via nginx');
    await a.close();
    await b.close();
  });

  it('counts clients by their own address (X-Forwarded-For from nginx), not a header they send', async () => {
    const wss = `wss://localhost:${tlsPort}/ws`;
    // MAX_CONNECTIONS_PER_IP is 1 here
    const first = await connect(wss, { ca, localAddress: '127.0.0.2' });
    await first.hello();
    const second = await connect(wss, { ca, localAddress: '127.0.0.2' });
    expect((await second.closed).code).toBe(CLOSE.tooManyFromAddress);
    // another machine is not nginx's 127.0.0.1 shared by all: it gets its own connection, even
    // while claiming to be the full address 127.0.0.2 (nginx appends the real one, the relay
    // takes the right-most untrusted entry)
    const other = await connect(wss, {
      ca,
      localAddress: '127.0.0.3',
      headers: { 'X-Forwarded-For': '127.0.0.2' },
    });
    await other.hello();
    expect(other.ws.readyState).toBe(other.ws.OPEN);
    await first.close();
    await other.close();
  });
});
