// The Clusters and Runs views' reads of stored runs: each cluster's composition, and two runs compared (the computations are in src/core).
import type { ClusterSummary, RunComparison } from '../shared/contract.ts';
import { summariseClusters, type ClusterMember } from '../core/cluster-summary.ts';
import { comparePartitions } from '../core/partition-comparison.ts';
import type { Catalog } from './catalog/catalog.ts';
import { toSummary } from './clustering.ts';
import type { FaceIndex } from './face-index.ts';

/** Every cluster of the run that still has faces, with its people by their tags as they are now; faces on missing photos are left out. */
export function clusterSummaries(catalog: Catalog, index: FaceIndex, runId: number, samples: number): ClusterSummary[] {
  const names = new Map<number, string>();
  const members: ClusterMember[] = [];
  for (const { faceId, cluster, distance } of catalog.runs.assignments(runId)) {
    if (!index.face(faceId)?.present) continue;
    const tag = index.tag(faceId);
    if (tag) names.set(tag.identityId, tag.identity);
    members.push({ faceId, cluster, distance, identityId: tag?.identityId ?? null });
  }
  return summariseClusters(members, samples).map((summary) => ({
    ...summary,
    majority: summary.majority && { ...summary.majority, name: names.get(summary.majority.identityId)! },
  }));
}

/** Runs a and b over the faces both clustered: the cluster × cluster table and how far the two partitions agree. */
export function compareRuns(catalog: Catalog, a: number, b: number): RunComparison {
  const runA = catalog.runs.get(a);
  const runB = catalog.runs.get(b);
  const inB = new Map(catalog.runs.assignments(b).map((x) => [x.faceId, x.cluster]));
  const clustersA: number[] = [];
  const clustersB: number[] = [];
  for (const { faceId, cluster } of catalog.runs.assignments(a)) {
    const other = inB.get(faceId);
    if (other === undefined) continue;
    clustersA.push(cluster);
    clustersB.push(other);
  }
  const { aClusters, bClusters, counts, ari, nmi } = comparePartitions(clustersA, clustersB);
  return { a: toSummary(runA), b: toSummary(runB), sharedFaces: clustersA.length, table: { aClusters, bClusters, counts }, ari, nmi };
}
