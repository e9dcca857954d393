/**
 * A benchmark: each package lists its own in `bench/index.ts` (exported as `<package>/bench`)
 * and shared/bench/run.ts runs them.
 */
export interface Benchmark {
  /** Selects it on the command line: `pnpm bench <name> [options]`. */
  readonly name: string;
  readonly description: string;
  /** Runs to completion by itself (bounded in time) and prints its own table. */
  run(args: string[]): Promise<void>;
}
