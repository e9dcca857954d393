/** Where people can open the app: the URLs the start-up line and the LAN banner print. */
import os from 'node:os';

/** This machine's non-internal IPv4 addresses, in interface order (what a LAN peer can reach). */
export function lanAddresses(ifaces = os.networkInterfaces()): string[] {
  const out: string[] = [];
  for (const list of Object.values(ifaces)) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal && !out.includes(a.address)) out.push(a.address);
    }
  }
  return out;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

const hostInUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

/**
 * URLs for a server listening on host:port: for a wildcard host, localhost first, then every
 * LAN address; otherwise the host itself.
 */
export function listenUrls(
  host: string,
  port: number,
  scheme: 'http' | 'https',
  addresses: string[],
): string[] {
  const hosts = WILDCARD.has(host) ? ['localhost', ...addresses] : [host];
  return hosts.map((h) => `${scheme}://${hostInUrl(h)}:${port}`);
}
