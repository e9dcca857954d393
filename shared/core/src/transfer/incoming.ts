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
 *   read back once the hash list is complete and every block is checked against its SHA-256 and
 *   fed to the whole-file hash; the first block that fails ends the kept prefix. Only the blocks
 *   after it are requested, and the whole-file SHA-256 still covers every byte.
 */
import {
  FILE_HASHES_PER_META,
  FILE_HOLDER_OUTSTANDING_BLOCKS,
  FILE_RECEIVE_WINDOW_BLOCKS,
} from '@peerboard/protocol';
import type { IHasher } from 'hash-wasm';
import { listDigest, makeHasher } from './hashing';
import { UNREADABLE } from './server';
import { blockOf, blockSpan, chunkSpan, makeLayout, type Layout } from './layout';
import { base64ToBytes, type FileControl, type FileOffer } from './messages';
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

interface ActiveBlock {
  b: number;
  holder: string | null;
  /** chunks received, in order */
  got: number;
  filled: number;
  buf: Uint8Array;
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
  const windowBlocks = ctx.windowBlocks ?? FILE_RECEIVE_WINDOW_BLOCKS;
  const perHolder = ctx.perHolderBlocks ?? FILE_HOLDER_OUTSTANDING_BLOCKS;
  const metaPages = Math.ceil(layout.blocks / FILE_HASHES_PER_META);
  let state: TransferState = 'offered';
  let error: string | null = null;
  let failure: 'unreadable' | null = null;
  let sink: FileSink | null = null;
  let hashers: { whole: IHasher; block: IHasher } | null = null;
  let metaSha: string | null = null;
  /** the holder we asked for the hash list (the offerer unless its list was refused) */
  let metaFrom = from;
  /** per-block SHA-256 list: allocated on accept, never for an offer nobody took */
  let hashes: Uint8Array | null = null;
  const pagesSeen = new Set<number>();
  const holders = new Set<string>([from]);
  const bad = new Set<string>();
  const outstanding = new Map<string, number>();
  const active = new Map<number, ActiveBlock>();
  let retry: number[] = [];
  const verified = new Map<number, Uint8Array>();
  let nextBlock = 0;
  let written = 0;
  let writing = false;
  let bytes = 0;
  let ackTimer: ReturnType<typeof setTimeout> | undefined;
  const rate = makeRate();
  const stalls = makeStallWatch(ctx.stallMs);
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
  const metaComplete = () => metaSha !== null && pagesSeen.size === metaPages;
  const usable = () => [...holders].filter((h) => !bad.has(h) && ctx.isOpen(h));

  const contiguousChunks = () => {
    let b = written;
    let upto = Math.min(layout.chunks, b * layout.blockChunks);
    while (verified.has(b)) upto = blockSpan(layout, b++).to;
    return upto + (active.get(b)?.got ?? 0);
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

  const release = (blk: ActiveBlock) => {
    if (blk.holder === null) return;
    const n = (outstanding.get(blk.holder) ?? 1) - 1;
    if (n > 0) outstanding.set(blk.holder, n);
    else {
      outstanding.delete(blk.holder);
      stalls.forget(blk.holder);
    }
    blk.holder = null;
  };
  const requeue = (blk: ActiveBlock) => {
    release(blk);
    if (!retry.includes(blk.b)) retry = [...retry, blk.b].sort((a, b) => a - b);
  };

  function schedule() {
    if (state !== 'receiving' || !metaComplete() || !hashers) return;
    if (restoring !== 'no') {
      if (restoring === 'waiting') void restore();
      return;
    }
    if (layout.blocks === 0) return void flush();
    const candidates = usable();
    const pick = (b: number) => {
      // the head of the window gates every write: the offerer has it when it can, since a
      // swarm holder is the one more likely to be slow or lying
      const head = b < written + perHolder;
      if (head && candidates.includes(from) && (outstanding.get(from) ?? 0) < perHolder)
        return from;
      let best: string | null = null;
      let least = perHolder;
      for (const h of candidates) {
        const n = outstanding.get(h) ?? 0;
        if (n < least) [best, least] = [h, n];
      }
      return best;
    };
    for (;;) {
      const fromRetry = retry.length > 0;
      const b = fromRetry ? retry[0]! : nextBlock;
      if (!fromRetry && (nextBlock >= layout.blocks || nextBlock >= written + windowBlocks)) break;
      const h = pick(b);
      if (h === null) break;
      if (fromRetry) retry.shift();
      else nextBlock++;
      const span = blockSpan(layout, b);
      let blk = active.get(b);
      if (!blk) {
        blk = { b, holder: null, got: 0, filled: 0, buf: new Uint8Array(span.length) };
        active.set(b, blk);
      }
      blk.holder = h;
      const owed = outstanding.get(h) ?? 0;
      if (owed === 0) stalls.progress(h, Date.now(), 0);
      outstanding.set(h, owed + 1);
      ctx.sendControl(h, { type: 'want', id, from: span.from + blk.got, to: span.to });
    }
  }

  /** Reads back what an earlier session kept and keeps the prefix whose blocks verify. */
  async function restore() {
    restoring = 'running';
    const kept = sink!.resume!;
    const h = hashers!;
    try {
      let b = 0;
      for (; b < layout.blocks; b++) {
        const span = blockSpan(layout, b);
        if (span.offset + span.length > kept.existing) break;
        const data = await kept.read(span.offset, span.length);
        if (state !== 'receiving') return;
        h.block.init();
        h.block.update(data);
        const got = h.block.digest('binary');
        const want = hashes!.subarray(b * 32, b * 32 + 32);
        if (data.length !== span.length || !got.every((v, i) => v === want[i])) {
          ctx.log(
            `transfer ${id}: kept block ${b} does not match its SHA-256; fetching from there`,
          );
          break;
        }
        h.whole.update(data);
        bytes += data.length;
      }
      const keep = b === 0 ? 0 : blockSpan(layout, b - 1).offset + blockSpan(layout, b - 1).length;
      await kept.keep(keep);
      if (state !== 'receiving') return;
      written = nextBlock = b;
      resumable = 0;
      rate.reset(bytes, Date.now());
      restoring = 'no';
      ctx.durable?.(self, keep, kept.place);
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
    if (state !== 'receiving' || metaComplete()) return;
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
    for (const blk of active.values()) {
      if (blk.holder !== holder) continue;
      bytes -= blk.filled;
      blk.got = blk.filled = 0;
      requeue(blk);
    }
    if ([...holders].every((h) => bad.has(h))) return fail(last);
    schedule();
  }

  /** Holders other than the offerer that owe data and send none are dropped for this file. */
  function checkStalls() {
    if (state !== 'receiving') return;
    const now = Date.now();
    const owed = (h: string) => {
      let n = 0;
      for (const blk of active.values())
        if (blk.holder === h) n += blockSpan(layout, blk.b).length - blk.filled;
      return n;
    };
    for (const h of stalls.stalled(now, owed)) {
      // the offerer is the file's authority: a slow offerer is waited for, not dropped
      if (h === from) continue;
      distrust(h, 'stalled: blocks were requested from it and it sent no data');
    }
  }

  function completeBlock(blk: ActiveBlock, holder: string) {
    // the offerer's blocks too: a re-announced offer makes any holder the "offerer"
    {
      const h = hashers!.block;
      h.init();
      h.update(blk.buf);
      const got = h.digest('binary');
      const want = hashes?.subarray(blk.b * 32, blk.b * 32 + 32);
      if (!want) return;
      if (!got.every((v, i) => v === want[i])) {
        return distrust(holder, `block ${blk.b} failed its SHA-256 check`, DAMAGED);
      }
    }
    release(blk);
    active.delete(blk.b);
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
    if (state === 'receiving' && written === layout.blocks && metaComplete()) await finish();
  }

  async function finish() {
    clearInterval(stallTimer);
    setState('verifying');
    const digest = hashers!.whole.digest('hex');
    if (digest !== metaSha) {
      ctx.log(`transfer ${id}: SHA-256 mismatch (got ${digest}, announced ${metaSha})`);
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
    active.clear();
    verified.clear();
    retry = [];
    outstanding.clear();
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
    sha256: () => metaSha ?? offer.sha256,
    listDigest: () => offer.list ?? null,
    holding() {
      if (state !== 'done' || !hashes || metaSha === null || offer.list === undefined) return null;
      const { folder: _folder, ...plain } = offer;
      return { offer: { ...plain, sha256: metaSha }, hashes };
    },
    continueFrom(next, peer) {
      const sha = metaSha ?? offer.sha256;
      if (state !== 'receiving' || sha === null || next.sha256 !== sha) return false;
      if (next.size !== offer.size || next.chunk !== offer.chunk || next.block !== offer.block)
        return false;
      for (const blk of active.values()) requeue(blk);
      outstanding.clear();
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
      hashes = new Uint8Array(layout.blocks * 32);
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
      if (state !== 'receiving' || !hashes) return `meta while ${state}`;
      const list = base64ToBytes(msg.hashes);
      const count = Math.min(FILE_HASHES_PER_META, layout.blocks - msg.first);
      const why =
        offer.sha256 !== null && msg.sha256 !== offer.sha256
          ? 'meta disagrees with offer'
          : metaSha !== null && msg.sha256 !== metaSha
            ? 'meta changed its sha256'
            : (
                  layout.blocks === 0
                    ? msg.first !== 0
                    : msg.first % FILE_HASHES_PER_META !== 0 || msg.first >= layout.blocks
                )
              ? `bad meta page ${msg.first}`
              : !list || list.length !== count * 32
                ? 'meta hash list has the wrong length'
                : null;
      if (why !== null || !list) {
        // a holder other than the offerer that sends a broken list is asked no more (it would
        // hold the download up); the offerer's frame is dropped as before
        if (peer !== from) distrust(peer, why ?? 'bad hash list');
        return why ?? 'bad hash list';
      }
      hashes.set(list, msg.first * 32);
      metaSha = msg.sha256;
      if (layout.blocks > 0) pagesSeen.add(msg.first);
      if (offer.sha256 === null) offer = { ...offer, sha256: msg.sha256 };
      if (metaComplete() && offer.list !== undefined && hashers) {
        const got = listDigest(hashers.block, hashes);
        if (got !== offer.list) {
          // a holder cannot make us judge blocks by a list of its own: ask another for it
          metaSha = null;
          pagesSeen.clear();
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
      const blk = active.get(blockOf(layout, index));
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
        if (!metaComplete() && metaFrom === from) ctx.sendControl(from, { type: 'accept', id });
        sendAck();
      }
      if (!metaComplete() && !usable().includes(metaFrom)) askForList();
      schedule();
      ctx.changed();
    },
    onPeerClose(peer) {
      for (const blk of active.values()) if (blk.holder === peer) requeue(blk);
      outstanding.delete(peer);
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
        sha256: metaSha ?? offer.sha256,
        peerId: from,
        peerOnline: ctx.isOpen(from),
        state,
        bytes: state === 'done' ? offer.size : bytes,
        speed: receiving && !waiting ? rate.speed(now) : null,
        stalled: receiving && !waiting && rate.stalled(now),
        etaSeconds: receiving && !waiting ? rate.eta(bytes, offer.size, now) : null,
        error: waiting ? 'Waiting for the sender to come back…' : error,
        ...(state === 'failed' && failure ? { failure } : {}),
        sources: receiving
          ? new Set([...active.values()].map((b) => b.holder).filter(Boolean)).size
          : 0,
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
