/**
 * Answers to a peer's SyncStep1, rationed. Every step1 is a few bytes and asks for a SyncStep2:
 * the whole document diffed against the sender's state vector. Answered one for one, 1000
 * step1s of 4 bytes made a peer with a 512 KiB board queue 411 MiB. So, per peer:
 *
 * - at most one answer is pending: a step1 that arrives while one waits replaces its state
 *   vector, and the single answer is the diff for the latest one, computed when it is sent;
 * - answers are rate-limited (a token bucket: `burst` at once, then one per `intervalMs`);
 * - an answer waits while the peer's send queue still holds more than `queueLowBytes`, so one
 *   full state is not queued behind another.
 *
 * Honest peers send a step1 when a link opens and on the anti-entropy timer (every 30 s), far
 * below the rate; they always get an answer for their latest state vector.
 */
import type { PeerId } from '@peerboard/protocol';

export const SYNC_REPLY_LIMITS = {
  burst: 4,
  intervalMs: 2_000,
  queueLowBytes: 256 * 1024,
  /** how often a reply waiting on a full send queue looks again */
  queuePollMs: 50,
} as const;

export interface SyncRepliesOptions {
  /** send the SyncStep2 for `stateVector` now (may throw: reported, not fatal) */
  answer(peer: PeerId, stateVector: Uint8Array): void;
  /** control bytes still queued towards the peer (0 when the transport cannot tell) */
  queuedBytes(peer: PeerId): number;
  onError(peer: PeerId, reason: string): void;
  limits?: Partial<typeof SYNC_REPLY_LIMITS>;
}

export interface SyncRepliesStats {
  /** step1 messages received */
  requests: number;
  /** SyncStep2 answers sent */
  answers: number;
}

export interface SyncReplies {
  request(peer: PeerId, stateVector: Uint8Array): void;
  /** the peer's link closed: forget its pending answer */
  drop(peer: PeerId): void;
  stats(): SyncRepliesStats;
  destroy(): void;
}

interface PeerState {
  tokens: number;
  at: number;
  pending: Uint8Array | null;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export function makeSyncReplies(o: SyncRepliesOptions): SyncReplies {
  const limits = { ...SYNC_REPLY_LIMITS, ...o.limits };
  const peers = new Map<PeerId, PeerState>();
  const stats: SyncRepliesStats = { requests: 0, answers: 0 };
  let destroyed = false;

  function pump(peer: PeerId, st: PeerState): void {
    if (destroyed || st.timer !== undefined || st.pending === null) return;
    const now = Date.now();
    st.tokens = Math.min(limits.burst, st.tokens + (now - st.at) / limits.intervalMs);
    st.at = now;
    const queued = o.queuedBytes(peer);
    if (st.tokens >= 1 && queued <= limits.queueLowBytes) {
      st.tokens -= 1;
      const sv = st.pending;
      st.pending = null;
      stats.answers++;
      try {
        o.answer(peer, sv);
      } catch (e) {
        o.onError(peer, e instanceof Error ? e.message : String(e));
      }
      return;
    }
    const wait =
      st.tokens < 1 ? Math.ceil((1 - st.tokens) * limits.intervalMs) : limits.queuePollMs;
    st.timer = setTimeout(() => {
      st.timer = undefined;
      pump(peer, st);
    }, wait);
  }

  return {
    request(peer, stateVector) {
      if (destroyed) return;
      stats.requests++;
      let st = peers.get(peer);
      if (!st) {
        st = { tokens: limits.burst, at: Date.now(), pending: null, timer: undefined };
        peers.set(peer, st);
      }
      st.pending = stateVector;
      pump(peer, st);
    },
    drop(peer) {
      const st = peers.get(peer);
      if (st) clearTimeout(st.timer);
      peers.delete(peer);
    },
    stats: () => ({ ...stats }),
    destroy() {
      destroyed = true;
      for (const st of peers.values()) clearTimeout(st.timer);
      peers.clear();
    },
  };
}
