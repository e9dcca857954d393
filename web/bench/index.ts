/** The client's benchmarks, as `@peerboard/web/bench` (run by shared/bench). */
import type { Benchmark } from '@peerboard/bench-kit';
import { boardBenchmark } from './board';
import { callBenchmark } from './call';
import { callMeshBenchmark } from './call-mesh';
import { coreBulkBenchmark } from './core-bulk';
import { coreJoinBenchmark } from './core-join';
import { presenceBenchmark } from './presence';
import { transferBenchmark } from './transfer';

export const webBenchmarks: readonly Benchmark[] = [
  transferBenchmark,
  coreJoinBenchmark,
  coreBulkBenchmark,
  callBenchmark,
  callMeshBenchmark,
  boardBenchmark,
  presenceBenchmark,
];
