/**
 * Building the `peerboard` command for the tests (no vitest import: the server project's
 * globalSetup, buildCliOnce.ts, runs it in the main process).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** set by buildCliOnce.ts once dist/cli.js is built; the test workers inherit it */
export const CLI_BUILT_ENV = 'PEERBOARD_TEST_CLI_BUILT';

/** dist/cli.js, unless this test run has built it already */
export function buildCli(): void {
  if (process.env[CLI_BUILT_ENV] === '1') return;
  execFileSync(
    path.join(SERVER_DIR, 'node_modules/.bin/vite'),
    ['build', '-c', 'vite.cli.config.ts', '--logLevel', 'warn'],
    { cwd: SERVER_DIR, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}
