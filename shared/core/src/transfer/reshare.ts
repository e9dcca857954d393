/**
 * Offers that continue something we already have: a file re-shared by a sender who left and
 * came back (same SHA-256, size and name), a folder file under a re-shared folder's new id, and
 * a holder re-announcing a file we know. Keeps the old id -> new id map so every API call finds
 * a transfer by whichever id the UI holds.
 */
import type { FileControl, FileOffer } from './messages';
import type { Incoming } from './incoming';

export interface ReshareCtx {
  incoming: Map<string, Incoming>;
  isOpen(peerId: string): boolean;
  /** the chunk and block sizes an incoming offer was made with */
  shapeOf(inc: Incoming): { chunk: number; block: number };
  sendControl(peerId: string, msg: FileControl): void;
  changed(): void;
}

export interface Reshare {
  /** the id a transfer goes by now (a folder file re-shared by its sender has a new one) */
  resolve(id: string): string;
  continueDownload(from: string, offer: FileOffer): boolean;
  carryOver(from: string, offer: FileOffer, earlierId: string): boolean;
  sameFile(inc: Incoming, offer: FileOffer): boolean;
}

export function makeReshare(ctx: ReshareCtx): Reshare {
  const { incoming, sendControl, changed } = ctx;
  /** a folder file that carries on as a re-shared folder's file: old id -> new id */
  const renamed = new Map<string, string>();
  /** the id a transfer goes by now (a folder file re-shared by its sender has a new one) */
  const resolve = (id: string) => {
    let at = id;
    for (let hops = 0; hops < 64 && !incoming.has(at) && renamed.has(at); hops++)
      at = renamed.get(at)!;
    return at;
  };

  /**
   * A re-share of a file we were downloading from someone who left (same SHA-256, size, name):
   * the unfinished download continues from the new offer instead of a second offer appearing.
   */
  function continueDownload(from: string, offer: FileOffer): boolean {
    if (offer.sha256 === null) return false;
    for (const inc of incoming.values()) {
      if (inc.id === offer.id || ctx.isOpen(inc.from) || inc.sha256() !== offer.sha256) continue;
      const v = inc.view(Date.now());
      if (v.name !== offer.name) continue;
      const oldId = inc.id;
      if (!inc.continueFrom(offer, from)) continue;
      incoming.delete(oldId);
      // the placeholder for the new offer (announced before its hash) goes without a trace
      incoming.delete(offer.id);
      incoming.set(offer.id, inc);
      changed();
      return true;
    }
    return false;
  }

  /**
   * A file of a folder its sender left and re-shared (folders.ts adopt): the file of the earlier
   * folder carries on where it stands. A download under way continues from the new offer, with
   * every verified block kept; a finished one is reported done to the new sender; anything else
   * (not taken yet, stopped, or other content under the same path) gives way to the new offer.
   * True if the new offer needs no transfer of its own.
   */
  function carryOver(from: string, offer: FileOffer, earlierId: string): boolean {
    const oldId = resolve(earlierId);
    const old = incoming.get(oldId);
    const s = old?.state();
    if (old && (s === 'receiving' || s === 'verifying' || s === 'done')) {
      // which content it is shows once the sender has hashed it; until then nothing is shown
      if (offer.sha256 === null) return true;
      if (old.sha256() === offer.sha256) {
        if (s === 'done') sendControl(from, { type: 'done', id: offer.id });
        if (s !== 'receiving') return true;
        if (old.continueFrom(offer, from)) {
          incoming.delete(oldId);
          incoming.set(offer.id, old);
          renamed.set(oldId, offer.id);
          changed();
          return true;
        }
      }
      if (s !== 'done') old.cancel();
    }
    // an offer nobody took, or a stopped one, holds nothing (no sink, no timer): it just goes,
    // without a state event that would show the file as gone before the new offer is in
    if (s !== 'done') incoming.delete(oldId);
    renamed.set(oldId, offer.id);
    return false;
  }

  /** Same id, content and shape (the hash-list digest included): a re-announced offer. */
  function sameFile(inc: Incoming, offer: FileOffer): boolean {
    const v = inc.view(Date.now());
    const shape = ctx.shapeOf(inc);
    const list = inc.listDigest();
    return (
      inc.sha256() === offer.sha256 &&
      v.size === offer.size &&
      shape.chunk === offer.chunk &&
      shape.block === offer.block &&
      list === (offer.list ?? null)
    );
  }

  return { resolve, continueDownload, carryOver, sameFile };
}
