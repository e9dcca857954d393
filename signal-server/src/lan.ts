/**
 * LAN mode (LAN=1 / --lan): HTTPS for the machine's own addresses with no domain and no CA, so
 * that phones and laptops on the same network get a secure context (protected rooms, calls).
 * A self-signed certificate for localhost and every LAN address is made once (selfsigned) and
 * kept in the data dir; it is made again when it is missing, damaged, about to expire, or does
 * not cover an address the machine has now (a new Wi-Fi network).
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import type { TlsConfig } from './tls';

export interface LanCertificate {
  tls: TlsConfig;
  certificate: X509Certificate;
  /** true when made by this start (the browsers' warning comes back once per device) */
  created: boolean;
}

const DAY_MS = 24 * 3600 * 1000;
/** browsers refuse server certificates valid for more than 398 days */
const VALID_DAYS = 397;
const RENEW_BEFORE_DAYS = 30;

/** DNS names a LAN peer may use for this machine: localhost, its host name and name.local */
function dnsNames(): string[] {
  const host = os.hostname().toLowerCase();
  const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
  return ['localhost', ...(label.test(host) ? [host, `${host}.local`] : [])];
}

/** IP addresses among a certificate's SANs ("IP Address:10.0.0.2, DNS:localhost") */
export function certificateIps(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('IP Address:'))
    .map((s) => normalizeIp(s.slice('IP Address:'.length)));
}

/** one spelling per address: node prints a certificate's ::1 as 0:0:0:0:0:0:0:1 */
function normalizeIp(ip: string): string {
  return ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

function reusable(
  certFile: string,
  keyFile: string,
  ips: string[],
  now: Date,
): X509Certificate | null {
  try {
    const cert = new X509Certificate(readFileSync(certFile));
    const key = createPrivateKey(readFileSync(keyFile));
    if (!cert.checkPrivateKey(key)) return null;
    if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS) return null;
    const covered = certificateIps(cert);
    return ips.every((ip) => covered.includes(normalizeIp(ip))) ? cert : null;
  } catch {
    return null; // missing or damaged: make a new one
  }
}

export async function ensureLanCertificate(
  dataDir: string,
  addresses: string[],
  now = new Date(),
): Promise<LanCertificate> {
  const certFile = path.join(dataDir, 'lan-cert.pem');
  const keyFile = path.join(dataDir, 'lan-key.pem');
  const tls: TlsConfig = { certFile, keyFile, caFile: null, passphrase: null };
  const ips = ['127.0.0.1', '::1', ...addresses];
  const kept = reusable(certFile, keyFile, ips, now);
  if (kept !== null) return { tls, certificate: kept, created: false };

  const pems = await generate([{ name: 'commonName', value: `Peerboard on ${os.hostname()}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY_MS), // a peer whose clock is a bit behind
    notAfterDate: new Date(now.getTime() + VALID_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...dnsNames().map((value) => ({ type: 2 as const, value })),
          ...ips.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert, { mode: 0o644 });
  return { tls, certificate: new X509Certificate(pems.cert), created: true };
}
