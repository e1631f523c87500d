// The backend choice: native tfjs-node where it loads, and a clean fall-back to WASM where it does not.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadFaceApi, loadFaceModels, type ModuleLoader } from '../../src/engine/analysis/face-models.ts';

const require = createRequire(import.meta.url);

/** Node's require, except that tfjs-node fails as it does where its native library is missing. */
const brokenNative: ModuleLoader = (name) => {
  if (name === '@tensorflow/tfjs-node') throw new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');
  return require(name);
};

describe('loadFaceApi', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('takes the native build when tfjs-node loads', () => {
    vi.stubEnv('FACET_BACKEND', undefined);
    const asked: string[] = [];
    const nativeLoads: ModuleLoader = (name) => {
      asked.push(name);
      return { name };
    };
    const chosen = loadFaceApi(nativeLoads);
    expect(chosen.native).toBe(true);
    expect(chosen.faceapi).toEqual({ name: '@vladmandic/face-api/dist/face-api.node.js' });
    expect(asked).toEqual(['@tensorflow/tfjs-node', '@vladmandic/face-api/dist/face-api.node.js']);
  });

  it('does not try tfjs-node when FACET_BACKEND=wasm asks for WASM', () => {
    vi.stubEnv('FACET_BACKEND', 'wasm');
    const chosen = loadFaceApi((name) => {
      if (name === '@tensorflow/tfjs-node') throw new Error('tfjs-node must not be loaded');
      return { name };
    });
    expect(chosen).toEqual({ faceapi: { name: '@vladmandic/face-api/dist/face-api.node-wasm.js' }, native: false });
  });

  it('falls back to the WASM build when tfjs-node throws on load', () => {
    const chosen = loadFaceApi(brokenNative);
    expect(chosen.native).toBe(false);
    expect(chosen.faceapi).toBe(require('@vladmandic/face-api/dist/face-api.node-wasm.js'));
  });
});

describe('loadFaceModels', () => {
  it('loads every model on the WASM backend when tfjs-node fails, and says so', { timeout: 60_000 }, async () => {
    const models = await loadFaceModels(brokenNative);
    expect(models.backend).toBe('wasm');
    for (const net of ['ssdMobilenetv1', 'tinyFaceDetector', 'faceLandmark68Net', 'faceRecognitionNet'] as const) {
      expect(models.faceapi.nets[net].isLoaded, net).toBe(true);
    }
  });
});
