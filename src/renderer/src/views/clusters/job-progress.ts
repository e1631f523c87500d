// The progress of the engine's long work of one kind (a clustering, a map) while a view waits for the call that started it.
import { onBeforeUnmount, ref } from 'vue';
import type { JobKind, JobProgress } from '../../../../shared/contract.ts';
import { api } from '../../api/index.ts';

export function useJobProgress(kind: JobKind) {
  const progress = ref<JobProgress | null>(null);
  /** Jobs this view asked to stop: their last events must not bring the progress back. */
  const cancelled = new Set<string>();

  const stop = api.onEvent((event) => {
    if (event.type !== 'job/progress' || event.progress.kind !== kind || cancelled.has(event.progress.jobId)) return;
    progress.value = event.progress.state === 'running' ? event.progress : null;
  });
  onBeforeUnmount(stop);

  /** Stops the job the last event came from; the call that started it then fails or returns, as the engine decides. */
  async function cancel(): Promise<void> {
    const jobId = progress.value?.jobId;
    if (!jobId) return;
    await api.call('job/cancel', { jobId });
    cancelled.add(jobId);
    progress.value = null;
  }

  return { progress, cancel, forget: () => (progress.value = null) };
}
