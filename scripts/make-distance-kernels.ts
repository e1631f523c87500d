// Compiles src/core/distance-kernels.wat into src/core/distance-kernels.wasm.ts, the binary as a
// base64 string: the core stays free of file access, and vitest, tsx and the bundles all load it
// as plain TypeScript. Run with `npm run kernels`; a test fails while the two disagree.
import { writeFileSync } from 'node:fs';
import { compileDistanceKernels } from './distance-kernels-source.ts';

const target = new URL('../src/core/distance-kernels.wasm.ts', import.meta.url);
writeFileSync(target, await compileDistanceKernels());
console.log(`wrote ${target.pathname}`);
