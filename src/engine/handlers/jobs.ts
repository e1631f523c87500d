// job/*: the scans, clusterings and maps running or lately finished, and cancelling one.
import { ContractError, type JobInfo } from '../../shared/contract.ts';
import type { Handlers, HandlerHost, MethodsOf } from './host.ts';

export function jobHandlers(host: HandlerHost): Handlers<MethodsOf<'job'>> {
  return {
    'job/cancel': async ({ jobId }) => {
      const entry = host.jobs().get(jobId);
      if (!entry) throw new ContractError(`job/cancel: jobId: no job ${jobId}`, 'jobId');
      return { cancelled: entry.job.cancel() };
    },
    'job/list': async () => [...host.jobs().values()].map(({ job }): JobInfo => ({ jobId: job.jobId, kind: job.progress.kind, progress: { ...job.progress } })),
  };
}
