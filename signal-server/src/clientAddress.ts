/**
 * Which client a connection counts against. By default the TCP peer address; X-Forwarded-For
 * only when TRUST_PROXY lists the TCP peer (a client that is not a trusted proxy could write any
 * header it likes). Pure: server.ts passes the socket address and the header in.
 */
import net from 'node:net';

export interface TrustedProxies {
  /** true when `address` (normalized) is one of the configured proxies or inside their CIDRs */
  has(address: string): boolean;
  readonly size: number;
}

/**
 * One spelling per address: uWS reports IPv4 clients of a dual-stack socket as IPv4-mapped
 * IPv6 (sometimes fully expanded), proxies may write either. Returns null for a non-address.
 */
export function normalizeAddress(raw: string): string | null {
  let a = raw.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const family = net.isIP(a);
  if (family === 4) return a;
  if (family !== 6) return null;
  const canonical = new net.SocketAddress({ address: a, family: 'ipv6' }).address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(canonical);
  return mapped ? mapped[1]! : canonical;
}

/** Parses TRUST_PROXY entries (addresses or CIDRs); throws Error naming the bad entry. */
export function makeTrustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new net.BlockList();
  for (const entry of entries) {
    const [addr = '', bits, ...rest] = entry.split('/');
    const ip = normalizeAddress(addr);
    if (ip === null || rest.length > 0) throw new Error(`not an IP address or CIDR: "${entry}"`);
    const family = net.isIPv4(ip) ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      list.addAddress(ip, family);
      continue;
    }
    const prefix = /^\d{1,3}$/.test(bits) ? Number(bits) : -1;
    if (prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128))
      throw new Error(`bad CIDR prefix length: "${entry}"`);
    list.addSubnet(ip, prefix, family);
  }
  return {
    size: entries.length,
    has(address) {
      if (entries.length === 0) return false;
      return list.check(address, net.isIPv4(address) ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client address for a connection from TCP peer `peer` carrying `forwardedFor` (the
 * X-Forwarded-For header, '' if absent). Walks the chain from the right: each trusted proxy
 * vouches for the address to its left; the first address that is not a trusted proxy is the
 * client. Entries further left were written by the client itself and are never used.
 */
export function resolveClientAddress(
  peer: string,
  forwardedFor: string,
  trusted: TrustedProxies,
): string {
  const self = normalizeAddress(peer) ?? peer;
  if (!trusted.has(self) || forwardedFor === '') return self;
  let nearest = self;
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]!);
    // A malformed entry from a trusted proxy: count the connection against that proxy rather
    // than against a string the client may have chosen.
    if (hop === null) return nearest;
    if (!trusted.has(hop)) return hop;
    nearest = hop;
  }
  return nearest; // every hop is a proxy (e.g. a health check from inside the network)
}

/**
 * The key the per-client caps count under. An IPv6 subscriber usually holds a whole /64, so
 * counting single IPv6 addresses would let one client multiply its caps by 2^64.
 */
export function limitKey(address: string): string {
  if (!address.includes(':')) return address;
  const groups = new net.SocketAddress({ address, family: 'ipv6' }).address;
  const full = expandIpv6(groups);
  return `${full.slice(0, 4).join(':')}::/64`;
}

function expandIpv6(a: string): string[] {
  const [head = '', tail] = a.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...(tail === undefined ? [] : zeros), ...right];
}
