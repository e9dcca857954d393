/**
 * Two homes behind NAT routers and a server on "the internet", as network namespaces (root,
 * `ip` and `nft`; nothing leaves the machine). The team's tools/netns-topology.sh and
 * signal-server/test/kit/netns.ts give hosts that cannot reach each other at all; here they can,
 * but only the way two home networks can:
 *
 *   pa 10.77.11.2 --- na 10.77.11.1 | 10.77.1.2 --- srv 10.77.1.1
 *                                                   srv 10.77.2.1 --- 10.77.2.2 | 10.77.12.1 nb --- pb 10.77.12.2
 *
 * na and nb masquerade whatever leaves their WAN side (nft), so pa and pb never see each other's
 * own addresses, only the routers' mappings a STUN server reports. srv forwards between the two
 * WANs (the internet) and is where the relay and coturn run; it has no route to 10.77.11.0/24 or
 * 10.77.12.0/24. `dropUdp(true)` makes srv drop forwarded UDP between the homes (networks that
 * block a direct WebRTC path); traffic to srv itself (relay, STUN, TURN) still passes.
 * Names are unique to this run; `down()` kills what `spawnIn` started and deletes everything.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const SRV = '10.77.1.1';
export const SRV_B = '10.77.2.1';
export const NA_WAN = '10.77.1.2';
export const NB_WAN = '10.77.2.2';
export const PA = '10.77.11.2';
export const PB = '10.77.12.2';

export type NatHost = 'srv' | 'na' | 'nb' | 'pa' | 'pb';

export interface NatNetwork {
  readonly names: Readonly<Record<NatHost, string>>;
  spawnIn(host: NatHost, command: string, args: string[], options?: SpawnOptions): ChildProcess;
  /** srv drops (true) or forwards (false) UDP between the two homes */
  dropUdp(drop: boolean): void;
  /** the router's NAT table: which inside address:port it mapped to which outside one */
  conntrack(host: 'na' | 'nb'): string;
  down(): void;
}

const run = (cmd: string, args: string[], input?: string) =>
  execFileSync(cmd, args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();

export function natNetworkUp(): NatNetwork {
  const id = 'nt' + randomBytes(3).toString('hex'); // veth names: at most 15 characters
  const names: Record<NatHost, string> = {
    srv: `${id}-srv`,
    na: `${id}-na`,
    nb: `${id}-nb`,
    pa: `${id}-pa`,
    pb: `${id}-pb`,
  };
  const children = new Set<ChildProcess>();
  const ns = (host: NatHost, cmd: string, args: string[], input?: string) =>
    run('ip', ['netns', 'exec', names[host], cmd, ...args], input);
  const ipIn = (host: NatHost, ...args: string[]) => ns(host, 'ip', args);
  let isDown = false;

  const down = () => {
    if (isDown) return;
    isDown = true;
    process.off('exit', down);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const n of Object.values(names)) {
      try {
        run('ip', ['netns', 'del', n]);
      } catch {
        // not created (setup failed half-way)
      }
    }
  };
  process.on('exit', down);

  /** a veth pair between two hosts, addresses /24 */
  const wire = (a: NatHost, aIp: string, b: NatHost, bIp: string, tag: string) => {
    const [ea, eb] = [`${id}${tag}1`, `${id}${tag}2`];
    run('ip', ['link', 'add', ea, 'type', 'veth', 'peer', 'name', eb]);
    run('ip', ['link', 'set', ea, 'netns', names[a]]);
    run('ip', ['link', 'set', eb, 'netns', names[b]]);
    ipIn(a, 'addr', 'add', `${aIp}/24`, 'dev', ea);
    ipIn(b, 'addr', 'add', `${bIp}/24`, 'dev', eb);
    ipIn(a, 'link', 'set', ea, 'up');
    ipIn(b, 'link', 'set', eb, 'up');
    return { ea, eb };
  };

  try {
    for (const host of Object.keys(names) as NatHost[]) {
      run('ip', ['netns', 'add', names[host]]);
      ipIn(host, 'link', 'set', 'lo', 'up');
    }
    const wanA = wire('na', NA_WAN, 'srv', SRV, 'a').ea;
    const wanB = wire('nb', NB_WAN, 'srv', SRV_B, 'b').ea;
    wire('pa', PA, 'na', '10.77.11.1', 'c');
    wire('pb', PB, 'nb', '10.77.12.1', 'd');
    ipIn('pa', 'route', 'add', 'default', 'via', '10.77.11.1');
    ipIn('pb', 'route', 'add', 'default', 'via', '10.77.12.1');
    ipIn('na', 'route', 'add', 'default', 'via', SRV);
    ipIn('nb', 'route', 'add', 'default', 'via', SRV_B);
    for (const host of ['srv', 'na', 'nb'] as const)
      ns(host, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    for (const [host, wan] of [
      ['na', wanA],
      ['nb', wanB],
    ] as const)
      ns(
        host,
        'nft',
        ['-f', '-'],
        `table ip nat {\n chain postnat {\n  type nat hook postrouting priority srcnat; policy accept;\n` +
          `  oifname "${wan}" masquerade\n }\n}\n` +
          // A home router's firewall: nothing unsolicited from outside. Dropped before conntrack
          // confirms it, an early packet of the other side's hole punching leaves no entry that
          // would make the router map our own outgoing packet to another port.
          `table ip firewall {\n chain inbound {\n  type filter hook input priority 0; policy accept;\n` +
          `  iifname "${wan}" ct state new drop\n }\n` +
          ` chain forwarding {\n  type filter hook forward priority 0; policy accept;\n` +
          `  iifname "${wan}" ct state new drop\n }\n}\n`,
      );
    ns(
      'srv',
      'nft',
      ['-f', '-'],
      'table ip blocking {\n chain forwarding {\n  type filter hook forward priority 0; policy accept;\n }\n}\n',
    );
  } catch (e) {
    down();
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(
      `could not build the NAT test network (needs root, "ip netns" and "nft" — Debian package ` +
        `nftables): ${(e as Error).message} ${stderr}`,
    );
  }

  return {
    names,
    spawnIn(host, command, args, options = {}) {
      const child = spawn('ip', ['netns', 'exec', names[host], command, ...args], options);
      children.add(child);
      return child;
    },
    dropUdp(drop) {
      ns('srv', 'nft', ['flush', 'chain', 'ip', 'blocking', 'forwarding']);
      if (drop)
        ns('srv', 'nft', [
          'add',
          'rule',
          'ip',
          'blocking',
          'forwarding',
          'meta',
          'l4proto',
          'udp',
          'drop',
        ]);
    },
    conntrack: (host) => ns(host, 'cat', ['/proc/net/nf_conntrack']),
    down,
  };
}
