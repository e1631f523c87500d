// What the contract's handlers may ask of the engine: its open library, its jobs and the work only it can start.
import type { Box, Identity, LibraryInfo, Method, Params, PhotoFace, PhotoMatch, Responses, ScanSummary } from '../../shared/contract.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { FaceIndexCache } from '../face-index.ts';
import type { JobLimits } from '../job-limits.ts';
import type { MediaRenderer } from '../media.ts';
import type { MapPoints } from '../projections.ts';
import type { ScanJob } from '../scan-job.ts';
import type { StepJob } from '../step-job.ts';

/** The handlers of some of the contract's methods: each takes its checked params and answers. */
export type Handlers<M extends Method> = { [K in M]: (params: Params<K>) => Promise<Responses[K]> };

/** Methods of one namespace ('runs' → 'runs/create', 'runs/list', …). */
export type MethodsOf<N extends string> = Extract<Method, `${N}/${string}`>;

export interface OpenLibrary {
  root: string;
  catalog: Catalog;
  media: MediaRenderer;
  faces: FaceIndexCache;
  /** PCA curves by feature set, kept while the catalog is unchanged: the Runs panel asks again at every settings change. */
  varianceCurves: Map<string, Responses['features/variance']>;
}

/** Each job with the promise that settles when it ends: a scan's summary, or a clustering's or map's result (or its error). */
export type JobEntry = { kind: 'scan'; job: ScanJob; finished: Promise<ScanSummary> } | { kind: 'step'; job: StepJob; finished: Promise<unknown> };

export interface HandlerHost {
  /** The open library; NoLibraryError when none is. */
  library(): OpenLibrary;
  /** The open library's path, catalog file and counts, or null when none is open. */
  currentLibrary(): LibraryInfo | null;
  /** Opens the library in the folder `root` (checked and resolved first), refusing another folder's catalog unless `moved`. */
  openLibrary(root: string, moved: boolean | undefined): Promise<LibraryInfo>;
  startScan(params: Params<'library/scan'>): { jobId: string };
  jobs(): ReadonlyMap<string, JobEntry>;
  identities(): Identity[];
  addUserFace(photoId: number, box: Box): Promise<PhotoFace>;
  /** Clusterings of more faces than this run in a worker thread. */
  clusterInWorkerAbove(): number;
  /** The memory and time one clustering or map may take, as of now. */
  jobLimits(): JobLimits;
  runStepJob<T>(kind: 'cluster' | 'map', what: string, work: (job: StepJob) => T | Promise<T>): Promise<T>;
  mapJob(catalog: Catalog, runId: number, method: Params<'runs/projection'>['method'], seed: number): Promise<MapPoints>;
  matchPhoto(bytes: Buffer, runId: number | undefined, nprobe: number, top: number): Promise<PhotoMatch>;
}
