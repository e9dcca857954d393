/**
 * The bulk data channel of one link (PROTOCOL.md "Bulk channel"): opens the negotiated stream
 * BULK_CHANNEL_ID, says BULK_HELLO on it (and once more on hearing the remote's first, which
 * may have come before the remote had opened its end), and hands every other message to the
 * link through a yielding queue (yieldingQueue.ts), so file data is handled in tasks of its own
 * and control frames on the first channel are not held behind it. link.ts stays the only
 * simple-peer importer: this file sees only the RTCPeerConnection.
 */
import { BULK_CHANNEL_ID, BULK_RECEIVE_QUEUE_MAX_BYTES } from '@peerboard/protocol';
import type { ChannelLike } from './sendQueue';
import { makeYieldingQueue, type Yield } from './yieldingQueue';

/** The first message(s) on the bulk channel: not a wire frame (tag 0x00 is unused). */
const BULK_HELLO = new Uint8Array([0x00, 0x70, 0x62, 0x01]);
const isBulkHello = (m: Uint8Array) =>
  m.length === BULK_HELLO.length && m.every((b, i) => b === BULK_HELLO[i]);

type BulkChannel = ChannelLike & {
  binaryType: string;
  onopen: (() => void) | null;
  onmessage: ((e: { data: unknown }) => void) | null;
  close(): void;
};

export interface BulkLaneOptions {
  log(msg: string): void;
  /** a message that is no wire frame candidate (text) */
  drop(why: string): void;
  /** a bulk-channel message, in order, each in a task after the event it arrived in */
  onMessage(chunk: Uint8Array): void;
  /** the remote's hello was heard: bulk may be routed here once the link is open */
  onRemoteHello(): void;
  /** the remote sent more than the receive queue holds: a hostile or broken peer */
  onOverflow(): void;
  /** tests: how the queue yields */
  yieldTo?: Yield;
}

export interface BulkLane {
  readonly channel: ChannelLike;
  /** open on our side and the remote has said hello */
  ready(): boolean;
  queuedBytes(): number;
  close(): void;
}

export function openBulkLane(pc: RTCPeerConnection, o: BulkLaneOptions): BulkLane | null {
  let ch: BulkChannel;
  try {
    ch = pc.createDataChannel('peerboard-bulk', {
      negotiated: true,
      id: BULK_CHANNEL_ID,
      ordered: true,
    }) as unknown as BulkChannel;
  } catch (error) {
    o.log(`no bulk channel: ${String(error)}`);
    return null;
  }
  let remoteHasBulk = false;
  let helloEchoed = false;
  let closed = false;
  const received = makeYieldingQueue({
    handle: (m) => {
      if (!closed) o.onMessage(m);
    },
    maxBytes: BULK_RECEIVE_QUEUE_MAX_BYTES,
    onOverflow: () => o.onOverflow(),
    ...(o.yieldTo ? { yieldTo: o.yieldTo } : {}),
  });
  ch.binaryType = 'arraybuffer';
  const hello = () => {
    try {
      ch.send(BULK_HELLO);
    } catch {
      // closing: the link ends through the main channel
    }
  };
  ch.onopen = hello;
  ch.onmessage = (e) => {
    if (closed) return;
    if (!(e.data instanceof ArrayBuffer)) return o.drop('text message on the bulk channel');
    const chunk = new Uint8Array(e.data);
    if (isBulkHello(chunk)) {
      remoteHasBulk = true;
      if (!helloEchoed) hello();
      helloEchoed = true;
      return o.onRemoteHello();
    }
    received.push(chunk);
  };
  if (ch.readyState === 'open') hello();
  return {
    channel: ch,
    ready: () => !closed && remoteHasBulk && ch.readyState === 'open',
    queuedBytes: () => received.queuedBytes(),
    close() {
      if (closed) return;
      closed = true;
      received.destroy();
      ch.onopen = ch.onmessage = null;
      ch.close();
    },
  };
}
