/**
 * The test side of kit/peerProcess.ts: starts a real peer in a network namespace (or wherever
 * `spawner` puts it) and keeps what it reports, for `vi.waitFor` / `expect.poll`.
 */
import { fileURLToPath } from 'node:url';
import type { PeerLinkState, RoomTiming } from '../../src/types';
import { startJsonChild, type Spawner } from './childProcess';

export type { Spawner } from './childProcess';

export interface CandidateInfo {
  type: string | null;
  address: string | null;
}

export interface PeerHost {
  /** the last reported state of the peer named `name`, null if not listed */
  stateOf(name: string): PeerLinkState | null;
  /** every state the peer named `name` was reported in, repeats removed */
  historyOf(name: string): PeerLinkState[];
  signaling(): string | null;
  linksCreated(): number;
  /** selected ICE pairs of the links that opened, in order */
  pairs(): { local: CandidateInfo; remote: CandidateInfo }[];
  got(): string[];
  logs(): string[];
  send(text: string): void;
  /** everything it wrote, for failure messages */
  output(): string;
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./peerProcess.ts', import.meta.url));
const CORE_DIR = fileURLToPath(new URL('../..', import.meta.url));

export function startPeerHost(
  spawner: Spawner,
  config: { url: string; roomId: string; name: string; timing: Partial<RoomTiming> },
): PeerHost {
  let peers: { name: string; state: PeerLinkState }[] = [];
  const history = new Map<string, PeerLinkState[]>();
  let signaling: string | null = null;
  let links = 0;
  const pairs: { local: CandidateInfo; remote: CandidateInfo }[] = [];
  const got: string[] = [];
  const logs: string[] = [];
  const child = startJsonChild({
    script: SCRIPT,
    cwd: CORE_DIR,
    env: { PEER_CONFIG: JSON.stringify(config) },
    spawner,
    onMessage(m) {
      if (m.t === 'state') {
        peers = m.peers as typeof peers;
        for (const p of peers) {
          const h = history.get(p.name) ?? [];
          if (h.at(-1) !== p.state) h.push(p.state);
          history.set(p.name, h);
        }
        signaling = m.signaling as string;
        links = m.linksCreated as number;
      } else if (m.t === 'pair') pairs.push(m as unknown as (typeof pairs)[number]);
      else if (m.t === 'got') got.push(m.text as string);
      else if (m.t === 'log') logs.push(m.msg as string);
    },
  });

  return {
    stateOf: (name) => peers.find((p) => p.name === name)?.state ?? null,
    historyOf: (name) => history.get(name) ?? [],
    signaling: () => signaling,
    linksCreated: () => links,
    pairs: () => pairs,
    got: () => got,
    logs: () => logs,
    send: (text) => child.send({ send: text }),
    output: () => child.output(),
    stop: () => child.stop(),
  };
}
