/**
 * Vitest globalSetup of the server project: builds dist/cli.js once, before any test file runs.
 * The files that run the command run in parallel workers; each building it again would rewrite
 * cli.js while another file's processes are loading it (and repeat a build several times a run).
 * buildCli() skips the build when this has run (the workers inherit the variable).
 */
import { buildCli, CLI_BUILT_ENV } from './cliBuild';

export default function setup(): void {
  buildCli();
  process.env[CLI_BUILT_ENV] = '1';
}
