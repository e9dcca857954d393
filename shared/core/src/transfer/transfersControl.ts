/**
 * The file_control dispatch of makeTransfers (transfers.ts): each validated control frame goes
 * to the outgoing or incoming transfer it is for (or to the server, the folders, the `have`s
 * noted before their offer); an offer becomes a new incoming transfer unless it is one more
 * holder, a re-share that continues a download (reshare.ts) or a folder file that carries on.
 */
import { FILE_MAX_OFFERS_PER_PEER } from '@peerboard/protocol';
import type { Folders } from './folders';
import type { Incoming } from './incoming';
import { sendMetaPages, type FileControl, type FileOffer } from './messages';
import { DUPLICATE, type Outgoing } from './outgoing';
import type { Reshare } from './reshare';
import type { ResumeKeeper } from './resumeKeeper';
import type { Server } from './server';
import type { TransferState } from './types';

export interface TransfersControlCtx {
  outgoing: Map<string, Outgoing>;
  incoming: Map<string, Incoming>;
  /** `have` announcements that arrived before the offer (bounded) */
  earlyHaves: Map<string, Set<string>>;
  /** offers each peer made (FILE_MAX_OFFERS_PER_PEER) */
  offersFrom: Map<string, number>;
  /** the chunk and block sizes each incoming offer was made with */
  layouts: WeakMap<Incoming, { chunk: number; block: number }>;
  server: Server;
  folders: Folders;
  keeper: ResumeKeeper;
  reshare: Pick<Reshare, 'continueDownload' | 'carryOver' | 'sameFile'>;
  sendControl(peerId: string, msg: FileControl): boolean;
  /** a frame is dropped for `why` (counted and logged) */
  drop(from: string, why: string): void;
  changed(): void;
  stateEvent(id: string, direction: 'in' | 'out', state: TransferState, peerId: string): void;
  /** a new incoming transfer for `offer`, wired to makeTransfers */
  newIncoming(offer: FileOffer, from: string): Incoming;
}

export interface TransfersControl {
  /** a validated file_control frame from `from` */
  onControl(from: string, m: FileControl): void;
}

export function makeTransfersControl(ctx: TransfersControlCtx): TransfersControl {
  const { outgoing, incoming, earlyHaves, offersFrom, layouts, server, folders, keeper } = ctx;
  const { continueDownload, carryOver, sameFile } = ctx.reshare;
  const { sendControl, drop, changed, stateEvent, newIncoming } = ctx;

  function onOffer(from: string, offer: FileOffer) {
    const existing = incoming.get(offer.id);
    if (existing) {
      if (existing.from !== from) {
        // a holder re-announcing the same file is one more holder
        if (offer.sha256 !== null && sameFile(existing, offer)) return existing.onHave(from);
        return drop(from, "offer reuses the id of another peer's file");
      }
      if (existing.state() === 'offered' && continueDownload(from, offer)) return;
      const knew = existing.sha256();
      existing.updateOffer(offer);
      if (knew === null) keeper.look(existing);
      return;
    }
    const own = outgoing.get(offer.id);
    // a holder of our own file re-announcing it
    if (own && offer.sha256 !== null && own.offer().sha256 === offer.sha256) return;
    if (own) return drop(from, 'offer reuses the id of our own file');
    if (offer.folder !== undefined) {
      // a folder's files are bounded by its manifest, not by the per-peer offer count
      const why = folders.admit(from, offer);
      if (why) return drop(from, why);
      const earlier = folders.predecessor(offer.id);
      if (earlier !== undefined && carryOver(from, offer, earlier)) return;
    } else {
      if (continueDownload(from, offer)) return;
      const count = offersFrom.get(from) ?? 0;
      if (count >= FILE_MAX_OFFERS_PER_PEER) return drop(from, 'too many offers from this peer');
      offersFrom.set(from, count + 1);
    }
    const inc = newIncoming(offer, from);
    incoming.set(offer.id, inc);
    layouts.set(inc, { chunk: offer.chunk, block: offer.block });
    keeper.look(inc);
    for (const h of earlyHaves.get(offer.id) ?? []) inc.onHave(h);
    earlyHaves.delete(offer.id);
    stateEvent(offer.id, 'in', 'offered', from);
    if (offer.folder !== undefined && folders.isDeclined(offer.folder)) inc.decline();
  }

  function onControl(from: string, m: FileControl) {
    const out = outgoing.get(m.id);
    const inc = incoming.get(m.id);
    switch (m.type) {
      case 'offer':
        return onOffer(from, m);
      case 'meta': {
        if (!inc) return drop(from, 'meta for an unknown transfer');
        const why = inc.onMeta(from, m);
        return why ? drop(from, why) : undefined;
      }
      case 'accept': {
        if (out) return out.onAccept(from);
        // a holder that is not the offerer serves the hash list it verified
        const held = server.has(m.id) ? inc?.holding() : null;
        if (!held) return drop(from, 'accept for an unknown transfer');
        const { sha256, id } = held.offer;
        sendMetaPages(
          (msg) => sendControl(from, msg),
          id,
          sha256,
          held.hashes,
          held.hashes.length / 32,
        );
        return;
      }
      case 'decline':
        if (!out) return drop(from, 'decline for an unknown transfer');
        return out.onDecline(from);
      case 'want': {
        if (!server.has(m.id)) {
          if (out?.state() === 'cancelled')
            sendControl(from, { type: 'cancel', id: m.id, reason: 'sender' });
          return drop(from, 'want for a file we do not serve');
        }
        const why = server.want(from, m.id, m.from, m.to);
        if (why) return drop(from, `want refused: ${why}`);
        out?.onWant(from);
        return;
      }
      case 'ack': {
        if (!out && server.has(m.id)) return;
        if (!out) return drop(from, 'ack for an unknown transfer');
        const why = out.onAck(from, m.upto);
        return why ? drop(from, why) : undefined;
      }
      case 'have':
        if (inc) return inc.onHave(from);
        if (out) return;
        if (earlyHaves.size < 1000) {
          const s = earlyHaves.get(m.id) ?? new Set<string>();
          s.add(from);
          earlyHaves.set(m.id, s);
        }
        return;
      case 'done':
        return out?.onDone(from);
      case 'folder': {
        const why = folders.onPage(from, m);
        return why ? drop(from, why) : undefined;
      }
      case 'failed':
        out?.onFailed(from, m.reason);
        server.cancel(from, m.id);
        return;
      case 'cancel':
        server.cancel(from, m.id);
        if (inc && from === inc.from && m.reason === DUPLICATE && inc.state() === 'offered') {
          // the sender merged it into an offer of the same content: it simply goes away
          incoming.delete(m.id);
          inc.destroy();
          offersFrom.set(from, Math.max(0, (offersFrom.get(from) ?? 1) - 1));
          return changed();
        }
        if (inc) inc.onRemoteCancel(from, m.reason);
        out?.onRemoteCancel(from);
        return;
      default: {
        const never: never = m;
        return drop(from, `unhandled ${(never as FileControl).type}`);
      }
    }
  }

  return { onControl };
}
