/**
 * When a link is dialled again. The initiator (the lower client id) re-dials a lost link with
 * backoff while the remote is routable: at once on a first attempt, then PEER_RETRY_BASE_MS
 * doubling up to PEER_RETRY_MAX_MS, never instantly after an orderly close (the remote is
 * usually leaving and its peer_left is a moment behind). The answerer cannot dial; it remembers
 * the generation of the link it lost and says so (`hello` with `lost: gen`), now or, if the relay
 * was away, on the initiator's next hello, so the initiator restarts that generation even if its
 * own side still looks alive.
 */
import { PEER_RETRY_BASE_MS, PEER_RETRY_MAX_MS } from '@peerboard/protocol';
import { backoffDelay } from '../backoff';
import type { Remote } from './remote';

export interface RedialOptions {
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** the timer fired: dial r if it still needs it */
  dial(r: Remote): void;
}

export interface Redial {
  /** one pending attempt per remote, after its backoff delay */
  schedule(r: Remote): void;
  /** a new link to r starts (or r is forgotten): its pending attempt is void */
  cancel(r: Remote): void;
  /** r's link opened: the next failure is a first attempt again */
  opened(r: Remote): void;
  /** r's link ended: never re-dial instantly */
  ended(r: Remote): void;
  /** answerer side: the generation of the link to `cid` we lost, until a new one opens */
  lostGen(cid: string): number | undefined;
  lost(cid: string, gen: number): void;
  /** no more attempts */
  destroy(): void;
}

/** remotes whose lost generation is remembered; the oldest goes first */
const LOST_GENS_MAX = 256;

export function makeRedial(o: RedialOptions): Redial {
  const lostGens = new Map<string, number>();
  let destroyed = false;
  const cancel = (r: Remote) => {
    clearTimeout(r.retryTimer);
    r.retryTimer = undefined;
  };
  return {
    schedule(r) {
      if (r.retryTimer !== undefined || destroyed) return;
      const delay =
        r.attempts === 0
          ? 0
          : backoffDelay(
              r.attempts - 1,
              o.retryBaseMs ?? PEER_RETRY_BASE_MS,
              o.retryMaxMs ?? PEER_RETRY_MAX_MS,
            );
      r.attempts++;
      r.retryTimer = setTimeout(() => {
        r.retryTimer = undefined;
        o.dial(r);
      }, delay);
    },
    cancel,
    opened(r) {
      lostGens.delete(r.cid);
      r.attempts = 0;
    },
    ended(r) {
      r.attempts = Math.max(r.attempts, 1);
    },
    lostGen: (cid) => lostGens.get(cid),
    lost(cid, gen) {
      lostGens.set(cid, gen);
      if (lostGens.size > LOST_GENS_MAX) lostGens.delete(lostGens.keys().next().value!);
    },
    destroy() {
      destroyed = true;
    },
  };
}
