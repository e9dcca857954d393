/**
 * Fragmentation of frames larger than the negotiated data-channel message size, and the
 * bounded reassembly on the receiving side (size, count and age limits: a peer may lie about
 * totals and offsets). A fragment's own encoding lives with the other frames in wire.ts.
 */
import {
  MAX_WIRE_MESSAGE,
  WIRE_FRAME_MAX_BYTES,
  WIRE_REASSEMBLY_MAX_BYTES,
  WIRE_REASSEMBLY_MAX_PARTIALS,
  WIRE_REASSEMBLY_TIMEOUT_MS,
} from '../limits';
import { err, ok, type Result } from '../result';
import {
  encodeWireFrame,
  FRAGMENT_HEADER_BYTES,
  WIRE_TAG,
  type WireErrorCode,
  type WireFrame,
} from './frames';

/**
 * Splits an encoded frame into messages of at most `maxMessage` bytes. A frame that fits is
 * returned as is; otherwise every piece is a fragment frame carrying `messageId`.
 */
export function fragmentMessage(
  encoded: Uint8Array,
  messageId: number,
  maxMessage: number = MAX_WIRE_MESSAGE,
): Uint8Array[] {
  if (encoded.length <= maxMessage) return [encoded];
  const room = maxMessage - FRAGMENT_HEADER_BYTES;
  if (room < 1) throw new RangeError(`maxMessage ${maxMessage} leaves no room for data`);
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < encoded.length; offset += room) {
    const data = encoded.subarray(offset, Math.min(offset + room, encoded.length));
    pieces.push(
      encodeWireFrame({ type: 'fragment', messageId, total: encoded.length, offset, data }),
    );
  }
  return pieces;
}

type FragmentFrame = Extract<WireFrame, { type: 'fragment' }>;

export interface ReassemblerOptions {
  maxFrameBytes?: number;
  maxBytes?: number;
  maxPartials?: number;
  timeoutMs?: number;
}

export interface Reassembler {
  /**
   * Adds one fragment. Returns the complete encoded frame when the last piece arrived, null
   * while incomplete, or an error (the partial message is then dropped). Fragments of one
   * message must arrive in order (data channels here are ordered and reliable).
   */
  push(frag: FragmentFrame, now: number): Result<Uint8Array | null, WireErrorCode>;
  /** Drops partial messages older than the timeout; returns how many were dropped. */
  sweep(now: number): number;
  /** Declared bytes of all partial messages (the memory bound is checked against this). */
  pendingBytes(): number;
  clear(): void;
}

interface Partial {
  buf: Uint8Array;
  received: number;
  startedAt: number;
}

export function makeReassembler(opts: ReassemblerOptions = {}): Reassembler {
  const maxFrame = opts.maxFrameBytes ?? WIRE_FRAME_MAX_BYTES;
  const maxBytes = opts.maxBytes ?? WIRE_REASSEMBLY_MAX_BYTES;
  const maxPartials = opts.maxPartials ?? WIRE_REASSEMBLY_MAX_PARTIALS;
  const timeoutMs = opts.timeoutMs ?? WIRE_REASSEMBLY_TIMEOUT_MS;
  const partials = new Map<number, Partial>();
  let pending = 0;

  const drop = (id: number) => {
    const p = partials.get(id);
    if (p) pending -= p.buf.length;
    partials.delete(id);
  };

  const sweep = (now: number) => {
    let dropped = 0;
    for (const [id, p] of partials) {
      if (now - p.startedAt > timeoutMs) {
        drop(id);
        dropped++;
      }
    }
    return dropped;
  };

  return {
    push(frag, now) {
      sweep(now);
      let p = partials.get(frag.messageId);
      if (!p) {
        if (frag.offset !== 0) return err('ERR_WIRE_FRAGMENT', 'fragment of an unknown message');
        if (frag.total > maxFrame)
          return err('ERR_WIRE_TOO_BIG', `fragmented frame exceeds ${maxFrame} bytes`);
        if (frag.total <= frag.data.length)
          return err('ERR_WIRE_FRAGMENT', 'a single-piece message must not be fragmented');
        if (partials.size >= maxPartials || pending + frag.total > maxBytes)
          return err('ERR_WIRE_REASSEMBLY_FULL', 'too many partial messages from this peer');
        // Memory is committed up front; the bound above is on declared sizes, so a peer that
        // lies about `total` only hurts itself (its message is dropped on the first mismatch).
        p = { buf: new Uint8Array(frag.total), received: 0, startedAt: now };
        partials.set(frag.messageId, p);
        pending += frag.total;
      } else if (frag.total !== p.buf.length || frag.offset !== p.received) {
        drop(frag.messageId);
        return err('ERR_WIRE_FRAGMENT', 'fragment out of order or with a changed total');
      }
      p.buf.set(frag.data, frag.offset);
      p.received += frag.data.length;
      if (p.received < p.buf.length) return ok(null);
      drop(frag.messageId);
      if (p.buf[0] === WIRE_TAG.fragment)
        return err('ERR_WIRE_FRAGMENT', 'a fragment must not contain a fragment');
      return ok(p.buf);
    },
    sweep,
    pendingBytes: () => pending,
    clear() {
      partials.clear();
      pending = 0;
    },
  };
}
