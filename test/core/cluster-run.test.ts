// Tests one clustering run on arrays: its steps, its determinism by seed, and what each algorithm reports.
import { describe, expect, it } from 'vitest';
import { clusterFaces, clusterRunSteps, type ClusterFace, type ClusterRunParams } from '../../src/core/cluster-run.ts';
import { encodeLabels } from '../../src/core/labels.ts';
import { matrixFromRows } from '../../src/core/matrix.ts';
import { createRng } from '../../src/core/rng.ts';
import { clusteringThreshold } from '../../src/core/threshold-calibration.ts';
import { DEFAULT_DESCRIPTOR_THRESHOLD } from '../../src/core/threshold-clustering.ts';
import { REFERENCE_PRE_SHAPE } from '../../src/core/reference-shape.ts';

/** Three people, 20 faces each: descriptors around three directions, the mean shape as landmarks. */
function faces(): ClusterFace[] {
  const rng = createRng(3);
  const landmarks = Float32Array.from(REFERENCE_PRE_SHAPE, (v) => v * 100 + 200);
  return Array.from({ length: 60 }, (_, i) => {
    const person = i % 3;
    const descriptor = Float32Array.from({ length: 128 }, (_, j) => (j === person ? 1 : 0) + rng.normal() * 0.01);
    return { landmarks, descriptor, identity: i % 2 === 0 ? `p${person}` : null, yaw: rng.normal() * 10, roll: null };
  });
}

const PARAMS: ClusterRunParams = { features: 'descriptor', k: 3, algorithm: 'kmeans', restarts: 4, seed: 1 };

describe('clusterFaces', () => {
  it('reports each step up to the planned total, and finds the three people', () => {
    const steps: [number, number][] = [];
    const result = clusterFaces(faces(), PARAMS, (done, total) => steps.push([done, total]));
    expect(clusterRunSteps(PARAMS)).toBe(6);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6].map((done) => [done, 6]));
    expect(result.metrics.ari).toBe(1);
    expect(result.sizes).toEqual([20, 20, 20]);
    expect(result.fit).toMatchObject({ inertia: expect.any(Number), refinements: expect.any(Number) });
    expect(result.distances).toHaveLength(60);
  });

  it('gives the same result for the same seed, and reports GMM fit and threshold steps', () => {
    expect(clusterFaces(faces(), PARAMS)).toEqual(clusterFaces(faces(), PARAMS));
    for (const algorithm of ['gmm', 'threshold'] as const) {
      const params = { ...PARAMS, algorithm };
      const steps: number[] = [];
      const result = clusterFaces(faces(), params, (done, total) => {
        expect(total).toBe(clusterRunSteps(params));
        steps.push(done);
      });
      expect(steps.at(-1)).toBe(clusterRunSteps(params));
      expect(result.metrics.ari, algorithm).toBe(1);
      if (algorithm === 'gmm') expect(result.fit).toMatchObject({ logLikelihood: expect.any(Number), bic: expect.any(Number) });
    }
  });

  it('fits k-means and GMM on the faces that shape the clusters and places the others in their nearest cluster', () => {
    // 30 placed-only faces: a crowd of strangers around a fourth direction, and one blurred face of p0's.
    const rng = createRng(5);
    const crowd: ClusterFace[] = Array.from({ length: 30 }, () => ({
      ...faces()[0],
      descriptor: Float32Array.from({ length: 128 }, (_, j) => (j === 3 ? 1 : 0) + rng.normal() * 0.01),
      identity: null,
      placedOnly: true,
    }));
    const blurred = { ...faces()[0], descriptor: Float32Array.from({ length: 128 }, (_, j) => (j === 0 ? 1 : j === 3 ? 0.6 : 0)), placedOnly: true };
    const all = [...faces(), ...crowd, blurred];
    for (const algorithm of ['kmeans', 'gmm'] as const) {
      const result = clusterFaces(all, { ...PARAMS, algorithm });
      expect(result.assignments, algorithm).toHaveLength(91);
      expect(result.metrics.ari, algorithm).toBe(1);
      expect(result.assignments[90], algorithm).toBe(result.assignments[0]);
      expect(
        result.sizes.reduce((a, b) => a + b, 0),
        algorithm,
      ).toBe(91);
      // Shaping the clusters, the crowd takes one of the three and two people share another.
      const shaped = clusterFaces(
        all.map((f) => ({ ...f, placedOnly: false })),
        { ...PARAMS, algorithm },
      );
      expect(shaped.metrics.ari, algorithm).toBeLessThan(0.7);
    }
  });

  describe('the cut of a threshold run', () => {
    const threshold: ClusterRunParams = { ...PARAMS, algorithm: 'threshold' };

    it('is calibrated on the tagged faces when enough are tagged, and is the one clusteringThreshold gives', () => {
      const all = faces();
      const result = clusterFaces(all, threshold);
      const expected = clusteringThreshold(matrixFromRows(all.map((f) => f.descriptor)), encodeLabels(all.map((f) => f.identity)).codes, 'agglomerative');
      expect(expected.source).toBe('tags');
      expect(result.cut).toEqual(expected);
      expect(result.metrics.ari).toBe(1);
    });

    it('is the default with too few tags, the one asked for when given, and absent from other runs', () => {
      const few = faces().map((f, i) => ({ ...f, identity: i < 4 ? f.identity : null }));
      expect(clusterFaces(few, threshold).cut).toMatchObject({ value: DEFAULT_DESCRIPTOR_THRESHOLD, source: 'default' });
      expect(clusterFaces(faces(), { ...threshold, threshold: 0.3 }).cut).toEqual({ value: 0.3, source: 'given', detail: 'the cut asked for' });
      expect(clusterFaces(faces(), PARAMS).cut).toBeNull();
    });
  });
});
