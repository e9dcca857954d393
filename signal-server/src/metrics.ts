/**
 * Relay counters and their Prometheus text rendering. Plain number fields so that counting on
 * the hot path is a property increment, not a map lookup with a label string.
 */
import { CLOSE, ERROR_CODES, type ErrorCode } from '@peerboard/protocol';
import type { CloseLabel } from './relay';

export type ClosedReason =
  | CloseLabel
  | 'client'
  | 'too_big'
  | 'slow_consumer'
  | 'abnormal'
  | 'idle_timeout'
  | 'protocol_error'
  | 'address_limit';

const CLOSED_REASONS: readonly ClosedReason[] = [
  'client',
  'abnormal',
  'idle_timeout',
  'too_big',
  'protocol_error',
  'rate_limited',
  'slow_consumer',
  'version_mismatch',
  'server_full',
  'address_limit',
  'shutdown',
];

/** Why a signal frame was dropped instead of forwarded (recipientGuard.ts). */
export type SignalDropReason = 'peer_rate' | 'peer_congested' | 'remote_congested';
const SIGNAL_DROP_REASONS: readonly SignalDropReason[] = [
  'peer_rate',
  'peer_congested',
  'remote_congested',
];

/** uWS closes some sockets itself with code 1006 and one of these texts (no close frame). */
const UWS_CLOSE_TEXTS: Record<string, ClosedReason> = {
  'Received too big message': 'too_big',
  'WebSocket timed out from inactivity': 'idle_timeout',
  'Received invalid UTF-8': 'protocol_error',
};

/** Metric label for a close the server did not initiate itself. */
export function classifyClose(code: number, message: ArrayBuffer): ClosedReason {
  if (code === CLOSE.tooBig) return 'too_big';
  if (code === 1002 || code === 1007) return 'protocol_error';
  if (code !== 1006) return 'client';
  return UWS_CLOSE_TEXTS[Buffer.from(message).toString('latin1')] ?? 'abnormal';
}

export interface Metrics {
  messagesRelayed: number;
  readonly rejected: Record<ErrorCode, number>;
  readonly closed: Record<ClosedReason, number>;
  upgradesRejectedOrigin: number;
  readonly signalsDropped: Record<SignalDropReason, number>;
  /** refusals by MAX_CONNECTIONS_PER_IP / MAX_ROOMS_PER_IP */
  readonly addressLimitRefusals: { connections: number; rooms: number };
  render(gauges: { connections: number; rooms: number }): string;
}

/** Prometheus label value for an error code: ERR_NO_SUCH_PEER -> no_such_peer. */
export const reasonLabel = (code: ErrorCode): string => code.slice(4).toLowerCase();

export function makeMetrics(): Metrics {
  const rejected = Object.fromEntries(ERROR_CODES.map((c) => [c, 0])) as Record<ErrorCode, number>;
  const closed = Object.fromEntries(CLOSED_REASONS.map((r) => [r, 0])) as Record<
    ClosedReason,
    number
  >;
  return {
    messagesRelayed: 0,
    rejected,
    closed,
    upgradesRejectedOrigin: 0,
    signalsDropped: { peer_rate: 0, peer_congested: 0, remote_congested: 0 },
    addressLimitRefusals: { connections: 0, rooms: 0 },
    render({ connections, rooms }) {
      const lines = [
        '# HELP peerboard_connections Open WebSocket connections.',
        '# TYPE peerboard_connections gauge',
        `peerboard_connections ${connections}`,
        '# HELP peerboard_rooms Rooms with at least one member.',
        '# TYPE peerboard_rooms gauge',
        `peerboard_rooms ${rooms}`,
        '# HELP peerboard_messages_relayed_total Signal frames forwarded to a peer.',
        '# TYPE peerboard_messages_relayed_total counter',
        `peerboard_messages_relayed_total ${this.messagesRelayed}`,
        '# HELP peerboard_messages_rejected_total Client messages answered with an error or dropped.',
        '# TYPE peerboard_messages_rejected_total counter',
        ...ERROR_CODES.map(
          (c) => `peerboard_messages_rejected_total{reason="${reasonLabel(c)}"} ${rejected[c]}`,
        ),
        '# HELP peerboard_connections_closed_total Closed WebSocket connections by reason.',
        '# TYPE peerboard_connections_closed_total counter',
        ...CLOSED_REASONS.map(
          (r) => `peerboard_connections_closed_total{reason="${r}"} ${closed[r]}`,
        ),
        '# HELP peerboard_upgrades_rejected_total WebSocket upgrades refused before opening.',
        '# TYPE peerboard_upgrades_rejected_total counter',
        `peerboard_upgrades_rejected_total{reason="origin"} ${this.upgradesRejectedOrigin}`,
        '# HELP peerboard_signals_dropped_total Signal frames dropped to protect their recipient.',
        '# TYPE peerboard_signals_dropped_total counter',
        ...SIGNAL_DROP_REASONS.map(
          (r) => `peerboard_signals_dropped_total{reason="${r}"} ${this.signalsDropped[r]}`,
        ),
        '# HELP peerboard_address_limit_refusals_total Refusals by a per-client-address cap.',
        '# TYPE peerboard_address_limit_refusals_total counter',
        `peerboard_address_limit_refusals_total{limit="connections"} ${this.addressLimitRefusals.connections}`,
        `peerboard_address_limit_refusals_total{limit="rooms"} ${this.addressLimitRefusals.rooms}`,
      ];
      return lines.join('\n') + '\n';
    },
  };
}
