// English: what went wrong, said for a person, each with the next step to take.
import { NEXT_STEPS } from '../../../../shared/job-limits.ts';

export default {
  errors: {
    network: 'The Facet engine does not answer. Check that facet serve is still running, then try again.',
    unauthorized: 'This page has no valid session. Open the address that facet serve printed (it ends in ?token=…).',
    noLibrary: 'No library is open. Open a photo folder in the Library first.',
    rejected: 'Facet could not carry out this request. Reload the page and try again.',
    unreadableRun: 'This run was saved by another version of Facet and cannot be read, so Runs leaves it out. Cluster again to make a new one.',
    server: 'The Facet engine failed without saying why (HTTP {status}). Try again; if it keeps failing, restart Facet.',
    unknown: 'Something went wrong. Try again.',
    noReason: 'The engine gave no reason.',
    tagsNeeded:
      'Landmarks learned from your tags need at least {faces} tagged faces each of at least {people} people (people with that many now: {ready}). Tag more faces in People or Faces, or choose other features.',
    limit: {
      memory: '{job} needs more than {amount} of memory, the most one job may take on this machine: {next}.',
      time: '{job} ran longer than {amount}, the longest one job may run: {next}.',
      minutes: '{n} minutes',
      seconds: '{n} seconds',
      jobs: {
        kmeans: 'The k-means clustering',
        gmm: 'The Gaussian-mixture clustering',
        threshold: 'The threshold clustering',
        pca: 'The PCA map',
        tsne: 'The t-SNE map',
        umap: 'The UMAP map',
        groups: 'The grouping of unknown people',
      },
      next: NEXT_STEPS,
    },
  },
};
