// The one contract between the engine and its callers (CLI, HTTP server, Electron IPC): method names,
// request schemas validated at runtime, response and event types.
import { z } from 'zod';

export const detectorSchema = z.enum(['ssd', 'tiny']);
export type Detector = z.infer<typeof detectorSchema>;

const jobId = z.string().min(1).max(64);

export const requestSchemas = {
  'library/open': z.strictObject({
    /** The photo folder. Its catalog lives in the user's data folder unless `db` names one. */
    root: z.string().min(1).optional(),
    db: z.string().min(1).optional(),
  }).refine((p) => p.root !== undefined || p.db !== undefined, {
    message: 'give the library folder (root) or a catalog file (db)',
    path: ['root'],
  }),
  'library/stats': z.strictObject({}),
  'library/scan': z.strictObject({
    detector: detectorSchema.default('ssd'),
    minScore: z.number().gt(0).lt(1).default(0.5),
    workers: z.number().int().min(1).max(64).optional(),
    /** Analyse again photos that were analysed before (a new detector or threshold). */
    reanalyse: z.boolean().default(false),
  }),
  'library/failures': z.strictObject({
    limit: z.number().int().min(1).max(10_000).default(1000),
  }),
  'job/cancel': z.strictObject({ jobId }),
  'job/list': z.strictObject({}),
} as const;

export type Method = keyof typeof requestSchemas;
export const methods = Object.keys(requestSchemas) as Method[];
export type Request<M extends Method> = z.input<(typeof requestSchemas)[M]>;
export type Params<M extends Method> = z.output<(typeof requestSchemas)[M]>;

export interface LibraryInfo {
  root: string;
  catalog: string;
  stats: LibraryStats;
}

export interface LibraryStats {
  photos: number;
  pending: number;
  analysed: number;
  failed: number;
  missing: number;
  faces: number;
  /** Faces found only on the padded retry (faces that fill the frame). */
  paddedFaces: number;
  photosWithoutFaces: number;
  identities: number;
  taggedFaces: number;
}

export interface Failure {
  path: string;
  reason: string;
}

export type JobKind = 'scan';
export type JobState = 'running' | 'done' | 'cancelled' | 'failed';

export interface JobProgress {
  jobId: string;
  kind: JobKind;
  stage: 'walking' | 'analysing' | 'done';
  state: JobState;
  /** Photos handled in this job (analysed or failed) and photos the job set out to handle. */
  done: number;
  total: number;
  faces: number;
  failures: number;
  /** Photos per second since analysis began, and the estimate of the seconds left. */
  rate: number;
  secondsLeft: number | null;
  /** The file the walk is at or the last photo analysed. */
  current?: string;
}

export interface ScanSummary {
  jobId: string;
  state: JobState;
  backend: string;
  detector: Detector;
  photos: number;
  added: number;
  changed: number;
  relinked: number;
  analysed: number;
  failed: Failure[];
  missing: number;
  faces: number;
  paddedFaces: number;
  elapsedMs: number;
  /** Median milliseconds per analysed photo in each stage (detection includes padded retries). */
  stageMedianMs: { decode: number; detect: number; landmarks: number; descriptor: number } | null;
  /** Set when the whole job stopped on an error (the root vanished, the catalog failed). */
  error?: string;
}

export interface JobInfo {
  jobId: string;
  kind: JobKind;
  progress: JobProgress;
}

export interface Responses {
  'library/open': LibraryInfo;
  'library/stats': LibraryStats;
  'library/scan': { jobId: string };
  'library/failures': Failure[];
  'job/cancel': { cancelled: boolean };
  'job/list': JobInfo[];
}

export type EngineEvent =
  | { type: 'job/progress'; progress: JobProgress }
  | { type: 'job/finished'; jobId: string; kind: JobKind; summary: ScanSummary };

/** A request that does not fit the contract: names the method and the offending field. */
export class ContractError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.hasOwn(requestSchemas, name);
}

/** Parses a request against its method's schema; throws ContractError naming the bad field. */
export function parseRequest<M extends Method>(method: M, params: unknown): Params<M> {
  const result = requestSchemas[method].safeParse(params ?? {});
  if (result.success) return result.data as Params<M>;
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join('.');
  throw new ContractError(`${method}: ${field ? `${field}: ` : ''}${issue.message}`, field || undefined);
}
