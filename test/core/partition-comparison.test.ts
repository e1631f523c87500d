// Tests the comparison of two clusterings: the cluster × cluster table and ARI / NMI against scikit-learn's values.
import { describe, expect, it } from 'vitest';
import { partitionAgreement } from '../../src/core/metrics.ts';
import { comparePartitions } from '../../src/core/partition-comparison.ts';

describe('comparePartitions', () => {
  it('tabulates the clusters that hold items, in ascending order', () => {
    // Cluster ids need not be dense: a uses 4 and 1, b uses 0, 7 and 3.
    const result = comparePartitions([4, 4, 1, 1, 1, 4], [0, 0, 7, 3, 7, 3]);
    expect(result.aClusters).toEqual([1, 4]);
    expect(result.bClusters).toEqual([0, 3, 7]);
    expect(result.counts).toEqual([
      [0, 1, 2],
      [2, 1, 0],
    ]);
  });

  it('matches scikit-learn: ARI and NMI of [0, 0, 1, 1] against [0, 0, 1, 2]', () => {
    // adjusted_rand_score → 0.5714285714285715 (= 4/7); normalized_mutual_info_score → 0.8.
    const result = comparePartitions([0, 0, 1, 1], [0, 0, 1, 2]);
    expect(result.ari).toBeCloseTo(4 / 7, 14);
    expect(result.nmi).toBeCloseTo(0.8, 14);
  });

  it('gives 1 for a partition against itself or a relabelling of it, and 0 for nothing shared', () => {
    expect(comparePartitions([0, 1, 1, 2], [0, 1, 1, 2])).toMatchObject({ ari: 1, nmi: 1 });
    const relabelled = comparePartitions([0, 1, 1, 2], [5, 3, 3, 9]);
    expect(relabelled.ari).toBeCloseTo(1, 14);
    expect(relabelled.nmi).toBeCloseTo(1, 14);
    expect(comparePartitions([3, 3], [1, 1])).toMatchObject({ ari: 1, nmi: 1 });
    expect(comparePartitions([], [])).toEqual({ aClusters: [], bClusters: [], counts: [], ari: 0, nmi: 0 });
    expect(() => comparePartitions([0], [0, 1])).toThrow(/1 and 2 items/);
  });

  it('agrees with partitionAgreement on its own table', () => {
    const result = comparePartitions([0, 0, 0, 1, 1, 2, 2, 2], [1, 1, 0, 0, 0, 2, 2, 1]);
    expect(partitionAgreement(result.counts)).toEqual({ ari: result.ari, nmi: result.nmi });
  });
});
