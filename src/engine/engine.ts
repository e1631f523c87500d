// The engine: one object that implements the contract over a library's catalog, for every transport.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { realpath, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import {
  parseCall,
  type EngineEvent,
  type LibraryInfo,
  type Box,
  type Method,
  type Params,
  type PhotoFace,
  type Responses,
  type ScanSummary,
  MATCH_IMAGE_MAX_BYTES,
  parseRequest,
  type PhotoMatch,
  type Request,
} from '../shared/contract.ts';
import { Catalog } from './catalog/catalog.ts';
import { AnalysisPool } from './analysis/pool.ts';
import { catalogPathFor, defaultDataDir } from './paths.ts';
import { ScanJob } from './scan-job.ts';
import { takeScanLock } from './scan-lock.ts';
import { EngineError, JobCancelledError, LibraryMovedError, NoLibraryError, NotFoundError, ParamError } from './errors.ts';
import { CLUSTER_IN_WORKER_ABOVE } from './clustering.ts';
import { computeMap, mapInput, mapName, type MapPoints } from './projections.ts';
import { StepJob } from './step-job.ts';
import { MediaRenderer, photoFile, type MediaResponse } from './media.ts';
import { FaceIndexCache } from './face-index.ts';
import { MatchIndexCache, photoMatch, readPhotoToMatch, tooLarge } from './matching.ts';
import { writeRunParquet } from './parquet-export.ts';
import { photoDetails } from './face-queries.ts';
import { identitiesWithCovers } from './suggestions.ts';
import type { MediaRequest } from '../shared/media.ts';
import { checkLibraryRoot } from '../shared/library-root.ts';
import { Log, logFileIn } from './log.ts';
import { thisMachine, workerLimit } from './worker-limit.ts';
import { jobLimits, type JobLimits } from './job-limits.ts';
import type { HandlerHost, Handlers, JobEntry, OpenLibrary } from './handlers/host.ts';
import { faceHandlers } from './handlers/faces.ts';
import { featureHandlers } from './handlers/features.ts';
import { identityHandlers } from './handlers/identities.ts';
import { jobHandlers } from './handlers/jobs.ts';
import { libraryHandlers } from './handlers/library.ts';
import { matchHandlers } from './handlers/match.ts';
import { runHandlers } from './handlers/runs.ts';
import { suggestionHandlers } from './handlers/suggestions.ts';
import { tagHandlers } from './handlers/tags.ts';

export interface EngineOptions {
  /** Where catalogs live when a library is opened by folder; the platform's data folder by default. */
  dataDir?: string;
  /** One catalog file for whatever library is opened by folder (`facet serve --db FILE`): set in-process only, never over the contract. */
  catalogFile?: string;
  /** Clusterings (and groupings of unknown people) of more faces than this run in a worker thread (default CLUSTER_IN_WORKER_ABOVE); tests lower it. */
  clusterInWorkerAbove?: number;
  /** The memory and time one clustering or map may take (jobLimits(): from this machine's free memory when each starts); tests lower them. */
  jobLimits?: JobLimits;
  /** The analysis worker's module (ANALYSIS_WORKER); tests give one that fails to start or dies. */
  analysisWorker?: URL;
  /**
   * How catalogs are opened: 'create' (default) makes one for a folder that has none; 'existing' never
   * creates one; 'read-only' neither creates nor writes (commands that only read).
   */
  catalogAccess?: CatalogAccess;
}

export type CatalogAccess = 'create' | 'existing' | 'read-only';

/** Finished clusterings and maps stay in job/list (so a view that missed job/finished can read how they ended) up to this many. */
const FINISHED_STEP_JOBS_KEPT = 20;

export { EngineError } from './errors.ts';

export class Engine {
  private readonly events = new EventEmitter();
  private readonly dataDir: string;
  private readonly catalogFile?: string;
  private library?: OpenLibrary;
  private readonly jobs = new Map<string, JobEntry>();
  private readonly finishedStepJobs: string[] = [];
  /** Maps being computed, by run, method and seed: asking again for the same map joins its job. */
  private readonly pendingMaps = new Map<string, Promise<MapPoints>>();
  private readonly clusterInWorkerAbove: number;
  private readonly jobLimits?: JobLimits;
  /** Each catalog's matching indexes, one per run asked for. */
  private readonly matchIndexes = new WeakMap<Catalog, MatchIndexCache>();
  private readonly catalogAccess: CatalogAccess;
  private pool?: { workers: number; pool: Promise<AnalysisPool>; started?: AnalysisPool };
  private readonly analysisWorker?: URL;
  /** <data>/logs/facet.log: what a person (or a bug report) needs after the fact; the server's token never reaches the engine. */
  private readonly log: Log;

  constructor(options: EngineOptions = {}) {
    this.dataDir = options.dataDir ?? defaultDataDir();
    this.log = new Log(logFileIn(this.dataDir));
    this.log.info(`engine started (process ${process.pid}, Node ${process.versions.node}, ${process.platform})`);
    this.catalogFile = options.catalogFile && resolve(options.catalogFile);
    this.clusterInWorkerAbove = options.clusterInWorkerAbove ?? CLUSTER_IN_WORKER_ABOVE;
    this.jobLimits = options.jobLimits;
    this.analysisWorker = options.analysisWorker;
    this.catalogAccess = options.catalogAccess ?? 'create';
  }

  /** Subscribes to progress and completion events; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  private emit(event: EngineEvent): void {
    this.events.emit('event', event);
  }

  /** The single entry point for every transport: validates the request, then runs its handler. */
  async call<M extends Method>(method: M, params?: unknown): Promise<Responses[M]>;
  async call(method: string, params?: unknown): Promise<unknown>;
  async call(method: string, params?: unknown): Promise<unknown> {
    const call = parseCall(method, params);
    return (this.handlers[call.method] as (p: unknown) => Promise<unknown>)(call.params);
  }

  /** Face crops and photos by catalog id (binary, so outside the JSON contract). */
  async media(request: MediaRequest): Promise<MediaResponse> {
    try {
      return await this.requireLibrary().media.render(request);
    } catch (error) {
      // An unknown id is the caller's; anything else (a photo gone or unreadable) is worth a line.
      if (!(error instanceof NotFoundError)) this.log.error(`media ${request.kind}/${request.id}: ${(error as Error).message}`);
      throw error;
    }
  }

  private requireLibrary(): OpenLibrary {
    if (!this.library) throw new NoLibraryError();
    return this.library;
  }

  /** What the handlers may ask of the engine (its private state stays private). */
  private readonly host: HandlerHost = {
    library: () => this.requireLibrary(),
    currentLibrary: () => (this.library ? this.libraryInfo() : null),
    openLibrary: async (root, moved) => this.openLibrary(await resolveLibraryRoot(root), undefined, moved),
    startScan: (params) => this.startScan(params),
    jobs: () => this.jobs,
    identities: () => this.identities(),
    addUserFace: (photoId, box) => this.addUserFace(photoId, box),
    clusterInWorkerAbove: () => this.clusterInWorkerAbove,
    jobLimits: () => this.jobLimits ?? jobLimits(),
    runStepJob: (kind, what, work) => this.runStepJob(kind, what, work),
    mapJob: (catalog, runId, method, seed) => this.mapJob(catalog, runId, method, seed),
    matchPhoto: (bytes, runId, nprobe, top) => this.matchPhoto(bytes, runId, nprobe, top),
  };

  /** One handler per contract method, one file per namespace (src/engine/handlers). */
  private readonly handlers: Handlers<Method> = {
    ...libraryHandlers(this.host),
    ...jobHandlers(this.host),
    ...identityHandlers(this.host),
    ...faceHandlers(this.host),
    ...suggestionHandlers(this.host),
    ...tagHandlers(this.host),
    ...runHandlers(this.host),
    ...featureHandlers(this.host),
    ...matchHandlers(this.host),
  };

  /** Starts scanning the open library as a job (one at a time, and not while another process scans its catalog). */
  private startScan(params: Params<'library/scan'>): { jobId: string } {
    const { root, catalog } = this.requireLibrary();
    const running = this.runningJob();
    if (running) throw new EngineError(`a scan is already running (job ${running.jobId})`);
    const jobId = randomUUID();
    // Another process may be scanning this catalog: refused here, before anything is walked or written.
    takeScanLock(catalog, jobId);
    const job = new ScanJob(jobId, params, {
      catalog,
      root,
      pool: () => this.analysisPool(this.scanWorkers(params.workers)),
      emit: (progress) => this.emit({ type: 'job/progress', progress }),
    });
    const finished = job
      .run()
      .finally(() => catalog.scanLock.release(jobId))
      .then((summary) => {
        if (summary.error) this.log.error(`scan ${jobId} of ${root} ${summary.state}: ${summary.error}`);
        this.emit({ type: 'job/finished', jobId, kind: 'scan', summary });
        return summary;
      });
    this.jobs.set(jobId, { kind: 'scan', job, finished });
    return { jobId };
  }

  /**
   * In-process only (the contract names no file): copies the open catalog to `file` through SQLite's
   * online backup, under a temporary name first, so `file` is either the old file or a whole copy.
   */
  async backup(file: string): Promise<void> {
    const partial = `${file}.partial-${process.pid}`;
    try {
      await this.requireLibrary().catalog.backup(partial);
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      if (error instanceof EngineError) throw error;
      throw new EngineError(`could not write the backup ${file} (${(error as Error).message}): check the folder exists and is writable`);
    }
  }

  /** Where the catalog of a folder is kept when no file is named. */
  defaultCatalogFor(root: string): string {
    return this.catalogFile ?? catalogPathFor(root, this.dataDir);
  }

  /**
   * In-process only, for the command line's --db FILE: a catalog file the user named, with or without its
   * photo folder. The contract has no such field, so neither HTTP nor IPC can name a file to create.
   */
  async openCatalogFile(db: string, root?: string, moved = false): Promise<LibraryInfo> {
    return this.openLibrary(root === undefined ? undefined : await resolveLibraryRoot(root), resolve(db), moved);
  }

  /**
   * A catalog keeps the folder it was made for: another folder is refused (LibraryMovedError, naming
   * the catalog's) unless `moved` says the library moved there; the next scan then re-links its photos by hash.
   */
  private async openLibrary(realRoot: string | undefined, db?: string, moved = false): Promise<LibraryInfo> {
    const file = db ?? this.catalogFile ?? catalogPathFor(realRoot!, this.dataDir);
    if (this.runningJob()) throw new EngineError('a scan is running: cancel it before opening another library');
    // Without a folder there is nothing to make a catalog for: a mistyped path must not leave an empty one behind.
    const access = this.catalogAccess;
    const catalog = new Catalog(file, { readOnly: access === 'read-only', mustExist: access === 'existing' || realRoot === undefined });
    const storedRoot = catalog.root();
    const libraryRoot = realRoot ?? storedRoot;
    try {
      if (!libraryRoot) throw new EngineError(`catalog ${file} belongs to no library yet: give the photo folder too`);
      if (realRoot && storedRoot && storedRoot !== realRoot && !moved) throw new LibraryMovedError(file, storedRoot, realRoot);
    } catch (error) {
      catalog.close();
      throw error;
    }
    if (realRoot && storedRoot !== realRoot) catalog.setRoot(realRoot);
    // Clusterings and maps belong to the library they started on: they stop before its catalog closes.
    await this.cancelStepJobs();
    this.library?.catalog.close();
    this.library = {
      root: libraryRoot,
      catalog,
      media: new MediaRenderer(catalog, libraryRoot),
      faces: new FaceIndexCache(catalog),
      varianceCurves: new Map(),
    };
    const info = this.libraryInfo();
    this.emit({ type: 'library/opened', library: info });
    return info;
  }

  /** Runs work as a clustering or map job: listed, cancellable, reporting progress and its end. */
  private runStepJob<T>(kind: 'cluster' | 'map', what: string, work: (job: StepJob) => T | Promise<T>): Promise<T> {
    const job = new StepJob(randomUUID(), kind, what, (event) => this.emit(event));
    // Listed before it starts, so that job/list already shows it when its first progress arrives.
    const entry: JobEntry = { kind: 'step', job, finished: Promise.resolve() };
    this.jobs.set(job.jobId, entry);
    const result = job.run(work);
    result.catch((error) => {
      if (!(error instanceof JobCancelledError)) this.log.error(`${kind} job ${job.jobId} (${what}) failed: ${(error as Error).message}`);
    });
    entry.finished = result.then(
      () => this.forgetWhenOld(job.jobId),
      () => this.forgetWhenOld(job.jobId),
    );
    return result;
  }

  private forgetWhenOld(jobId: string): void {
    this.finishedStepJobs.push(jobId);
    while (this.finishedStepJobs.length > FINISHED_STEP_JOBS_KEPT) this.jobs.delete(this.finishedStepJobs.shift()!);
  }

  /** The map computed as a job, checked (run, faces) before it starts; a second request for the same map waits for the same job. */
  private mapJob(catalog: Catalog, runId: number, method: Params<'runs/projection'>['method'], seed: number): Promise<MapPoints> {
    const key = `${runId}:${method}:${seed}`;
    const pending = this.pendingMaps.get(key);
    if (pending) return pending;
    const input = mapInput(catalog, runId, method, seed);
    const points = this.runStepJob('map', mapName(method), (job) => computeMap(catalog, input, job, this.jobLimits ?? jobLimits()));
    this.pendingMaps.set(key, points);
    const forget = () => this.pendingMaps.delete(key);
    points.then(forget, forget);
    return points;
  }

  private async cancelStepJobs(): Promise<void> {
    const running = [...this.jobs.values()].filter((entry) => entry.kind === 'step' && entry.job.cancel());
    await Promise.all(running.map((entry) => entry.finished));
  }

  private identities() {
    const { catalog, faces } = this.requireLibrary();
    return identitiesWithCovers(catalog, faces.current());
  }

  /**
   * A face the detector missed, drawn by the user: the models find its landmarks and descriptor
   * inside the box (in the analysis pool, started if need be), and it is stored as the user's.
   */
  private async addUserFace(photoId: number, box: Box): Promise<PhotoFace> {
    const { root, catalog, faces } = this.requireLibrary();
    const photo = catalog.photos.get(photoId);
    const file = photo && photo.state !== 'missing' ? photoFile(root, photo.path) : null;
    if (!photo || !file) throw new NotFoundError(`no photo with id ${photoId} in the library: reload the photo`);
    if (photo.width === null || photo.height === null) throw new EngineError(`${photo.path} has not been analysed yet: scan the library first`);
    if (box.x + box.w > photo.width || box.y + box.h > photo.height)
      throw new ParamError(`box: the face's box must lie inside the photo (${photo.width}×${photo.height} pixels)`, 'box');
    const pool = await this.analysisPool(this.pool?.workers ?? AnalysisPool.defaultSize());
    const outcome = await pool.analyseBox(file, box);
    if (!outcome.ok) throw new EngineError(`could not read the face drawn on ${photo.path}: ${outcome.reason}`);
    // The box is kept exactly as drawn; the models only add what lies inside it.
    const id = catalog.faces.addUserFace(photoId, { ...outcome.result, box });
    return photoDetails(catalog, faces.current(), photoId).faces.find((face) => face.id === id)!;
  }

  /** In-process only (facet export --format parquet): writes a file the user named, which no contract call can; returns the rows written. */
  async exportRunParquet(runId: number, file: string): Promise<number> {
    return writeRunParquet(this.requireLibrary().catalog, runId, file);
  }

  /**
   * In-process only, for the command line: the photo at `file`, matched as match/photo matches bytes. The contract
   * takes no path (HTTP and IPC callers never name a file).
   */
  async matchFile(file: string, options: Omit<Request<'match/photo'>, 'image'>): Promise<PhotoMatch> {
    const bytes = await readPhotoToMatch(file);
    return this.call('match/photo', { ...options, image: bytes.toString('base64') });
  }

  /**
   * Every face in the photo, found by the scan's default detector (the same descriptors as the library's) in the
   * analysis pool (one worker if none is running), then matched against the run's index.
   */
  private async matchPhoto(bytes: Buffer, runId: number | undefined, nprobe: number, top: number): Promise<PhotoMatch> {
    const { catalog } = this.requireLibrary();
    if (bytes.length > MATCH_IMAGE_MAX_BYTES) throw new ParamError(`image: ${tooLarge(bytes.length)}`, 'image');
    let indexes = this.matchIndexes.get(catalog);
    if (!indexes) this.matchIndexes.set(catalog, (indexes = new MatchIndexCache(catalog)));
    // The run is checked before the photo is analysed: a library with no run answers at once.
    const index = indexes.get(runId);
    if (index.faces.length === 0) throw new EngineError(`run ${index.runId} has no face left in the library: cluster again`);
    const pool = await (this.pool?.pool ?? this.analysisPool(1));
    const { detector, minScore } = parseRequest('library/scan', {});
    const outcome = await pool.analyseBytes(bytes, { detector, minScore });
    if (!outcome.ok) throw new EngineError(`cannot read the photo: ${outcome.reason}`);
    if (outcome.result.faces.length === 0)
      throw new EngineError('no face found in the photo: try one where the face is larger, sharper or turned to the camera');
    return photoMatch(index, bytes, outcome.result.faces, nprobe, top);
  }

  private runningJob(): ScanJob | undefined {
    return [...this.jobs.values()].find((j) => j.kind === 'scan' && j.job.progress.state === 'running')?.job as ScanJob | undefined;
  }

  libraryInfo(): LibraryInfo {
    const { root, catalog } = this.requireLibrary();
    return { root, catalogFile: catalog.file, stats: catalog.stats() };
  }

  /** Resolves when the job ends (done, cancelled or failed) with its summary. */
  async waitForJob(jobId: string): Promise<ScanSummary> {
    const entry = this.jobs.get(jobId);
    if (entry?.kind !== 'scan') throw new EngineError(`no scan ${jobId}`);
    return entry.finished;
  }

  /**
   * Worker threads load the models once (seconds) and are kept for later scans of any library;
   * a pool that failed (a worker that could not be replaced) is closed and the next call starts afresh.
   */
  /** The scan's pool size: what was asked (or the machine's most), never more than the cores and free memory allow. */
  private scanWorkers(requested: number | undefined): number {
    const { workers, note } = workerLimit(requested, thisMachine());
    if (note) this.log.info(note);
    return workers;
  }

  private analysisPool(workers: number): Promise<AnalysisPool> {
    if (this.pool && (this.pool.workers !== workers || this.pool.started?.failure)) {
      void this.pool.pool.then(
        (p) => p.close(),
        () => undefined,
      );
      this.pool = undefined;
    }
    if (!this.pool) {
      const entry: { workers: number; pool: Promise<AnalysisPool>; started?: AnalysisPool } = {
        workers,
        pool: AnalysisPool.start(workers, this.analysisWorker),
      };
      this.pool = entry;
      entry.pool.then(
        (p) => (entry.started = p),
        () => {
          if (this.pool === entry) this.pool = undefined;
        },
      );
    }
    return this.pool.pool;
  }

  async close(): Promise<void> {
    for (const { job, finished } of this.jobs.values()) {
      job.cancel();
      await finished;
    }
    if (this.pool)
      await this.pool.pool.then(
        (p) => p.close(),
        () => undefined,
      );
    this.library?.catalog.close();
    this.library = undefined;
    this.log.info('engine closed');
  }
}

/** The library folder's real path, checked by checkLibraryRoot before and after links are followed (a link to /etc is /etc). */
async function resolveLibraryRoot(root: string): Promise<string> {
  const context = { platform: process.platform, home: homedir() };
  const given = checkLibraryRoot(root, context);
  if (!given.ok) throw new ParamError(given.reason, 'root');
  let real: string;
  try {
    const info = await stat(given.root);
    if (!info.isDirectory()) throw new ParamError(`${given.root} is not a folder: choose the folder that holds your photos`, 'root');
    real = await realpath(given.root);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError(`library folder ${given.root} does not exist or cannot be read`);
  }
  const target = checkLibraryRoot(real, context);
  if (!target.ok) throw new ParamError(`${given.root} leads to ${real}: ${target.reason}`, 'root');
  return target.root;
}
