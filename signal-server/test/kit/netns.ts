/**
 * Test hosts that are not this machine: the logic of the team's tools/netns-topology.sh, with
 * names unique to this run (namespaces and veth ends are machine-wide, and other test runs may
 * hold their own) and a teardown that always runs.
 *
 *   srv 10.77.1.1 / 10.77.2.1     pa 10.77.1.2 (link to srv)     pb 10.77.2.2 (link to srv)
 *
 * pa and pb cannot reach each other, only srv; nothing leaves the machine (srv is their default
 * gateway but forwards nothing).
 * Needs root (ip netns). Processes are started inside a host with `spawnIn`; `down()` kills them
 * first, because a namespace lives on while a process is in it.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SRV_A = '10.77.1.1';
export const SRV_B = '10.77.2.1';
export const PA = '10.77.1.2';
export const PB = '10.77.2.2';

export type Host = 'srv' | 'pa' | 'pb';

export interface Topology {
  /** the real namespace name of each host */
  readonly names: Readonly<Record<Host, string>>;
  /** a process whose network is `host`'s (killed by down()) */
  spawnIn(host: Host, command: string, args: string[], options?: SpawnOptions): ChildProcess;
  /**
   * An executable file that runs `command` inside `host` with the arguments it is given: for
   * programs that start a binary themselves (playwright's executablePath).
   */
  wrapper(host: Host, command: string): string;
  /** kills what spawnIn started and deletes the namespaces. Idempotent. */
  down(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const inNs = (ns: string, ...args: string[]) => ip('netns', 'exec', ns, 'ip', ...args);

export function netnsUp(): Topology {
  const id = 'pb' + randomBytes(4).toString('hex').slice(0, 6); // veth names: at most 15 chars
  const names = { srv: `${id}-srv`, pa: `${id}-pa`, pb: `${id}-pb` };
  const children = new Set<ChildProcess>();
  const dir = mkdtempSync(path.join(tmpdir(), 'peerboard-netns-'));
  let isDown = false;

  const down = () => {
    if (isDown) return;
    isDown = true;
    process.off('exit', down);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const ns of Object.values(names)) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // not created (setup failed half-way)
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', down);

  try {
    for (const ns of Object.values(names)) {
      ip('netns', 'add', ns);
      inNs(ns, 'link', 'set', 'lo', 'up');
    }
    const links = [
      { here: `${id}a`, there: `${id}as`, host: names.pa, hostIp: PA, srvIp: SRV_A },
      { here: `${id}b`, there: `${id}bs`, host: names.pb, hostIp: PB, srvIp: SRV_B },
    ];
    for (const l of links) {
      ip('link', 'add', l.here, 'type', 'veth', 'peer', 'name', l.there);
      ip('link', 'set', l.here, 'netns', l.host);
      ip('link', 'set', l.there, 'netns', names.srv);
      inNs(names.srv, 'addr', 'add', `${l.srvIp}/24`, 'dev', l.there);
      inNs(names.srv, 'link', 'set', l.there, 'up');
      inNs(l.host, 'addr', 'add', `${l.hostIp}/24`, 'dev', l.here);
      inNs(l.host, 'link', 'set', l.here, 'up');
      // srv is the hosts' gateway, as on a LAN: Chromium gathers no ICE candidate at all on a
      // host without a default route. srv forwards nothing, so pa and pb still cannot meet.
      inNs(l.host, 'route', 'add', 'default', 'via', l.srvIp);
    }
    execFileSync('ip', ['netns', 'exec', names.srv, 'sysctl', '-qw', 'net.ipv4.ip_forward=0']);
  } catch (e) {
    down();
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(
      `could not build the test network (needs root and "ip netns"): ${(e as Error).message} ${stderr}`,
    );
  }

  return {
    names,
    spawnIn(host, command, args, options = {}) {
      const child = spawn('ip', ['netns', 'exec', names[host], command, ...args], options);
      children.add(child);
      return child;
    },
    wrapper(host, command) {
      const file = path.join(dir, `${host}-${path.basename(command)}`);
      // exec keeps the caller's pipes (playwright talks to Chromium over fds 3 and 4)
      writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${names[host]} ${command} "$@"\n`);
      chmodSync(file, 0o755);
      return file;
    },
    down,
  };
}
