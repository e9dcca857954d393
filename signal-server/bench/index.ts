/** The signal server's benchmarks, as `@peerboard/signal-server/bench` (run by shared/bench). */
import type { Benchmark } from '@peerboard/bench-kit';
import { cliBenchmark } from './cli.bench';
import { hardeningBenchmark } from './hardening';
import { relayBenchmark } from './relay.bench';
import { scaleoutBenchmark } from './scaleout.bench';

export const serverBenchmarks: readonly Benchmark[] = [
  relayBenchmark,
  scaleoutBenchmark,
  hardeningBenchmark,
  cliBenchmark,
];
