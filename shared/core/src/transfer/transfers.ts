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
import { makeFolders } from './folders';
import { makeImageBlobs } from './imageBlobs';
import { makeReshare } from './reshare';
import { makeResumeKeeper } from './resumeKeeper';
import { makeServer, UNREADABLE } from './server';
import type { Transfers, TransfersEvents, TransfersOptions } from './transfersApi';
import { makeMemorySink, type ReceivedFile } from './sink';
import type { FileSource } from './source';
import type { TransferState } from './types';

export type { Transfers, TransfersEvents, TransfersOptions } from './transfersApi';

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
  const { resolve, continueDownload, carryOver, sameFile } = makeReshare({
    incoming,
    isOpen: (p) => open.has(p),
    shapeOf: (inc) => layouts.get(inc)!,
    sendControl: (peerId, msg) => void sendControl(peerId, msg),
    changed: () => changed(),
  });
  /** outgoing id -> name, size and modification time of its source (one offer per content) */
  const sourceKeys = new Map<string, string>();
  const isLive = (out: Outgoing) => out.state() === 'preparing' || out.state() === 'offered';
  let dropped = 0;
  let changeTimer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;
  const open = new Set(room.openPeers());
  const layouts = new WeakMap<Incoming, { chunk: number; block: number }>();
  const keeper = makeResumeKeeper({
    store: o.resume,
    log: baseLog,
    shapeOf: (inc) => layouts.get(inc)!,
    stopped: () => destroyed,
  });

  function incomingState(inc: Incoming) {
    keeper.stateChanged(inc);
    stateEvent(inc.id, 'in', inc.state(), inc.from);
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
    const inc = makeIncoming(offer, from, {
      sendControl,
      isOpen: (p) => open.has(p),
      log: baseLog,
      changed,
      stateChanged: incomingState,
      durable: keeper.durable,
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
      const inc = incoming.get(resolve(id));
      return inc ? keeper.recordOf(inc) : null;
    },
    forgetResume(id) {
      const inc = incoming.get(resolve(id));
      if (inc) keeper.forget(inc);
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
