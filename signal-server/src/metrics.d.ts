/**
 * Relay counters and their Prometheus text rendering. Plain number fields so that counting on
 * the hot path is a property increment, not a map lookup with a label string.
 */
import { type ErrorCode } from '@peerboard/shared';
import type { CloseLabel } from './relay';
export type ClosedReason =
  CloseLabel | 'client' | 'too_big' | 'slow_consumer' | 'abnormal' | 'protocol_error';
export interface Metrics {
  messagesRelayed: number;
  readonly rejected: Record<ErrorCode, number>;
  readonly closed: Record<ClosedReason, number>;
  upgradesRejectedOrigin: number;
  render(gauges: { connections: number; rooms: number }): string;
}
/** Prometheus label value for an error code: ERR_NO_SUCH_PEER -> no_such_peer. */
export declare const reasonLabel: (code: ErrorCode) => string;
export declare function makeMetrics(): Metrics;
