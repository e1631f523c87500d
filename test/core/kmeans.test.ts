// Tests for k-means: exact answers on small cases, determinism, validation, and the unequal-cluster trap.
import { describe, expect, it } from 'vitest';
import { kmeans } from '../../src/core/kmeans.ts';
import { createMatrix, matrixFromRows, squaredDistance } from '../../src/core/matrix.ts';
import { computeMetrics } from '../../src/core/metrics.ts';
import { gaussianBlobs, unequalClusterTrap } from './synthetic.ts';

const ari = (truth: ArrayLike<number>, found: ArrayLike<number>) => computeMetrics({ assignments: found, labels: Array.from(truth) }).ari;

describe('kmeans', () => {
  it('splits a 1-D case worked by hand', () => {
    // {0, 1} and {10, 11}: centroids 0.5 and 10.5, every point 0.5 away, inertia 4 · 0.25 = 1.
    const result = kmeans(matrixFromRows([[0], [1], [10], [11]]), 2, { seed: 1 });
    expect(result.assignments[0]).toBe(result.assignments[1]);
    expect(result.assignments[2]).toBe(result.assignments[3]);
    expect(result.assignments[0]).not.toBe(result.assignments[2]);
    const centres = Array.from(result.centroids.data).sort((a, b) => a - b);
    expect(centres).toEqual([0.5, 10.5]);
    expect(result.inertia).toBe(1);
    expect(Array.from(result.distances)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('recovers well-separated blobs exactly', () => {
    const { matrix, labels } = gaussianBlobs({ sizes: [40, 60, 30, 50], dims: 8, seed: 4 });
    const result = kmeans(matrix, 4, { seed: 9 });
    expect(ari(labels, result.assignments)).toBe(1);
  });

  it('returns a Lloyd fixed point: means as centroids, each point at its nearest centroid, consistent inertia', () => {
    const { matrix } = gaussianBlobs({ sizes: [50, 50, 50], dims: 5, seed: 2, separation: 1.5 });
    const k = 5;
    // tolerance 0: run until no point changes cluster.
    const { assignments, centroids, inertia, distances } = kmeans(matrix, k, { seed: 3, tolerance: 0 });
    const d = matrix.cols;
    let total = 0;
    for (let i = 0; i < matrix.rows; i++) {
      const own = squaredDistance(matrix.data, i * d, centroids.data, assignments[i] * d, d);
      for (let c = 0; c < k; c++) {
        expect(own).toBeLessThanOrEqual(squaredDistance(matrix.data, i * d, centroids.data, c * d, d) + 1e-9);
      }
      expect(distances[i]).toBeCloseTo(Math.sqrt(own), 10);
      total += own;
    }
    expect(inertia).toBeCloseTo(total, 8);
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        let sum = 0;
        let count = 0;
        for (let i = 0; i < matrix.rows; i++) {
          if (assignments[i] === c) {
            sum += matrix.data[i * d + j];
            count++;
          }
        }
        expect(count).toBeGreaterThan(0);
        expect(centroids.data[c * d + j]).toBeCloseTo(sum / count, 10);
      }
    }
  });

  it('seeds from a sample on large inputs and still recovers the blobs', () => {
    // 12,000 points: above the 10,000-point seeding sample.
    const { matrix, labels } = gaussianBlobs({ sizes: [6000, 3000, 2000, 1000], dims: 4, seed: 6 });
    const a = kmeans(matrix, 4, { seed: 2, restarts: 3 });
    expect(ari(labels, a.assignments)).toBe(1);
    expect(Array.from(kmeans(matrix, 4, { seed: 2, restarts: 3 }).assignments)).toEqual(Array.from(a.assignments));
  });

  it('stops no later under the default tolerance, at nearly the same inertia', () => {
    const { matrix } = gaussianBlobs({ sizes: [300, 300, 300], dims: 6, seed: 10, separation: 0.4 });
    const loose = kmeans(matrix, 3, { seed: 1, restarts: 1, refine: 'none' });
    const exact = kmeans(matrix, 3, { seed: 1, restarts: 1, refine: 'none', tolerance: 0 });
    expect(loose.iterations).toBeLessThanOrEqual(exact.iterations);
    expect(loose.inertia).toBeLessThan(exact.inertia * 1.01);
  });

  it('is reproducible by seed', () => {
    const { matrix } = gaussianBlobs({ sizes: [30, 30, 30, 30], dims: 6, seed: 8, separation: 1 });
    const a = kmeans(matrix, 6, { seed: 11 });
    const b = kmeans(matrix, 6, { seed: 11 });
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
    expect(a.inertia).toBe(b.inertia);
    expect(Array.from(a.centroids.data)).toEqual(Array.from(b.centroids.data));
  });

  it('keeps the lowest-inertia restart: more restarts never do worse', () => {
    const { matrix } = gaussianBlobs({ sizes: [25, 25, 25, 25, 25, 25], dims: 4, seed: 5, separation: 1.2 });
    const one = kmeans(matrix, 6, { seed: 2, restarts: 1, refine: 'none' });
    const many = kmeans(matrix, 6, { seed: 2, restarts: 10, refine: 'none' });
    // The first restart draws the same seeds in both runs, so ten restarts can only improve on it.
    expect(many.inertia).toBeLessThanOrEqual(one.inertia);
  });

  it('handles k = 1, k = n and repeated points', () => {
    const m = matrixFromRows([
      [1, 2],
      [3, 4],
      [5, 9],
    ]);
    const single = kmeans(m, 1);
    expect(Array.from(single.centroids.data)).toEqual([3, 5]);
    expect(Array.from(single.assignments)).toEqual([0, 0, 0]);
    const each = kmeans(m, 3);
    expect(each.inertia).toBe(0);
    expect(new Set(each.assignments).size).toBe(3);
    // Five identical points and one other, three clusters: fewer distinct points than clusters.
    const repeated = kmeans(matrixFromRows([[1], [1], [1], [1], [1], [7]]), 3, { seed: 4 });
    expect(repeated.inertia).toBe(0);
    expect(Array.from(repeated.centroids.data).every(Number.isFinite)).toBe(true);
  });

  it('validates its parameters with clear messages', () => {
    const m = matrixFromRows([[0], [1], [2]]);
    expect(() => kmeans(m, 0)).toThrow(/k ≥ 1/);
    expect(() => kmeans(m, 4)).toThrow(/cannot make 4 clusters from 3 points/);
    expect(() => kmeans(m, 1.5)).toThrow(/k ≥ 1 \(an integer\), got 1.5/);
    expect(() => kmeans(m, 2, { restarts: 0 })).toThrow(/restarts must be a positive integer/);
    expect(() => kmeans(m, 2, { maxIterations: 0 })).toThrow(/maxIterations/);
    expect(() => kmeans(m, 2, { tolerance: -1 })).toThrow(/tolerance must be ≥ 0/);
    expect(() => kmeans(m, 2, { refine: 'magic' as 'none' })).toThrow(/unknown k-means refinement "magic"/);
    expect(() => kmeans(matrixFromRows([[0], [Number.POSITIVE_INFINITY]]), 1)).toThrow(/Infinity/);
    expect(() => kmeans(createMatrix(0, 2), 1)).toThrow(/cannot make 1 clusters from 0 points/);
  });

  it('escapes the unequal-cluster trap that plain k-means with 10 restarts falls into', () => {
    const { matrix, labels } = unequalClusterTrap(1);
    const seeds = [0, 1, 2];
    const plain = seeds.map((seed) => kmeans(matrix, 10, { seed, refine: 'none' }));
    const refined = seeds.map((seed) => kmeans(matrix, 10, { seed }));
    // The trap is real: plain k-means splits the big person and merges the two neighbours for some seed…
    expect(Math.min(...plain.map((r) => ari(labels, r.assignments)))).toBeLessThan(0.95);
    // …and the default refinement recovers every person for every seed, at a lower inertia.
    refined.forEach((r, s) => {
      expect(ari(labels, r.assignments)).toBe(1);
      expect(r.inertia).toBeLessThanOrEqual(plain[s].inertia);
    });
    expect(refined.some((r) => r.refinements > 0)).toBe(true);
  });
});
