// A worker thread that groups a large library's untagged faces into unknown people, so the engine keeps answering meanwhile.
import { createMatrix } from '../core/matrix.ts';
import { suggestIdentities } from '../core/threshold-clustering.ts';
import { serveTask } from './worker-threads.ts';

export interface GroupsRequest {
  rows: number;
  cols: number;
  data: Float64Array;
  threshold: number;
}

export interface GroupsResult {
  assignments: Int32Array;
  clusters: number;
}

serveTask<GroupsRequest, GroupsResult>(({ rows, cols, data, threshold }) => {
  const { assignments, clusters } = suggestIdentities(createMatrix(rows, cols, data), { threshold });
  return { result: { assignments, clusters }, transferList: [assignments.buffer as ArrayBuffer] };
});
