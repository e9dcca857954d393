/**
 * The object makeTransfers (transfers.ts) returns: the public API (its shape is transfersApi.ts)
 * over the hub's transfers, folders, results and resume records.
 */
import { FILE_MEMORY_SINK_MAX_BYTES } from '@peerboard/protocol';
import type { Emitter } from '../emitter';
import type { Folders } from './folders';
import type { ImageBlobs } from './imageBlobs';
import type { Incoming } from './incoming';
import { makeLayout } from './layout';
import { cleanFileName, newTransferId, type FileOffer } from './messages';
import { makeOutgoing, type Outgoing, type OutgoingCtx } from './outgoing';
import type { ResumeKeeper } from './resumeKeeper';
import type { ResumeStore } from './resumeStore';
import type { Server } from './server';
import { makeMemorySink, type ReceivedFile } from './sink';
import type { FileSource } from './source';
import type { Transfers, TransfersEvents } from './transfersApi';

export function tooBigForMemory(max = FILE_MEMORY_SINK_MAX_BYTES): string {
  const mb = Math.round(max / 2 ** 20);
  return `This file is larger than ${mb} MB and this browser cannot save straight to disk, so it would have to fit in memory. Use a browser that can save to disk (Chrome or Edge), or ask for a smaller file.`;
}

export interface TransfersHandleCtx {
  outgoing: Map<string, Outgoing>;
  incoming: Map<string, Incoming>;
  results: Map<string, ReceivedFile>;
  /** outgoing id -> name, size and modification time of its source (one offer per content) */
  sourceKeys: Map<string, string>;
  folders: Folders;
  server: Server;
  keeper: ResumeKeeper;
  images: ImageBlobs;
  events: Emitter<TransfersEvents>;
  /** where unfinished downloads are remembered (TransfersOptions.resume), if anywhere */
  resume(): ResumeStore | undefined;
  chunkBytes: number;
  blockChunks: number;
  /** accept() without a sink assembles in memory up to this size */
  memoryMax: number;
  outgoingCtx: OutgoingCtx;
  /** the offer of `source` under `id` as `name` */
  offerOf(id: string, source: FileSource, name: string): FileOffer;
  /** the id a transfer goes by now (reshare.ts) */
  resolve(id: string): string;
  /** an outgoing file still being hashed or offered */
  isLive(out: Outgoing): boolean;
  changed(): void;
  /** frames dropped so far */
  dropped(): number;
  /** destroyed */
  stopped(): boolean;
  destroy(): void;
}

export function makeTransfersHandle(ctx: TransfersHandleCtx): Transfers {
  const { outgoing, incoming, results, sourceKeys, folders, server, keeper, images, events } = ctx;
  const { chunkBytes, blockChunks, memoryMax, outgoingCtx, offerOf, resolve, isLive, changed } =
    ctx;

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
      return ctx.stopped() ? null : (ctx.resume() ?? null);
    },
    on: (e, fn) => events.on(e, fn),
    stats: () => ({ serving: server.pending(), dropped: ctx.dropped() }),
    images,
    destroy: () => ctx.destroy(),
  };
}
