/**
 * How much content the room document may still take, overall and from each peer. Every peer
 * stores the whole document and every newcomer downloads it, so a member who adds megabytes
 * costs everyone: the document has a ceiling (ROOM_DOC_MAX_BYTES) and each peer a rate of new
 * content (PEER_DOC_BYTES_PER_MINUTE, a token bucket; a SyncStep2 we asked for is exempt, since
 * catching up on a big board is legitimate).
 *
 * The size is tracked cheaply: an exact measure (the encoded document) plus what was added since.
 * Only when that estimate reaches the ceiling is the document measured again (at most every
 * `remeasureMs`), so content that was deleted and garbage collected frees its room.
 */
import * as Y from 'yjs';
import {
  err,
  ok,
  PEER_DOC_BYTES_PER_MINUTE,
  ROOM_DOC_MAX_BYTES,
  type Result,
} from '@peerboard/protocol';

export type DocBudgetCode = 'ERR_DOC_FULL' | 'ERR_PEER_BUDGET';

/** What the UI shows while the document is full. */
export const DOC_FULL_MESSAGE = "This room's board is full: nothing more can be added to it.";

/** Room left below which the document counts as full (a stroke or a paste no longer fits). */
export const FULL_MARGIN_BYTES = 256 * 1024;

export interface DocBudgetOptions {
  maxBytes?: number;
  peerBytesPerMinute?: number;
  remeasureMs?: number;
}

export interface DocBudget {
  /** may `bytes` of new content from `peer` be added? Counts them if so. */
  admit(peer: string, bytes: number, solicited: boolean): Result<null, DocBudgetCode>;
  /** content added without asking (local edits) */
  added(bytes: number): void;
  /** the estimated stored size */
  size(): number;
  /** true while the document is at its ceiling (less than FULL_MARGIN_BYTES of room) */
  full(): boolean;
  forgetPeer(peer: string): void;
}

export function makeDocBudget(doc: Y.Doc, o: DocBudgetOptions = {}): DocBudget {
  const maxBytes = o.maxBytes ?? ROOM_DOC_MAX_BYTES;
  const perMinute = o.peerBytesPerMinute ?? PEER_DOC_BYTES_PER_MINUTE;
  const remeasureMs = o.remeasureMs ?? 5_000;
  let exact = Y.encodeStateAsUpdate(doc).length;
  let since = 0;
  let measuredAt = Date.now();
  let refusedFull = false;
  const buckets = new Map<string, { tokens: number; at: number }>();

  const fits = (bytes: number): boolean => {
    if (exact + since + bytes <= maxBytes) return true;
    const now = Date.now();
    if (now - measuredAt < remeasureMs) return false;
    exact = Y.encodeStateAsUpdate(doc).length;
    since = 0;
    measuredAt = now;
    return exact + bytes <= maxBytes;
  };

  return {
    admit(peer, bytes, solicited) {
      if (!fits(bytes)) {
        refusedFull = true;
        return err('ERR_DOC_FULL', `the document would pass ${maxBytes} bytes`);
      }
      if (!solicited) {
        const now = Date.now();
        const b = buckets.get(peer) ?? { tokens: perMinute, at: now };
        b.tokens = Math.min(perMinute, b.tokens + ((now - b.at) * perMinute) / 60_000);
        b.at = now;
        buckets.set(peer, b);
        if (bytes > b.tokens)
          return err('ERR_PEER_BUDGET', `more than ${perMinute} bytes of new content a minute`);
        b.tokens -= bytes;
      }
      refusedFull = false;
      since += bytes;
      return ok(null);
    },
    added(bytes) {
      since += bytes;
    },
    size: () => exact + since,
    full() {
      if (exact + since + FULL_MARGIN_BYTES < maxBytes && !refusedFull) return false;
      // freed since (a clear, garbage collected)? measure again, at most every remeasureMs
      if (fits(FULL_MARGIN_BYTES)) refusedFull = false;
      return refusedFull || exact + since + FULL_MARGIN_BYTES >= maxBytes;
    },
    forgetPeer(peer) {
      buckets.delete(peer);
    },
  };
}
