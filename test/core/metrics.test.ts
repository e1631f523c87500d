// Tests for the validation metrics, against values worked out by hand and scikit-learn's documented examples.
import { describe, expect, it } from 'vitest';
import { matrixFromRows } from '../../src/core/matrix.ts';
import { computeMetrics, MAX_QUERIES, MAX_QUERIES_PER_PERSON, recallQueries } from '../../src/core/metrics.ts';

/**
 * The worked case. 10 tagged faces, 2 untagged; identities X, Y, Z; clusters 0, 1, 2.
 *
 *            c0  c1  c2 | a_i
 *   X         3   1   0 |  4
 *   Y         0   3   0 |  3
 *   Z         0   1   2 |  3
 *   b_j       3   5   2 | n = 10
 *   untagged  1   0   1   (so all faces: c0 = 4, c1 = 5, c2 = 3, N = 12)
 */
const assignments = [0, 0, 0, 1, 1, 1, 1, 2, 2, 1, 0, 2];
const labels = ['X', 'X', 'X', 'X', 'Y', 'Y', 'Y', 'Z', 'Z', 'Z', null, -1];

describe('computeMetrics on the worked case', () => {
  const m = computeMetrics({ assignments, labels });

  it('counts tagged faces and identities and builds the identity × cluster table', () => {
    expect(m.taggedFaces).toBe(10);
    expect(m.identities).toBe(3);
    // Identities by size, ties by name: X (4), Y (3), Z (3).
    expect(m.table).toEqual({
      identities: ['X', 'Y', 'Z'],
      clusters: [0, 1, 2],
      counts: [
        [3, 1, 0],
        [0, 3, 0],
        [0, 1, 2],
      ],
    });
  });

  it('measures cohesion per identity, weighted and plain', () => {
    // X: 3/4 in c0; Y: 3/3 in c1; Z: 2/3 in c2.
    // weighted = (3 + 3 + 2) / 10 = 0.8; mean = (0.75 + 1 + 2/3) / 3 = 0.805555…
    expect(m.cohesion.perIdentity).toEqual([
      { identity: 'X', faces: 4, cluster: 0, share: 0.75 },
      { identity: 'Y', faces: 3, cluster: 1, share: 1 },
      { identity: 'Z', faces: 3, cluster: 2, share: 2 / 3 },
    ]);
    expect(m.cohesion.weighted).toBeCloseTo(0.8, 12);
    expect(m.cohesion.mean).toBeCloseTo((0.75 + 1 + 2 / 3) / 3, 12);
  });

  it('scores pairs', () => {
    // TP = C(3) + C(3) + C(2) = 3 + 3 + 1 = 7; same-cluster pairs C(3) + C(5) + C(2) = 14;
    // same-identity pairs C(4) + C(3) + C(3) = 12. P = 7/14 = 0.5, R = 7/12, F1 = 2·7/(14 + 12) = 7/13.
    expect(m.pairwise.precision).toBeCloseTo(0.5, 12);
    expect(m.pairwise.recall).toBeCloseTo(7 / 12, 12);
    expect(m.pairwise.f1).toBeCloseTo(7 / 13, 12);
  });

  it('scores BCubed', () => {
    // P = Σ n_ij²/b_j / n = (9/3 + 1/5 + 9/5 + 1/5 + 4/2) / 10 = 7.2/10 = 0.72.
    // R = Σ n_ij²/a_i / n = (9/4 + 1/4 + 9/3 + 1/3 + 4/3) / 10 = 43/60.
    // F1 = 2PR/(P + R) = 1548/2155.
    expect(m.bcubed.precision).toBeCloseTo(0.72, 12);
    expect(m.bcubed.recall).toBeCloseTo(43 / 60, 12);
    expect(m.bcubed.f1).toBeCloseTo(1548 / 2155, 12);
  });

  it('computes purity, inverse purity, NMI and ARI', () => {
    // Purity: (3 + 3 + 2) / 10; inverse purity: (3 + 3 + 2) / 10.
    expect(m.purity).toBeCloseTo(0.8, 12);
    expect(m.inversePurity).toBeCloseTo(0.8, 12);
    // H(Y) = −(0.4 ln 0.4 + 2·0.3 ln 0.3) = 1.0888999…; H(C) = −(0.3 ln 0.3 + 0.5 ln 0.5 + 0.2 ln 0.2) = 1.0296530…;
    // H(Y,C) over cells 3, 1, 3, 1, 2 (/10) = 1.5047882…; I = H(Y) + H(C) − H(Y,C) = 0.6137647…;
    // NMI = I / ((H(Y) + H(C)) / 2) = 0.5794184…
    const hy = -(0.4 * Math.log(0.4) + 0.6 * Math.log(0.3));
    const hc = -(0.3 * Math.log(0.3) + 0.5 * Math.log(0.5) + 0.2 * Math.log(0.2));
    const hyc = -(0.6 * Math.log(0.3) + 0.2 * Math.log(0.1) + 0.2 * Math.log(0.2));
    expect(m.nmi).toBeCloseTo((hy + hc - hyc) / ((hy + hc) / 2), 12);
    expect(m.nmi).toBeCloseTo(0.5794184, 6);
    // TP 7, FP 14 − 7 = 7, FN 12 − 7 = 5, TN C(10) − 19 = 26:
    // ARI = 2(7·26 − 5·7) / ((7 + 5)(5 + 26) + (7 + 7)(7 + 26)) = 294/834.
    expect(m.ari).toBeCloseTo(294 / 834, 12);
  });

  it('prices the search over every face, tagged or not', () => {
    // Sizes 4, 5, 3 of 12: (16 + 25 + 9) / 144 = 50/144; speed-up 144/50.
    expect(m.searchCost).toBeCloseTo(50 / 144, 12);
    expect(m.speedup).toBeCloseTo(2.88, 12);
  });

  it('reports no matching recall without descriptors', () => {
    expect(m.matchingRecall).toEqual([]);
  });
});

describe('computeMetrics, matching recall', () => {
  /**
   * Descriptors on a line (x, 0):
   *   c0: f0 (0) A, f1 (2) A                  → centroid 1
   *   c1: f2 (10) B, f3 (12) A                → centroid 11
   *   c2: f4 (30) B, f5 (32) —, f6 (31) —     → centroid 31      (N = 7; sizes 2, 2, 3)
   * Queries and their nearest same-person face: f0 → f1 (c0); f1 → f0 (c0); f3 → f1 (c0);
   * f2 → f4 (c2); f4 → f2 (c1).
   * Probe orders: f0, f1: c0 c1 c2 → rank 0, 0; f3: c1 c0 c2 → rank 1; f2: c1 c0 c2 → rank 2;
   * f4: c2 c1 c0 → rank 1. Recall: nprobe 1 → 2/5, 2 → 4/5, 3 → 1.
   * Scanned: first cluster 2/7 for four queries and 3/7 for f4 → 11/35; first two: 4/7 ×4 and
   * 5/7 → 21/35 = 0.6; all three: 1.
   */
  const xs = [0, 2, 10, 12, 30, 32, 31];
  const descriptors = matrixFromRows(xs.map((x) => [x, 0]));
  const clusters = [0, 0, 1, 1, 2, 2, 2];
  const people = ['A', 'A', 'B', 'A', 'B', null, null];

  it('counts how often the nearest same-person face lies in the nprobe nearest clusters', () => {
    const { matchingRecall } = computeMetrics({ assignments: clusters, labels: people, descriptors });
    expect(matchingRecall.map((p) => p.nprobe)).toEqual([1, 2, 3]);
    expect(matchingRecall[0].recall).toBeCloseTo(0.4, 12);
    expect(matchingRecall[1].recall).toBeCloseTo(0.8, 12);
    expect(matchingRecall[2].recall).toBe(1);
    expect(matchingRecall[0].scanned).toBeCloseTo(11 / 35, 12);
    expect(matchingRecall[1].scanned).toBeCloseTo(0.6, 12);
    expect(matchingRecall[2].scanned).toBeCloseTo(1, 12);
  });

  it('probes in the given feature space when there is one', () => {
    // Same faces, but the feature space puts f3 at 0: centroids c0 = 1, c1 = (10 + 0)/2 = 5, c2 = 31.
    // f3 (at 0) now probes c0 first → rank 0; f0, f1 rank 0; f2 (at 10): c1 (5), c0 (9), c2 → rank 2;
    // f4 (at 30): c2, c1, c0 → rank 1. Recall 3/5, 4/5, 1.
    const space = matrixFromRows([[0], [2], [10], [0], [30], [32], [31]]);
    const { matchingRecall } = computeMetrics({ assignments: clusters, labels: people, descriptors, space });
    expect(matchingRecall.map((p) => p.recall)).toEqual([0.6, 0.8, 1]);
  });

  it(`takes evenly spaced queries of a person with more than ${MAX_QUERIES_PER_PERSON} faces`, () => {
    // One person of 2,001 faces on a line (x = i), stride ⌈2001 / 1000⌉ = 3: faces 0, 3, 6 … are the 667 queries.
    // Faces with i mod 3 = 1 form cluster 1, placed apart in the feature space. A query at i = 3t (t ≥ 1) has its
    // nearest faces at i ± 1 (a tie, to the lower: cluster 0, its own); face 0's nearest is face 1 (cluster 1).
    // Every face as a query would give about 2/3 at nprobe 1; the spaced queries give 666/667.
    const n = 2 * MAX_QUERIES_PER_PERSON + 1;
    const assignments = Array.from({ length: n }, (_, i) => (i % 3 === 1 ? 1 : 0));
    const lineDescriptors = matrixFromRows(Array.from({ length: n }, (_, i) => [i]));
    const space = matrixFromRows(assignments.map((c) => [c * 100]));
    const { matchingRecall } = computeMetrics({ assignments, labels: new Array(n).fill('A'), descriptors: lineDescriptors, space });
    expect(matchingRecall[0].recall).toBeCloseTo(666 / 667, 12);
    expect(matchingRecall[1].recall).toBe(1);
  });

  it(`chooses the queries: every face of a person up to ${MAX_QUERIES_PER_PERSON}, evenly spaced beyond, and at most ${MAX_QUERIES} in all`, () => {
    expect(recallQueries([1, 2, 5])).toEqual([[], [0, 1], [0, 1, 2, 3, 4]]);
    const big = recallQueries([2 * MAX_QUERIES_PER_PERSON + 500])[0];
    expect(big).toHaveLength(Math.ceil((2 * MAX_QUERIES_PER_PERSON + 500) / 3));
    expect(big.slice(0, 3)).toEqual([0, 3, 6]);
    // Six people of 1,000 faces: 6,000 queries, of which every sixth (overall positions 5, 11, … 1,001 …) is left out to keep 5,000.
    const six = recallQueries(new Array(6).fill(MAX_QUERIES_PER_PERSON));
    expect(six.flat()).toHaveLength(MAX_QUERIES);
    expect(six[0].slice(0, 7)).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(six[1].slice(0, 5)).toEqual([0, 2, 3, 4, 5]);
  });

  it('rejects descriptors that do not cover every face', () => {
    expect(() => computeMetrics({ assignments: clusters, labels: people, descriptors: matrixFromRows([[0, 0]]) })).toThrow(
      /one descriptor and one feature row per face/,
    );
  });
});

describe('computeMetrics, degenerate cases', () => {
  it('one cluster: perfect cohesion, no speed-up', () => {
    // Labels A A B B all in c0. Cohesion 1. TP = 1 + 1 = 2, cluster pairs C(4) = 6, identity pairs 2:
    // P = 1/3, R = 1, F1 = 0.5. BCubed P = (4/4 + 4/4)/4 = 0.5, R = (4/2 + 4/2)/4 = 1, F1 = 2/3.
    // Purity 2/4, inverse purity 1. H(C) = 0 → I = 0 → NMI 0. TP 2, FP 4, FN 0, TN 0 → ARI 0.
    const m = computeMetrics({ assignments: [0, 0, 0, 0], labels: ['A', 'A', 'B', 'B'] });
    expect(m.cohesion.weighted).toBe(1);
    expect(m.pairwise.precision).toBeCloseTo(1 / 3, 12);
    expect(m.pairwise.recall).toBe(1);
    expect(m.pairwise.f1).toBeCloseTo(0.5, 12);
    expect(m.bcubed).toEqual({ precision: 0.5, recall: 1, f1: expect.closeTo(2 / 3, 12) });
    expect(m.purity).toBe(0.5);
    expect(m.inversePurity).toBe(1);
    expect(m.nmi).toBe(0);
    expect(m.ari).toBe(0);
    expect(m.searchCost).toBe(1);
    expect(m.speedup).toBe(1);
  });

  it('every face its own cluster: no claimed pair, precision 1 by convention', () => {
    // A A B B in c0 c1 c2 c3. Cohesion 1/2 each. TP 0, cluster pairs 0 → P = 1; identity pairs 2 → R = 0, F1 0.
    // BCubed P = 1, R = (4 · 1/2)/4 = 0.5, F1 = 2/3. Purity 1, inverse purity 0.5.
    // H(Y) = ln 2, H(C) = ln 4, I = ln 2 → NMI = ln 2 / (1.5 ln 2) = 2/3. TP 0, FP 0, FN 2, TN 4 → ARI 0.
    // Search cost 4 · (1/4)² = 1/4, speed-up 4.
    const m = computeMetrics({ assignments: [0, 1, 2, 3], labels: ['A', 'A', 'B', 'B'] });
    expect(m.cohesion.mean).toBe(0.5);
    expect(m.pairwise).toEqual({ precision: 1, recall: 0, f1: 0 });
    expect(m.bcubed.precision).toBe(1);
    expect(m.bcubed.recall).toBe(0.5);
    expect(m.purity).toBe(1);
    expect(m.inversePurity).toBe(0.5);
    expect(m.nmi).toBeCloseTo(2 / 3, 12);
    expect(m.ari).toBe(0);
    expect(m.searchCost).toBe(0.25);
    expect(m.speedup).toBe(4);
  });

  it('a single identity split over two clusters', () => {
    // A A A in c0 c0 c1. Cohesion 2/3. TP 1, cluster pairs 1, identity pairs 3: P 1, R 1/3, F1 0.5.
    // BCubed P = (4/2 + 1/1)/3 = 1, R = (4/3 + 1/3)/3 = 5/9, F1 = 2·(5/9)/(14/9) = 5/7.
    // Purity 1, inverse purity 2/3. H(Y) = 0 with two clusters → I = 0 → NMI 0.
    // TP 1, FP 0, FN 2, TN 0 → ARI = 2(0 − 0)/(3·2 + 1·0) = 0.
    const m = computeMetrics({ assignments: [0, 0, 1], labels: ['A', 'A', 'A'] });
    expect(m.cohesion.weighted).toBeCloseTo(2 / 3, 12);
    expect(m.pairwise.precision).toBe(1);
    expect(m.pairwise.recall).toBeCloseTo(1 / 3, 12);
    expect(m.bcubed.recall).toBeCloseTo(5 / 9, 12);
    expect(m.bcubed.f1).toBeCloseTo(5 / 7, 12);
    expect(m.purity).toBe(1);
    expect(m.nmi).toBe(0);
    expect(m.ari).toBe(0);
  });

  it('a single identity in a single cluster scores 1 everywhere', () => {
    const m = computeMetrics({ assignments: [0, 0], labels: ['A', 'A'] });
    expect([m.cohesion.weighted, m.pairwise.f1, m.bcubed.f1, m.purity, m.inversePurity, m.nmi, m.ari]).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('one tagged face per identity: recall 1 by convention', () => {
    // A B in c0 c0: TP 0, cluster pairs 1 → P 0; identity pairs 0 → R 1; F1 0.
    const m = computeMetrics({ assignments: [0, 0], labels: ['A', 'B'] });
    expect(m.pairwise).toEqual({ precision: 0, recall: 1, f1: 0 });
  });

  it('no tagged faces: zeros and empty lists, search cost still over every face', () => {
    // Sizes 2 and 1 of 3: (4 + 1)/9 = 5/9, speed-up 9/5.
    const descriptors = matrixFromRows([[0], [1], [2]]);
    const m = computeMetrics({ assignments: [0, 0, 1], labels: [null, -1, undefined], descriptors });
    expect(m).toEqual({
      taggedFaces: 0,
      identities: 0,
      cohesion: { weighted: 0, mean: 0, perIdentity: [] },
      pairwise: { precision: 0, recall: 0, f1: 0 },
      bcubed: { precision: 0, recall: 0, f1: 0 },
      purity: 0,
      inversePurity: 0,
      nmi: 0,
      ari: 0,
      searchCost: 5 / 9,
      speedup: 1.8,
      matchingRecall: [],
      table: { identities: [], clusters: [], counts: [] },
    });
  });

  it('no faces at all', () => {
    const m = computeMetrics({ assignments: [], labels: [] });
    expect(m.searchCost).toBe(0);
    expect(m.speedup).toBe(0);
    expect(m.taggedFaces).toBe(0);
  });

  it('never returns NaN on any of these cases', () => {
    const cases: [number[], (string | null)[]][] = [
      [[0], ['A']],
      [
        [0, 0, 0],
        ['A', null, 'B'],
      ],
      [
        [3, 3],
        [null, 'A'],
      ],
    ];
    for (const [a, l] of cases) {
      const json = JSON.stringify(computeMetrics({ assignments: a, labels: l }));
      expect(json).not.toMatch(/null,|NaN|Infinity/);
    }
  });

  it('rejects mismatched lengths and bad cluster ids', () => {
    expect(() => computeMetrics({ assignments: [0, 1], labels: ['A'] })).toThrow(/1 labels for 2 faces/);
    expect(() => computeMetrics({ assignments: [0, -2], labels: ['A', 'B'] })).toThrow(/non-negative integer/);
  });
});

describe('computeMetrics against scikit-learn documentation examples', () => {
  const score = (truth: number[], predicted: number[]) => computeMetrics({ assignments: predicted, labels: truth });

  it('adjusted Rand index', () => {
    expect(score([0, 0, 1, 1], [0, 0, 1, 2]).ari).toBeCloseTo(0.5714285714285714, 14);
    expect(score([0, 0, 1, 2], [0, 0, 1, 1]).ari).toBeCloseTo(0.5714285714285714, 14);
    expect(score([0, 0, 1, 1], [1, 1, 0, 0]).ari).toBe(1);
    expect(score([0, 0, 0, 0], [0, 1, 2, 3]).ari).toBe(0);
    expect(score([0, 0, 1, 1], [0, 1, 0, 1]).ari).toBeCloseTo(-0.5, 14);
  });

  it('normalised mutual information (arithmetic mean)', () => {
    expect(score([0, 0, 1, 1], [0, 0, 1, 2]).nmi).toBeCloseTo(0.8, 12);
    expect(score([0, 0, 1, 1], [1, 1, 0, 0]).nmi).toBeCloseTo(1, 14);
    expect(score([0, 0, 0, 0], [0, 1, 2, 3]).nmi).toBe(0);
  });
});
