// The WebAssembly globals src/core/simd-kernels.ts uses. Node provides them, but TypeScript
// declares them only in its DOM library, which the Node-side projects do not load (the web
// project does, so this file is not part of it).
declare namespace WebAssembly {
  interface Module {}
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
  }
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  var Module: { new (bytes: Uint8Array): Module };
  var Instance: { new (module: Module, imports: Record<string, unknown>): Instance };
}
