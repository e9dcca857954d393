/** Certificates made by the test with openssl, in a temp folder. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestCertificate {
  dir: string;
  certFile: string;
  keyFile: string;
  remove(): void;
}

const openssl = (args: string[]) =>
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

function sanList(o: { ips?: string[]; dnsNames?: string[] }): string {
  return [
    ...(o.dnsNames ?? ['localhost']).map((d) => `DNS:${d}`),
    ...(o.ips ?? ['127.0.0.1']).map((ip) => `IP:${ip}`),
  ].join(',');
}

/**
 * A self-signed certificate for `ips` and `dnsNames` (SANs). `passphrase`: the key file is
 * encrypted with it.
 */
export function makeTestCertificate(
  o: { ips?: string[]; dnsNames?: string[]; passphrase?: string } = {},
): TestCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), 'peerboard-cert-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  openssl([
    'req', '-x509', ...EC_KEY, '-days', '2', '-subj', '/CN=peerboard test',
    '-addext', `subjectAltName=${sanList(o)}`, '-keyout', keyFile, '-out', certFile,
    ...(o.passphrase === undefined ? ['-nodes'] : ['-passout', `pass:${o.passphrase}`]),
  ]); // prettier-ignore
  return { dir, certFile, keyFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestChain extends TestCertificate {
  /** the root a client trusts */
  rootFile: string;
  /** the intermediate that signed certFile (the server must send it) */
  intermediateFile: string;
}

/** root -> intermediate -> server certificate for 127.0.0.1 / localhost. */
export function makeTestChain(): TestChain {
  const dir = mkdtempSync(path.join(tmpdir(), 'peerboard-chain-'));
  const f = (name: string) => path.join(dir, name);
  writeFileSync(f('ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n');
  writeFileSync(f('leaf.ext'), `subjectAltName=${sanList({})}\nextendedKeyUsage=serverAuth\n`);
  const sign = (name: string, by: string, ext: string) => {
    openssl(['req', '-new', ...EC_KEY, '-nodes', '-subj', `/CN=test ${name}`,
      '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`)]); // prettier-ignore
    openssl(['x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${by}.pem`),
      '-CAkey', f(`${by}.key`), '-CAcreateserial', '-days', '2', '-extfile', f(ext),
      '-out', f(`${name}.pem`)]); // prettier-ignore
  };
  openssl(['req', '-x509', ...EC_KEY, '-nodes', '-days', '2', '-subj', '/CN=test root',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign',
    '-keyout', f('root.key'), '-out', f('root.pem')]); // prettier-ignore
  sign('intermediate', 'root', 'ca.ext');
  sign('server', 'intermediate', 'leaf.ext');
  return {
    dir,
    certFile: f('server.pem'),
    keyFile: f('server.key'),
    rootFile: f('root.pem'),
    intermediateFile: f('intermediate.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
