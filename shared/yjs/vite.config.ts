import { defineConfig } from 'vite';

/**
 * Library build for `npm pack`, like @peerboard/core's: one ES module, every dependency external
 * (yjs above all: a second copy of Yjs in a bundle breaks `instanceof` checks and the doc's
 * types), types from `tsc -p tsconfig.build.json`. The workspace uses src through `exports`.
 */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: { formats: ['es'], entry: { index: 'src/index.ts' } },
    rollupOptions: {
      external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    },
  },
});
