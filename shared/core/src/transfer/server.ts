/**
 * Serves chunk requests (`want`) for the files this client can give out: the ones it offered
 * and the ones it holds a verified copy of (swarm). One send loop per requesting peer; each
 * chunk goes out with bulk priority and the loop awaits the scheduler before reading on, so a
 * slow peer costs one block of memory here (one block read ahead), never the file.
 *
 * Requests are receiver-driven: the receiver decides which ranges it wants from whom and how
 * many are outstanding, so resume after a dropped link and swarm downloads need nothing extra
 * on this side: it sends what is asked, in order.
 */
import { FILE_MAX_PENDING_WANTS } from '@peerboard/protocol';
import { hexToBytes } from './messages';
import { blockSpan, chunkSpan, type Layout } from './layout';
import type { FileSource } from './source';
import type { TransferRoom } from './room';

interface Want {
  id: string;
  from: number;
  to: number;
}

interface PeerQueue {
  wants: Want[];
  running: boolean;
  /** id of the want being served */
  current: string | null;
  /** bumped by cancel/dropPeer so a running loop notices */
  epoch: number;
}

export interface ServerOptions {
  room: TransferRoom;
  log: (msg: string) => void;
  /** every chunk handed to the channel (tests count resends; the UI could show upload) */
  onChunkSent?: (peerId: string, id: string, index: number, bytes: number) => void;
}

export interface Server {
  add(id: string, source: FileSource, layout: Layout): void;
  has(id: string): boolean;
  remove(id: string): void;
  /** returns an error reason if the request is refused */
  want(peerId: string, id: string, from: number, to: number): string | null;
  cancel(peerId: string, id: string): void;
  dropPeer(peerId: string): void;
  /** requests queued or being served, for tests/diagnostics */
  pending(): number;
  destroy(): void;
}

export function makeServer(o: ServerOptions): Server {
  const files = new Map<string, { source: FileSource; layout: Layout; tid: Uint8Array }>();
  const queues = new Map<string, PeerQueue>();
  let destroyed = false;

  const queueOf = (peerId: string) => {
    let q = queues.get(peerId);
    if (!q) queues.set(peerId, (q = { wants: [], running: false, current: null, epoch: 0 }));
    return q;
  };

  /** Splits a want into reads of at most one block, aligned to block boundaries. */
  function* reads(w: Want, layout: Layout) {
    for (let from = w.from; from < w.to;) {
      const end = Math.min(w.to, blockSpan(layout, Math.floor(from / layout.blockChunks)).to);
      yield { from, to: end };
      from = end;
    }
  }

  async function run(peerId: string, q: PeerQueue) {
    q.running = true;
    try {
      while (q.wants.length > 0 && !destroyed) {
        const w = q.wants.shift()!;
        const file = files.get(w.id);
        if (!file) continue;
        q.current = w.id;
        const epoch = q.epoch;
        const live = () => !destroyed && q.epoch === epoch && files.get(w.id) === file;
        const pieces = [...reads(w, file.layout)];
        const read = (p: { from: number; to: number }) => {
          const start = chunkSpan(file.layout, p.from).offset;
          const end = chunkSpan(file.layout, p.to - 1);
          return file.source.read(start, end.offset + end.length - start);
        };
        let next = pieces.length > 0 ? read(pieces[0]!) : null;
        for (let k = 0; k < pieces.length; k++) {
          const p = pieces[k]!;
          const bytes = await next!;
          next = k + 1 < pieces.length ? read(pieces[k + 1]!) : null;
          next?.catch(() => undefined);
          let at = 0;
          for (let index = p.from; index < p.to; index++) {
            if (!live()) break;
            const { length } = chunkSpan(file.layout, index);
            const data = bytes.subarray(at, at + length);
            at += length;
            await o.room.send(
              peerId,
              { type: 'file_data', transferId: file.tid, index, data },
              'bulk',
            );
            o.onChunkSent?.(peerId, w.id, index, length);
          }
          if (!live()) break;
        }
      }
    } catch (error) {
      // The link closed under us (bulk send rejects) or the source failed: forget this peer's
      // requests; the receiver asks again when the link is back.
      o.log(`serving ${peerId} stopped: ${String(error)}`);
      q.wants.length = 0;
    } finally {
      q.running = false;
      q.current = null;
      if (q.wants.length === 0) queues.delete(peerId);
      else if (!destroyed) void run(peerId, q);
    }
  }

  return {
    add(id, source, layout) {
      files.set(id, { source, layout, tid: hexToBytes(id) });
    },
    has: (id) => files.has(id),
    remove(id) {
      files.delete(id);
      for (const q of queues.values()) {
        q.wants = q.wants.filter((w) => w.id !== id);
      }
    },
    want(peerId, id, from, to) {
      const file = files.get(id);
      if (!file) return 'not serving this file';
      if (to > file.layout.chunks) return `range past the last chunk (${file.layout.chunks})`;
      const q = queueOf(peerId);
      if (q.wants.length >= FILE_MAX_PENDING_WANTS) return 'too many pending requests';
      q.wants.push({ id, from, to });
      if (!q.running) void run(peerId, q);
      return null;
    },
    cancel(peerId, id) {
      const q = queues.get(peerId);
      if (!q) return;
      q.wants = q.wants.filter((w) => w.id !== id);
      if (q.current === id) q.epoch++;
    },
    dropPeer(peerId) {
      const q = queues.get(peerId);
      if (!q) return;
      q.wants.length = 0;
      q.epoch++;
    },
    pending: () =>
      [...queues.values()].reduce((n, q) => n + q.wants.length + (q.running ? 1 : 0), 0),
    destroy() {
      destroyed = true;
      files.clear();
      for (const q of queues.values()) {
        q.wants.length = 0;
        q.epoch++;
      }
      queues.clear();
    },
  };
}
