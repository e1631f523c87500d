// The sentence that stops a clustering or a map at its memory or time limit, naming the limit and the way out: the engine
// throws it (the command line prints it as it is) and the app reads it back to say it in the person's language.

/** The jobs that run within limits: a clustering by its method, a map by its own, and Review's unknown people. */
export type LimitedJob = 'kmeans' | 'gmm' | 'threshold' | 'pca' | 'tsne' | 'umap' | 'groups';

export interface LimitStop {
  job: LimitedJob;
  limit: 'memory' | 'time';
  /** Megabytes of memory, or seconds. */
  amount: number;
}

const JOB_NAMES: Record<LimitedJob, string> = {
  kmeans: 'the k-means clustering',
  gmm: 'the Gaussian-mixture clustering',
  threshold: 'the threshold clustering',
  pca: 'the PCA map',
  tsne: 'the t-SNE map',
  umap: 'the UMAP map',
  groups: 'the grouping of unknown people',
};

/** What the person can change so that the job fits: settings the Runs and Map views offer (the app's English says the same). */
export const NEXT_STEPS: Record<LimitedJob, string> = {
  kmeans: 'choose a smaller k, fewer features or fewer PCA components',
  gmm: 'choose k-means, which needs far less, or a smaller k',
  threshold: 'choose k-means, which needs less, or mark the faces you do not need to cluster "ignore"',
  pca: 'map a run made with fewer features or PCA components',
  tsne: 'choose the PCA map, which needs far less',
  umap: 'choose the PCA map, which needs far less',
  groups: 'tag some of the untagged faces first, or mark those you do not need "ignore"',
};

/** "2.0 GB", "512 MB"; "10 minutes", "0.3 seconds". */
export function limitAmount({ limit, amount }: Pick<LimitStop, 'limit' | 'amount'>): string {
  if (limit === 'memory') return amount >= 1024 ? `${(amount / 1024).toFixed(1)} GB` : `${amount} MB`;
  return amount >= 120 ? `${Math.round(amount / 60)} minutes` : `${Number(amount.toFixed(1))} seconds`;
}

export function limitMessage(stop: LimitStop): string {
  const amount = limitAmount(stop);
  const stopped =
    stop.limit === 'memory'
      ? `needs more than ${amount} of memory, the most one job may take on this machine`
      : `ran longer than ${amount}, the longest one job may run`;
  return `${JOB_NAMES[stop.job]} ${stopped}: ${NEXT_STEPS[stop.job]}`;
}

const STOPPED = /^(.+?) (?:needs more than ([\d.]+) (MB|GB) of memory|ran longer than ([\d.]+) (seconds|minutes)),/;

/** The stop a limitMessage describes, or undefined for any other message. */
export function readLimitMessage(message: string): LimitStop | undefined {
  const match = STOPPED.exec(message);
  const job = match && (Object.keys(JOB_NAMES) as LimitedJob[]).find((j) => JOB_NAMES[j] === match[1]);
  if (!match || !job) return undefined;
  if (match[2] !== undefined) return { job, limit: 'memory', amount: Number(match[2]) * (match[3] === 'GB' ? 1024 : 1) };
  return { job, limit: 'time', amount: Number(match[4]) * (match[5] === 'minutes' ? 60 : 1) };
}
