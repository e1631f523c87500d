// The scan job: reconcile the files with the catalog, then analyse every pending photo, resumably.
import { join } from 'node:path';
import type { Failure, JobProgress, Params, ScanSummary } from '../shared/contract.ts';
import type { Catalog } from './catalog/catalog.ts';
import type { AnalysisPool } from './analysis/pool.ts';
import { assertRootReachable, reconcileLibrary, LibraryUnreachableError } from './library/reconcile.ts';
import { FILE_GONE } from './library/walk.ts';
import type { StageTimings } from './analysis/analyse-photo.ts';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** What a scan asks of the analysis pool: narrow, so that tests of the scan can hand in a stand-in for the face models. */
export type ScanPool = Pick<AnalysisPool, 'size' | 'backend' | 'analyse'>;

export interface ScanContext {
  catalog: Catalog;
  root: string;
  pool: () => Promise<ScanPool>;
  emit: (progress: JobProgress) => void;
}

/** How often progress is reported at most while work streams in, in ms. */
const PROGRESS_INTERVAL = 100;

export class ScanJob {
  readonly progress: JobProgress;
  private cancelled = false;
  private lastEmit = 0;

  constructor(
    readonly jobId: string,
    private readonly params: Params<'library/scan'>,
    private readonly context: ScanContext,
  ) {
    this.progress = {
      jobId,
      kind: 'scan',
      stage: 'walking',
      state: 'running',
      done: 0,
      total: 0,
      faces: 0,
      failures: 0,
      rate: 0,
      secondsLeft: null,
    };
  }

  cancel(): boolean {
    if (this.progress.state !== 'running') return false;
    this.cancelled = true;
    return true;
  }

  private report(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastEmit < PROGRESS_INTERVAL) return;
    this.lastEmit = now;
    this.context.emit({ ...this.progress });
  }

  async run(): Promise<ScanSummary> {
    const started = Date.now();
    const { catalog, root } = this.context;
    const failed: Failure[] = [];
    const summary: ScanSummary = {
      jobId: this.jobId,
      state: 'running',
      backend: 'none',
      detector: this.params.detector,
      photos: 0,
      added: 0,
      changed: 0,
      relinked: 0,
      analysed: 0,
      failed,
      missing: 0,
      faces: 0,
      paddedFaces: 0,
      elapsedMs: 0,
      stageMedianMs: null,
    };
    try {
      const reconciled = await reconcileLibrary(
        catalog,
        root,
        (seen, current) => {
          this.progress.total = seen;
          this.progress.current = current;
          this.report();
        },
        () => this.cancelled,
      );
      Object.assign(summary, {
        added: reconciled.added,
        changed: reconciled.changed,
        relinked: reconciled.relinked,
      });
      failed.push(...reconciled.problems);
      if (!this.cancelled) await this.analyse(summary, failed);
      summary.state = this.cancelled ? 'cancelled' : 'done';
    } catch (error) {
      summary.state = 'failed';
      summary.error = (error as Error).message;
    }
    // Files that failed before this scan and were not retried are still failures of the library.
    const listed = new Set(failed.map((f) => f.path));
    failed.push(...catalog.failures().filter((f) => !listed.has(f.path)));
    const stats = catalog.stats();
    summary.photos = stats.photos;
    summary.missing = stats.missing;
    summary.elapsedMs = Date.now() - started;
    this.progress.state = summary.state;
    this.progress.stage = 'done';
    this.progress.secondsLeft = 0;
    this.report(true);
    return summary;
  }

  private async analyse(summary: ScanSummary, failed: Failure[]): Promise<void> {
    const { catalog, root } = this.context;
    const photos = catalog.photos.toAnalyse(this.params.reanalyse);
    this.progress.total = photos.length;
    this.progress.done = 0;
    this.progress.current = undefined;
    if (photos.length === 0) {
      this.progress.stage = 'analysing';
      this.report(true);
      return;
    }

    // Starting the workers loads the face models in each, which takes seconds: say so instead of sitting at 0 of N.
    this.progress.stage = 'loading-models';
    this.report(true);
    const pool = await this.context.pool();
    summary.backend = pool.backend;
    this.progress.stage = 'analysing';
    this.report(true);
    const options = { detector: this.params.detector, minScore: this.params.minScore };
    const analysisStamp = { detector: this.params.detector, minScore: this.params.minScore, backend: pool.backend };
    const startedAt = Date.now();
    const timings: StageTimings[] = [];
    let next = 0;
    let rootGone: Error | undefined;
    /** Why analysis cannot go on (the pool failed, the catalog refused a write): every lane stops at its next photo. */
    let stopped: Error | undefined;

    const runOne = async (photo: { id: number; path: string }) => {
      const outcome = await pool.analyse(join(root, photo.path), options);
      if (outcome.ok) {
        const { result } = outcome;
        timings.push(result.timings);
        catalog.faces.storeAnalysis(photo.id, { width: result.width, height: result.height, faces: result.faces, analysis: analysisStamp });
        summary.analysed++;
        summary.faces += result.faces.length;
        summary.paddedFaces += result.faces.filter((f) => f.padding > 0).length;
        this.progress.faces += result.faces.length;
      } else if (outcome.reason === FILE_GONE) {
        // Either this file went away or the whole library did: only the first is the photo's fault.
        try {
          await assertRootReachable(root);
          catalog.photos.markMissing([photo.id]);
        } catch (error) {
          rootGone = error as Error;
          return;
        }
      } else {
        catalog.photos.storeFailure(photo.id, outcome.reason);
        failed.push({ path: photo.path, reason: outcome.reason });
        this.progress.failures++;
      }
      this.progress.done++;
      this.progress.current = photo.path;
      const seconds = (Date.now() - startedAt) / 1000;
      this.progress.rate = seconds > 0 ? this.progress.done / seconds : 0;
      this.progress.secondsLeft = this.progress.rate > 0 ? (this.progress.total - this.progress.done) / this.progress.rate : null;
      this.report();
    };

    const lane = async () => {
      try {
        while (!this.cancelled && !rootGone && !stopped && next < photos.length) await runOne(photos[next++]);
      } catch (error) {
        stopped ??= error as Error;
      }
    };
    // Every lane ends before the job does, so nothing is written after the job has reported how it ended.
    await Promise.all(Array.from({ length: pool.size }, lane));
    if (timings.length > 0) {
      const stage = (key: keyof StageTimings) => Math.round(median(timings.map((t) => t[key])) * 10) / 10;
      summary.stageMedianMs = { decode: stage('decode'), detect: stage('detect'), landmarks: stage('landmarks'), descriptor: stage('descriptor') };
    }
    if (rootGone) throw new LibraryUnreachableError(`${rootGone.message}; scan stopped, nothing was marked missing`);
    if (stopped) throw new Error(`${stopped.message}; scan stopped (what was analysed is kept: scan again to go on)`);
  }
}
