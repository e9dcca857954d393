/**
 * Serves chunk requests (`want`) for the files this client can give out: the ones it offered
 * and the ones it holds a verified copy of (swarm). One send loop per (requesting peer, file);
 * each chunk goes out with bulk priority and the loop awaits the scheduler before reading on, so
 * a slow peer costs one block of memory per file here (one block read ahead), never the file.
 *
 * A loop per file, not per peer: a source whose read never returns (a picked file on a drive
 * that went away) must hold back only that file, not every other file that peer asked for. A
 * read that fails or outlasts `readTimeoutMs` ends that file's requests from that peer and is
 * reported (`onReadFailed`), so the receiver can be told instead of waiting forever.
 *
 * Requests are receiver-driven: the receiver decides which ranges it wants from whom and how
 * many are outstanding, so resume after a dropped link and swarm downloads need nothing extra
 * on this side: it sends what is asked, in order per file.
 */
import { FILE_MAX_PENDING_WANTS } from '@peerboard/protocol';
import { hexToBytes } from './messages';
import { blockSpan, chunkSpan, type Layout } from './layout';
import type { FileSource } from './source';
import type { TransferRoom } from './room';

/** `cancel` reason a holder sends for a file whose source it can no longer read. */
export const UNREADABLE = 'unreadable';

/**
 * Files served to one peer at the same time. Each loop holds a block read ahead, so this bounds
 * what one peer's requests cost here; more than one so a stalled source holds back only itself.
 */
export const SERVE_FILES_AT_ONCE = 4;

/** A block read from a local file or Blob takes milliseconds; a sleeping disk spins up in ~10 s. */
export const SOURCE_READ_TIMEOUT_MS = 30_000;

interface Want {
  from: number;
  to: number;
}

/** One peer's requests for one file. */
interface FileQueue {
  wants: Want[];
  /** a loop serves it, or it waits for one in `ready` */
  busy: boolean;
  /** bumped by cancel/dropPeer/remove so a running loop notices */
  epoch: number;
}

interface PeerQueues {
  files: Map<string, FileQueue>;
  /** loops serving this peer now (at most SERVE_FILES_AT_ONCE) */
  running: number;
  /** files with requests waiting for a loop, in order of arrival */
  ready: string[];
}

class SourceReadError extends Error {}

export interface ServerOptions {
  room: TransferRoom;
  log: (msg: string) => void;
  /** every chunk handed to the channel (tests count resends; the UI could show upload) */
  onChunkSent?: (peerId: string, id: string, index: number, bytes: number) => void;
  /** a read of this file failed or timed out while serving `peerId`; its requests are dropped */
  onReadFailed?: (peerId: string, id: string, reason: string) => void;
  /** default SOURCE_READ_TIMEOUT_MS */
  readTimeoutMs?: number;
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

/** `p`, or a SourceReadError once `ms` pass first (the read itself cannot be aborted). */
function withTimeout(p: Promise<Uint8Array>, ms: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new SourceReadError(`no data within ${Math.round(ms / 1000)} s`)),
      ms,
    );
    p.then(
      (bytes) => (clearTimeout(timer), resolve(bytes)),
      (error: unknown) => (clearTimeout(timer), reject(new SourceReadError(String(error)))),
    );
  });
}

export function makeServer(o: ServerOptions): Server {
  const files = new Map<string, { source: FileSource; layout: Layout; tid: Uint8Array }>();
  const peers = new Map<string, PeerQueues>();
  const readTimeoutMs = o.readTimeoutMs ?? SOURCE_READ_TIMEOUT_MS;
  let destroyed = false;

  const stop = (q: FileQueue) => {
    q.wants.length = 0;
    q.epoch++;
  };

  /** Starts loops for waiting files while this peer has a free one; forgets what is finished. */
  function pump(peerId: string, p: PeerQueues) {
    while (!destroyed && p.running < SERVE_FILES_AT_ONCE && p.ready.length > 0) {
      const id = p.ready.shift()!;
      const q = p.files.get(id);
      if (!q) continue;
      if (q.wants.length === 0) {
        q.busy = false;
        p.files.delete(id);
        continue;
      }
      p.running++;
      void run(peerId, p, id, q);
    }
    if (p.running === 0 && p.ready.length === 0 && peers.get(peerId) === p) peers.delete(peerId);
  }

  /** Splits a want into reads of at most one block, aligned to block boundaries. */
  function* reads(w: Want, layout: Layout) {
    for (let from = w.from; from < w.to;) {
      const end = Math.min(w.to, blockSpan(layout, Math.floor(from / layout.blockChunks)).to);
      yield { from, to: end };
      from = end;
    }
  }

  async function run(peerId: string, p: PeerQueues, id: string, q: FileQueue) {
    let live = () => false;
    try {
      while (q.wants.length > 0 && !destroyed) {
        const w = q.wants.shift()!;
        const file = files.get(id);
        if (!file) continue;
        const epoch = q.epoch;
        live = () => !destroyed && q.epoch === epoch && files.get(id) === file;
        const pieces = [...reads(w, file.layout)];
        const read = (piece: { from: number; to: number }) => {
          const start = chunkSpan(file.layout, piece.from).offset;
          const end = chunkSpan(file.layout, piece.to - 1);
          const length = end.offset + end.length - start;
          return withTimeout(file.source.read(start, length), readTimeoutMs);
        };
        let next = pieces.length > 0 ? read(pieces[0]!) : null;
        for (let k = 0; k < pieces.length; k++) {
          const piece = pieces[k]!;
          const bytes = await next!;
          next = k + 1 < pieces.length ? read(pieces[k + 1]!) : null;
          next?.catch(() => undefined);
          let at = 0;
          for (let index = piece.from; index < piece.to; index++) {
            if (!live()) break;
            const { length } = chunkSpan(file.layout, index);
            const data = bytes.subarray(at, at + length);
            at += length;
            await o.room.send(
              peerId,
              { type: 'file_data', transferId: file.tid, index, data },
              'bulk',
            );
            o.onChunkSent?.(peerId, id, index, length);
          }
          if (!live()) break;
        }
      }
    } catch (error) {
      // The link closed under us (bulk send rejects: the receiver asks again when the link is
      // back) or the source failed: forget this peer's requests for this file only.
      o.log(`serving ${id} to ${peerId} stopped: ${String(error)}`);
      const report = error instanceof SourceReadError && live();
      q.wants.length = 0;
      if (report) o.onReadFailed?.(peerId, id, error.message);
    } finally {
      p.running--;
      // back in line behind the others if more came meanwhile; pump forgets it otherwise
      p.ready.push(id);
      pump(peerId, p);
    }
  }

  return {
    add(id, source, layout) {
      files.set(id, { source, layout, tid: hexToBytes(id) });
    },
    has: (id) => files.has(id),
    remove(id) {
      files.delete(id);
      for (const p of peers.values()) {
        const q = p.files.get(id);
        if (q) stop(q);
      }
    },
    want(peerId, id, from, to) {
      const file = files.get(id);
      if (!file) return 'not serving this file';
      if (to > file.layout.chunks) return `range past the last chunk (${file.layout.chunks})`;
      let p = peers.get(peerId);
      if (!p) peers.set(peerId, (p = { files: new Map(), running: 0, ready: [] }));
      let queued = 0;
      for (const q of p.files.values()) queued += q.wants.length;
      if (queued >= FILE_MAX_PENDING_WANTS) return 'too many pending requests';
      let q = p.files.get(id);
      if (!q) p.files.set(id, (q = { wants: [], busy: false, epoch: 0 }));
      q.wants.push({ from, to });
      if (!q.busy) {
        q.busy = true;
        p.ready.push(id);
        pump(peerId, p);
      }
      return null;
    },
    cancel(peerId, id) {
      const q = peers.get(peerId)?.files.get(id);
      if (q) stop(q);
    },
    dropPeer(peerId) {
      for (const q of peers.get(peerId)?.files.values() ?? []) stop(q);
    },
    pending: () => {
      let n = 0;
      for (const p of peers.values()) {
        n += p.running;
        for (const q of p.files.values()) n += q.wants.length;
      }
      return n;
    },
    destroy() {
      destroyed = true;
      files.clear();
      for (const p of peers.values()) for (const q of p.files.values()) stop(q);
      peers.clear();
    },
  };
}
