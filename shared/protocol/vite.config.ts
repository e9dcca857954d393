import { defineConfig } from 'vite';

/** Library build for `npm pack` (see ../core/vite.config.ts); the workspace uses src directly. */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: { formats: ['es'], entry: { index: 'src/index.ts', wire: 'src/wire/index.ts' } },
  },
});
