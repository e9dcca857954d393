/**
 * `pnpm bench [name] [options]`: runs the listed benchmark modules one after the other (all of
 * them without a name). Benchmarks are not tests: they print figures beside a same-run
 * reference and never fail on a figure, only on a broken setup.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import type { Benchmark } from '@peerboard/bench-kit';
import { relayBenchmark } from './relay.bench';
import { hardeningBenchmark } from './hardening';
import { scaleoutBenchmark } from './scaleout.bench';

/** File transfer (web/bench/transfer.ts), loaded by path so this project does not type-check web. */
const transferBenchmark: Benchmark = {
  name: 'transfer',
  description:
    'file transfer: Chromium Peerboard vs raw RTCDataChannel, Node peers, receiver memory',
  run: async (args) => {
    const entry: string = new URL('../../web/bench/transfer.ts', import.meta.url).href;
    const mod = (await import(entry)) as { transferBenchmark: Benchmark };
    await mod.transferBenchmark.run(args);
  },
};

/** Client core (web/bench/core-*.ts): each module exports a Benchmark-shaped object. */
const coreBenchmark = (name: string, file: string, description: string): Benchmark => ({
  name,
  description,
  run: async (args) => {
    const entry: string = new URL(`../../web/bench/${file}`, import.meta.url).href;
    const mod = (await import(entry)) as Record<string, Benchmark | undefined>;
    const bench = Object.values(mod).find((b) => b?.name === name);
    if (!bench) throw new Error(`web/bench/${file} exports no benchmark "${name}"`);
    await bench.run(args);
  },
});

/** Whiteboard (web/bench/board.ts), loaded by path like the transfer benchmark. */
const boardBenchmark: Benchmark = {
  name: 'board',
  description: 'whiteboard: 10k-stroke load and pan frame time, update size, propagation latency',
  run: async (args) => {
    const entry: string = new URL('../../web/bench/board.ts', import.meta.url).href;
    const mod = (await import(entry)) as { boardBenchmark: Benchmark };
    await mod.boardBenchmark.run(args);
  },
};

const BENCHMARKS: readonly Benchmark[] = [
  relayBenchmark,
  scaleoutBenchmark,
  hardeningBenchmark,
  transferBenchmark,
  coreBenchmark('core-join', 'core-join.ts', 'join -> data channel open, Node + Chromium'),
  coreBenchmark(
    'core-bulk',
    'core-bulk.ts',
    'small-frame latency under bulk load, Node + Chromium',
  ),
  coreBenchmark('call', 'call.ts', 'join call -> first remote frame; chat latency, Chromium'),
  boardBenchmark,
];

function machine(): string {
  const nproc = execFileSync('nproc').toString().trim();
  const model = cpus()[0]?.model ?? 'unknown CPU';
  const ram = (totalmem() / 2 ** 30).toFixed(1);
  return `${nproc} cores (${model}), ${ram} GiB RAM, Node ${process.version}, ${new Date().toISOString()}`;
}

async function main(): Promise<void> {
  const [first, ...rest] = process.argv.slice(2);
  if (first === '--help' || first === '-h') {
    for (const b of BENCHMARKS) console.log(`${b.name}: ${b.description}`);
    return;
  }
  const named = first !== undefined && !first.startsWith('-');
  const selected = named ? BENCHMARKS.filter((b) => b.name === first) : BENCHMARKS;
  if (selected.length === 0)
    throw new Error(`no benchmark "${first}" (known: ${BENCHMARKS.map((b) => b.name)})`);
  const args = named ? rest : process.argv.slice(2);
  console.log(`machine: ${machine()}`);
  for (const bench of selected) {
    console.log(`\n== ${bench.name} ==`);
    await bench.run(args);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
