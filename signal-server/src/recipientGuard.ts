/**
 * Protects a recipient from one sender. Without it the relay forwarded everything a sender's
 * message bucket allowed (a burst of ~300 x 32 KiB) and then cut off the *recipient* once its
 * backlog passed MAX_BACKPRESSURE_BYTES: any room member could get any other member
 * disconnected. Now, per (sender, recipient) pair:
 *  - a byte budget (token bucket of PEER_BURST_BYTES refilled at PEER_BYTES_PER_SEC), and
 *  - a congestion check: while the recipient's backlog is over PEER_CONGESTION_BYTES, frames
 *    to it are dropped instead of queued, so signals alone never push it to the cut-off.
 * Either way the *sender's* frame is dropped and the sender is told once per run of drops.
 * Pure: server.ts passes the clock and the recipient's buffered amount in.
 */
import type { PeerId } from '@peerboard/protocol';

export const ADMIT = 0;
/** first drop of a run (tell the sender) / later drops (stay quiet: no error flood back) */
export const DROP_RATE_NOTIFY = 1;
export const DROP_RATE = 2;
export const DROP_CONGESTED_NOTIFY = 3;
export const DROP_CONGESTED = 4;
export type Admission =
  | typeof ADMIT
  | typeof DROP_RATE_NOTIFY
  | typeof DROP_RATE
  | typeof DROP_CONGESTED_NOTIFY
  | typeof DROP_CONGESTED;

export interface RecipientLimits {
  bytesPerSecond: number;
  burstBytes: number;
  /** recipient backlog (bytes queued in the relay) above which frames to it are dropped */
  congestionBytes: number;
}

interface PairBudget {
  tokens: number;
  last: number;
  /** a run of drops is in progress (the sender was told at its start) */
  dropping: boolean;
}

/** One per sending session: its budgets towards each recipient it has signalled. */
export class RecipientBudgets {
  private readonly pairs = new Map<PeerId, PairBudget>();

  constructor(private readonly limits: RecipientLimits) {}

  /** Decides whether `bytes` more may go to `to`, whose backlog is `backlogBytes` now. */
  admit(to: PeerId, bytes: number, backlogBytes: number, nowMs: number): Admission {
    let pair = this.pairs.get(to);
    if (pair === undefined) {
      pair = { tokens: this.limits.burstBytes, last: nowMs, dropping: false };
      this.pairs.set(to, pair);
    } else if (nowMs > pair.last) {
      const refill = ((nowMs - pair.last) * this.limits.bytesPerSecond) / 1000;
      pair.tokens = Math.min(this.limits.burstBytes, pair.tokens + refill);
      pair.last = nowMs;
    }
    // Congestion first: a frame that would only queue behind a backlog costs no budget.
    const congested = backlogBytes > this.limits.congestionBytes;
    if (!congested && pair.tokens >= bytes) {
      pair.tokens -= bytes;
      pair.dropping = false;
      return ADMIT;
    }
    const first = !pair.dropping;
    pair.dropping = true;
    if (congested) return first ? DROP_CONGESTED_NOTIFY : DROP_CONGESTED;
    return first ? DROP_RATE_NOTIFY : DROP_RATE;
  }

  get size(): number {
    return this.pairs.size;
  }

  /** Forgets recipients that fail `keep` (peers that left): bounds the map under churn. */
  prune(keep: (peer: PeerId) => boolean): void {
    for (const peer of this.pairs.keys()) if (!keep(peer)) this.pairs.delete(peer);
  }
}
