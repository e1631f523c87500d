// Builds the Electron main process (with the engine's utility-process host and analysis worker),
// the sandboxed preload and the Vue renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          'engine-host': resolve('src/main/engine-host.ts'),
          // Worker threads are started from files beside the engine host (see src/engine/worker-threads.ts).
          'analysis-worker': resolve('src/engine/analysis/analysis-worker.ts'),
          'projection-worker': resolve('src/engine/projection-worker.ts'),
          'cluster-worker': resolve('src/engine/cluster-worker.ts'),
          'groups-worker': resolve('src/engine/groups-worker.ts'),
        },
      },
    },
  },
  preload: {
    // A sandboxed preload can neither require packages nor be an ES module: one CommonJS file.
    build: {
      externalizeDeps: false,
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { minify: true, rollupOptions: { input: resolve('src/renderer/index.html') } },
    plugins: [vue()],
    // vue-i18n's esm-bundler build: the composition API only, compiled messages without eval (the CSP forbids it).
    define: {
      __VUE_I18N_FULL_INSTALL__: true,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
    },
  },
});
