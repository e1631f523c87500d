// How two clusterings of the same faces map onto each other: their cluster × cluster table and their agreement (ARI, NMI).

import { partitionAgreement } from './metrics.ts';

export interface PartitionComparison {
  /** Clusters of each partition that hold at least one item, ascending. */
  aClusters: number[];
  bClusters: number[];
  /** counts[i][j]: items in aClusters[i] and bClusters[j]. */
  counts: number[][];
  ari: number;
  nmi: number;
}

/** `a[i]` and `b[i]` are the clusters of item i in each partition (non-negative integers). */
export function comparePartitions(a: ArrayLike<number>, b: ArrayLike<number>): PartitionComparison {
  if (a.length !== b.length) throw new Error(`the partitions cover ${a.length} and ${b.length} items: compare the same items`);
  const aClusters = [...new Set(Array.from(a))].sort((x, y) => x - y);
  const bClusters = [...new Set(Array.from(b))].sort((x, y) => x - y);
  const row = new Map(aClusters.map((c, i) => [c, i]));
  const column = new Map(bClusters.map((c, j) => [c, j]));
  const counts = aClusters.map(() => new Array<number>(bClusters.length).fill(0));
  for (let i = 0; i < a.length; i++) counts[row.get(a[i])!][column.get(b[i])!]++;
  return { aClusters, bClusters, counts, ...partitionAgreement(counts) };
}
