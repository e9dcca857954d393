/**
 * What the benchmark parent and its load-generator processes (bench/load.ts) say to each other
 * over the fork() IPC channel.
 */
import type { SparseHistogram } from '@peerboard/bench-kit';

interface CommonConfig {
  url: string;
  /** Each pair of connections joins its own room `${roomPrefix}-${i}`. */
  pairs: number;
  /** Where the second connection of each pair connects (default `url`): another instance. */
  urlB?: string;
  roomPrefix: string;
  /** Client source addresses, used round-robin (default: the kernel's choice). */
  localAddresses?: string[];
}

export type LoadConfig =
  /** Closed loop: each pair keeps `inFlight` round trips going, as fast as the relay allows. */
  | (CommonConfig & { mode: 'closed'; inFlight: number; payloadBytes: number })
  /** Open loop: round trips started on a fixed schedule, whatever the latency. */
  | (CommonConfig & {
      mode: 'rate';
      roundTripsPerSec: number;
      maxInFlightPerPair: number;
      payloadBytes: number;
    })
  /** Connections that join and then stay silent (memory per idle connection). */
  | (CommonConfig & { mode: 'idle' });

export type ParentCommand = 'go' | 'start_window' | 'stop_window' | 'finish';

export interface WindowResult {
  type: 'window';
  /** Signal frames received by this process's clients inside the window = messages relayed. */
  received: number;
  /** Round trips completed inside the window. */
  roundTrips: number;
  /** Round-trip time measured from the actual send. */
  rtt: SparseHistogram;
  /** Rate mode: round-trip time measured from the scheduled send time (includes timer lag). */
  rttFromSchedule: SparseHistogram;
  /** Frames whose sender id was not the partner's (must stay 0: relay correctness). */
  wrongSender: number;
  /** Error or unexpected control frames received during the load. */
  unexpected: number;
  /** Rate mode: scheduled round trips skipped because the pair had too many in flight. */
  skipped: number;
  /** p99 of this process's event-loop delay in the window: load-generator scheduling noise. */
  loopDelayP99Ms: number;
  /** Connections that closed during the load. */
  closed: number;
}

export type LoadReport =
  /** setupMs: connecting and joining every pair, from the first socket to the last `joined` */
  | { type: 'ready'; connections: number; setupMs: number }
  | WindowResult
  /** After 'finish': round trips still unanswered once traffic stopped and drained (lost). */
  | { type: 'drained'; unanswered: number }
  | { type: 'failed'; message: string };

export function isLoadReport(v: unknown): v is LoadReport {
  if (typeof v !== 'object' || v === null) return false;
  const type = (v as { type?: unknown }).type;
  return type === 'ready' || type === 'window' || type === 'drained' || type === 'failed';
}
