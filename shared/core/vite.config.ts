import { defineConfig } from 'vite';

/**
 * Library build for `npm pack`: one ES module per public entry (shared code in chunks), every
 * dependency left external so the consumer's bundler or Node resolves them once. Types come from
 * `tsc -p tsconfig.build.json`. Inside the workspace nobody uses dist: the package's exports point
 * at src, and publishConfig switches them to dist when packed.
 */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      formats: ['es'],
      entry: {
        index: 'src/index.ts',
        collab: 'src/collab/index.ts',
        transfer: 'src/transfer/index.ts',
        chat: 'src/chat/index.ts',
        call: 'src/call/index.ts',
        secret: 'src/secret/index.ts',
      },
    },
    rollupOptions: {
      external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    },
  },
});
