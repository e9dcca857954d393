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
 * Control frames are dispatched in transfersControl.ts; the returned object is transfersHandle.ts.
 */
import {
  FILE_BLOCK_CHUNKS,
  FILE_CHUNK_BYTES,
  FILE_MEMORY_SINK_MAX_BYTES,
} from '@peerboard/protocol';
import { makeEmitter } from '../emitter';
import type { Unsubscribe } from '../types';
import { makeIncoming, type Incoming } from './incoming';
import { makeLayout } from './layout';
import { makeOutgoing, type Outgoing, type OutgoingCtx } from './outgoing';
import { idToHex, parseFileControl, type FileControl, type FileOffer } from './messages';
import { makeFolders } from './folders';
import { makeImageBlobs } from './imageBlobs';
import { makeReshare } from './reshare';
import { makeResumeKeeper } from './resumeKeeper';
import { makeServer, UNREADABLE } from './server';
import type { Transfers, TransfersEvents, TransfersOptions } from './transfersApi';
import { makeTransfersControl } from './transfersControl';
import { makeTransfersHandle } from './transfersHandle';
import type { ReceivedFile } from './sink';
import type { FileSource } from './source';
import type { TransferState } from './types';

export type { Transfers, TransfersEvents, TransfersOptions } from './transfersApi';
export { tooBigForMemory } from './transfersHandle';

const CHANGE_MS = 100;

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

  /** A new incoming transfer for an offer transfersControl.ts admits. */
  const newIncoming = (offer: FileOffer, from: string) =>
    makeIncoming(offer, from, {
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
      control.onControl(from, parsed.value);
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

  const control = makeTransfersControl({
    outgoing,
    incoming,
    earlyHaves,
    offersFrom,
    layouts,
    server,
    folders,
    keeper,
    reshare: { continueDownload, carryOver, sameFile },
    sendControl,
    drop,
    changed,
    stateEvent,
    newIncoming,
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

  /** Ends the session (the public destroy(), transfersHandle.ts). */
  function destroy() {
    if (destroyed) return;
    destroyed = true;
    images.destroy();
    clearTimeout(changeTimer);
    for (const s of subs) s();
    for (const inc of incoming.values()) inc.destroy();
    for (const out of outgoing.values()) out.destroy();
    server.destroy();
    events.clear();
  }

  return makeTransfersHandle({
    outgoing,
    incoming,
    results,
    sourceKeys,
    folders,
    server,
    keeper,
    images,
    events,
    resume: () => o.resume,
    chunkBytes,
    blockChunks,
    memoryMax,
    outgoingCtx,
    offerOf,
    resolve,
    isLive,
    changed,
    dropped: () => dropped,
    stopped: () => destroyed,
    destroy,
  });
}
