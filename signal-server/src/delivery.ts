/**
 * Sending to sockets: closing with a reason, cutting off slow consumers, error replies,
 * executing relay actions, and the per-recipient guard in front of every forwarded signal.
 * Split from server.ts so that file keeps to the uWS handlers; the decisions themselves stay
 * pure in relay.ts and recipientGuard.ts.
 *
 * Forwarded signals are coalesced: most of the relay's CPU per message was one send() system
 * call per frame, so frames are queued per target during the event-loop turn and each target's
 * queue is written under one ws.cork() from setImmediate (uWS then writes it with one system
 * call). A target with something queued gets every later frame (control ones too) queued behind
 * it, so the order per target is the order of the calls; its queued bytes count as its backlog,
 * so budgets and the congestion check see what they saw before.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { WebSocket } from 'uWebSockets.js';
import {
  assertNever,
  encodeServerControl,
  writePeerId,
  type ErrorCode,
  type PeerId,
} from '@peerboard/protocol';
import type { ClosedReason, Metrics } from './metrics';
import type { TokenBucket } from './rateLimit';
import {
  ADMIT,
  DROP_CONGESTED,
  DROP_CONGESTED_NOTIFY,
  DROP_RATE_NOTIFY,
  RecipientBudgets,
  type RecipientLimits,
} from './recipientGuard';
import { FrameArena } from './frameArena';
import { FIXED_ERRORS, type Action, type Session } from './relay';

/** uWS WebSocket.send() result when the message was dropped over maxBackpressure. */
const SEND_DROPPED = 2;

export interface Conn extends Session<Conn> {
  ws: WebSocket<Conn> | null;
  readonly bucket: TokenBucket;
  /** per-client limit key (IPv4 address or IPv6 /64) */
  readonly address: string;
  /** this connection is counted in the per-address ledger (release it on close) */
  countedForAddress: boolean;
  /** byte budgets towards each recipient (created on the first signal) */
  budgets: RecipientBudgets | null;
  open: boolean;
  /** Set when the server decided to close this socket; the close metric label. */
  closing: ClosedReason | null;
  /** Frames waiting for the end of this loop turn (text = string, binary = bytes); null = none. */
  queued: Array<string | Uint8Array> | null;
  /** Bytes in `queued`: part of this connection's backlog. */
  queuedBytes: number;
}

export interface DeliveryDeps {
  log: Logger;
  metrics: Metrics;
  recipient: RecipientLimits;
  maxPeersPerRoom: number;
}

export function makeDelivery(d: DeliveryDeps) {
  /** Budgets are only created for real members, but those churn: keep the map near room size. */
  const maxBudgetEntries = 2 * d.maxPeersPerRoom;

  function closeWith(c: Conn, code: number, reason: string, label: ClosedReason): void {
    if (!c.open || c.ws === null || c.closing !== null) return;
    flush(c); // what was queued for it goes out before the close frame
    c.closing = label;
    c.ws.end(code, reason); // runs our close handler synchronously
  }

  /** A peer whose buffer is over maxBackpressure cannot keep up: cut it off, no close frame
   * (it would queue behind the backlog it is not reading). */
  function cutSlowConsumer(c: Conn): void {
    if (!c.open || c.ws === null || c.closing !== null) return;
    c.closing = 'slow_consumer';
    d.log.warn({ peer: c.id, buffered: c.ws.getBufferedAmount() }, 'slow consumer cut off');
    c.ws.close();
  }

  const arena = new FrameArena();
  /** Connections with a queue, in the order they got it. */
  const dirty: Conn[] = [];
  /** Emptied queues, reused: a connection holds an array only while something is queued. */
  const spare: Array<Array<string | Uint8Array>> = [];
  let flushScheduled = false;

  /** `data` must stay valid until the flush (arena copy, or a string). */
  function enqueue(c: Conn, data: string | Uint8Array): void {
    let q = c.queued;
    if (q === null) {
      q = c.queued = spare.pop() ?? [];
      dirty.push(c);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushAll);
      }
    }
    q.push(data);
    c.queuedBytes += data.length;
  }

  // The cork callback reads these instead of closing over them: no closure per flush.
  let corkWs: WebSocket<Conn> | null = null;
  let corkQueue: Array<string | Uint8Array> = [];
  let corkDropped = false;
  function writeCorked(): void {
    for (const data of corkQueue)
      if (corkWs!.send(data, typeof data !== 'string') === SEND_DROPPED) {
        corkDropped = true;
        return;
      }
  }

  /** Writes `c`'s queue in one corked batch. */
  function flush(c: Conn): void {
    const q = c.queued;
    if (q === null) return;
    c.queued = null;
    c.queuedBytes = 0;
    if (c.open && c.ws !== null && c.closing === null) {
      corkWs = c.ws;
      corkQueue = q;
      corkDropped = false;
      d.metrics.batchedWrites++;
      try {
        c.ws.cork(writeCorked);
      } finally {
        corkWs = null;
      }
      if (corkDropped) cutSlowConsumer(c);
    }
    q.length = 0;
    spare.push(q);
  }

  function flushAll(): void {
    flushScheduled = false;
    // cutting a slow consumer runs its close handler, which may queue peer_left for others
    for (let i = 0; i < dirty.length; i++) {
      try {
        flush(dirty[i]!);
      } catch (e) {
        d.log.error({ err: e }, 'flush failed');
      }
    }
    dirty.length = 0;
    arena.reset();
  }

  function sendTo(c: Conn, data: string | Uint8Array, binary: boolean): void {
    if (!c.open || c.ws === null || c.closing !== null) return;
    if (c.queued !== null) enqueue(c, typeof data === 'string' ? data : arena.copy(data));
    else if (c.ws.send(data, binary) === SEND_DROPPED) cutSlowConsumer(c);
  }

  function reject(c: Conn, code: ErrorCode, message: string): void {
    d.metrics.rejected[code]++;
    sendTo(c, encodeServerControl({ type: 'error', code, message }), false);
  }

  /** Rejections on the binary path use pre-encoded frames: a flood of them costs no JSON. */
  function rejectFixed(c: Conn, code: ErrorCode): void {
    d.metrics.rejected[code]++;
    sendTo(c, FIXED_ERRORS[code], false);
  }

  function execute(c: Conn, actions: Action<Conn>[], frame: Uint8Array | null): void {
    for (const a of actions) {
      switch (a.type) {
        case 'send':
          sendTo(a.to, a.text, false);
          break;
        case 'forward':
          if (frame !== null) forward(c, a.to, frame);
          break;
        case 'reject':
          if (a.perAddress) d.metrics.addressLimitRefusals.rooms++;
          reject(c, a.code, a.message);
          break;
        case 'close':
          closeWith(c, a.code, a.reason, a.label);
          break;
        default:
          assertNever(a);
      }
    }
  }

  /** The signal hot path: queue a copy with the sender id written over the header (from the id
   * string: a 12-byte buffer per connection cost ~300 B of memory each, idle or not).
   * `from` null: a frame from another instance, the sender id already in place. */
  function forward(from: Conn | null, to: Conn, frame: Uint8Array): void {
    if (to.open && to.ws !== null && to.closing === null) {
      const copy = arena.copy(frame);
      if (from !== null) writePeerId(copy, 1, from.id);
      enqueue(to, copy);
    }
    d.metrics.messagesRelayed++;
  }

  /** Bytes queued in the relay for `c`, in uWS and in this turn's queue (0 once it is gone:
   * getBufferedAmount would throw). */
  function backlogOf(c: Conn): number {
    if (!c.open || c.ws === null) return 0;
    // What is queued may be less than the kernel would take right now: once it reaches the
    // congestion threshold, write it, so that the check sees uWS's real backlog as before.
    if (c.queuedBytes > 0 && c.ws.getBufferedAmount() + c.queuedBytes > d.recipient.congestionBytes)
      flush(c);
    return c.open && c.ws !== null ? c.ws.getBufferedAmount() + c.queuedBytes : 0;
  }

  /** The per-recipient guard (recipientGuard.ts): false = the frame is dropped. */
  function admitted(c: Conn, to: PeerId, bytes: number, backlog: number): boolean {
    const budgets = (c.budgets ??= new RecipientBudgets(d.recipient));
    if (budgets.size >= maxBudgetEntries)
      budgets.prune((peer) => c.room?.members.has(peer) === true);
    const verdict = budgets.admit(to, bytes, backlog, performance.now());
    if (verdict === ADMIT) return true;
    d.metrics.rejected.ERR_PEER_CONGESTED++;
    const congested = verdict === DROP_CONGESTED || verdict === DROP_CONGESTED_NOTIFY;
    d.metrics.signalsDropped[congested ? 'peer_congested' : 'peer_rate']++;
    if (verdict === DROP_CONGESTED_NOTIFY || verdict === DROP_RATE_NOTIFY)
      sendTo(c, FIXED_ERRORS.ERR_PEER_CONGESTED, false);
    return false;
  }

  return { closeWith, sendTo, reject, rejectFixed, execute, forward, backlogOf, admitted };
}
