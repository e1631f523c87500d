// Loads face-api and its bundled models on the fastest TensorFlow.js backend this machine has.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

type FaceApi = typeof import('@vladmandic/face-api');

export interface FaceModels {
  faceapi: FaceApi;
  /** 'tensorflow' (native tfjs-node) or 'wasm'. */
  backend: string;
}

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** Loads a module by name: Node's require, or a stand-in in tests that make the native backend fail. */
export type ModuleLoader = (name: string) => unknown;

/**
 * Native tfjs-node is an optional dependency: it installs only where its prebuilt library can be
 * downloaded. Where it loads, it is several times faster; elsewhere the WASM backend runs, with
 * its .wasm files taken from the installed package (never fetched from the network).
 */
export function loadFaceApi(load: ModuleLoader = require): { faceapi: FaceApi; native: boolean } {
  if (process.env.FACET_BACKEND !== 'wasm') {
    try {
      load('@tensorflow/tfjs-node');
      return { faceapi: load('@vladmandic/face-api/dist/face-api.node.js') as FaceApi, native: true };
    } catch {
      // Not installed or its native library is missing: fall through to WASM.
    }
  }
  return { faceapi: load('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi, native: false };
}

export async function loadFaceModels(load: ModuleLoader = require): Promise<FaceModels> {
  const { faceapi, native } = loadFaceApi(load);
  const tf = faceapi.tf as unknown as {
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    getBackend(): string;
    setWasmPaths?: (prefix: string) => void;
    wasm?: { setWasmPaths(prefix: string): void };
  };
  if (!native) {
    const setWasmPaths = tf.setWasmPaths ?? tf.wasm?.setWasmPaths;
    if (!setWasmPaths) throw new Error('the TensorFlow.js WASM backend is not available');
    setWasmPaths(join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist') + '/');
    if (!(await tf.setBackend('wasm'))) throw new Error('the TensorFlow.js WASM backend failed to start');
  }
  await tf.ready();
  const modelDir = join(packageDir('@vladmandic/face-api'), 'model');
  await Promise.all([
    faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir),
    faceapi.nets.tinyFaceDetector.loadFromDisk(modelDir),
    faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir),
    faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir),
  ]);
  return { faceapi, backend: tf.getBackend() };
}
