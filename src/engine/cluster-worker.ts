// A worker thread that runs one large clustering, so the engine keeps serving the app, reports its steps and can be stopped.
import { clusterFaces, type ClusterRunParams, type ClusterRunResult } from '../core/cluster-run.ts';
import { unpackFaces, type PackedFaces } from './packed-faces.ts';
import { serveTask } from './worker-threads.ts';

export interface ClusterRequest {
  faces: PackedFaces;
  params: ClusterRunParams;
}

serveTask<ClusterRequest, ClusterRunResult>(({ faces, params }, onProgress) => {
  const result = clusterFaces(unpackFaces(faces), params, onProgress);
  return { result, transferList: [result.assignments.buffer as ArrayBuffer, result.distances.buffer as ArrayBuffer] };
});
