/**
 * Which ICE servers and policy a link attempt uses: TURN is a fallback, not the first try.
 *
 * A TURN relay costs its operator bandwidth for every byte of a relayed pair, and most pairs
 * connect directly (same network, or STUN through home routers). So when TURN servers are known
 * a link first tries with the STUN servers only ('direct' mode, a shorter deadline); if that
 * attempt ends before its data channel opens (ICE failed, the deadline passed, the remote lost
 * it), the next attempt to that client is 'relay' mode: only TURN servers, policy 'relay'. That
 * second attempt failing too is the plain failure the UI shows; later retries alternate, and a
 * client reached once through the relay is dialled through it directly from then on.
 *
 * Both sides agree because the initiator marks the offer of a relay-mode generation
 * (`sig.ice = 'relay'`, peerSignal.ts) and the answerer builds that link the same way. Both
 * sides compute `failed()` with the same rule, so an answerer whose direct link died knows a
 * relay retry follows and keeps showing "connecting" rather than "failed".
 * Without TURN nothing changes: one mode, every server, the full connect timeout.
 */
import { PEER_DIRECT_TIMEOUT_MS, type IceServer, type PeerTimeouts } from '@peerboard/protocol';

export type IceMode = 'direct' | 'relay';

export interface IcePlan {
  mode: IceMode;
  iceServers: IceServer[];
  policy: 'all' | 'relay';
  connectTimeoutMs: number | undefined;
}

export interface IceFallbackOptions {
  /** every server this side knows (options + the relay's `joined`), read at each attempt */
  servers(): IceServer[];
  /** 'relay' = the user forced relay-only: always relay mode, no fallback */
  forcedPolicy: 'all' | 'relay' | undefined;
  connectTimeoutMs: number | undefined;
  directTimeoutMs: number | undefined;
  /** the relay operator's deadlines (`joined`), read at each attempt; the two above win */
  relayTimeouts?: () => PeerTimeouts;
}

export interface IceFallback {
  /** the plan of the next link this side initiates to `cid` */
  next(cid: string): IcePlan;
  /** the plan of a link the remote initiated in `mode` (from its offer) */
  answer(mode: IceMode): IcePlan;
  /** a link to `cid` in `mode` ended before it opened; true = a relay-mode retry follows */
  failed(cid: string, mode: IceMode): boolean;
  opened(cid: string, mode: IceMode): void;
  forget(cid: string): void;
}

const urlsOf = (s: IceServer) => (Array.isArray(s.urls) ? s.urls : [s.urls]);
export const isTurnUrl = (url: string) => /^turns?:/i.test(url);

/** The servers split by kind (an entry listing both kinds is split too). */
export function splitIceServers(servers: IceServer[]): { stun: IceServer[]; turn: IceServer[] } {
  const stun: IceServer[] = [];
  const turn: IceServer[] = [];
  for (const s of servers) {
    const urls = urlsOf(s);
    const t = urls.filter(isTurnUrl);
    const other = urls.filter((u) => !isTurnUrl(u));
    if (t.length === 0) stun.push(s);
    else if (other.length === 0) turn.push(s);
    else {
      turn.push({ ...s, urls: t });
      stun.push({ urls: other });
    }
  }
  return { stun, turn };
}

export function makeIceFallback(o: IceFallbackOptions): IceFallback {
  /** per client: the mode of its next attempt, when it is not 'direct' */
  const relayNext = new Set<string>();
  /** clients reached through the relay: dialled that way from then on */
  const relayWorked = new Set<string>();

  const plan = (mode: IceMode): IcePlan => {
    const all = o.servers();
    const relay = o.relayTimeouts?.() ?? {};
    const connectTimeoutMs = o.connectTimeoutMs ?? relay.connectMs;
    if (o.forcedPolicy === 'relay')
      return { mode: 'relay', iceServers: all, policy: 'relay', connectTimeoutMs };
    const { stun, turn } = splitIceServers(all);
    if (turn.length === 0)
      return { mode: 'direct', iceServers: all, policy: 'all', connectTimeoutMs };
    if (mode === 'relay') return { mode, iceServers: turn, policy: 'relay', connectTimeoutMs };
    const direct = o.directTimeoutMs ?? relay.directMs ?? PEER_DIRECT_TIMEOUT_MS;
    return {
      mode,
      iceServers: stun,
      policy: 'all',
      connectTimeoutMs: Math.min(direct, connectTimeoutMs ?? direct),
    };
  };

  const turnKnown = () =>
    o.forcedPolicy !== 'relay' && splitIceServers(o.servers()).turn.length > 0;

  return {
    next: (cid) => plan(relayNext.has(cid) || relayWorked.has(cid) ? 'relay' : 'direct'),
    answer: (mode) => plan(mode),
    failed(cid, mode) {
      relayWorked.delete(cid);
      if (mode === 'direct' && turnKnown()) {
        relayNext.add(cid);
        return true;
      }
      relayNext.delete(cid);
      return false;
    },
    opened(cid, mode) {
      relayNext.delete(cid);
      if (mode === 'relay' && turnKnown()) relayWorked.add(cid);
      else relayWorked.delete(cid);
    },
    forget(cid) {
      relayNext.delete(cid);
      relayWorked.delete(cid);
    },
  };
}
