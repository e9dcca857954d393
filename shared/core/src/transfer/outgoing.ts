/**
 * One file this peer offers (the sender side, mirroring incoming.ts): hashing before the offer
 * carries its SHA-256, the per-receiver state machine (offered -> receiving -> done / declined /
 * cancelled / failed), the block-hash list (`meta`) for each receiver that accepts, and the view
 * the UI shows. Serving the blocks themselves is server.ts's job.
 */
import { hashSource, type FileHashes } from './hashing';
import type { Layout } from './layout';
import { sendMetaPages, type FileControl, type FileOffer } from './messages';
import { makeRate, type Rate } from './rate';
import type { FileSource } from './source';
import type { PeerCloseReason } from '../peers/remote';
import type { ReceiverState, TransferState, TransferView } from './types';

export interface OutgoingCtx {
  clientId: string;
  sendControl(peerId: string, msg: FileControl): boolean;
  isOpen(peerId: string): boolean;
  broadcast(msg: FileControl): void;
  /** the file is hashed: start serving its blocks */
  serve(id: string, source: FileSource, layout: Layout): void;
  unserve(id: string): void;
  /** progress changed (the owner throttles UI updates) */
  changed(): void;
  /** the state of the file or of one receiver changed */
  stateChanged(id: string, state: TransferState, peerId: string): void;
  /** the owner is gone: stop hashing */
  stopped(): boolean;
  /**
   * Hashed, nobody took it yet: true if another live offer of ours has this SHA-256, in which
   * case the owner forgets this one and we withdraw it from the room.
   */
  merged(id: string, sha256: string): boolean;
}

/** cancel reason of an offer withdrawn because the same content is already offered */
export const DUPLICATE = 'duplicate';

export type OutgoingState = 'preparing' | 'offered' | 'failed' | 'cancelled';

export interface Outgoing {
  readonly id: string;
  offer(): FileOffer;
  state(): OutgoingState;
  /** a peer's link opened: (re)send the offer while it stands */
  announce(peerId: string): void;
  onAccept(from: string): void;
  onDecline(from: string): void;
  /** a drop reason, or null */
  onAck(from: string, upto: number): string | null;
  onDone(from: string): void;
  onFailed(from: string, reason: string): void;
  onRemoteCancel(from: string): void;
  /** a receiver asked for blocks (it may be one that left and came back) */
  onWant(from: string): void;
  /** a link closed; 'bye' / 'left' / 'version' mean the receiver is gone, 'lost' that it may
   * come back */
  onPeerClose(peerId: string, reason: PeerCloseReason): void;
  /** the person stops sharing */
  cancel(): void;
  view(now: number): TransferView;
  destroy(): void;
}

interface Receiver {
  state: ReceiverState;
  acked: number;
  rate: Rate;
  error: string | null;
}

const FINAL_RECEIVER_STATES: ReadonlySet<ReceiverState> = new Set([
  'done',
  'cancelled',
  'failed',
  'declined',
]);

export function makeOutgoing(
  initialOffer: FileOffer,
  source: FileSource,
  layout: Layout,
  ctx: OutgoingCtx,
): Outgoing {
  const id = initialOffer.id;
  let offer = initialOffer;
  let state: OutgoingState = 'preparing';
  let error: string | null = null;
  let hashed = 0;
  let hashes: FileHashes | null = null;
  const receivers = new Map<string, Receiver>();

  const sendMeta = (peerId: string, h: FileHashes) =>
    sendMetaPages((m) => ctx.sendControl(peerId, m), id, h.sha256, h.blocks, layout.blocks);

  const receiverOf = (peerId: string) => {
    let r = receivers.get(peerId);
    if (!r) {
      r = { state: 'offered', acked: 0, rate: makeRate(), error: null };
      r.rate.reset(0, Date.now());
      receivers.set(peerId, r);
    }
    return r;
  };

  /** Final receiver states only move back to receiving (the receiver accepted again). */
  const setReceiver = (peerId: string, next: ReceiverState, why: string | null = null) => {
    const r = receiverOf(peerId);
    if (r.state === next) return r;
    if (FINAL_RECEIVER_STATES.has(r.state) && next !== 'receiving') return r;
    const wasLeft = r.state === 'left';
    r.state = next;
    r.error = why;
    if (wasLeft) r.rate.reset(Math.min(offer.size, r.acked * layout.chunk), Date.now());
    // 'left' is not a transfer state: the row changes, no state event
    if (next === 'left') ctx.changed();
    else ctx.stateChanged(id, next, peerId);
    return r;
  };

  async function prepare() {
    try {
      const h = await hashSource(
        source,
        layout,
        (n) => {
          hashed = n;
          ctx.changed();
        },
        () => state !== 'preparing' || ctx.stopped(),
      );
      if (!h || state !== 'preparing') return;
      const untaken = [...receivers.values()].every(
        (r) => r.state === 'offered' || r.state === 'declined',
      );
      if (untaken && ctx.merged(id, h.sha256)) {
        state = 'cancelled';
        ctx.broadcast({ type: 'cancel', id, reason: DUPLICATE });
        return;
      }
      hashes = h;
      offer = { ...offer, sha256: h.sha256, list: h.list };
      state = 'offered';
      ctx.serve(id, source, layout);
      ctx.broadcast(offer);
      for (const [peer, r] of receivers) if (r.state === 'receiving') sendMeta(peer, h);
      ctx.stateChanged(id, 'offered', ctx.clientId);
    } catch (e) {
      if (state !== 'preparing') return;
      state = 'failed';
      error = `The file could not be read: ${e instanceof Error ? e.message : String(e)}`;
      ctx.broadcast({ type: 'cancel', id, reason: 'sender' });
      ctx.stateChanged(id, 'failed', ctx.clientId);
    }
  }

  ctx.broadcast(offer);
  ctx.stateChanged(id, 'preparing', ctx.clientId);
  void prepare();

  return {
    id,
    offer: () => offer,
    state: () => state,
    announce(peerId) {
      if (state === 'preparing' || state === 'offered') ctx.sendControl(peerId, offer);
    },
    onAccept(from) {
      if (state === 'cancelled') {
        ctx.sendControl(from, { type: 'cancel', id, reason: 'sender' });
        return;
      }
      setReceiver(from, 'receiving');
      if (hashes) sendMeta(from, hashes);
    },
    onDecline: (from) => void setReceiver(from, 'declined'),
    onAck(from, upto) {
      const r = receivers.get(from);
      if (!r) return 'ack from a peer that did not accept';
      r.acked = Math.max(r.acked, Math.min(upto, layout.chunks));
      if (r.state === 'left') setReceiver(from, 'receiving');
      ctx.changed();
      return null;
    },
    onDone(from) {
      setReceiver(from, 'done').acked = layout.chunks;
    },
    onFailed: (from, reason) => void setReceiver(from, 'failed', reason),
    onRemoteCancel: (from) => void setReceiver(from, 'cancelled', 'They cancelled it.'),
    onWant(from) {
      if (receivers.get(from)?.state === 'left') setReceiver(from, 'receiving');
    },
    onPeerClose(peerId, reason) {
      if (reason === 'lost') return void ctx.changed();
      if (receivers.get(peerId)?.state === 'receiving') setReceiver(peerId, 'left');
    },
    cancel() {
      if (state === 'cancelled' || state === 'failed') return;
      state = 'cancelled';
      error = 'You stopped sharing this file.';
      ctx.unserve(id);
      ctx.broadcast({ type: 'cancel', id, reason: 'sender' });
      for (const [peer, r] of receivers)
        if (r.state === 'receiving' || r.state === 'offered' || r.state === 'left')
          setReceiver(peer, 'cancelled', 'You cancelled it.');
      ctx.stateChanged(id, 'cancelled', ctx.clientId);
    },
    view: (now) => ({
      id,
      direction: 'out',
      name: offer.name,
      size: offer.size,
      mime: offer.mime,
      sha256: offer.sha256,
      peerId: ctx.clientId,
      peerOnline: true,
      state,
      bytes: state === 'preparing' ? hashed : offer.size,
      speed: null,
      stalled: false,
      etaSeconds: null,
      error,
      sources: 0,
      receivers: [...receivers].map(([peerId, r]) => {
        const bytes = Math.min(offer.size, r.acked * layout.chunk);
        const live = r.state === 'receiving';
        if (live) r.rate.update(bytes, now);
        const flowing = live && ctx.isOpen(peerId);
        return {
          peerId,
          state: r.state,
          bytes: r.state === 'done' ? offer.size : bytes,
          speed: flowing ? r.rate.speed(now) : null,
          stalled: flowing && r.rate.stalled(now),
          etaSeconds: flowing ? r.rate.eta(bytes, offer.size, now) : null,
          error: r.error,
        };
      }),
    }),
    destroy() {
      state = 'cancelled';
    },
  };
}
