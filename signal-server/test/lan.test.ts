/**
 * LAN mode (LAN=1 / --lan): a self-signed certificate for this machine's addresses, kept in the
 * data dir and remade when it no longer fits; HTTPS on every address; the URLs and a QR code at
 * the terminal. The process test runs the server in the test host `srv` (two LAN addresses) and
 * fetches /healthz from `pa`, `pb` and srv's own loopback, trusting only that certificate.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startupBanner } from '../src/banner';
import { configFromEnv } from '../src/config';
import { certificateIps, ensureLanCertificate } from '../src/lan';
import { netnsUp, SRV_A, SRV_B, type Host, type Topology } from './kit/netns';
import { killServers, spawnServer } from './kit/serverProcess';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'peerboard-lan-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
afterEach(killServers);

describe('LAN=1 configuration', () => {
  it('keeps its data in PEERBOARD_DATA_DIR, else $XDG_STATE_HOME/peerboard, else ~/.local/state', () => {
    expect(configFromEnv({ LAN: '1', PEERBOARD_DATA_DIR: '/data/pb' }).lan).toEqual({
      dataDir: '/data/pb',
    });
    expect(configFromEnv({ LAN: '1', XDG_STATE_HOME: '/st' }).lan).toEqual({
      dataDir: '/st/peerboard',
    });
    expect(configFromEnv({ LAN: '1', HOME: '/home/ann' }).lan).toEqual({
      dataDir: '/home/ann/.local/state/peerboard',
    });
    expect(configFromEnv({}).lan).toBeNull();
  });

  it('refuses LAN=1 together with a certificate of its own, and values other than 0/1', () => {
    expect(() => configFromEnv({ LAN: '1', TLS_CERT_FILE: 'c', TLS_KEY_FILE: 'k' })).toThrow(
      /LAN=1 makes its own certificate/,
    );
    expect(() => configFromEnv({ LAN: 'yes' })).toThrow(/LAN must be 0 or 1/);
  });
});

describe('the LAN certificate', () => {
  it('covers localhost and every address, is kept, and is remade when an address is new', async () => {
    const dir = tempDir();
    const first = await ensureLanCertificate(dir, [SRV_A, SRV_B]);
    expect(first.created).toBe(true);
    expect(certificateIps(first.certificate).sort()).toEqual(
      ['::1', '127.0.0.1', SRV_A, SRV_B].sort(),
    );
    expect(first.certificate.subjectAltName).toContain('DNS:localhost');
    expect(statSync(first.tls.keyFile).mode & 0o777).toBe(0o600);

    const again = await ensureLanCertificate(dir, [SRV_A, SRV_B]);
    expect(again.created).toBe(false);
    expect(again.certificate.fingerprint256).toBe(first.certificate.fingerprint256);

    const moved = await ensureLanCertificate(dir, [SRV_A, '10.77.3.3']);
    expect(moved.created).toBe(true);
    expect(certificateIps(moved.certificate)).toContain('10.77.3.3');
    const onDisk = new X509Certificate(readFileSync(moved.tls.certFile));
    expect(onDisk.fingerprint256).toBe(moved.certificate.fingerprint256);
  });

  it('is remade when the stored one is damaged or about to expire', async () => {
    const dir = tempDir();
    const first = await ensureLanCertificate(dir, [SRV_A]);
    const inOneYear = new Date(Date.now() + 370 * 24 * 3600 * 1000);
    const renewed = await ensureLanCertificate(dir, [SRV_A], inOneYear);
    expect(renewed.created).toBe(true);
    writeFileSync(first.tls.certFile, 'damaged');
    expect((await ensureLanCertificate(dir, [SRV_A])).created).toBe(true);
  });
});

describe('the terminal banner', () => {
  it('lists the URLs, shows a QR code of the first network URL and how to pass the warning', async () => {
    const urls = ['https://localhost:8443', `https://${SRV_A}:8443`, `https://${SRV_B}:8443`];
    const text = await startupBanner({ urls, lan: true });
    for (const u of urls) expect(text).toContain(u);
    const qr = await QRCode.toString(urls[1] ?? '', { type: 'terminal', small: true });
    expect(text).toContain(qr.trimEnd());
    expect(text).toContain('self-signed');
    expect(text).toContain('Proceed');
  });

  it('warns that plain http on a network address has no protected rooms or calls', async () => {
    const text = await startupBanner({
      urls: ['http://localhost:8080', 'http://10.0.0.2:8080'],
      lan: false,
    });
    expect(text).toContain('LAN=1');
    const local = await startupBanner({ urls: ['http://127.0.0.1:8080'], lan: false });
    expect(local).not.toContain('LAN=1');
  });
});

/** GET /healthz from inside `host`, trusting only `caFile` (or the system store when null) */
async function healthFrom(net: Topology, host: Host, url: string, caFile: string | null) {
  const script = `
    const https = require('node:https'); const fs = require('node:fs');
    const ca = process.argv[2] === 'none' ? undefined : fs.readFileSync(process.argv[2]);
    https.get(process.argv[1], { ca }, (r) => { let b = ''; r.on('data', (d) => (b += d));
      r.on('end', () => console.log(JSON.stringify({ status: r.statusCode, body: b }))); })
      .on('error', (e) => console.log(JSON.stringify({ error: e.code ?? e.message })));`;
  const child = net.spawnIn(host, process.execPath, ['-e', script, url, caFile ?? 'none'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  return JSON.parse(out) as { status?: number; body?: string; error?: string };
}

describe('LAN mode, as a process on a host with two LAN addresses', () => {
  it('serves https on every listed URL with the kept certificate', async () => {
    const net = netnsUp();
    try {
      const dataDir = tempDir();
      const p = spawnServer({
        args: ['--lan'],
        env: { HOST: '0.0.0.0', PORT: '8443', PEERBOARD_DATA_DIR: dataDir, STATIC_DIR: dataDir },
        spawner: (c, a, o) => net.spawnIn('srv', c, a, o),
      });
      const { urls } = await p.listening(30_000);
      expect(urls).toEqual(
        expect.arrayContaining([
          'https://localhost:8443',
          `https://${SRV_A}:8443`,
          `https://${SRV_B}:8443`,
        ]),
      );
      expect(urls).toHaveLength(3);
      const certFile = path.join(dataDir, 'lan-cert.pem');
      const ips = certificateIps(new X509Certificate(readFileSync(certFile)));
      expect(ips).toEqual(expect.arrayContaining([SRV_A, SRV_B, '127.0.0.1']));

      const fromPa = await healthFrom(net, 'pa', `https://${SRV_A}:8443/healthz`, certFile);
      expect(fromPa.status).toBe(200);
      expect(JSON.parse(fromPa.body ?? '')).toMatchObject({ status: 'ok' });
      expect((await healthFrom(net, 'pb', `https://${SRV_B}:8443/healthz`, certFile)).status).toBe(
        200,
      );
      expect(
        (await healthFrom(net, 'srv', 'https://localhost:8443/healthz', certFile)).status,
      ).toBe(200);
      // it is TLS checked against that certificate: a client that does not trust it refuses
      expect(await healthFrom(net, 'pa', `https://${SRV_A}:8443/healthz`, null)).toEqual({
        error: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      });
      expect(await p.stop()).toBe(0);
    } finally {
      net.down();
    }
  }, 90_000);
});
