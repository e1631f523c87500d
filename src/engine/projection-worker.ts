// A worker thread that computes one 2-D map (PCA, t-SNE or UMAP) so the engine stays responsive, reporting its iterations.
import { createMatrix } from '../core/matrix.ts';
import { project, type ProjectionMethod } from '../core/projection.ts';
import { serveTask } from './worker-threads.ts';

export interface ProjectionRequest {
  rows: number;
  cols: number;
  data: Float64Array;
  method: ProjectionMethod;
  seed: number;
}

serveTask<ProjectionRequest, Float32Array>((request, onProgress) => {
  const map = project(createMatrix(request.rows, request.cols, request.data), request.method, { seed: request.seed, onProgress });
  const coords = Float32Array.from(map.data);
  return { result: coords, transferList: [coords.buffer as ArrayBuffer] };
});
