import { defineConfig } from 'vite';

/**
 * `pnpm build` (second step): the `peerboard` command as one ES module, `dist/cli.js` (the
 * package's bin). The engine (@peerboard/core exports its TypeScript source inside the
 * workspace), the protocol and the board's SVG export (web/src/board, with perfect-freehand) are
 * bundled in; packages with native parts (uWebSockets.js, @roamhq/wrtc, @resvg/resvg-js) and the
 * server's own dependencies stay external and load from node_modules.
 */
const EXTERNAL = [
  'uWebSockets.js',
  '@roamhq/wrtc',
  '@resvg/resvg-js',
  'ws',
  'pino',
  'ioredis',
  'qrcode',
  'selfsigned',
];

export default defineConfig({
  build: {
    ssr: 'src/cli/index.ts',
    outDir: 'dist',
    emptyOutDir: false,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rolldownOptions: { output: { entryFileNames: 'cli.js' } },
  },
  ssr: {
    noExternal: true,
    external: EXTERNAL,
  },
});
