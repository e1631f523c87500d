// Starts the engine's worker threads from source (TypeScript through tsx) or from the app's bundle.
import { Worker } from 'node:worker_threads';

let bundledWorkerDir: string | undefined;

/** Called by a bundled entry point (the Electron engine host): its workers are built beside it. */
export function useBundledWorkers(directory: string): void {
  bundledWorkerDir = directory;
}

/**
 * `source` is the worker's TypeScript file, `name` its bundle entry. Loader flags in a worker's
 * execArgv do not reach its entry module on Node 20, so from source a one-line bootstrap
 * registers tsx first.
 */
export function startWorker(source: URL, name: string, workerData?: unknown): Worker {
  if (bundledWorkerDir !== undefined) return new Worker(`${bundledWorkerDir}/${name}.js`, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(source.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
