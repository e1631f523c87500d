// The library scan: starting it, following its progress events, cancelling it, and its summary.
import { computed, reactive } from 'vue';
import type { JobProgress, ScanSummary } from '../../../shared/contract.ts';
import { api, type AppEvent } from '../api/index.ts';
import { t } from '../i18n/index.ts';
import { refreshFailures, refreshStats } from './library.ts';
import { notify, notifyError } from './toasts.ts';

interface ScanState {
  jobId: string | null;
  progress: JobProgress | null;
  summary: ScanSummary | null;
  starting: boolean;
  cancelling: boolean;
}

export const scan = reactive<ScanState>({ jobId: null, progress: null, summary: null, starting: false, cancelling: false });

export const scanRunning = computed(() => scan.starting || scan.progress?.state === 'running');

/** The counts on screen follow a running scan, but at most this often (one cheap query each time). */
const STATS_INTERVAL = 2_000;
let lastStatsRefresh = 0;

function initialProgress(jobId: string): JobProgress {
  return { jobId, kind: 'scan', stage: 'walking', state: 'running', done: 0, total: 0, faces: 0, failures: 0, rate: 0, secondsLeft: null };
}

export async function startScan(): Promise<void> {
  if (scanRunning.value) return;
  scan.starting = true;
  scan.summary = null;
  scan.progress = null;
  scan.jobId = null;
  try {
    const { jobId } = await api.call('library/scan', {});
    // Events can overtake the reply: keep what they already said about this job.
    const seen = scan as ScanState;
    if (seen.progress?.jobId !== jobId) scan.progress = initialProgress(jobId);
    if (seen.summary && seen.summary.jobId !== jobId) scan.summary = null;
    scan.jobId = jobId;
  } catch (error) {
    notifyError(t('library.toast.scanStartFailed'), error);
  } finally {
    scan.starting = false;
  }
}

export async function cancelScan(): Promise<void> {
  const jobId = scan.jobId;
  if (!jobId || scan.progress?.state !== 'running') return;
  scan.cancelling = true;
  try {
    await api.call('job/cancel', { jobId });
    // The job stops between photos and then sends job/finished, which ends the 'cancelling' state.
  } catch (error) {
    scan.cancelling = false;
    notifyError(t('library.toast.cancelFailed'), error);
  }
}

/** Re-attaches to a scan that is already running (after a reload, or one started by another window). */
export async function attachToRunningScan(): Promise<void> {
  try {
    const jobs = await api.call('job/list', {});
    const running = jobs.find((j) => j.kind === 'scan' && j.progress.state === 'running');
    if (running) {
      scan.jobId = running.jobId;
      scan.progress = running.progress;
    } else if (scan.progress?.state === 'running') {
      // It ended while events were not reaching us: show its last known state and fresh counts.
      const last = jobs.find((j) => j.jobId === scan.progress?.jobId);
      if (last) scan.progress = last.progress;
      scan.cancelling = false;
      await Promise.all([refreshStats(), refreshFailures()]);
    }
  } catch {
    // job/list only fails when the engine is unreachable; the library store already says so.
  }
}

function isOurs(jobId: string): boolean {
  if (scan.jobId === jobId) return true;
  // A reply not yet received (events overtake it) or a scan started elsewhere while we are idle.
  return scan.progress?.state !== 'running';
}

export function handleScanEvent(event: AppEvent): void {
  if (event.type === 'job/progress' && event.progress.kind === 'scan') {
    if (!isOurs(event.progress.jobId)) return;
    if (scan.jobId !== event.progress.jobId) {
      scan.jobId = event.progress.jobId;
      if (scan.summary?.jobId !== event.progress.jobId) scan.summary = null;
    }
    if (event.progress.state !== 'running' && scan.progress?.state === 'running') {
      // The job's last progress comes just before job/finished: keep the card up ("Finishing…") until the
      // summary replaces it, so the view does not flicker through its idle state in between.
      scan.progress = { ...event.progress, state: 'running', stage: 'done' };
      const jobId = event.progress.jobId;
      const final = event.progress;
      setTimeout(() => {
        // job/finished never came (events dropped): settle on the final progress and fresh counts.
        if (scan.progress?.jobId === jobId && scan.progress.state === 'running' && scan.summary?.jobId !== jobId) {
          scan.progress = final;
          scan.cancelling = false;
          void Promise.all([refreshStats(), refreshFailures()]);
        }
      }, 5_000);
      return;
    }
    const walked = scan.progress?.stage === 'walking' && event.progress.stage !== 'walking';
    scan.progress = event.progress;
    const now = Date.now();
    // Once the walk is over the catalog holds every photo found: the counts show them while the models load.
    if (walked || (event.progress.stage === 'analysing' && now - lastStatsRefresh > STATS_INTERVAL)) {
      lastStatsRefresh = now;
      void refreshStats();
    }
  } else if (event.type === 'job/finished' && event.kind === 'scan') {
    if (scan.jobId !== null && scan.jobId !== event.jobId) return;
    scan.jobId = event.jobId;
    scan.summary = event.summary;
    if (scan.progress) scan.progress = { ...scan.progress, state: event.summary.state, stage: 'done', secondsLeft: 0 };
    scan.cancelling = false;
    if (event.summary.state === 'failed') notifyError(t('library.toast.scanStopped'), event.summary.error ?? t('errors.noReason'));
    void Promise.all([refreshStats(), refreshFailures()]);
  } else if (event.type === 'library/opened') {
    // Another library: the last summary was about the one before.
    if (scan.progress?.state !== 'running') {
      scan.summary = null;
      scan.progress = null;
    }
  } else if (event.type === 'engine/crashed') {
    if (scan.progress?.state === 'running') scan.progress = { ...scan.progress, state: 'failed', stage: 'done' };
    scan.cancelling = false;
    const detail = event.gaveUp ? t('library.toast.engineGaveUp', { code: event.code }) : t('library.toast.engineRestarting');
    notify('error', t('library.toast.engineStopped'), detail);
  }
}
