/**
 * Getting an incoming file's block hash list (incoming.ts): whom to ask for it (the offerer, or
 * another holder if the offerer's list was refused), and taking the `meta` pages it sends. The
 * list itself, its pages and checks are blockHashList.ts.
 */
import type { IncomingCore } from './incomingCore';
import type { FileControl } from './messages';

export interface IncomingHashListCtx {
  sendControl(peerId: string, msg: FileControl): boolean;
  /** the holders we may ask now */
  usable(): string[];
  /** a holder broke the protocol or sent a bad list: stop asking it */
  distrust(holder: string, why: string): void;
  /** asks holders for blocks, if it is time */
  schedule(): void;
}

export interface IncomingHashList {
  askForList(): void;
  /** returns why the page was dropped, or null */
  onMeta(peer: string, msg: Extract<FileControl, { type: 'meta' }>): string | null;
}

export function makeIncomingHashList(c: IncomingCore, ctx: IncomingHashListCtx): IncomingHashList {
  const { list } = c;

  /** The hash list comes from the offerer, or from another holder if its list was refused. */
  function askForList() {
    if (c.state !== 'receiving' || list.complete()) return;
    const ok = ctx.usable();
    if (!ok.includes(c.metaFrom)) {
      const next = ok.includes(c.from) ? c.from : ok[0];
      // nobody to ask now: onHave / onPeerOpen ask again
      if (next === undefined) return;
      c.metaFrom = next;
    }
    ctx.sendControl(c.metaFrom, { type: 'accept', id: c.id });
  }

  function onMeta(peer: string, msg: Extract<FileControl, { type: 'meta' }>): string | null {
    if (peer !== c.metaFrom)
      return 'meta from a peer that did not offer the file (nor was asked for its list)';
    if (c.state !== 'receiving' || !list.bytes()) return `meta while ${c.state}`;
    const why = list.take(msg, c.offer.sha256);
    if (why !== null) {
      // a holder other than the offerer that sends a broken list is asked no more (it would
      // hold the download up); the offerer's frame is dropped as before
      if (peer !== c.from) ctx.distrust(peer, why);
      return why;
    }
    if (c.offer.sha256 === null) c.offer = { ...c.offer, sha256: msg.sha256 };
    if (list.complete() && c.offer.list !== undefined && c.hashers) {
      if (list.digest(c.hashers.block) !== c.offer.list) {
        // a holder cannot make us judge blocks by a list of its own: ask another for it
        list.forget();
        ctx.distrust(peer, 'its block hash list does not match the offer');
        return 'meta hash list does not match the offer';
      }
    }
    ctx.schedule();
    return null;
  }

  return { askForList, onMeta };
}
