import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import { pwaManifest } from './pwa.manifest.ts';

/**
 * simple-peer in the browser
 * --------------------------
 * simple-peer 9's package entry (`index.js`) is written for Node and requires `events`,
 * `readable-stream`, `buffer` and `process`. Vite does not polyfill Node built-ins: a plain build
 * only warns ("Module events has been externalized for browser compatibility") and the app then
 * throws at run time in the browser.
 *
 * Choice: alias the bare `simple-peer` import to the package's own self-contained browser bundle
 * `simple-peer/simplepeer.min.js` (browserify standalone, shipped and tested by simple-peer, with
 * its own copies of buffer/events/stream). Core code keeps `import SimplePeer from 'simple-peer'`
 * (typed by @types/simple-peer) and runs unchanged in Node, where the alias does not apply.
 * Rejected: polyfill packages + `define: { global }`: more dependencies to keep in step, and
 * `process`/`Buffer` globals leak into the whole app.
 * Proof: web/e2e/room.test.ts connects two Chromium contexts through the built bundle.
 */
const SIMPLE_PEER_BROWSER_BUNDLE = 'simple-peer/simplepeer.min.js';

/** `pnpm dev` proxies the WebSocket endpoint to a signal server started separately. */
const devSignalServer = process.env.PEERBOARD_DEV_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    solid(),
    // The installable app: manifest + a service worker written by hand (src/sw.ts) with the
    // build's asset list injected by Workbox. Registration is ours (src/pwa/serviceWorkerClient.ts)
    // so that an update waits for the person's "Reload".
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifest: pwaManifest,
      manifestFilename: 'manifest.webmanifest',
      includeManifestIcons: false,
      injectManifest: {
        // the app shell; source maps and the example apps' pages stay out of the cache
        globPatterns: ['**/*.{js,css,html,svg,png,woff2,wasm}'],
        globIgnores: ['examples/**', 'assets/editor-*', '**/*.map'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  resolve: {
    alias: [{ find: /^simple-peer$/, replacement: SIMPLE_PEER_BROWSER_BUNDLE }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Multi-page: the app, and example apps built on the published packages that the relay
    // serves from the same dist (web/examples/editor -> /examples/editor/).
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        editor: fileURLToPath(new URL('./examples/editor/index.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/ws': { target: devSignalServer, ws: true, changeOrigin: true },
    },
  },
});
