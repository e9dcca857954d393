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
 * blockHashList.ts.
 */
import { FILE_HOLDER_OUTSTANDING_BLOCKS, FILE_RECEIVE_WINDOW_BLOCKS } from '@peerboard/protocol';
import type { IHasher } from 'hash-wasm';
import { makeBlockHashList } from './blockHashList';
import { makeBlockRequests, type ActiveBlock } from './blockRequests';
import { makeHasher } from './hashing';
import { verifyKeptPrefix } from './keptPrefix';
import { UNREADABLE } from './server';
import { blockOf, blockSpan, chunkSpan, makeLayout, type Layout } from './layout';
import type { FileControl, FileOffer } from './messages';
import { makeRate } from './rate';
import { makeStallWatch } from './stall';
import type { FileSink, ReceivedFile } from './sink';
import type { TransferState, TransferView } from './types';

export interface IncomingCtx {
  sendControl(peerId: string, msg: FileControl): boolean;
  isOpen(peerId: string): boolean;
  log(msg: string): void;
  /** progress changed (the owner throttles UI updates) */
  changed(): void;
  /** the state changed (immediate) */
  stateChanged(inc: Incoming): void;
  /** verified and saved; `result.source`, if any, can be served to others (swarm) */
  completed(id: string, result: ReceivedFile, layout: Layout): void;
  /** the sink's surviving prefix grew to `bytes` (a resume record is worth updating) */
  durable?(inc: Incoming, bytes: number, place: unknown): void;
  windowBlocks?: number;
  perHolderBlocks?: number;
  /** a holder that sends nothing for at least this long (adaptive above it) is dropped */
  stallMs?: number;
}

export interface Incoming {
  /** both change when a re-shared copy of the same file takes over (continueFrom) */
  readonly id: string;
  readonly from: string;
  state(): TransferState;
  /** destroyed with its session (not cancelled by anyone): what it kept stays for a resume */
  suspended(): boolean;
  /**
   * The sender came back (or someone else shared the same file) as a new offer: carry on
   * downloading from it under its id, keeping every block we have. False if it does not fit.
   */
  continueFrom(offer: FileOffer, peer: string): boolean;
  /** our SHA-256 (from the offer or its metadata), null until known */
  sha256(): string | null;
  /**
   * Done and verified: the offer as we can re-announce it (any holder serves the file) and the
   * block-hash list we checked against its `list`; null before that, or if it had no `list`.
   */
  holding(): { offer: FileOffer & { sha256: string }; hashes: Uint8Array } | null;
  /** the offer's hash-list digest, null if it had none */
  listDigest(): string | null;
  updateOffer(offer: FileOffer): void;
  /** an earlier session kept `bytes` of this file (shown as "Resume"; checked on accept) */
  setResumable(bytes: number): void;
  accept(sink: FileSink): Promise<void>;
  decline(): void;
  cancel(): void;
  onMeta(from: string, msg: Extract<FileControl, { type: 'meta' }>): string | null;
  onHave(peerId: string): void;
  /** returns why the chunk was dropped, or null */
  onData(from: string, index: number, data: Uint8Array): string | null;
  onRemoteCancel(from: string, reason: string): void;
  onPeerOpen(peerId: string): void;
  onPeerClose(peerId: string): void;
  view(now: number): TransferView;
  destroy(): void;
}

export const DAMAGED =
  'The file arrived damaged: its SHA-256 fingerprint does not match the one the sender announced, so it was thrown away.';

export function makeIncoming(initial: FileOffer, sender: string, ctx: IncomingCtx): Incoming {
  let offer = initial;
  let id = offer.id;
  let from = sender;
  const layout = makeLayout(offer.size, offer.chunk, offer.block);
  let state: TransferState = 'offered';
  let error: string | null = null;
  let failure: 'unreadable' | null = null;
  let sink: FileSink | null = null;
  let hashers: { whole: IHasher; block: IHasher } | null = null;
  /** the holder we asked for the hash list (the offerer unless its list was refused) */
  let metaFrom = from;
  const list = makeBlockHashList(layout);
  const holders = new Set<string>([from]);
  const bad = new Set<string>();
  const verified = new Map<number, Uint8Array>();
  let written = 0;
  let writing = false;
  let bytes = 0;
  let ackTimer: ReturnType<typeof setTimeout> | undefined;
  const rate = makeRate();
  const stalls = makeStallWatch(ctx.stallMs);
  const requests = makeBlockRequests(layout, {
    windowBlocks: ctx.windowBlocks ?? FILE_RECEIVE_WINDOW_BLOCKS,
    perHolder: ctx.perHolderBlocks ?? FILE_HOLDER_OUTSTANDING_BLOCKS,
    stalls,
  });
  const stallCheckMs = Math.max(50, Math.min(1000, (ctx.stallMs ?? 4000) / 4));
  let stallTimer: ReturnType<typeof setInterval> | undefined;
  /** bytes an earlier session kept (claimed by its record until restore() has checked them) */
  let resumable = 0;
  /** a kept prefix is being read back and checked: nothing is requested meanwhile */
  let restoring: 'no' | 'waiting' | 'running' = 'no';
  let suspended = false;

  const setState = (s: TransferState, why: string | null = null) => {
    state = s;
    error = why;
    ctx.stateChanged(self);
  };
  const usable = () => [...holders].filter((h) => !bad.has(h) && ctx.isOpen(h));

  const contiguousChunks = () => {
    let b = written;
    let upto = Math.min(layout.chunks, b * layout.blockChunks);
    while (verified.has(b)) upto = blockSpan(layout, b++).to;
    return upto + (requests.get(b)?.got ?? 0);
  };
  const sendAck = () => {
    clearTimeout(ackTimer);
    ackTimer = undefined;
    if (state === 'receiving' || state === 'verifying' || state === 'done')
      ctx.sendControl(from, { type: 'ack', id, upto: contiguousChunks() });
  };
  const scheduleAck = () => {
    if (ackTimer === undefined) ackTimer = setTimeout(sendAck, 250);
  };

  function schedule() {
    if (state !== 'receiving' || !list.complete() || !hashers) return;
    if (restoring !== 'no') {
      if (restoring === 'waiting') void restore();
      return;
    }
    if (layout.blocks === 0) return void flush();
    requests.assign(written, usable(), from, (h, first, to) =>
      ctx.sendControl(h, { type: 'want', id, from: first, to }),
    );
  }

  /** Reads back what an earlier session kept and keeps the prefix whose blocks verify. */
  async function restore() {
    restoring = 'running';
    const kept = sink!.resume!;
    try {
      const prefix = await verifyKeptPrefix(kept, layout, list, hashers!, {
        receiving: () => state === 'receiving',
        counted: (n) => (bytes += n),
        mismatch: (b) =>
          ctx.log(
            `transfer ${id}: kept block ${b} does not match its SHA-256; fetching from there`,
          ),
      });
      if (prefix === null || state !== 'receiving') return;
      written = prefix.blocks;
      requests.startAt(prefix.blocks);
      resumable = 0;
      rate.reset(bytes, Date.now());
      restoring = 'no';
      ctx.durable?.(self, prefix.bytes, kept.place);
      sendAck();
      ctx.changed();
      if (written === layout.blocks) return void flush();
      schedule();
    } catch (e) {
      fail(
        `The saved part of this file could not be read: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** The hash list comes from the offerer, or from another holder if its list was refused. */
  function askForList() {
    if (state !== 'receiving' || list.complete()) return;
    const ok = usable();
    if (!ok.includes(metaFrom)) {
      const next = ok.includes(from) ? from : ok[0];
      // nobody to ask now: onHave / onPeerOpen ask again
      if (next === undefined) return;
      metaFrom = next;
    }
    ctx.sendControl(metaFrom, { type: 'accept', id });
  }

  /** A holder broke the protocol or sent a bad block: stop asking it. */
  function distrust(
    holder: string,
    why: string,
    last = 'The sender sent data that does not belong to this file, so the transfer was stopped.',
  ) {
    bad.add(holder);
    stalls.forget(holder);
    ctx.log(`transfer ${id}: not using ${holder} any more: ${why}`);
    if (holder === metaFrom) askForList();
    bytes -= requests.discardFrom(holder);
    if ([...holders].every((h) => bad.has(h))) return fail(last);
    schedule();
  }

  /** Holders other than the offerer that owe data and send none are dropped for this file. */
  function checkStalls() {
    if (state !== 'receiving') return;
    for (const h of stalls.stalled(Date.now(), requests.owedBy)) {
      // the offerer is the file's authority: a slow offerer is waited for, not dropped
      if (h === from) continue;
      distrust(h, 'stalled: blocks were requested from it and it sent no data');
    }
  }

  function completeBlock(blk: ActiveBlock, holder: string) {
    // the offerer's blocks too: a re-announced offer makes any holder the "offerer"
    if (!list.bytes()) return;
    if (!list.matches(hashers!.block, blk.b, blk.buf))
      return distrust(holder, `block ${blk.b} failed its SHA-256 check`, DAMAGED);
    requests.finished(blk);
    verified.set(blk.b, blk.buf);
    void flush();
    schedule();
  }

  async function flush() {
    if (writing) return;
    writing = true;
    try {
      while (state === 'receiving' && verified.has(written)) {
        const buf = verified.get(written)!;
        verified.delete(written);
        hashers!.whole.update(buf);
        await sink!.write(buf);
        written++;
        scheduleAck();
        schedule();
      }
    } catch (e) {
      return fail(`The file could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      writing = false;
    }
    if (state === 'receiving' && written === layout.blocks && list.complete()) await finish();
  }

  async function finish() {
    clearInterval(stallTimer);
    setState('verifying');
    const digest = hashers!.whole.digest('hex');
    if (digest !== list.sha256()) {
      ctx.log(`transfer ${id}: SHA-256 mismatch (got ${digest}, announced ${list.sha256()})`);
      return fail(DAMAGED);
    }
    try {
      const result = await sink!.close();
      if (state !== 'verifying') return;
      setState('done');
      sendAck();
      ctx.sendControl(from, { type: 'done', id });
      ctx.completed(id, result, layout);
    } catch (e) {
      fail(`The file could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * Stops every holder we asked and drops what we kept (`suspend`: the session ends, the sink
   * keeps its durable prefix for a later session instead).
   */
  function stop(next: TransferState, why: string, tell: FileControl | null, suspend = false) {
    if (state === 'done' || state === 'failed' || state === 'cancelled' || state === 'declined')
      return;
    const asked = new Set([from, ...holders]);
    if (tell) for (const h of asked) if (ctx.isOpen(h)) ctx.sendControl(h, tell);
    clearTimeout(ackTimer);
    ackTimer = undefined;
    clearInterval(stallTimer);
    requests.clear();
    verified.clear();
    if (suspend && sink?.resume) sink.resume.suspend();
    else void sink?.abort().catch(() => undefined);
    setState(next, why);
  }

  function fail(why: string) {
    stop('failed', why, { type: 'failed', id, reason: why });
  }

  const self: Incoming = {
    get id() {
      return id;
    },
    get from() {
      return from;
    },
    state: () => state,
    suspended: () => suspended,
    sha256: () => list.sha256() ?? offer.sha256,
    listDigest: () => offer.list ?? null,
    holding() {
      const hashes = list.bytes();
      const sha = list.sha256();
      if (state !== 'done' || !hashes || sha === null || offer.list === undefined) return null;
      const { folder: _folder, ...plain } = offer;
      return { offer: { ...plain, sha256: sha }, hashes };
    },
    continueFrom(next, peer) {
      const sha = list.sha256() ?? offer.sha256;
      if (state !== 'receiving' || sha === null || next.sha256 !== sha) return false;
      if (next.size !== offer.size || next.chunk !== offer.chunk || next.block !== offer.block)
        return false;
      requests.requeueAll();
      for (const h of holders) stalls.forget(h);
      holders.clear();
      holders.add(peer);
      bad.clear();
      id = next.id;
      from = metaFrom = peer;
      offer = { ...next, sha256: sha };
      // the new offerer learns we take it, sends its block hashes, and hears where we are
      ctx.sendControl(from, { type: 'accept', id });
      sendAck();
      schedule();
      ctx.stateChanged(self);
      return true;
    },
    setResumable(n) {
      if (state !== 'offered') return;
      resumable = Math.max(0, Math.min(n, offer.size));
      ctx.changed();
    },
    updateOffer(next) {
      if (offer.sha256 === null && next.sha256 !== null && next.size === offer.size)
        offer = { ...offer, sha256: next.sha256, ...(next.list ? { list: next.list } : {}) };
      ctx.changed();
    },
    async accept(s) {
      if (state !== 'offered') {
        await s.abort();
        return;
      }
      sink = s;
      list.allocate();
      if ((s.resume?.existing ?? 0) > 0) restoring = 'waiting';
      s.resume?.onDurable((n) => {
        if (restoring === 'no' && state === 'receiving') ctx.durable?.(self, n, s.resume!.place);
      });
      setState('receiving');
      rate.reset(0, Date.now());
      const [whole, block] = await Promise.all([makeHasher(), makeHasher()]);
      whole.init();
      hashers = { whole, block };
      if ((state as TransferState) !== 'receiving') return;
      stallTimer = setInterval(checkStalls, stallCheckMs);
      // the offerer hears we take it even when another holder sends the list
      ctx.sendControl(from, { type: 'accept', id });
      if (!usable().includes(metaFrom)) askForList();
      schedule();
    },
    decline() {
      if (state !== 'offered') return;
      ctx.sendControl(from, { type: 'decline', id });
      setState('declined');
    },
    cancel() {
      stop('cancelled', 'You cancelled this file.', { type: 'cancel', id, reason: 'receiver' });
    },
    onMeta(peer, msg) {
      if (peer !== metaFrom)
        return 'meta from a peer that did not offer the file (nor was asked for its list)';
      if (state !== 'receiving' || !list.bytes()) return `meta while ${state}`;
      const why = list.take(msg, offer.sha256);
      if (why !== null) {
        // a holder other than the offerer that sends a broken list is asked no more (it would
        // hold the download up); the offerer's frame is dropped as before
        if (peer !== from) distrust(peer, why);
        return why;
      }
      if (offer.sha256 === null) offer = { ...offer, sha256: msg.sha256 };
      if (list.complete() && offer.list !== undefined && hashers) {
        if (list.digest(hashers.block) !== offer.list) {
          // a holder cannot make us judge blocks by a list of its own: ask another for it
          list.forget();
          distrust(peer, 'its block hash list does not match the offer');
          return 'meta hash list does not match the offer';
        }
      }
      schedule();
      return null;
    },
    onHave(peer) {
      if (holders.has(peer)) return;
      holders.add(peer);
      if (state === 'receiving' && !usable().includes(metaFrom)) askForList();
      schedule();
      ctx.changed();
    },
    onData(peer, index, data) {
      if (state === 'verifying' || state === 'done') return 'chunk after the file was complete';
      if (state !== 'receiving') return `chunk while ${state}`;
      if (index >= layout.chunks) return `chunk index ${index} out of range`;
      const blk = requests.get(blockOf(layout, index));
      if (!blk || blk.holder !== peer) return `chunk ${index} was not requested from this peer`;
      const span = blockSpan(layout, blk.b);
      const expected = span.from + blk.got;
      const cs = chunkSpan(layout, index);
      let why: string | null = null;
      if (index !== expected) why = `wrong chunk index ${index} (expected ${expected})`;
      else if (data.length !== cs.length)
        why = `chunk ${index} has ${data.length} bytes (expected ${cs.length})`;
      if (why) {
        distrust(peer, why);
        return why;
      }
      blk.buf.set(data, cs.offset - span.offset);
      blk.got++;
      blk.filled += data.length;
      bytes += data.length;
      stalls.progress(peer, Date.now(), data.length);
      scheduleAck();
      ctx.changed();
      if (span.from + blk.got === span.to) completeBlock(blk, peer);
      return null;
    },
    onRemoteCancel(peer, reason) {
      if (peer === from && reason === UNREADABLE) {
        // nobody cancelled: the sender's file went away (a drive unplugged, a file deleted)
        failure = 'unreadable';
        stop('failed', "The sender's copy could not be read. Ask them to share it again.", null);
        return;
      }
      if (peer === from) {
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
      if (state !== 'receiving') return ctx.changed();
      if (peer === from) {
        if (!list.complete() && metaFrom === from) ctx.sendControl(from, { type: 'accept', id });
        sendAck();
      }
      if (!list.complete() && !usable().includes(metaFrom)) askForList();
      schedule();
      ctx.changed();
    },
    onPeerClose(peer) {
      requests.holderClosed(peer);
      schedule();
      ctx.changed();
    },
    view(now) {
      if (state === 'receiving') rate.update(bytes, now);
      const receiving = state === 'receiving';
      const waiting = receiving && usable().length === 0;
      return {
        id,
        direction: 'in',
        name: offer.name,
        size: offer.size,
        mime: offer.mime,
        sha256: list.sha256() ?? offer.sha256,
        peerId: from,
        peerOnline: ctx.isOpen(from),
        state,
        bytes: state === 'done' ? offer.size : bytes,
        speed: receiving && !waiting ? rate.speed(now) : null,
        stalled: receiving && !waiting && rate.stalled(now),
        etaSeconds: receiving && !waiting ? rate.eta(bytes, offer.size, now) : null,
        error: waiting ? 'Waiting for the sender to come back…' : error,
        ...(state === 'failed' && failure ? { failure } : {}),
        sources: receiving ? requests.sources() : 0,
        receivers: [],
        ...(resumable > 0 && state === 'offered' ? { resumeBytes: resumable } : {}),
      };
    },
    destroy() {
      if (state === 'offered' || state === 'receiving' || state === 'verifying') suspended = true;
      stop('cancelled', 'Closed.', null, true);
    },
  };
  return self;
}
