// The memory and time one clustering or map may take, so that a library too large for them stops the job with a reason instead of the engine.
import { thisMachine, type Machine } from './worker-limit.ts';

export interface JobLimits {
  /** The worker's JS heap (V8's old generation), and the bound on the dense matrices estimated before a run starts. */
  memoryMb: number;
  timeMs: number;
}

/** The scale target's 2 GB: a job never takes more, however much the machine has. */
const JOB_MEMORY_CEILING_MB = 2048;
/** Below this a job could not cluster even a small library; a machine with less free memory swaps rather than refusing everything. */
const JOB_MEMORY_FLOOR_MB = 256;
/** Ten times the 100,000-face targets' longest (a threshold run, ≤ 60 s): past it the job is not going to finish on this machine. */
const JOB_TIME_LIMIT_MS = 10 * 60_000;

/** Half the memory free now (the engine and the app need the rest), between the floor and the ceiling. */
export function jobLimits({ freeBytes }: Machine = thisMachine()): JobLimits {
  const half = Math.floor(freeBytes / 2 / 1024 ** 2);
  return { memoryMb: Math.min(JOB_MEMORY_CEILING_MB, Math.max(JOB_MEMORY_FLOOR_MB, half)), timeMs: JOB_TIME_LIMIT_MS };
}
