// Compiles src/core/simd-kernels.wat into src/core/simd-kernels.wasm.ts, the binary as a
// base64 string: the core stays free of file access, and vitest, tsx and the bundles all load it
// as plain TypeScript. Run with `npm run kernels`; a test fails while the two disagree.
import { writeFileSync } from 'node:fs';
import { compileSimdKernels } from './simd-kernels-source.ts';

const target = new URL('../src/core/simd-kernels.wasm.ts', import.meta.url);
writeFileSync(target, await compileSimdKernels());
console.log(`wrote ${target.pathname}`);
