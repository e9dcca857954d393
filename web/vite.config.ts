import { fileURLToPath } from 'node:url';
import {
  defineConfig,
  type HtmlTagDescriptor,
  type IndexHtmlTransformContext,
  type Plugin,
} from 'vite';
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

type Bundle = NonNullable<IndexHtmlTransformContext['bundle']>;

/**
 * The dynamically imported chunk of `source` and the chunks it imports that index.html does not
 * name already (its first module and modulepreloads), the chunk first, with their stylesheets.
 */
function chunkClosure(bundle: Bundle, html: string, source: string) {
  const entry = Object.values(bundle).find(
    (c) => c.type === 'chunk' && c.isDynamicEntry && c.facadeModuleId?.endsWith(source),
  );
  if (!entry || entry.type !== 'chunk') throw new Error(`no chunk for ${source}`);
  const scripts = new Set<string>();
  const styles = new Set<string>();
  const visit = (file: string) => {
    const c = bundle[file];
    if (scripts.has(file) || !c || c.type !== 'chunk' || html.includes(`/${file}"`)) return;
    scripts.add(file);
    c.viteMetadata?.importedCss.forEach((css) => styles.add(css));
    c.imports.forEach(visit);
  };
  visit(entry.fileName);
  return { scripts: [...scripts], styles: [...styles] };
}

/** A build-only plugin adding `tags(bundle, html)` to the app's index.html, once the bundle is known. */
function indexHtmlTags(
  name: string,
  tags: (bundle: Bundle, html: string) => HtmlTagDescriptor[],
): Plugin {
  return {
    name,
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle || !ctx.filename.endsWith('/web/index.html')) return [];
        return tags(bundle, html);
      },
    },
  };
}

/**
 * The app page's first module (src/main.tsx) opens the room's socket and then imports the app
 * (src/app.tsx) dynamically. Vite preloads a dynamic import's dependencies only when the import
 * runs, i.e. after the first module was fetched: this lists the app chunk and the chunks it
 * imports as modulepreloads in index.html, so they are fetched alongside the first module.
 */
function preloadApp(): Plugin {
  return indexHtmlTags('peerboard-preload-app', (bundle, html) =>
    chunkClosure(bundle, html, '/src/app.tsx').scripts.map((file) => ({
      tag: 'link',
      attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
      injectTo: 'head' as const,
    })),
  );
}

/**
 * The board's code (ui/board/Board.tsx's chunk and its stylesheet) as links inside an inert
 * `<template id="board-code">`: the landing page fetches nothing from it; a room page copies the
 * links into the document once the relay has answered its join (ui/lazyRoom.tsx), so the code is
 * on its way while the first link to a peer is still being set up. Without it a first-time
 * visitor on a slow link asked for the code only once that link was open, and the whole board
 * could land before the code, with no first-screen preview ever drawn.
 */
function boardCodeTemplate(): Plugin {
  return indexHtmlTags('peerboard-board-code-template', (bundle, html) => {
    const { scripts, styles } = chunkClosure(bundle, html, '/src/ui/board/Board.tsx');
    const link = (attrs: Record<string, string | boolean>) => ({ tag: 'link', attrs });
    return [
      {
        tag: 'template',
        attrs: { id: 'board-code' },
        children: [
          ...scripts.map((f) => link({ rel: 'modulepreload', crossorigin: true, href: `/${f}` })),
          ...styles.map((f) =>
            link({ rel: 'preload', as: 'style', crossorigin: true, href: `/${f}` }),
          ),
        ],
        injectTo: 'body' as const,
      },
    ];
  });
}

/** `pnpm dev` proxies the WebSocket endpoint to a signal server started separately. */
const devSignalServer = process.env.PEERBOARD_DEV_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    solid(),
    preloadApp(),
    boardCodeTemplate(),
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
