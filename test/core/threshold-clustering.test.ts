// Tests for agglomerative and Chinese-whispers threshold clustering.
import { describe, expect, it } from 'vitest';
import { createMatrix, matrixFromRows } from '../../src/core/matrix.ts';
import { computeMetrics } from '../../src/core/metrics.ts';
import { unitVectorPeople } from './synthetic.ts';
import {
  AGGLOMERATIVE_MAX_POINTS,
  agglomerativeClustering,
  chineseWhispers,
  DEFAULT_DESCRIPTOR_THRESHOLD,
  suggestIdentities,
} from '../../src/core/threshold-clustering.ts';

/** Three "people" on the unit sphere in 16-D (sizes 12, 8, 5): faces of one person ~0.07 apart, people ~1.4 apart. */
const people = () => unitVectorPeople({ sizes: [12, 8, 5], dims: 16, seed: 21, noise: 0.05 });

describe('agglomerativeClustering', () => {
  it('cuts average and complete linkage at the threshold (worked by hand)', () => {
    // Points 0, 1, 2.2. First merge {0, 1} at 1. Then 2.2 to {0, 1}: average (2.2 + 1.2)/2 = 1.7,
    // complete max(2.2, 1.2) = 2.2.
    const m = matrixFromRows([[0], [1], [2.2]]);
    expect(agglomerativeClustering(m, { threshold: 1.5 }).clusters).toBe(2);
    expect(agglomerativeClustering(m, { threshold: 1.8 }).clusters).toBe(1);
    expect(agglomerativeClustering(m, { threshold: 1.8, linkage: 'complete' }).clusters).toBe(2);
    expect(agglomerativeClustering(m, { threshold: 2.3, linkage: 'complete' }).clusters).toBe(1);
    // The merge at exactly the threshold is not taken: distances must be below it.
    expect(agglomerativeClustering(m, { threshold: 1 }).clusters).toBe(3);
  });

  it('numbers clusters by decreasing size', () => {
    const m = matrixFromRows([[100], [0], [0.1], [0.2], [50], [50.1]]);
    const { assignments, clusters } = agglomerativeClustering(m, { threshold: 1 });
    expect(clusters).toBe(3);
    expect(Array.from(assignments)).toEqual([2, 0, 0, 0, 1, 1]);
  });

  it('finds the people with the default descriptor threshold', () => {
    const { matrix, labels } = people();
    const result = agglomerativeClustering(matrix);
    expect(result.clusters).toBe(3);
    expect(computeMetrics({ assignments: result.assignments, labels }).ari).toBe(1);
  });

  it('refuses inputs too large for its distance matrix, and bad parameters', () => {
    expect(() => agglomerativeClustering(createMatrix(AGGLOMERATIVE_MAX_POINTS + 1, 1))).toThrow(/limited to 6000 points/);
    expect(() => agglomerativeClustering(matrixFromRows([[0]]), { threshold: 0 })).toThrow(/positive number/);
    expect(() => agglomerativeClustering(matrixFromRows([[0]]), { linkage: 'single' as 'average' })).toThrow(/unknown linkage/);
  });

  it('handles a single point and an empty input', () => {
    expect(Array.from(agglomerativeClustering(matrixFromRows([[1, 2]])).assignments)).toEqual([0]);
    expect(agglomerativeClustering(createMatrix(0, 2)).clusters).toBe(0);
  });
});

describe('chineseWhispers', () => {
  it('separates the connected components of the threshold graph', () => {
    // Edges (distance < 1): 0–1, 1–2 (a chain), 10–10.5; 20 is isolated.
    const m = matrixFromRows([[0], [0.9], [1.8], [10], [10.5], [20]]);
    const { assignments, clusters } = chineseWhispers(m, { threshold: 1, seed: 3 });
    expect(clusters).toBe(3);
    expect(Array.from(assignments)).toEqual([0, 0, 0, 1, 1, 2]);
  });

  it('weighs each edge by how far inside the cut it lies, so two pairs near the cut do not outvote one close face', () => {
    // a and x are 0.05 apart; x is 0.39 from b1 and b2, just inside the cut of 0.4; b1, b2 and b3 sit together.
    // Counted one vote per edge, x would follow the two b's and take a with it: one cluster.
    const a = [0, 0];
    const x = [0.05, 0];
    const b1 = [0.44, 0];
    const b2 = [0.05 + 0.39 * Math.cos(Math.PI / 18), 0.39 * Math.sin(Math.PI / 18)];
    const b3 = [0.5, 0.03];
    for (const seed of [1, 2, 3]) {
      const { assignments } = chineseWhispers(matrixFromRows([a, x, b1, b2, b3]), { threshold: 0.4, seed });
      expect(Array.from(assignments)).toEqual([1, 1, 0, 0, 0]);
    }
  });

  it('finds the people and is reproducible by seed', () => {
    const { matrix, labels } = people();
    const a = chineseWhispers(matrix, { seed: 7 });
    const b = chineseWhispers(matrix, { seed: 7 });
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
    expect(computeMetrics({ assignments: a.assignments, labels }).ari).toBe(1);
  });

  it('validates its parameters', () => {
    expect(() => chineseWhispers(matrixFromRows([[0]]), { iterations: 0 })).toThrow(/iterations must be a positive integer/);
    expect(() => chineseWhispers(matrixFromRows([[0]]), { threshold: Number.NaN })).toThrow(/positive number/);
  });
});

describe('suggestIdentities', () => {
  it('uses agglomerative clustering while it fits, or the method asked for', () => {
    const { matrix } = people();
    expect(Array.from(suggestIdentities(matrix).assignments)).toEqual(Array.from(agglomerativeClustering(matrix).assignments));
    expect(suggestIdentities(matrix, { method: 'chinese-whispers', seed: 7 }).clusters).toBe(3);
    expect(DEFAULT_DESCRIPTOR_THRESHOLD).toBe(0.4);
  });
});
