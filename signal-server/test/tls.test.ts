/**
 * TLS on the relay's own port (TLS_CERT_FILE / TLS_KEY_FILE [/ TLS_CA_FILE / TLS_KEY_PASSPHRASE]):
 * HTTPS and WSS through uWS SSLApp, with certificates the test makes; every bad file stops the
 * server with a message naming the variable and exit code 1 instead of a silent or vague failure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { checkTls, type TlsConfig } from '../src/tls';
import { connect, startTestServer } from './helpers';
import { makeTestCertificate, makeTestChain } from './kit/certs';
import { killServers, spawnServer } from './kit/serverProcess';

/** GET over https trusting only `ca` (PEM); the status and body */
function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

const tlsOf = (c: { certFile: string; keyFile: string }, more: Partial<TlsConfig> = {}) => ({
  certFile: c.certFile,
  keyFile: c.keyFile,
  caFile: null,
  passphrase: null,
  ...more,
});

const made: { remove(): void }[] = [];
const track = <T extends { remove(): void }>(c: T): T => (made.push(c), c);
afterAll(() => made.forEach((c) => c.remove()));
afterEach(killServers);

describe('HTTPS + WSS on one port', () => {
  it('serves /healthz over https and a protocol session over wss, to a client trusting the cert', async () => {
    const cert = track(makeTestCertificate());
    const s = await startTestServer({ tls: tlsOf(cert) });
    try {
      const ca = readFileSync(cert.certFile, 'utf8');
      const health = await httpsGet(`https://127.0.0.1:${s.server.port}/healthz`, ca);
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
      const c = await connect(`wss://127.0.0.1:${s.server.port}/ws`, { ca });
      await c.hello();
      expect((await c.join('tls-room')).room).toBe('tls-room');
      await c.close();
      // plain http on the TLS port gets no answer from the app
      await expect(fetch(`http://127.0.0.1:${s.server.port}/healthz`)).rejects.toThrow();
    } finally {
      await s.close();
    }
  });

  it('opens an encrypted key with TLS_KEY_PASSPHRASE', async () => {
    const cert = track(makeTestCertificate({ passphrase: 'correct horse' }));
    const s = await startTestServer({ tls: tlsOf(cert, { passphrase: 'correct horse' }) });
    try {
      const ca = readFileSync(cert.certFile, 'utf8');
      expect((await httpsGet(`https://localhost:${s.server.port}/healthz`, ca)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('sends the intermediate from TLS_CA_FILE, so a client trusting only the root accepts it', async () => {
    const chain = track(makeTestChain());
    const root = readFileSync(chain.rootFile, 'utf8');
    const without = await startTestServer({ tls: tlsOf(chain) });
    try {
      // the same server certificate without its intermediate: the client cannot verify it
      await expect(
        httpsGet(`https://127.0.0.1:${without.server.port}/healthz`, root),
      ).rejects.toThrow(/unable to (get|verify)/);
    } finally {
      await without.close();
    }
    const s = await startTestServer({ tls: tlsOf(chain, { caFile: chain.intermediateFile }) });
    try {
      expect((await httpsGet(`https://127.0.0.1:${s.server.port}/healthz`, root)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('bad certificate files: a clear message, no server', () => {
  const a = track(makeTestCertificate());
  const b = track(makeTestCertificate());
  const locked = track(makeTestCertificate({ passphrase: 'right' }));
  const garbage = path.join(a.dir, 'garbage.pem');
  writeFileSync(garbage, 'this is not a certificate\n');

  it.each([
    ['a missing certificate', tlsOf({ certFile: '/nonexistent/c.pem', keyFile: a.keyFile }), /TLS_CERT_FILE \/nonexistent\/c.pem cannot be read: ENOENT/],
    ['a file that is no certificate', tlsOf({ certFile: garbage, keyFile: a.keyFile }), /TLS_CERT_FILE .*garbage.pem holds no PEM certificate/],
    ['a file that is no key', tlsOf({ certFile: a.certFile, keyFile: garbage }), /TLS_KEY_FILE .*garbage.pem holds no PEM private key/],
    ["another certificate's key", tlsOf({ certFile: a.certFile, keyFile: b.keyFile }), /TLS_KEY_FILE .* does not belong to the certificate/],
    ['an encrypted key without passphrase', tlsOf(locked), /is encrypted: set TLS_KEY_PASSPHRASE/],
    ['a wrong passphrase', tlsOf(locked, { passphrase: 'wrong' }), /could not be decrypted with TLS_KEY_PASSPHRASE/],
  ])('refuses %s', async (_what, tls, message) => {
    await expect(startTestServer({ tls })).rejects.toThrow(message);
  }); // prettier-ignore

  it('refuses a certificate that has expired (checked against the clock)', () => {
    expect(() => checkTls(tlsOf(a), new Date('2100-01-01'))).toThrow(
      /certificate in TLS_CERT_FILE .* expired on/,
    );
    expect(checkTls(tlsOf(a)).certificate.subject).toContain('peerboard test');
  });

  it('main exits 1 with the message on stderr and never logs "listening"', async () => {
    const p = spawnServer({ env: { TLS_CERT_FILE: a.certFile, TLS_KEY_FILE: b.keyFile } });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain('does not belong to the certificate in TLS_CERT_FILE');
    expect(p.stdout()).not.toContain('"msg":"listening"');
  });

  it('main exits 1 when only one of the two files is set', async () => {
    const p = spawnServer({ env: { TLS_CERT_FILE: a.certFile } });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  });
});
