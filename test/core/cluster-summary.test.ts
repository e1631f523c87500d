// Tests each cluster's composition (size, people, majority, purity, mixing, nearest and farthest faces) on a hand-made run.
import { describe, expect, it } from 'vitest';
import { normalisedEntropy, summariseClusters, type ClusterMember } from '../../src/core/cluster-summary.ts';

/**
 * Cluster 2: faces 10 (d 0.5, person 7), 11 (d 0.1, person 7), 12 (d 0.3, person 9), 13 (d 0.3, untagged).
 * Cluster 0: faces 1 (person 5) and 2 (person 3): a tie, broken by the lower id.
 * Cluster 5: face 20, untagged. Cluster 1: faces 30 and 31, both person 4.
 */
const MEMBERS: ClusterMember[] = [
  { faceId: 10, cluster: 2, distance: 0.5, identityId: 7 },
  { faceId: 1, cluster: 0, distance: 0.2, identityId: 5 },
  { faceId: 11, cluster: 2, distance: 0.1, identityId: 7 },
  { faceId: 20, cluster: 5, distance: 0, identityId: null },
  { faceId: 13, cluster: 2, distance: 0.3, identityId: null },
  { faceId: 2, cluster: 0, distance: 0.4, identityId: 3 },
  { faceId: 12, cluster: 2, distance: 0.3, identityId: 9 },
  { faceId: 30, cluster: 1, distance: 1, identityId: 4 },
  { faceId: 31, cluster: 1, distance: 2, identityId: 4 },
];

/** −(2/3)·ln(2/3) − (1/3)·ln(1/3), divided by ln 2. */
const TWO_TO_ONE = (-(2 / 3) * Math.log(2 / 3) - (1 / 3) * Math.log(1 / 3)) / Math.log(2);

describe('summariseClusters', () => {
  it('gives every cluster with faces, in ascending order, with its people and samples', () => {
    const summaries = summariseClusters(MEMBERS, 2);
    expect(summaries.map((s) => s.cluster)).toEqual([0, 1, 2, 5]);
    const [c0, c1, c2, c5] = summaries;
    expect(c0).toEqual({
      cluster: 0,
      size: 2,
      tagged: 2,
      identities: 2,
      majority: { identityId: 3, faces: 1 },
      purity: 0.5,
      mixing: 1,
      nearest: [1, 2],
      farthest: [2, 1],
    });
    expect(c1).toEqual({
      cluster: 1,
      size: 2,
      tagged: 2,
      identities: 1,
      majority: { identityId: 4, faces: 2 },
      purity: 1,
      mixing: 0,
      nearest: [30, 31],
      farthest: [31, 30],
    });
    expect(c2).toMatchObject({ cluster: 2, size: 4, tagged: 3, identities: 2, majority: { identityId: 7, faces: 2 }, purity: 2 / 3 });
    expect(c2.mixing).toBeCloseTo(TWO_TO_ONE, 14);
    expect(TWO_TO_ONE).toBeCloseTo(0.9182958340544896, 14);
    // Equal distances (faces 12 and 13 at 0.3) go lower id first, both ways.
    expect(c2.nearest).toEqual([11, 12]);
    expect(c2.farthest).toEqual([10, 12]);
    expect(c5).toEqual({ cluster: 5, size: 1, tagged: 0, identities: 0, majority: null, purity: null, mixing: null, nearest: [20], farthest: [20] });
  });

  it('gives every face as a sample when there are fewer than asked, and nothing for no faces', () => {
    const [, , c2] = summariseClusters(MEMBERS, 100);
    expect(c2.nearest).toEqual([11, 12, 13, 10]);
    expect(c2.farthest).toEqual([10, 12, 13, 11]);
    expect(summariseClusters([], 8)).toEqual([]);
  });
});

describe('normalisedEntropy', () => {
  it('is 0 for one group, 1 for equal groups, and ignores empty groups', () => {
    expect(normalisedEntropy([5])).toBe(0);
    expect(normalisedEntropy([5, 0, 0])).toBe(0);
    expect(normalisedEntropy([])).toBe(0);
    expect(normalisedEntropy([3, 3, 3])).toBeCloseTo(1, 14);
    expect(normalisedEntropy([2, 0, 1])).toBeCloseTo(TWO_TO_ONE, 14);
    expect(normalisedEntropy([9, 1])).toBeLessThan(normalisedEntropy([6, 4]));
  });
});
