/**
 * The SyncStep2 message for a state vector, encoded once while the document does not change.
 * Every newcomer sends the same state vector (an empty document's), so when several join a big
 * board together (a class opening one link) each answer was a full encode of the board: ~0.1 s
 * per 10,000 strokes on an idle machine, 1.1 s loaded, on the sender's main thread, per joiner.
 *
 * The cached message is dropped after any transaction (the 'afterTransaction' event costs
 * nothing, unlike 'update', which makes Yjs encode every transaction: docUpdates.ts). Only the
 * latest answer is kept: one board-sized buffer at most, released on the next change.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';

export interface Step2Cache {
  /** the y-protocols SyncStep2 message answering `stateVector` */
  message(stateVector: Uint8Array): Uint8Array;
  /** encodes done and answers served from the cache */
  stats(): { encodes: number; reused: number };
  destroy(): void;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

export function makeStep2Cache(doc: Y.Doc): Step2Cache {
  let last: { stateVector: Uint8Array; message: Uint8Array } | null = null;
  const stats = { encodes: 0, reused: 0 };
  const forget = (): void => {
    last = null;
  };
  doc.on('afterTransaction', forget);
  return {
    message(stateVector) {
      if (last && sameBytes(last.stateVector, stateVector)) {
        stats.reused++;
        return last.message;
      }
      const e = encoding.createEncoder();
      syncProtocol.writeSyncStep2(e, doc, stateVector);
      stats.encodes++;
      last = { stateVector: stateVector.slice(), message: encoding.toUint8Array(e) };
      return last.message;
    },
    stats: () => ({ ...stats }),
    destroy() {
      doc.off('afterTransaction', forget);
      last = null;
    },
  };
}
