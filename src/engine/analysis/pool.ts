// A pool of analysis worker threads, one per core by default, each with its own face models.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-threads.ts';
import type { AnalysisOptions, PhotoResult } from './analyse-photo.ts';
import type { Box } from '../../shared/contract.ts';
import type { AnalysedFace } from './analysed-face.ts';

/** A whole photo to find faces in (a library file, or the bytes of a photo to match), or one box the user drew on a photo to describe. */
export type WorkerRequest =
  | { kind: 'photo'; id: number; file: string; options: AnalysisOptions }
  | { kind: 'bytes'; id: number; bytes: Uint8Array; options: AnalysisOptions }
  | { kind: 'box'; id: number; file: string; box: Box };

export type WorkerReply =
  | { type: 'ready'; backend: string }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; ok: true; result: PhotoResult | AnalysedFace }
  | { type: 'result'; id: number; ok: false; reason: string };

export type AnalysisOutcome = { ok: true; result: PhotoResult } | { ok: false; reason: string };
export type BoxOutcome = { ok: true; result: AnalysedFace } | { ok: false; reason: string };
type Outcome = { ok: true; result: PhotoResult | AnalysedFace } | { ok: false; reason: string };

type WorkerTask = DistributiveOmit<WorkerRequest, 'id'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The worker module every slot runs. */
const ANALYSIS_WORKER = new URL('./analysis-worker.ts', import.meta.url);

interface Slot {
  worker: Worker;
  busy?: { id: number; resolve: (outcome: Outcome) => void };
}

export class AnalysisPool {
  readonly size: number;
  backend = 'unknown';
  /** Why the pool can analyse nothing more (a worker died and its replacement did not start); a new pool is needed. */
  failure?: Error;
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(
    size: number,
    private readonly workerModule: URL,
  ) {
    this.size = size;
  }

  static defaultSize(): number {
    return Math.max(1, availableParallelism());
  }

  /** Starts `size` workers and resolves once every one has its models loaded; `workerModule` is replaced only by tests. */
  static async start(size = AnalysisPool.defaultSize(), workerModule = ANALYSIS_WORKER): Promise<AnalysisPool> {
    const pool = new AnalysisPool(size, workerModule);
    try {
      await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  private spawn(): Promise<Slot> {
    const worker = startWorker(this.workerModule, 'analysis-worker');
    const slot: Slot = { worker };
    let ready = false;
    return new Promise((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') {
          ready = true;
          this.backend = reply.backend;
          this.slots.push(slot);
          resolve(slot);
          this.release();
        } else if (reply.type === 'fatal') {
          reject(new Error(reply.message));
          void worker.terminate();
        } else if (slot.busy && slot.busy.id === reply.id) {
          const { resolve: done } = slot.busy;
          slot.busy = undefined;
          done(reply.ok ? { ok: true, result: reply.result } : { ok: false, reason: reply.reason });
          this.release();
        }
      });
      // After 'ready', an error is followed by 'exit', where the slot is replaced.
      worker.on('error', (error) => reject(error));
      worker.on('exit', (code) => {
        if (ready) this.onExit(slot, code);
        else reject(new Error(`an analysis worker stopped while loading the face models (exit code ${code})`));
      });
    });
  }

  /**
   * A worker that dies (out of memory, a native crash) fails its photo and is replaced. When the
   * replacement does not start, the pool fails: every waiting and later call rejects with why,
   * instead of waiting for a worker that will never come.
   */
  private onExit(slot: Slot, code: number): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    if (slot.busy) {
      slot.busy.resolve({ ok: false, reason: `analysis crashed (worker exit code ${code})` });
      slot.busy = undefined;
    }
    if (this.closed || index < 0) return;
    this.spawn().catch((error: Error) => {
      this.failure ??= new Error(`an analysis worker stopped (exit code ${code}) and could not be restarted: ${error.message}`);
      this.waiting.splice(0).forEach((wake) => wake());
    });
  }

  private release(): void {
    this.waiting.shift()?.();
  }

  /** Waits for an idle worker and hands it the task in the same tick, so no two calls share one. */
  private async run(task: WorkerTask): Promise<Outcome> {
    for (;;) {
      if (this.closed) throw new Error('analysis pool is closed');
      if (this.failure) throw this.failure;
      const slot = this.slots.find((s) => !s.busy);
      if (slot) {
        const id = this.nextId++;
        return new Promise((resolve) => {
          slot.busy = { id, resolve };
          slot.worker.postMessage({ ...task, id } satisfies WorkerRequest);
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Every face in a photo. */
  analyse(file: string, options: AnalysisOptions): Promise<AnalysisOutcome> {
    return this.run({ kind: 'photo', file, options }) as Promise<AnalysisOutcome>;
  }

  /** Every face in a photo given as its bytes, which no file ever holds (a photo to match). */
  analyseBytes(bytes: Uint8Array, options: AnalysisOptions): Promise<AnalysisOutcome> {
    return this.run({ kind: 'bytes', bytes, options }) as Promise<AnalysisOutcome>;
  }

  /** The landmarks and descriptor of the face inside a box the user drew (photo pixels). */
  analyseBox(file: string, box: Box): Promise<BoxOutcome> {
    return this.run({ kind: 'box', file, box }) as Promise<BoxOutcome>;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.splice(0).forEach((wake) => wake());
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
