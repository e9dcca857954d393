/**
 * `pnpm bench [name] [options]`: runs the named benchmark (all of them, one after the other,
 * without a name). Each package lists its own benchmarks and exports them as `<package>/bench`.
 * Benchmarks are not tests: they print figures beside a same-run reference and never fail on a
 * figure, only on a broken setup.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import type { Benchmark } from '@peerboard/bench-kit';
import { serverBenchmarks } from '@peerboard/signal-server/bench';
import { webBenchmarks } from '@peerboard/web/bench';

const BENCHMARKS: readonly Benchmark[] = [...serverBenchmarks, ...webBenchmarks];

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
