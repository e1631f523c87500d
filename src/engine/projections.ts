// 2-D maps of a run's faces for the scatter plot: computed in a worker thread as a 'map' job, cached per run, method and seed, coloured with what the faces are now.
import type { Projection } from '../shared/contract.ts';
import { featureSpace } from '../core/cluster-run.ts';
import { mapSampleSize, type ProjectionMethod } from '../core/projection.ts';
import type { Catalog } from './catalog/catalog.ts';
import { toReport } from './clustering.ts';
import { EngineError } from './errors.ts';
import type { FaceIndex } from './face-index.ts';
import type { JobLimits } from './job-limits.ts';
import type { ProjectionRequest } from './projection-worker.ts';
import type { StepJob } from './step-job.ts';
import { runTask } from './worker-threads.ts';

const METHOD_NAMES: Record<ProjectionMethod, string> = { pca: 'PCA', tsne: 't-SNE', umap: 'UMAP' };

/** "the t-SNE map": how messages and the job name a map. */
export function mapName(method: ProjectionMethod): string {
  return `the ${METHOD_NAMES[method]} map`;
}

/** A map's points: face ids and x, y per face. */
export interface MapPoints {
  faceIds: ArrayLike<number>;
  coords: ArrayLike<number>;
}

const cacheKey = (method: ProjectionMethod, seed: number) => `${method}:${seed}`;

export function cachedMap(catalog: Catalog, runId: number, method: ProjectionMethod, seed: number): MapPoints | undefined {
  return catalog.runs.projection(runId, cacheKey(method, seed));
}

/** A map to compute: the run's feature space, rebuilt from its stored parameters. Throws before any work when the run is unknown or too small. */
export interface MapInput {
  runId: number;
  faceIds: Int32Array;
  request: ProjectionRequest;
}

export function mapInput(catalog: Catalog, runId: number, method: ProjectionMethod, seed: number): MapInput {
  const run = toReport(catalog.runs.get(runId));
  const clusterOf = new Map(catalog.runs.assignments(runId).map((a) => [a.faceId, a.cluster]));
  const faces = catalog.faces.present().filter((f) => clusterOf.has(f.id));
  if (faces.length < 3) throw new EngineError(`run ${runId} has ${faces.length} faces left: too few for a map; cluster the library again`);
  const { space } = featureSpace(faces, run.params);
  const strata = Int32Array.from(faces, (f) => clusterOf.get(f.id)!);
  return { runId, faceIds: Int32Array.from(faces.map((f) => f.id)), request: { rows: space.rows, cols: space.cols, data: space.data, method, seed, strata } };
}

/**
 * Computes the map in a worker thread within `limits` (its iterations are the job's steps, cancel
 * terminates it) and caches it; nothing is cached when cancelled or stopped.
 */
export async function computeMap(catalog: Catalog, input: MapInput, job: StepJob, limits: JobLimits): Promise<MapPoints> {
  const { method, seed } = input.request;
  const coords = await runTask<Float32Array>(new URL('./projection-worker.ts', import.meta.url), 'projection-worker', input.request, {
    onProgress: job.step,
    signal: job.signal,
    what: mapName(method),
    job: method,
    limits,
  });
  catalog.runs.saveProjection(input.runId, cacheKey(method, seed), input.faceIds, coords);
  return { faceIds: input.faceIds, coords };
}

/**
 * The map as the view draws it: each face with its cluster in the run, its tag as it is now, its
 * yaw and the first quality gate it fails. Faces deleted or on missing photos since the map was
 * made are left out.
 */
export function colouredMap(catalog: Catalog, index: FaceIndex, runId: number, method: ProjectionMethod, points: MapPoints): Projection {
  const clusterOf = new Map(catalog.runs.assignments(runId).map((a) => [a.faceId, a.cluster]));
  const computed = points.faceIds.length;
  const laidOut = mapSampleSize(method, computed);
  const sample = laidOut < computed ? laidOut : null;
  const out: Projection = { runId, method, sample, faceIds: [], coords: [], clusters: [], identityIds: [], yaw: [], gates: [] };
  for (let i = 0; i < points.faceIds.length; i++) {
    const faceId = points.faceIds[i];
    const face = index.face(faceId);
    const cluster = clusterOf.get(faceId);
    if (!face?.present || cluster === undefined) continue;
    out.faceIds.push(faceId);
    out.coords.push(points.coords[2 * i], points.coords[2 * i + 1]);
    out.clusters.push(cluster);
    out.identityIds.push(index.tag(faceId)?.identityId ?? null);
    out.yaw.push(face.yaw);
    out.gates.push(face.quality[0]?.gate ?? null);
  }
  return out;
}
