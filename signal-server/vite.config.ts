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
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rolldownOptions: { output: { entryFileNames: 'main.js' } },
  },
  ssr: { noExternal: ['@peerboard/protocol'] },
});
