// A worker thread that computes one 2-D map (PCA, t-SNE or UMAP, the last two on a sample of a large run) so the engine stays responsive, reporting its iterations.
import { createMatrix } from '../core/matrix.ts';
import { projectAll, type ProjectionMethod } from '../core/projection.ts';
import { serveTask } from './worker-threads.ts';

export interface ProjectionRequest {
  rows: number;
  cols: number;
  data: Float64Array;
  method: ProjectionMethod;
  seed: number;
  /** The run's cluster of each row: the strata of the sample a large map is laid out from. */
  strata: Int32Array;
}

serveTask<ProjectionRequest, Float32Array>((request, onProgress) => {
  const map = projectAll(createMatrix(request.rows, request.cols, request.data), request.method, request.strata, { seed: request.seed, onProgress });
  const coords = Float32Array.from(map.data);
  return { result: coords, transferList: [coords.buffer as ArrayBuffer] };
});
