/**
 * makeTransfers({ room }): peer-to-peer file transfer on top of a Room. The public API the UI
 * (and tests) call; framework-free, runs in browsers and in Node.
 *
 *   const files = makeTransfers({ room });
 *   const id = files.offer(blobSource(file));          // offered to every peer, now and later
 *   files.on('change', () => render(files.list()));    // throttled progress/state snapshots
 *   await files.accept(id, sink?);                      // receiver; memory sink if none given
 *   files.decline(id); files.cancel(id);                // either side
 *   files.received(id)?.blob();                         // a finished incoming file
 *
 * Sender: hashes the file (whole SHA-256 + one per block), re-sends the offer with the hash,
 * answers `accept` with the block hash list and serves `want`s (server.ts). Receiver: see
 * incoming.ts. A receiver that finished with a re-readable copy announces `have` and serves it
 * too, so later receivers fetch from several peers at once.
 * Every file_control/file_data frame is validated; bad ones are dropped with a logged reason.
 * With a `resume` store, a download into a sink that outlives the session (sink.resume) is
 * recorded as it becomes durable; the same content offered again after a reload comes back with
 * `resumeBytes`, and accept() with the sink reopened from resumeOf(id) continues it.
 */
import {
  FILE_BLOCK_CHUNKS,
  FILE_CHUNK_BYTES,
  FILE_MAX_OFFERS_PER_PEER,
  FILE_MEMORY_SINK_MAX_BYTES,
} from '@peerboard/protocol';
import { makeEmitter } from '../emitter';
import type { Unsubscribe } from '../types';
import { makeIncoming, type Incoming } from './incoming';
import { makeLayout } from './layout';
import { DUPLICATE, makeOutgoing, type Outgoing, type OutgoingCtx } from './outgoing';
import {
  cleanFileName,
  idToHex,
  newTransferId,
  parseFileControl,
  sendMetaPages,
  type FileControl,
  type FileOffer,
} from './messages';
import { makeFolders, type FolderSource, type FolderView } from './folders';
import { makeImageBlobs, type ImageBlobs, type ImageBlobStore } from './imageBlobs';
import type { ResumeRecord, ResumeStore } from './resumeStore';
import type { TransferRoom } from './room';
import { makeServer, UNREADABLE } from './server';
import { makeMemorySink, type FileSink, type ReceivedFile } from './sink';
import type { FileSource } from './source';
import type { TransferState, TransferView } from './types';

export interface TransfersOptions {
  room: TransferRoom;
  log?: (msg: string) => void;
  /** data bytes per chunk (default FILE_CHUNK_BYTES: one chunk frame = one wire message) */
  chunkBytes?: number;
  blockChunks?: number;
  windowBlocks?: number;
  perHolderBlocks?: number;
  /** least time a swarm holder may owe requested data without sending any (default 4 s) */
  stallMs?: number;
  /** a source read that takes longer fails that file's request (default 30 s, server.ts) */
  readTimeoutMs?: number;
  /** accept() without a sink assembles in memory up to this size */
  memorySinkMaxBytes?: number;
  /** every chunk handed to the channel (tests count resends) */
  onChunkSent?: (peerId: string, id: string, index: number, bytes: number) => void;
  /** remembers unfinished downloads across sessions (resumeStore.ts); none: nothing is kept */
  resume?: ResumeStore;
  /** where board images are kept across reloads (imageBlobs.ts); none: memory only */
  imageStore?: ImageBlobStore;
}

export type TransfersEvents = {
  /** something changed; at most every CHANGE_MS */
  change: null;
  /** a transfer (or one receiver of an outgoing file) changed state; immediate */
  state: { id: string; direction: 'in' | 'out'; state: TransferState; peerId: string };
};

export interface Transfers {
  offer(source: FileSource): string;
  /** Offers a folder as one item: a manifest of its tree, then one offer per file. */
  offerFolder(folder: FolderSource): string;
  /** shared folders, ours and offered to us (their files are in list() too) */
  folders(): FolderView[];
  folder(id: string): FolderView | null;
  /** Sender: stops sharing the folder (every file, offered or still waiting to be hashed). */
  cancelFolder(id: string): void;
  /**
   * Receiver: declines a folder: its files offered so far, and those its sender offers later
   * (a folder's files come a few at a time as the sender hashes them). Files being received
   * are cancelled.
   */
  declineFolder(id: string): void;
  /** Forgets a folder (its files stay transfers: cancel or remove them first). */
  forgetFolder(id: string): void;
  /** Starts receiving. Rejects with a plain-language Error if the file needs a streaming sink. */
  accept(id: string, sink?: FileSink): Promise<void>;
  decline(id: string): void;
  /** Sender: withdraws the file for everyone. Receiver: stops this download. */
  cancel(id: string): void;
  /** Forgets a finished transfer (removes it from the list). */
  remove(id: string): void;
  list(): TransferView[];
  get(id: string): TransferView | null;
  received(id: string): ReceivedFile | null;
  /** what an earlier session kept of this incoming offer (open the sink from its place) */
  resumeOf(id: string): ResumeRecord | null;
  /** "Forget": drops what an earlier session kept of this offer; it downloads afresh */
  forgetResume(id: string): void;
  /**
   * where unfinished downloads are remembered (a folder keeps its record there), if anywhere;
   * null once destroyed: a session that ends (a closed tab) forgets nothing it kept
   */
  readonly resumeStore: ResumeStore | null;
  on<K extends keyof TransfersEvents>(e: K, fn: (p: TransfersEvents[K]) => void): Unsubscribe;
  /** diagnostics: requests being served, frames dropped */
  stats(): { serving: number; dropped: number };
  /** board image bytes by SHA-256 (never in list(): they are not files anyone offered) */
  readonly images: ImageBlobs;
  destroy(): void;
}

const CHANGE_MS = 100;

export function tooBigForMemory(max = FILE_MEMORY_SINK_MAX_BYTES): string {
  const mb = Math.round(max / 2 ** 20);
  return `This file is larger than ${mb} MB and this browser cannot save straight to disk, so it would have to fit in memory. Use a browser that can save to disk (Chrome or Edge), or ask for a smaller file.`;
}

export function makeTransfers(o: TransfersOptions): Transfers {
  const { room } = o;
  const baseLog = o.log ?? ((m: string) => console.warn(`[peerboard] files: ${m}`));
  const events = makeEmitter<TransfersEvents>((e, err) =>
    baseLog(`"${e}" listener threw: ${String(err)}`),
  );
  const chunkBytes = o.chunkBytes ?? FILE_CHUNK_BYTES;
  const blockChunks = o.blockChunks ?? FILE_BLOCK_CHUNKS;
  const memoryMax = o.memorySinkMaxBytes ?? FILE_MEMORY_SINK_MAX_BYTES;
  const outgoing = new Map<string, Outgoing>();
  const incoming = new Map<string, Incoming>();
  const results = new Map<string, ReceivedFile>();
  /** `have` announcements that arrived before the offer (bounded) */
  const earlyHaves = new Map<string, Set<string>>();
  const offersFrom = new Map<string, number>();
  /** a folder file that carries on as a re-shared folder's file: old id -> new id */
  const renamed = new Map<string, string>();
  /** the id a transfer goes by now (a folder file re-shared by its sender has a new one) */
  const resolve = (id: string) => {
    let at = id;
    for (let hops = 0; hops < 64 && !incoming.has(at) && renamed.has(at); hops++)
      at = renamed.get(at)!;
    return at;
  };
  /** outgoing id -> name, size and modification time of its source (one offer per content) */
  const sourceKeys = new Map<string, string>();
  const isLive = (out: Outgoing) => out.state() === 'preparing' || out.state() === 'offered';
  let dropped = 0;
  let changeTimer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;
  const open = new Set(room.openPeers());
  /** resume records found for offers, by SHA-256 */
  const kept = new Map<string, ResumeRecord>();
  const layouts = new WeakMap<Incoming, { chunk: number; block: number }>();
  /** store writes, one after another: a drop never overtakes the last put */
  let storeQueue = Promise.resolve();
  const store = (what: string, fn: (r: ResumeStore) => Promise<void>) => {
    const r = o.resume;
    if (!r) return;
    storeQueue = storeQueue.then(() => fn(r)).catch((e) => baseLog(`resume ${what}: ${String(e)}`));
  };

  function lookResume(inc: Incoming) {
    const sha = inc.sha256();
    const r = o.resume;
    if (!r || !sha || inc.state() !== 'offered') return;
    const shape = layouts.get(inc)!;
    void r
      .find(sha)
      .then((rec) => {
        if (!rec || inc.state() !== 'offered') return;
        const v = inc.view(Date.now());
        if (rec.size !== v.size || rec.chunk !== shape.chunk || rec.block !== shape.block) return;
        kept.set(sha, rec);
        inc.setResumable(rec.bytes);
      })
      .catch((e) => baseLog(`resume lookup: ${String(e)}`));
  }

  function incomingState(inc: Incoming) {
    const sha = inc.sha256();
    const s = inc.state();
    if (
      sha &&
      !inc.suspended() &&
      (s === 'done' || s === 'declined' || s === 'cancelled' || s === 'failed')
    ) {
      kept.delete(sha);
      store('drop', (r) => r.drop(sha, s !== 'done'));
    }
    stateEvent(inc.id, 'in', s, inc.from);
  }

  const drop = (from: string, why: string) => {
    dropped++;
    if (dropped <= 20 || dropped % 1000 === 0)
      baseLog(`dropped file frame from ${from} (#${dropped}): ${why}`);
  };
  const changed = () => {
    if (changeTimer !== undefined || destroyed) return;
    changeTimer = setTimeout(() => {
      changeTimer = undefined;
      if (!destroyed) events.emit('change', null);
    }, CHANGE_MS);
  };
  const stateEvent = (
    id: string,
    direction: 'in' | 'out',
    state: TransferState,
    peerId: string,
  ) => {
    events.emit('state', { id, direction, state, peerId });
    if (direction === 'out') folders.pump();
    changed();
  };
  const sendControl = (peerId: string, msg: FileControl) =>
    room.send(peerId, { type: 'file_control', msg }, 'control');

  const server = makeServer({
    room,
    log: (m) => baseLog(m),
    onChunkSent: o.onChunkSent,
    readTimeoutMs: o.readTimeoutMs,
    onReadFailed(peerId, id, why) {
      // the receiver stops waiting (or asks another holder); the offer shows who it failed for
      sendControl(peerId, { type: 'cancel', id, reason: UNREADABLE });
      outgoing.get(id)?.onFailed(peerId, `This file could not be read any more (${why}).`);
    },
  });

  const outgoingCtx: OutgoingCtx = {
    clientId: room.clientId,
    sendControl,
    isOpen: (p) => open.has(p),
    broadcast: (msg) => void room.broadcast({ type: 'file_control', msg }),
    serve: (id, source, layout) => server.add(id, source, layout),
    unserve: (id) => server.remove(id),
    changed,
    stateChanged: (id, state, peerId) => stateEvent(id, 'out', state, peerId),
    stopped: () => destroyed,
    merged(id, sha256) {
      // a folder keeps every file, twins included
      if (folders.isMember(id)) return false;
      const twin = [...outgoing.values()].find(
        (out) => out.id !== id && out.state() === 'offered' && out.offer().sha256 === sha256,
      );
      if (!twin) return false;
      outgoing.delete(id);
      sourceKeys.delete(id);
      changed();
      return true;
    },
  };

  /**
   * A re-share of a file we were downloading from someone who left (same SHA-256, size, name):
   * the unfinished download continues from the new offer instead of a second offer appearing.
   */
  function continueDownload(from: string, offer: FileOffer): boolean {
    if (offer.sha256 === null) return false;
    for (const inc of incoming.values()) {
      if (inc.id === offer.id || open.has(inc.from) || inc.sha256() !== offer.sha256) continue;
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
    const shape = layouts.get(inc)!;
    const list = inc.listDigest();
    return (
      inc.sha256() === offer.sha256 &&
      v.size === offer.size &&
      shape.chunk === offer.chunk &&
      shape.block === offer.block &&
      list === (offer.list ?? null)
    );
  }

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
      if (knew === null) lookResume(existing);
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
    const inc = makeIncoming(offer, from, {
      sendControl,
      isOpen: (p) => open.has(p),
      log: baseLog,
      changed,
      stateChanged: incomingState,
      durable(i, bytes, place) {
        const sha = i.sha256();
        if (!sha || destroyed) return;
        const v = i.view(Date.now());
        const rec: ResumeRecord = {
          sha256: sha,
          ...layouts.get(i)!,
          size: v.size,
          name: v.name,
          mime: v.mime,
          sender: i.from,
          bytes,
          place,
        };
        store('put', (r) => r.put(rec));
      },
      completed(id, result, layout) {
        results.set(id, result);
        if (!result.source || server.has(id)) return;
        server.add(id, result.source, layout);
        const held = incoming.get(id)?.holding();
        if (held) void room.broadcast({ type: 'file_control', msg: held.offer });
        void room.broadcast({ type: 'file_control', msg: { type: 'have', id } });
      },
      windowBlocks: o.windowBlocks,
      perHolderBlocks: o.perHolderBlocks,
      stallMs: o.stallMs,
    });
    incoming.set(offer.id, inc);
    layouts.set(inc, { chunk: offer.chunk, block: offer.block });
    lookResume(inc);
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

  const images = makeImageBlobs({
    room,
    log: (m) => baseLog(`images: ${m}`),
    store: o.imageStore,
  });

  const subs: Unsubscribe[] = [
    room.onFrame('file_control', (frame, from) => {
      if (frame.msg.type.startsWith('image_')) return images.onControl(from, frame.msg);
      const parsed = parseFileControl(frame.msg);
      if (!parsed.ok) return drop(from, `${parsed.code}: ${parsed.message}`);
      onControl(from, parsed.value);
    }),
    room.onFrame('file_data', (frame, from) => {
      const id = idToHex(frame.transferId);
      if (images.onData(from, id, frame.index, frame.data)) return;
      const inc = incoming.get(id);
      if (!inc) return drop(from, 'chunk of an unknown transfer');
      const why = inc.onData(from, frame.index, frame.data);
      if (why) drop(from, why);
    }),
    room.on('peer_open', ({ id: peer }) => {
      open.add(peer);
      folders.announce(peer);
      for (const out of outgoing.values()) out.announce(peer);
      for (const inc of incoming.values()) {
        if (results.get(inc.id)?.source && server.has(inc.id)) {
          // a newcomer may never have seen the offerer: the offer comes from us too
          const held = inc.holding();
          if (held) sendControl(peer, held.offer);
          sendControl(peer, { type: 'have', id: inc.id });
        }
        inc.onPeerOpen(peer);
      }
      changed();
    }),
    room.on('peer_close', ({ id: peer, reason }) => {
      open.delete(peer);
      server.dropPeer(peer);
      for (const inc of incoming.values()) inc.onPeerClose(peer);
      for (const out of outgoing.values()) out.onPeerClose(peer, reason);
      changed();
    }),
  ];

  const folders = makeFolders({
    clientId: room.clientId,
    sendControl,
    broadcast: (msg) => void room.broadcast({ type: 'file_control', msg }),
    offerMember(id, source, name, folder) {
      const layout = makeLayout(source.size, chunkBytes, blockChunks);
      const offer = { ...offerOf(id, source, name), folder };
      outgoing.set(id, makeOutgoing(offer, source, layout, outgoingCtx));
    },
    isPreparing: (id) => outgoing.get(id)?.state() === 'preparing',
    isLive: (id) => {
      const out = outgoing.get(id);
      return out !== undefined && isLive(out);
    },
    isOpen: (p) => open.has(p),
    resolve,
    changed,
  });

  const offerOf = (id: string, source: FileSource, name: string): FileOffer => ({
    type: 'offer',
    id,
    name,
    size: source.size,
    mime: /^[\w.+-]+\/[\w.+-]+$/.test(source.type) ? source.type.slice(0, 127) : '',
    chunk: chunkBytes,
    block: blockChunks,
    sha256: null,
  });

  return {
    offerFolder: (folder) => folders.offer(folder),
    folders: () => folders.list(),
    folder: (id) => folders.get(id),
    cancelFolder(id) {
      folders.unqueue(id);
      for (const f of folders.get(id)?.files ?? []) outgoing.get(f.id)?.cancel();
    },
    declineFolder(id) {
      const f = folders.get(id);
      if (f?.direction !== 'in') return;
      folders.decline(id);
      for (const { id: fid } of f.files) {
        const inc = incoming.get(fid);
        if (inc?.state() === 'offered') inc.decline();
        else if (inc?.state() === 'receiving' || inc?.state() === 'verifying') inc.cancel();
      }
    },
    forgetFolder: (id) => folders.remove(id),
    offer(source) {
      const name = cleanFileName(source.name).slice(0, 255);
      const key = JSON.stringify([name, source.size, source.lastModified ?? null]);
      for (const out of outgoing.values())
        if (isLive(out) && sourceKeys.get(out.id) === key) return out.id;
      const id = newTransferId();
      sourceKeys.set(id, key);
      const layout = makeLayout(source.size, chunkBytes, blockChunks);
      outgoing.set(id, makeOutgoing(offerOf(id, source, name), source, layout, outgoingCtx));
      return id;
    },
    async accept(id, sink) {
      const inc = incoming.get(resolve(id));
      if (!inc) throw new Error('This file is no longer offered.');
      const view = inc.view(Date.now());
      if (!sink && view.size > memoryMax) throw new Error(tooBigForMemory(memoryMax));
      await inc.accept(sink ?? makeMemorySink(view.name, view.mime));
    },
    decline(id) {
      incoming.get(resolve(id))?.decline();
    },
    cancel(id) {
      const inc = incoming.get(resolve(id));
      if (inc) return inc.cancel();
      outgoing.get(id)?.cancel();
    },
    remove(given) {
      const id = resolve(given);
      const inc = incoming.get(id);
      if (inc) {
        inc.destroy();
        incoming.delete(id);
      }
      const out = outgoing.get(id);
      if (out && !isLive(out)) {
        outgoing.delete(id);
        sourceKeys.delete(id);
      }
      results.delete(id);
      server.remove(id);
      changed();
    },
    list() {
      const now = Date.now();
      return [
        ...[...outgoing.values()].map((out) => out.view(now)),
        ...[...incoming.values()].map((inc) => inc.view(now)),
      ];
    },
    get(id) {
      const now = Date.now();
      const out = outgoing.get(id);
      if (out) return out.view(now);
      return incoming.get(resolve(id))?.view(now) ?? null;
    },
    received: (id) => results.get(resolve(id)) ?? null,
    resumeOf(id) {
      const sha = incoming.get(resolve(id))?.sha256();
      return (sha && kept.get(sha)) || null;
    },
    forgetResume(id) {
      const inc = incoming.get(resolve(id));
      const sha = inc?.sha256();
      if (!inc || !sha || !kept.delete(sha)) return;
      inc.setResumable(0);
      store('forget', (r) => r.drop(sha, true));
    },
    get resumeStore() {
      return destroyed ? null : (o.resume ?? null);
    },
    on: (e, fn) => events.on(e, fn),
    stats: () => ({ serving: server.pending(), dropped }),
    images,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      images.destroy();
      clearTimeout(changeTimer);
      for (const s of subs) s();
      for (const inc of incoming.values()) inc.destroy();
      for (const out of outgoing.values()) out.destroy();
      server.destroy();
      events.clear();
    },
  };
}
