// 2-D maps of a run's faces for the scatter plot: computed in a worker thread, cached per run and method.
import { Worker } from 'node:worker_threads';
import type { Projection } from '../shared/contract.ts';
import type { ProjectionMethod } from '../core/projection.ts';
import type { Catalog } from './catalog/catalog.ts';
import { featureSpace, toReport } from './clustering.ts';
import { EngineError } from './errors.ts';
import type { ProjectionReply, ProjectionRequest } from './projection-worker.ts';
import { startWorker } from './worker-threads.ts';

function computeInWorker(request: ProjectionRequest): Promise<Float32Array> {
  const worker: Worker = startWorker(new URL('./projection-worker.ts', import.meta.url), 'projection-worker', request);
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: ProjectionReply) => {
      void worker.terminate();
      if (reply.ok) resolve(reply.coords);
      else reject(new EngineError(`the ${request.method} map failed: ${reply.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new EngineError(`the ${request.method} map stopped (exit code ${code})`)));
  });
}

/**
 * The map of run `runId`: the run's own feature space (features, then PCA, rebuilt from its
 * stored parameters) projected to 2-D. Faces deleted since the run are left out.
 */
export async function runProjection(catalog: Catalog, runId: number, method: ProjectionMethod, seed: number): Promise<Projection> {
  const cacheKey = `${method}:${seed}`;
  const cached = catalog.runs.projection(runId, cacheKey);
  if (cached) return { runId, method, faceIds: Array.from(cached.faceIds), coords: Array.from(cached.coords) };
  const run = toReport(catalog.runs.get(runId));
  const inRun = new Set(catalog.runs.assignments(runId).map((a) => a.faceId));
  const faces = catalog.presentFaces().filter((f) => inRun.has(f.id));
  if (faces.length < 3) throw new EngineError(`run ${runId} has ${faces.length} faces left: too few for a map`);
  const { space } = featureSpace(faces, run.params);
  const coords = await computeInWorker({ rows: space.rows, cols: space.cols, data: space.data, method, seed });
  const faceIds = Int32Array.from(faces.map((f) => f.id));
  catalog.runs.saveProjection(runId, cacheKey, faceIds, coords);
  return { runId, method, faceIds: Array.from(faceIds), coords: Array.from(coords) };
}
