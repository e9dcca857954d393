/**
 * Building the `peerboard` command for the tests (no vitest import: the server project's
 * globalSetup, buildCliOnce.ts, runs it in the main process).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** set by buildCliOnce.ts once dist/cli.js is built; the test workers inherit it */
export const CLI_BUILT_ENV = 'PEERBOARD_TEST_CLI_BUILT';

/**
 * What dist/cli.js is built from: the bundled sources (the command, the engine, the protocol, the
 * board's export in web/src), the build's config and the installed packages (the lockfile).
 */
const CLI_INPUTS = [
  'signal-server/src',
  'signal-server/vite.cli.config.ts',
  'signal-server/package.json',
  'shared/core/src',
  'shared/core/package.json',
  'shared/protocol/src',
  'shared/protocol/package.json',
  'web/src',
  'pnpm-lock.yaml',
].map((p) => path.join(SERVER_DIR, '..', p));

/** The newest modification time under `p` (a file or a folder), in ms; 0 if it is missing. */
function newestMtime(p: string): number {
  let stat;
  try {
    stat = statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

/**
 * dist/cli.js, unless this test run has built it already or it is newer than everything it is
 * built from (as make decides): the E2E run after the unit projects (`pnpm test`) reuses the one
 * they built instead of building it again (~3 s).
 */
export function buildCli(): void {
  if (process.env[CLI_BUILT_ENV] === '1') return;
  const built = newestMtime(path.join(SERVER_DIR, 'dist', 'cli.js'));
  if (built > 0 && CLI_INPUTS.every((p) => newestMtime(p) < built)) return;
  execFileSync(
    path.join(SERVER_DIR, 'node_modules/.bin/vite'),
    ['build', '-c', 'vite.cli.config.ts', '--logLevel', 'warn'],
    { cwd: SERVER_DIR, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}
