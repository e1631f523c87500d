// The clustering runs the Runs and Validation views share: the history, the run being looked at, and making a new
// run (one at a time, the latest request winning, with progress and cancel for the slow ones).
import { reactive } from 'vue';
import type { JobProgress, Request, RunReport, RunSummary } from '../../../shared/contract.ts';
import { api, type AppEvent } from '../api/index.ts';
import { edits } from './edits.ts';

export type ClusterRequest = Request<'runs/create'>;

type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

interface Clustering {
  params: ClusterRequest;
  /** Known from the job's first progress event; job/cancel needs it. */
  jobId: string | null;
  progress: JobProgress | null;
  /** Set once the run has taken longer than a second: only then is progress worth showing. */
  slow: boolean;
  cancelling: boolean;
}

interface RunsState {
  status: LoadStatus;
  /** Oldest first, as runs/list gives them. */
  list: RunSummary[];
  error: unknown;
  current: RunReport | null;
  currentStatus: LoadStatus;
  currentError: unknown;
  clustering: Clustering | null;
  clusterError: unknown;
}

export const runs = reactive<RunsState>({
  status: 'idle',
  list: [],
  error: null,
  current: null,
  currentStatus: 'idle',
  currentError: null,
  clustering: null,
  clusterError: null,
});

/** How long a run may take before its progress and a cancel button appear. */
const SLOW_AFTER_MS = 1_000;

/** Reports never change once stored, so a run looked at before opens at once. */
const reports = new Map<number, RunReport>();

/** The request waiting for the one in flight to end; a newer request replaces it (a k slider dragged on). */
let queued: ClusterRequest | null = null;
/** The settings of the newest run made here, and the edits version then (tags change a run's metrics). */
let lastMade: { key: string; editsVersion: number; runId: number } | null = null;
let subscribed = false;

function summaryOf(report: RunReport): RunSummary {
  const { id, createdAt, params, features, k, algorithm, seed, durationMs, faces, headline, cut } = report;
  return { id, createdAt, params, features, k, algorithm, seed, durationMs, faces, headline, cut };
}

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  api.onEvent(handleRunsEvent);
}

export async function loadRuns(): Promise<void> {
  subscribe();
  if (runs.status !== 'ready') runs.status = 'loading';
  try {
    runs.list = await api.call('runs/list', {});
    runs.status = 'ready';
    runs.error = null;
  } catch (error) {
    runs.status = 'error';
    runs.error = error;
  }
}

/** Opens one run, or the latest when `id` is undefined; null when there is no run at all. */
export async function showRun(id?: number): Promise<void> {
  const cached = id === undefined ? undefined : reports.get(id);
  if (cached) {
    runs.current = cached;
    runs.currentStatus = 'ready';
    return;
  }
  if (id === undefined && runs.status === 'ready' && runs.list.length === 0) {
    runs.current = null;
    runs.currentStatus = 'ready';
    return;
  }
  runs.currentStatus = 'loading';
  try {
    const report = await api.call('runs/get', id === undefined ? {} : { id });
    reports.set(report.id, report);
    runs.current = report;
    runs.currentStatus = 'ready';
    runs.currentError = null;
  } catch (error) {
    runs.currentStatus = 'error';
    runs.currentError = error;
  }
}

/** A run's full report (for comparisons), from the cache when it was opened before. */
export async function runReport(id: number): Promise<RunReport> {
  const cached = reports.get(id);
  if (cached) return cached;
  const report = await api.call('runs/get', { id });
  reports.set(id, report);
  return report;
}

/**
 * Clusters with these settings and shows the new run. While a run is in flight the request waits, and a newer
 * request replaces a waiting one, so the engine never works on two runs at once and the last settings win.
 */
export function cluster(params: ClusterRequest): void {
  subscribe();
  const key = JSON.stringify(params);
  // The k slider may already have started these very settings when Cluster is clicked: one run, not two.
  if (runs.clustering && JSON.stringify(runs.clustering.params) === key) {
    queued = null;
    return;
  }
  // The same settings on the same tags give the same run again (seeded): show the one there is.
  if (!runs.clustering && lastMade?.key === key && lastMade.editsVersion === edits.version && runs.current?.id === lastMade.runId) return;
  if (runs.clustering) {
    queued = params;
    return;
  }
  void clusterNow(params);
}

async function clusterNow(params: ClusterRequest): Promise<void> {
  runs.clustering = { params, jobId: null, progress: null, slow: false, cancelling: false };
  runs.clusterError = null;
  const slowTimer = setTimeout(() => {
    if (runs.clustering) runs.clustering.slow = true;
  }, SLOW_AFTER_MS);
  try {
    const report = await api.call('runs/create', params);
    lastMade = { key: JSON.stringify(params), editsVersion: edits.version, runId: report.id };
    reports.set(report.id, report);
    runs.list = [...runs.list.filter((r) => r.id !== report.id), summaryOf(report)];
    runs.status = 'ready';
    runs.current = report;
    runs.currentStatus = 'ready';
    runs.currentError = null;
  } catch (error) {
    // A cancelled run ends its call with an error the user asked for: nothing to report.
    if (!runs.clustering?.cancelling) runs.clusterError = error;
  } finally {
    clearTimeout(slowTimer);
    runs.clustering = null;
    const next = queued;
    queued = null;
    if (next) void clusterNow(next);
  }
}

export async function cancelClustering(): Promise<void> {
  queued = null;
  const jobId = runs.clustering?.jobId;
  if (!runs.clustering || !jobId) return;
  runs.clustering.cancelling = true;
  try {
    await api.call('job/cancel', { jobId });
  } catch (error) {
    if (runs.clustering) runs.clustering.cancelling = false;
    runs.clusterError = error;
  }
}

export async function deleteRun(id: number): Promise<void> {
  await api.call('runs/delete', { id });
  reports.delete(id);
  runs.list = runs.list.filter((r) => r.id !== id);
  if (runs.current?.id === id) {
    runs.current = null;
    await showRun(runs.list.at(-1)?.id);
  }
}

/** A new library has other runs: forget what was shown of the last one. */
export function forgetRuns(): void {
  reports.clear();
  Object.assign(runs, { status: 'idle', list: [], error: null, current: null, currentStatus: 'idle', currentError: null, clusterError: null });
}

function handleRunsEvent(event: AppEvent): void {
  const clustering = runs.clustering;
  if (!clustering) return;
  if (event.type === 'job/progress' && event.progress.kind === 'cluster') {
    // The first cluster job to report while we wait is ours: runs/create answers only when the job is over.
    if (clustering.jobId !== null && clustering.jobId !== event.progress.jobId) return;
    clustering.jobId = event.progress.jobId;
    clustering.progress = event.progress;
  } else if (event.type === 'engine/crashed') {
    clustering.cancelling = false;
  }
}
