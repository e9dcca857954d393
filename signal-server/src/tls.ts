/**
 * HTTPS + WSS on the relay's own port (uWS SSLApp). uWS reads the files itself and, when they are
 * wrong, fails with a bare "App construction failed" or, worse, serves nothing; so every file is
 * read and checked here first (node:crypto X509Certificate / createPrivateKey) and a problem is
 * an Error naming the variable, the file and what is wrong, which main.ts prints before exit 1.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppOptions, TemplatedApp } from 'uWebSockets.js';
import { ConfigError, type Env } from './env';
import type { Uws } from './native';

export interface TlsConfig {
  /** TLS_CERT_FILE: PEM certificate, optionally followed by its chain (fullchain.pem) */
  certFile: string;
  /** TLS_KEY_FILE: PEM private key */
  keyFile: string;
  /** TLS_CA_FILE: intermediate certificates sent after the certificate (PEM), if separate */
  caFile: string | null;
  /** TLS_KEY_PASSPHRASE: for an encrypted key */
  passphrase: string | null;
}

export interface CheckedTls {
  /** SSLApp options (files as uWS wants them) */
  options: AppOptions;
  certificate: X509Certificate;
  /** removes the temporary chain file, if one was written; call once the app is built */
  cleanup(): void;
}

export function readTls(env: Env): TlsConfig | null {
  const certFile = env.TLS_CERT_FILE?.trim() ?? '';
  const keyFile = env.TLS_KEY_FILE?.trim() ?? '';
  const caFile = env.TLS_CA_FILE?.trim() ?? '';
  const passphrase = env.TLS_KEY_PASSPHRASE ?? '';
  if (certFile === '' && keyFile === '') {
    if (caFile !== '' || passphrase !== '')
      throw new ConfigError(
        'TLS_CA_FILE and TLS_KEY_PASSPHRASE need TLS_CERT_FILE and TLS_KEY_FILE',
      );
    return null;
  }
  if (certFile === '' || keyFile === '')
    throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  return {
    certFile: path.resolve(certFile),
    keyFile: path.resolve(keyFile),
    caFile: caFile === '' ? null : path.resolve(caFile),
    passphrase: passphrase === '' ? null : passphrase,
  };
}

function readPem(name: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${name} ${file} cannot be read: ${(e as Error).message}`);
  }
  return text;
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function parseCertificates(name: string, file: string, pem: string): X509Certificate[] {
  const blocks = pem.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0)
    throw new Error(`${name} ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (e) {
      throw new Error(`${name} ${file}: certificate ${i + 1} is damaged: ${(e as Error).message}`);
    }
  });
}

function parseKey(file: string, pem: string, passphrase: string | null): KeyObject {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
    throw new Error(`TLS_KEY_FILE ${file} holds no PEM private key (-----BEGIN PRIVATE KEY-----)`);
  const encrypted = /ENCRYPTED/.test(pem);
  if (encrypted && passphrase === null)
    throw new Error(`TLS_KEY_FILE ${file} is encrypted: set TLS_KEY_PASSPHRASE`);
  try {
    return createPrivateKey(
      passphrase === null ? { key: pem, format: 'pem' } : { key: pem, format: 'pem', passphrase },
    );
  } catch (e) {
    throw new Error(
      encrypted
        ? `TLS_KEY_FILE ${file} could not be decrypted with TLS_KEY_PASSPHRASE`
        : `TLS_KEY_FILE ${file} is not a usable private key: ${(e as Error).message}`,
    );
  }
}

/** Reads and checks the certificate and key; throws an Error saying what is wrong. */
export function checkTls(tls: TlsConfig, now = new Date()): CheckedTls {
  const certPem = readPem('TLS_CERT_FILE', tls.certFile);
  const keyPem = readPem('TLS_KEY_FILE', tls.keyFile);
  const [certificate, ...chain] = parseCertificates('TLS_CERT_FILE', tls.certFile, certPem);
  if (certificate === undefined) throw new Error('unreachable: no certificate');
  const caPem = tls.caFile === null ? null : readPem('TLS_CA_FILE', tls.caFile);
  if (caPem !== null && tls.caFile !== null)
    chain.push(...parseCertificates('TLS_CA_FILE', tls.caFile, caPem));
  const key = parseKey(tls.keyFile, keyPem, tls.passphrase);
  if (!certificate.checkPrivateKey(key))
    throw new Error(
      `TLS_KEY_FILE ${tls.keyFile} does not belong to the certificate in TLS_CERT_FILE ${tls.certFile}`,
    );
  if (new Date(certificate.validTo) < now)
    throw new Error(
      `the certificate in TLS_CERT_FILE ${tls.certFile} expired on ${certificate.validTo}`,
    );
  if (new Date(certificate.validFrom) > now)
    throw new Error(
      `the certificate in TLS_CERT_FILE ${tls.certFile} is not valid before ${certificate.validFrom}`,
    );

  const options: AppOptions = { key_file_name: tls.keyFile, cert_file_name: tls.certFile };
  if (tls.passphrase !== null) options.passphrase = tls.passphrase;
  let cleanup = () => {};
  if (caPem !== null) {
    // uWS sends the chain of its certificate file (and its own ca_file_name asks *clients* for
    // certificates), so a separate chain is joined to the certificate in a private temp file.
    const dir = mkdtempSync(path.join(tmpdir(), 'peerboard-tls-'));
    const joined = path.join(dir, 'fullchain.pem');
    writeFileSync(joined, `${certPem.trim()}\n${caPem.trim()}\n`, { mode: 0o600 });
    options.cert_file_name = joined;
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  }
  return { options, certificate, cleanup };
}

/** App, or SSLApp with checked files (a bad file is a clear Error here, not a uWS mystery). */
export function makeApp(uws: Uws, tls: TlsConfig | null): TemplatedApp {
  if (tls === null) return uws.App();
  const checked = checkTls(tls);
  try {
    return uws.SSLApp(checked.options);
  } catch (e) {
    throw new Error(
      `TLS: uWebSockets.js refused the certificate or key (${(e as Error).message}); ` +
        'check that both are PEM files for the same key',
    );
  } finally {
    checked.cleanup(); // uWS has read the files
  }
}
