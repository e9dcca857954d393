/**
 * Sending to sockets: closing with a reason, cutting off slow consumers, error replies,
 * executing relay actions, and the per-recipient guard in front of every forwarded signal.
 * Split from server.ts so that file keeps to the uWS handlers; the decisions themselves stay
 * pure in relay.ts and recipientGuard.ts.
 *
 * Each frame is sent when it is handled. Coalescing frames per target under one cork per loop
 * turn was tried (issue 18 item 5) and removed: with a spare core it measured 1.12x the `ws`
 * reference against 1.16x without it (BENCHMARKS.md), and cost a copy per frame.
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

  function sendTo(c: Conn, data: string | Uint8Array, binary: boolean): void {
    if (!c.open || c.ws === null || c.closing !== null) return;
    if (c.ws.send(data, binary) === SEND_DROPPED) cutSlowConsumer(c);
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

  /** The signal hot path: write the sender id over the header in place and send the very same
   * bytes (the id from its string: a 12-byte buffer per connection cost ~300 B each, idle or not).
   * `from` null: a frame from another instance, the sender id already in place. */
  function forward(from: Conn | null, to: Conn, frame: Uint8Array): void {
    if (from !== null) writePeerId(frame, 1, from.id);
    sendTo(to, frame, true);
    d.metrics.messagesRelayed++;
  }

  /** Bytes queued in the relay for `c` (0 once it is gone: getBufferedAmount would throw). */
  function backlogOf(c: Conn): number {
    return c.open && c.ws !== null ? c.ws.getBufferedAmount() : 0;
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
