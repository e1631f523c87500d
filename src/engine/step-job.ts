// A clustering or a map as a job: progress counted in steps and throttled, cancellation through an AbortSignal, and its end reported.
import type { EngineEvent, JobProgress } from '../shared/contract.ts';
import { JobCancelledError } from './errors.ts';

/** How often progress is reported at most, in ms (as for scans): about ten events a second. */
const PROGRESS_INTERVAL = 100;

export class StepJob {
  readonly progress: JobProgress;
  private readonly controller = new AbortController();
  private lastEmit = 0;

  /** `what` names the work in messages: "the clustering", "the t-SNE map". */
  constructor(
    readonly jobId: string,
    kind: 'cluster' | 'map',
    private readonly what: string,
    private readonly emit: (event: EngineEvent) => void,
  ) {
    this.progress = { jobId, kind, stage: 'working', state: 'running', done: 0, total: 0, faces: 0, failures: 0, rate: 0, secondsLeft: null };
  }

  /** Aborted by cancel(), with the JobCancelledError the call will reject with as its reason. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  cancel(): boolean {
    if (this.progress.state !== 'running') return false;
    if (!this.signal.aborted) this.controller.abort(new JobCancelledError(`${this.what} was cancelled`));
    return true;
  }

  /** Steps done and planned; reported at most every PROGRESS_INTERVAL ms, so the work can call it as often as it likes. */
  readonly step = (done: number, total: number): void => {
    this.progress.done = done;
    this.progress.total = total;
    this.report(false);
  };

  private report(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastEmit < PROGRESS_INTERVAL) return;
    this.lastEmit = now;
    this.emit({ type: 'job/progress', progress: { ...this.progress } });
  }

  /** Runs the work as this job: progress at the start and the end, then job/finished; a cancelled job rejects with its JobCancelledError. */
  async run<T>(work: (job: StepJob) => T | Promise<T>): Promise<T> {
    this.report(true);
    try {
      const result = await work(this);
      this.finish('done');
      return result;
    } catch (error) {
      const reason = this.signal.aborted ? (this.signal.reason as Error) : (error as Error);
      this.finish(this.signal.aborted ? 'cancelled' : 'failed', this.signal.aborted ? undefined : reason.message);
      throw reason;
    }
  }

  private finish(state: 'done' | 'cancelled' | 'failed', error?: string): void {
    this.progress.state = state;
    this.progress.stage = 'done';
    this.report(true);
    const kind = this.progress.kind as 'cluster' | 'map';
    this.emit({ type: 'job/finished', jobId: this.jobId, kind, state, ...(error === undefined ? {} : { error }) });
  }
}
