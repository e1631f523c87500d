// A worker thread that computes one 2-D map (PCA, t-SNE or UMAP) so the engine stays responsive.
import { parentPort, workerData } from 'node:worker_threads';
import { createMatrix } from '../core/matrix.ts';
import { project, type ProjectionMethod } from '../core/projection.ts';

export interface ProjectionRequest {
  rows: number;
  cols: number;
  data: Float64Array;
  method: ProjectionMethod;
  seed: number;
}

export type ProjectionReply = { ok: true; coords: Float32Array } | { ok: false; message: string };

const request = workerData as ProjectionRequest;
let reply: ProjectionReply;
try {
  const map = project(createMatrix(request.rows, request.cols, request.data), request.method, { seed: request.seed });
  reply = { ok: true, coords: Float32Array.from(map.data) };
} catch (error) {
  reply = { ok: false, message: (error as Error).message };
}
parentPort!.postMessage(reply);
