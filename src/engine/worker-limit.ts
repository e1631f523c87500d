// How many analysis workers this machine can run: no more than its cores, nor than its free memory holds.
import { availableParallelism, freemem } from 'node:os';

/** What one analysis worker takes at most: the face models plus a decoded large photo. */
export const MEMORY_PER_WORKER = 512 * 1024 * 1024;

export interface Machine {
  cores: number;
  freeBytes: number;
}

export function thisMachine(): Machine {
  // availableMemory (Node ≥ 20.13) honours a container's limit; freemem is the machine's.
  const freeBytes = typeof process.availableMemory === 'function' ? process.availableMemory() : freemem();
  return { cores: availableParallelism(), freeBytes };
}

/**
 * The number of workers to start: the request (or the machine's most) lowered to the cores and to
 * the free memory over MEMORY_PER_WORKER, at least 1; with a note saying why when a request was lowered.
 */
export function workerLimit(requested: number | undefined, { cores, freeBytes }: Machine): { workers: number; note?: string } {
  const byMemory = Math.floor(freeBytes / MEMORY_PER_WORKER);
  const most = Math.max(1, Math.min(cores, byMemory));
  if (requested === undefined) return { workers: most };
  if (requested <= most) return { workers: Math.max(1, requested) };
  const gb = (freeBytes / 1024 ** 3).toFixed(1);
  const reason = byMemory < cores ? `${gb} GB of free memory holds ${Math.max(1, byMemory)} (about 0.5 GB each)` : `this machine has ${cores} cores`;
  return { workers: most, note: `--workers ${requested} lowered to ${most}: ${reason}` };
}
