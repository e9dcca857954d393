import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files at once in the Node projects. Vitest's default for `run` is one less than the
 * cores: a single worker on a 2-core machine, while most of these files wait on sockets, WebRTC
 * and timers rather than on the CPU.
 */
const NODE_WORKERS = Math.max(2, availableParallelism());
/**
 * Chromium files at once: each has one browser with two or three contexts, and a relay. These
 * are CPU-bound: on fresh-clone runs of 2026-11-26 two at once took 1059 s (each file 2.3x
 * slower) and one at a time 1075 s; one at a time keeps timing-sensitive waits uncontended.
 */
const E2E_WORKERS = 1;
/**
 * One more try for tests that run real relays, WebRTC peers and browsers on a shared 2-core
 * machine, where a timing-sensitive wait can lose to the scheduler. Pure unit projects get none.
 * A test that passed only on its retry is not hidden: `.ci/run`'s closing line counts and names
 * it (the JSON report keeps the first try's failure).
 */
const REAL_PEER_RETRY = 1;

// One project per part; `pnpm test` runs the unit/integration projects first, then builds the
// web client and runs the browser E2E project against it.
export default defineConfig({
  test: {
    maxWorkers: NODE_WORKERS,
    projects: [
      {
        test: {
          name: 'protocol',
          environment: 'node',
          include: ['shared/protocol/test/**/*.test.ts'],
          // pure functions, no global state: a worker per file cost more than the tests
          isolate: false,
        },
      },
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['signal-server/test/**/*.test.ts'],
          // dist/cli.js once per run, not once per file while other files run it
          globalSetup: ['signal-server/test/kit/buildCliOnce.ts'],
          testTimeout: 20_000,
          retry: REAL_PEER_RETRY,
        },
      },
      {
        test: {
          name: 'core',
          environment: 'node',
          include: ['shared/core/src/**/*.test.ts', 'shared/core/test/**/*.test.ts'],
          exclude: ['shared/core/test/pack/**'],
          testTimeout: 60_000,
          hookTimeout: 30_000,
          retry: REAL_PEER_RETRY,
        },
      },
      {
        // @peerboard/yjs: the y-webrtc-shaped provider over real relay + WebRTC, and the examples
        test: {
          name: 'yjs',
          environment: 'node',
          include: ['shared/yjs/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 30_000,
          retry: REAL_PEER_RETRY,
        },
      },
      {
        // the board engine's pure parts (geometry, viewport, spatial index, export): no DOM needed
        // (no isolation between files: pure code, and the one file with fake timers restores them)
        test: {
          name: 'web',
          environment: 'node',
          include: ['web/src/**/*.test.ts'],
          isolate: false,
        },
      },
      {
        // build + pack + npm install into a temp folder: slow, and needs the npm registry
        test: {
          name: 'pack',
          environment: 'node',
          include: ['shared/core/test/pack/**/*.test.ts'],
          testTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['web/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: E2E_WORKERS,
          // One worker process runs every file in turn, keeping its imports (playwright-core, the
          // relay) and the run's browsers (harness.ts sharedBrowser) from file to file: ~5 s a
          // file less on the 2-core CI box. Each file still starts its own relay and contexts.
          isolate: false,
          retry: REAL_PEER_RETRY,
          // after the Node projects when run together (its own worker count needs its own group)
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
