/**
 * Per-peer send scheduler over one RTCDataChannel (simple-peer's send() has no backpressure).
 *
 * Two priorities:
 * - control (sync, awareness, chat, file control, ping, signal): sent at once, ahead of any
 *   queued bulk; it only waits if the channel holds CONTROL_HIGH_WATER_BYTES (Chromium closes a
 *   channel that queues more than 16 MiB).
 * - bulk (file data): handed to the channel only while bufferedAmount < BULK_HIGH_WATER_BYTES and
 *   no control message is waiting. A control message therefore never sits behind more than the
 *   bulk high-water mark plus one message. sendBulk() returns a promise that resolves once the
 *   frame is in the channel: a transfer that awaits it is paced by the network (pull-based).
 *
 * Control frames are never dropped, so their queue has a budget instead
 * (CONTROL_QUEUE_MAX_BYTES): a peer that keeps asking for more than the link carries (a flood
 * of sync requests, each answered with the whole board) would otherwise grow it without end.
 * Past the budget the queue closes and reports it through onFatal, and the link is closed with
 * that reason; the peer can reconnect and sync afresh.
 *
 * Frames larger than the message size are fragmented here (shared/wire fragmentMessage); the
 * pieces of one frame stay contiguous within their priority class. Resumption uses the
 * `bufferedamountlow` event where the implementation fires it (browsers) plus a short poll while
 * blocked (@roamhq/wrtc never fires it).
 *
 * With a bulk channel (routeBulk, PROTOCOL.md "Bulk channel") bulk goes on a second SCTP stream
 * of the same connection instead: SCTP schedules the streams round-robin, so a control frame
 * waits behind at most one bulk message in the transport rather than behind everything bulk
 * queued, and bulk may fill a deeper buffer (BULK_CHANNEL_HIGH_WATER_BYTES).
 */
import {
  BULK_CHANNEL_HIGH_WATER_BYTES,
  BULK_CHANNEL_LOW_WATER_BYTES,
  BULK_HIGH_WATER_BYTES,
  BULK_LOW_WATER_BYTES,
  CONTROL_HIGH_WATER_BYTES,
  CONTROL_QUEUE_MAX_BYTES,
  MAX_WIRE_MESSAGE,
} from '@peerboard/protocol';
import { fragmentMessage } from '@peerboard/protocol/wire';

/** What we need of an RTCDataChannel. */
export interface ChannelLike {
  readonly readyState: string;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  send(data: Uint8Array): void;
  addEventListener(type: 'bufferedamountlow', fn: () => void): void;
  removeEventListener(type: 'bufferedamountlow', fn: () => void): void;
}

export interface SendQueueOptions {
  maxMessage?: number;
  bulkHighWater?: number;
  bulkLowWater?: number;
  controlHighWater?: number;
  /** control bytes queued (not yet in the channel) above which the queue closes */
  controlBudget?: number;
  pollMs?: number;
  /** channel.send threw, or the control queue went over its budget: the link is unusable */
  onFatal?: (error: unknown) => void;
}

export interface SendQueue {
  /** Queues (and usually sends at once) a control frame; false if the queue is closed. */
  sendControl(encoded: Uint8Array): boolean;
  /** Resolves when the frame is in the channel; rejects if the queue closes first. */
  sendBulk(encoded: Uint8Array): Promise<void>;
  controlQueuedBytes(): number;
  bulkQueuedBytes(): number;
  /** Bytes handed to the channel since creation, for diagnostics and benchmarks. */
  sentBytes(): number;
  /**
   * From now on bulk goes on `bulk` (both ends agreed on it), paced by its own buffer with the
   * deeper water marks. Only while no bulk has gone on the first channel (false otherwise):
   * frames already there could arrive after later ones on the other stream.
   */
  routeBulk(bulk: ChannelLike, highWater?: number, lowWater?: number): boolean;
  /** the channel bulk goes on now */
  bulkChannel(): ChannelLike;
  destroy(reason?: string): void;
}

interface BulkItem {
  pieces: Uint8Array[];
  next: number;
  bytes: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

export function makeSendQueue(channel: ChannelLike, opts: SendQueueOptions = {}): SendQueue {
  const maxMessage = opts.maxMessage ?? MAX_WIRE_MESSAGE;
  let bulkHigh = opts.bulkHighWater ?? BULK_HIGH_WATER_BYTES;
  let bulkChannel = channel;
  const controlHigh = opts.controlHighWater ?? CONTROL_HIGH_WATER_BYTES;
  const controlBudget = opts.controlBudget ?? CONTROL_QUEUE_MAX_BYTES;
  const pollMs = opts.pollMs ?? 5;
  channel.bufferedAmountLowThreshold = opts.bulkLowWater ?? BULK_LOW_WATER_BYTES;

  const control: Uint8Array[] = [];
  let controlHead = 0;
  let controlBytes = 0;
  const bulk: BulkItem[] = [];
  let bulkBytes = 0;
  let sent = 0;
  let sentBulk = 0;
  let bulkStarted = false;
  let messageId = 0;
  let closed = false;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;

  const pieces = (encoded: Uint8Array) =>
    fragmentMessage(encoded, (messageId = (messageId + 1) >>> 0), maxMessage);

  const transmit = (to: ChannelLike, bytes: Uint8Array): boolean => {
    try {
      to.send(bytes);
      sent += bytes.length;
      if (to === bulkChannel) sentBulk += bytes.length;
      return true;
    } catch (error) {
      destroy('channel send failed');
      opts.onFatal?.(error);
      return false;
    }
  };

  /**
   * Some implementations (@roamhq/wrtc) update bufferedAmount asynchronously, so what was sent
   * since the first pump of this synchronous run is counted here: a burst of sends (one pump
   * each, as a transfer queuing many blocks at once makes) cannot overshoot the water marks.
   * Read afresh after the run (a microtask), on bufferedamountlow and on each poll.
   */
  let run: { buffered: number; sent: number; bulkBuffered: number; sentBulk: number } | null = null;
  const baseline = () => {
    if (run === null) {
      run = {
        buffered: channel.bufferedAmount,
        sent,
        bulkBuffered: bulkChannel !== channel ? bulkChannel.bufferedAmount : 0,
        sentBulk,
      };
      queueMicrotask(() => (run = null));
    }
    return run;
  };
  const pumpFresh = () => {
    run = null;
    pump();
  };

  const wait = () => {
    if (pollTimer === undefined && !closed) pollTimer = setTimeout(onPoll, pollMs);
  };
  function onPoll() {
    pollTimer = undefined;
    pumpFresh();
  }

  function pump() {
    if (closed || channel.readyState !== 'open') return;
    const b = baseline();
    const buffered = () => Math.max(channel.bufferedAmount, b.buffered + sent - b.sent);
    while (controlHead < control.length) {
      if (buffered() >= controlHigh) return wait();
      const msg = control[controlHead]!;
      control[controlHead++] = EMPTY;
      controlBytes -= msg.length;
      if (!transmit(channel, msg)) return;
    }
    control.length = controlHead = 0;
    if (bulk.length === 0) return;
    if (bulkChannel.readyState !== 'open') return wait();
    const own = bulkChannel !== channel;
    const bulkBuffered = own
      ? () => Math.max(bulkChannel.bufferedAmount, b.bulkBuffered + sentBulk - b.sentBulk)
      : buffered;
    while (bulk.length > 0) {
      if (bulkBuffered() >= bulkHigh) return wait();
      const item = bulk[0]!;
      const piece = item.pieces[item.next++]!;
      bulkBytes -= piece.length;
      bulkStarted = true;
      if (!transmit(bulkChannel, piece)) return;
      if (item.next === item.pieces.length) {
        bulk.shift();
        item.resolve();
      }
    }
  }

  channel.addEventListener('bufferedamountlow', pumpFresh);

  function destroy(reason = 'peer connection closed') {
    if (closed) return;
    closed = true;
    clearTimeout(pollTimer);
    channel.removeEventListener('bufferedamountlow', pumpFresh);
    if (bulkChannel !== channel) bulkChannel.removeEventListener('bufferedamountlow', pumpFresh);
    control.length = controlHead = controlBytes = bulkBytes = 0;
    const error = new Error(reason);
    for (const item of bulk.splice(0)) item.reject(error);
  }

  return {
    sendControl(encoded) {
      if (closed) return false;
      for (const p of pieces(encoded)) {
        control.push(p);
        controlBytes += p.length;
      }
      pump();
      if (!closed && controlBytes > controlBudget) {
        const reason = `control queue over budget (${controlBytes} bytes waiting, max ${controlBudget})`;
        destroy(reason);
        opts.onFatal?.(new Error(reason));
      }
      return !closed;
    },
    sendBulk(encoded) {
      if (closed) return Promise.reject(new Error('peer connection closed'));
      return new Promise<void>((resolve, reject) => {
        const ps = pieces(encoded);
        const bytes = ps.reduce((n, p) => n + p.length, 0);
        bulk.push({ pieces: ps, next: 0, bytes, resolve, reject });
        bulkBytes += bytes;
        pump();
      });
    },
    controlQueuedBytes: () => controlBytes,
    bulkQueuedBytes: () => bulkBytes,
    sentBytes: () => sent,
    routeBulk(to, highWater, lowWater) {
      if (to === bulkChannel) return true;
      if (closed || bulkStarted || bulkChannel !== channel) return false;
      bulkChannel = to;
      bulkHigh = highWater ?? BULK_CHANNEL_HIGH_WATER_BYTES;
      to.bufferedAmountLowThreshold = lowWater ?? BULK_CHANNEL_LOW_WATER_BYTES;
      to.addEventListener('bufferedamountlow', pumpFresh);
      pumpFresh();
      return true;
    },
    bulkChannel: () => bulkChannel,
    destroy,
  };
}

const EMPTY = new Uint8Array(0);
