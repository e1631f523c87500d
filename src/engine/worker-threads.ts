// Starts the engine's worker threads from source (TypeScript through tsx) or from the app's bundle, and runs one-shot tasks in them with progress and cancellation.
import { parentPort, workerData, Worker, type Transferable, type WorkerOptions } from 'node:worker_threads';
import type { LimitedJob } from '../shared/job-limits.ts';
import { EngineError, LimitError } from './errors.ts';
import type { JobLimits } from './job-limits.ts';

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
export function startWorker(source: URL, name: string, options: Pick<WorkerOptions, 'workerData' | 'transferList' | 'resourceLimits'> = {}): Worker {
  if (bundledWorkerDir !== undefined) return new Worker(`${bundledWorkerDir}/${name}.js`, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(source.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** What a task worker posts: progress now and then, then one result or error. */
type TaskMessage<Result> = { type: 'progress'; done: number; total: number } | { type: 'result'; result: Result } | { type: 'error'; message: string };

/** How often a task worker posts progress at most, in ms: the engine reports it at about this rate anyway. */
const TASK_PROGRESS_INTERVAL = 100;

export interface TaskOptions {
  transferList?: Transferable[];
  onProgress?: (done: number, total: number) => void;
  /** Aborting terminates the worker at once (pure computations hold nothing to clean up); the task rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Names the work in errors, e.g. "the t-SNE map". */
  what: string;
  /** The job its limits name when they stop it. */
  job: LimitedJob;
  limits: JobLimits;
}

/**
 * Runs one task in a new worker thread (see serveTask) and resolves with its result. The worker's heap
 * is capped at limits.memoryMb (V8 stops the worker there, never the engine) and it is terminated
 * after limits.timeMs; either rejects with a LimitError that says what to do.
 */
export function runTask<Result>(source: URL, name: string, request: unknown, options: TaskOptions): Promise<Result> {
  const { signal, what, job, limits } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const worker = startWorker(source, name, {
    workerData: request,
    transferList: options.transferList,
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
  });
  return new Promise<Result>((resolve, reject) => {
    const overtime = setTimeout(() => settle(() => reject(new LimitError({ job, limit: 'time', amount: limits.timeMs / 1000 }))), limits.timeMs);
    const settle = (finish: () => void) => {
      clearTimeout(overtime);
      signal?.removeEventListener('abort', onAbort);
      worker.removeAllListeners();
      void worker.terminate();
      finish();
    };
    const onAbort = () => settle(() => reject(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: TaskMessage<Result>) => {
      if (message.type === 'progress') options.onProgress?.(message.done, message.total);
      else if (message.type === 'result') settle(() => resolve(message.result));
      else settle(() => reject(new EngineError(`${what} failed: ${message.message}`)));
    });
    worker.once('error', (error: NodeJS.ErrnoException) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new LimitError({ job, limit: 'memory', amount: limits.memoryMb })
            : new EngineError(`${what} failed: ${error.message}`),
        ),
      ),
    );
    worker.once('exit', (code) => settle(() => reject(new EngineError(`${what} stopped (exit code ${code})`))));
  });
}

/**
 * The worker's side of runTask: computes the result from the request it was started with,
 * passing on progress at most every TASK_PROGRESS_INTERVAL ms so that reporting costs nothing.
 */
export function serveTask<Request, Result>(
  compute: (request: Request, onProgress: (done: number, total: number) => void) => { result: Result; transferList?: Transferable[] },
): void {
  const port = parentPort!;
  let lastPost = 0;
  const onProgress = (done: number, total: number) => {
    const now = performance.now();
    if (now - lastPost < TASK_PROGRESS_INTERVAL && done < total) return;
    lastPost = now;
    port.postMessage({ type: 'progress', done, total } satisfies TaskMessage<Result>);
  };
  try {
    const { result, transferList } = compute(workerData as Request, onProgress);
    port.postMessage({ type: 'result', result } satisfies TaskMessage<Result>, transferList);
  } catch (error) {
    port.postMessage({ type: 'error', message: (error as Error).message } satisfies TaskMessage<Result>);
  }
}
