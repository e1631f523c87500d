// A worker thread that groups a large library's untagged faces into unknown people, so the engine keeps answering meanwhile.
import { createMatrix } from '../core/matrix.ts';
import { suggestIdentities, type ThresholdClustering } from '../core/threshold-clustering.ts';
import { serveTask } from './worker-threads.ts';

export interface GroupsRequest {
  rows: number;
  cols: number;
  data: Float64Array;
  threshold: number;
}

export type GroupsResult = ThresholdClustering;

serveTask<GroupsRequest, GroupsResult>(({ rows, cols, data, threshold }) => {
  const result = suggestIdentities(createMatrix(rows, cols, data), { threshold });
  return { result, transferList: [result.assignments.buffer as ArrayBuffer] };
});
