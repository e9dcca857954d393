/**
 * One incoming file on the receiver: the block scheduler, verification, ordered writing, acks.
 *
 * Receiver-driven: after `accept` the offerer sends the per-block SHA-256 list (`meta`); we then
 * ask holders (the offerer, plus every peer that announced `have`) for blocks with `want`,
 * at most FILE_HOLDER_OUTSTANDING_BLOCKS per holder and only inside a window of
 * FILE_RECEIVE_WINDOW_BLOCKS past the last written block, so memory stays bounded (window x
 * block size) however large the file and however slow the disk.
 *
 * - Chunks of a block arrive in order from the holder it was assigned to; anything else
 *   (unknown transfer, wrong index, wrong size, not requested, after done) is dropped with a
 *   reason and a holder that breaks the protocol is no longer asked.
 * - Blocks from a holder other than the offerer are checked against their SHA-256 before they
 *   are kept (a bad swarm peer is caught per block and its blocks fetched elsewhere). Blocks
 *   from the offerer are covered by the whole-file SHA-256, computed as blocks are written.
 * - Resume: a dropped link unassigns that holder's blocks but keeps their received chunks; when
 *   the peer (same stable id) is back, or another holder is free, the block is requested from
 *   the first missing chunk. A periodic cumulative `ack` tells the offerer what we have.
 * - Resume across sessions: a sink that kept a prefix from an earlier session (sink.resume) is
 *   read back and checked (keptPrefix.ts). Only the blocks after it are requested, and the
 *   whole-file SHA-256 still covers every byte.
 *
 * Which block is asked of whom is blockRequests.ts; the hash list and its pages are
 * blockHashList.ts. This file holds the scheduling, holders, acks and the Incoming API
 * (incomingApi.ts); its pieces share one state object (incomingCore.ts): getting the hash list
 * is incomingHashList.ts, the chunks, verified blocks, writing and the final check
 * incomingData.ts, reading back a kept prefix incomingRestore.ts, the UI snapshot
 * incomingView.ts.
 */
import { makeHasher } from './hashing';
import type { Incoming, IncomingCtx } from './incomingApi';
import { makeIncomingCore } from './incomingCore';
import { makeIncomingData } from './incomingData';
import { makeIncomingHashList } from './incomingHashList';
import { makeIncomingRestore } from './incomingRestore';
import { incomingView } from './incomingView';
import { blockSpan } from './layout';
import type { FileControl, FileOffer } from './messages';
import { UNREADABLE } from './server';
import type { TransferState } from './types';

export { DAMAGED } from './incomingData';
export type { Incoming, IncomingCtx } from './incomingApi';

export function makeIncoming(initial: FileOffer, sender: string, ctx: IncomingCtx): Incoming {
  const c = makeIncomingCore(initial, sender, ctx);
  const { layout, list, holders, bad, verified, rate, stalls, requests } = c;
  let ackTimer: ReturnType<typeof setTimeout> | undefined;
  const stallCheckMs = Math.max(50, Math.min(1000, (ctx.stallMs ?? 4000) / 4));
  let suspended = false;

  const setState = (s: TransferState, why: string | null = null) => {
    c.state = s;
    c.error = why;
    ctx.stateChanged(self);
  };
  const usable = () => [...holders].filter((h) => !bad.has(h) && ctx.isOpen(h));

  const contiguousChunks = () => {
    let b = c.written;
    let upto = Math.min(layout.chunks, b * layout.blockChunks);
    while (verified.has(b)) upto = blockSpan(layout, b++).to;
    return upto + (requests.get(b)?.got ?? 0);
  };
  const sendAck = () => {
    clearTimeout(ackTimer);
    ackTimer = undefined;
    if (c.state === 'receiving' || c.state === 'verifying' || c.state === 'done')
      ctx.sendControl(c.from, { type: 'ack', id: c.id, upto: contiguousChunks() });
  };
  const scheduleAck = () => {
    if (ackTimer === undefined) ackTimer = setTimeout(sendAck, 250);
  };

  const hashList = makeIncomingHashList(c, {
    sendControl: (peerId, msg) => ctx.sendControl(peerId, msg),
    usable,
    distrust,
    schedule,
  });
  const { askForList } = hashList;
  const data = makeIncomingData(c, {
    sendControl: (peerId, msg) => ctx.sendControl(peerId, msg),
    log: (msg) => ctx.log(msg),
    changed: () => ctx.changed(),
    completed: (id, result, layout) => ctx.completed(id, result, layout),
    setState,
    distrust,
    schedule,
    sendAck,
    scheduleAck,
    fail,
  });
  const { flush } = data;
  const restore = makeIncomingRestore(c, {
    log: (msg) => ctx.log(msg),
    durable: (n, place) => ctx.durable?.(self, n, place),
    changed: () => ctx.changed(),
    sendAck,
    flush,
    schedule,
    fail,
  });

  function schedule() {
    if (c.state !== 'receiving' || !list.complete() || !c.hashers) return;
    if (c.restoring !== 'no') {
      if (c.restoring === 'waiting') void restore();
      return;
    }
    if (layout.blocks === 0) return void flush();
    requests.assign(c.written, usable(), c.from, (h, first, to) =>
      ctx.sendControl(h, { type: 'want', id: c.id, from: first, to }),
    );
  }

  /** A holder broke the protocol or sent a bad block: stop asking it. */
  function distrust(
    holder: string,
    why: string,
    last = 'The sender sent data that does not belong to this file, so the transfer was stopped.',
  ) {
    bad.add(holder);
    stalls.forget(holder);
    ctx.log(`transfer ${c.id}: not using ${holder} any more: ${why}`);
    if (holder === c.metaFrom) askForList();
    c.bytes -= requests.discardFrom(holder);
    if ([...holders].every((h) => bad.has(h))) return fail(last);
    schedule();
  }

  /** Holders other than the offerer that owe data and send none are dropped for this file. */
  function checkStalls() {
    if (c.state !== 'receiving') return;
    for (const h of stalls.stalled(Date.now(), requests.owedBy)) {
      // the offerer is the file's authority: a slow offerer is waited for, not dropped
      if (h === c.from) continue;
      distrust(h, 'stalled: blocks were requested from it and it sent no data');
    }
  }

  /**
   * Stops every holder we asked and drops what we kept (`suspend`: the session ends, the sink
   * keeps its durable prefix for a later session instead).
   */
  function stop(next: TransferState, why: string, tell: FileControl | null, suspend = false) {
    const state = c.state;
    if (state === 'done' || state === 'failed' || state === 'cancelled' || state === 'declined')
      return;
    const asked = new Set([c.from, ...holders]);
    if (tell) for (const h of asked) if (ctx.isOpen(h)) ctx.sendControl(h, tell);
    clearTimeout(ackTimer);
    ackTimer = undefined;
    clearInterval(c.stallTimer);
    requests.clear();
    verified.clear();
    if (suspend && c.sink?.resume) c.sink.resume.suspend();
    else void c.sink?.abort().catch(() => undefined);
    setState(next, why);
  }

  function fail(why: string) {
    stop('failed', why, { type: 'failed', id: c.id, reason: why });
  }

  const self: Incoming = {
    get id() {
      return c.id;
    },
    get from() {
      return c.from;
    },
    state: () => c.state,
    suspended: () => suspended,
    sha256: () => list.sha256() ?? c.offer.sha256,
    listDigest: () => c.offer.list ?? null,
    holding() {
      const hashes = list.bytes();
      const sha = list.sha256();
      if (c.state !== 'done' || !hashes || sha === null || c.offer.list === undefined) return null;
      const { folder: _folder, ...plain } = c.offer;
      return { offer: { ...plain, sha256: sha }, hashes };
    },
    continueFrom(next, peer) {
      const sha = list.sha256() ?? c.offer.sha256;
      if (c.state !== 'receiving' || sha === null || next.sha256 !== sha) return false;
      const offer = c.offer;
      if (next.size !== offer.size || next.chunk !== offer.chunk || next.block !== offer.block)
        return false;
      requests.requeueAll();
      for (const h of holders) stalls.forget(h);
      holders.clear();
      holders.add(peer);
      bad.clear();
      c.id = next.id;
      c.from = c.metaFrom = peer;
      c.offer = { ...next, sha256: sha };
      // the new offerer learns we take it, sends its block hashes, and hears where we are
      ctx.sendControl(c.from, { type: 'accept', id: c.id });
      sendAck();
      schedule();
      ctx.stateChanged(self);
      return true;
    },
    setResumable(n) {
      if (c.state !== 'offered') return;
      c.resumable = Math.max(0, Math.min(n, c.offer.size));
      ctx.changed();
    },
    updateOffer(next) {
      const offer = c.offer;
      if (offer.sha256 === null && next.sha256 !== null && next.size === offer.size)
        c.offer = { ...offer, sha256: next.sha256, ...(next.list ? { list: next.list } : {}) };
      ctx.changed();
    },
    async accept(s) {
      if (c.state !== 'offered') {
        await s.abort();
        return;
      }
      c.sink = s;
      list.allocate();
      if ((s.resume?.existing ?? 0) > 0) c.restoring = 'waiting';
      s.resume?.onDurable((n) => {
        if (c.restoring === 'no' && c.state === 'receiving')
          ctx.durable?.(self, n, s.resume!.place);
      });
      setState('receiving');
      rate.reset(0, Date.now());
      const [whole, block] = await Promise.all([makeHasher(), makeHasher()]);
      whole.init();
      c.hashers = { whole, block };
      if ((c.state as TransferState) !== 'receiving') return;
      c.stallTimer = setInterval(checkStalls, stallCheckMs);
      // the offerer hears we take it even when another holder sends the list
      ctx.sendControl(c.from, { type: 'accept', id: c.id });
      if (!usable().includes(c.metaFrom)) askForList();
      schedule();
    },
    decline() {
      if (c.state !== 'offered') return;
      ctx.sendControl(c.from, { type: 'decline', id: c.id });
      setState('declined');
    },
    cancel() {
      stop('cancelled', 'You cancelled this file.', {
        type: 'cancel',
        id: c.id,
        reason: 'receiver',
      });
    },
    onMeta: hashList.onMeta,
    onHave(peer) {
      if (holders.has(peer)) return;
      holders.add(peer);
      if (c.state === 'receiving' && !usable().includes(c.metaFrom)) askForList();
      schedule();
      ctx.changed();
    },
    onData: data.onData,
    onRemoteCancel(peer, reason) {
      if (peer === c.from && reason === UNREADABLE) {
        // nobody cancelled: the sender's file went away (a drive unplugged, a file deleted)
        c.failure = 'unreadable';
        stop('failed', "The sender's copy could not be read. Ask them to share it again.", null);
        return;
      }
      if (peer === c.from) {
        stop(
          'cancelled',
          reason === 'receiver' ? 'Cancelled.' : 'The sender stopped sharing this file.',
          null,
        );
        return;
      }
      holders.delete(peer);
      self.onPeerClose(peer);
    },
    onPeerOpen(peer) {
      if (c.state !== 'receiving') return ctx.changed();
      if (peer === c.from) {
        if (!list.complete() && c.metaFrom === c.from)
          ctx.sendControl(c.from, { type: 'accept', id: c.id });
        sendAck();
      }
      if (!list.complete() && !usable().includes(c.metaFrom)) askForList();
      schedule();
      ctx.changed();
    },
    onPeerClose(peer) {
      requests.holderClosed(peer);
      schedule();
      ctx.changed();
    },
    view: (now) => incomingView(c, { isOpen: (p) => ctx.isOpen(p), usable }, now),
    destroy() {
      const state = c.state;
      if (state === 'offered' || state === 'receiving' || state === 'verifying') suspended = true;
      stop('cancelled', 'Closed.', null, true);
    },
  };
  return self;
}
