import { defineConfig } from 'vite';

/**
 * `pnpm build`: the relay as one plain ES module, `dist/main.js`, run by `node dist/main.js`
 * (`pnpm start`) with no TypeScript loader. @peerboard/protocol exports its TypeScript source
 * inside the workspace, so it is bundled in; real packages (uWebSockets.js with its native
 * binary, pino, ioredis, qrcode, selfsigned) stay external and load from node_modules.
 */
export default defineConfig({
  build: {
    ssr: 'src/main.ts',
    outDir: 'dist',
    // dist/cli.js (vite.cli.config.ts) lives here too: a rebuild of the relay must not delete it
    emptyOutDir: false,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rolldownOptions: { output: { entryFileNames: 'main.js' } },
  },
  ssr: { noExternal: ['@peerboard/protocol'] },
});
