import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Import directions (ARCHITECTURE.md): ui -> state -> board / core -> protocol, never upward.
 * Each layer lists what it must not import; test kits and simple-peer are fenced in too.
 */
const solid = {
  group: ['solid-js', 'solid-js/*'],
  message: 'only web/src/state and web/src/ui use Solid',
};
const testKits = {
  group: ['**/test/**', '**/kit/*', '**/e2e/**', 'vitest', '@roamhq/wrtc', 'fake-indexeddb'],
  message: 'production code never imports test kits or test-only dependencies',
};
const simplePeer = {
  group: ['simple-peer'],
  message: 'simple-peer lives behind shared/core/src/peers/link.ts (use Link / Room.media)',
};
const webLayers = (...layers) =>
  layers.map((layer) => ({
    group: [`**/${layer}/**`, `../${layer}`, `../../${layer}`],
    message: `imports run downward only: ui -> state -> board/core -> protocol (${layer} is above)`,
  }));
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'docs-api/**',
      '.tsbuild/**',
      '**/test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['shared/protocol/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(
      { group: ['node:*'], message: 'the protocol runs in browsers too' },
      solid,
      testKits,
      { group: ['@peerboard/core', '@peerboard/core/*'], message: 'protocol is the bottom layer' },
    ),
  },
  {
    files: ['shared/core/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'shared/core/src/peers/link.ts'],
    rules: restrict(solid, testKits, simplePeer, {
      group: ['**/web/**', '@peerboard/web', '@peerboard/web/*'],
      message: 'the engine knows nothing of the app',
    }),
  },
  {
    files: ['shared/core/src/peers/link.ts'],
    rules: restrict(solid, testKits),
  },
  {
    files: ['shared/yjs/src/**/*.ts'],
    rules: restrict(solid, testKits, simplePeer, {
      group: ['**/web/**', '@peerboard/web', '@peerboard/web/*', '**/core/src/**'],
      message: '@peerboard/yjs uses the engine through its public entries only',
    }),
  },
  {
    // example apps are written as outsiders would: published packages only, no app internals
    files: ['web/examples/**/*.ts'],
    rules: restrict(testKits, simplePeer, {
      group: ['**/src/**', '../../src/*', '@peerboard/core/*', '@peerboard/core'],
      message: 'examples import published packages (@peerboard/yjs, yjs, codemirror) only',
    }),
  },
  {
    // the peerboard command: the engine, and of the app only the board's pure SVG export
    files: ['signal-server/src/cli/**/*.ts'],
    rules: restrict(testKits, simplePeer, {
      group: ['**/web/src/state/**', '**/web/src/ui/**', '**/web/src/*.ts', '**/web/src/*.tsx'],
      message: 'the CLI may use web/src/board (pure) only, never the app through state/ui',
    }),
  },
  {
    files: ['web/src/board/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(solid, testKits, simplePeer, ...webLayers('state', 'ui')),
  },
  {
    files: ['web/src/state/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: restrict(testKits, simplePeer, ...webLayers('ui')),
  },
  {
    // the service worker and what it shares with the page: no Solid, nothing from state/ or ui/
    files: ['web/src/pwa/**/*.ts', 'web/src/sw.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(solid, testKits, simplePeer, ...webLayers('state', 'ui')),
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    ignores: [
      '**/*.test.ts',
      'web/src/board/**',
      'web/src/state/**',
      'web/src/pwa/**',
      'web/src/sw.ts',
    ],
    rules: restrict(testKits, simplePeer),
  },
);
