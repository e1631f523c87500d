// Tests for the diagonal Gaussian mixture.
import { describe, expect, it } from 'vitest';
import { fitGmm } from '../../src/core/gmm.ts';
import { matrixFromRows } from '../../src/core/matrix.ts';
import { computeMetrics } from '../../src/core/metrics.ts';
import { createRng } from '../../src/core/rng.ts';
import { gaussianBlobs } from './synthetic.ts';

/** 1-D: 300 points N(−5, 1²) and 100 points N(5, 0.5²). */
function twoGaussians() {
  const rng = createRng(12);
  const rows: number[][] = [];
  for (let i = 0; i < 300; i++) rows.push([-5 + rng.normal()]);
  for (let i = 0; i < 100; i++) rows.push([5 + 0.5 * rng.normal()]);
  return matrixFromRows(rows);
}

describe('fitGmm', () => {
  it('recovers the weights, means and variances of two 1-D Gaussians', () => {
    const fit = fitGmm(twoGaussians(), 2, { seed: 1 });
    const order = fit.means.data[0] < fit.means.data[1] ? [0, 1] : [1, 0];
    const [left, right] = order;
    expect(fit.weights[left]).toBeCloseTo(0.75, 2);
    expect(fit.weights[right]).toBeCloseTo(0.25, 2);
    expect(fit.means.data[left]).toBeCloseTo(-5, 0);
    expect(fit.means.data[right]).toBeCloseTo(5, 0);
    expect(Math.sqrt(fit.variances.data[left])).toBeGreaterThan(0.85);
    expect(Math.sqrt(fit.variances.data[left])).toBeLessThan(1.15);
    expect(Math.sqrt(fit.variances.data[right])).toBeGreaterThan(0.4);
    expect(Math.sqrt(fit.variances.data[right])).toBeLessThan(0.6);
    expect(fit.converged).toBe(true);
  });

  it('reports the log-likelihood of its own parameters, and BIC/AIC from it', () => {
    const m = twoGaussians();
    const fit = fitGmm(m, 2, { seed: 1 });
    // log L = Σ_i ln Σ_c w_c · N(x_i; μ_c, σ_c²), recomputed independently.
    let logL = 0;
    for (let i = 0; i < m.rows; i++) {
      let p = 0;
      for (let c = 0; c < 2; c++) {
        const v = fit.variances.data[c];
        p += (fit.weights[c] * Math.exp(-((m.data[i] - fit.means.data[c]) ** 2) / (2 * v))) / Math.sqrt(2 * Math.PI * v);
      }
      logL += Math.log(p);
    }
    expect(fit.logLikelihood).toBeCloseTo(logL, 8);
    // p = 2kd + k − 1 = 2·2·1 + 1 = 5 free parameters, n = 400.
    expect(fit.bic).toBeCloseTo(-2 * logL + 5 * Math.log(400), 8);
    expect(fit.aic).toBeCloseTo(-2 * logL + 10, 8);
  });

  it('prefers two components to one on bimodal data (lower BIC)', () => {
    const m = twoGaussians();
    expect(fitGmm(m, 2, { seed: 1 }).bic).toBeLessThan(fitGmm(m, 1, { seed: 1 }).bic);
  });

  it('gives responsibilities that sum to 1 and assignments that match clear blobs', () => {
    const { matrix, labels } = gaussianBlobs({ sizes: [40, 70, 50], dims: 6, seed: 3 });
    const fit = fitGmm(matrix, 3, { seed: 5 });
    for (let i = 0; i < matrix.rows; i++) {
      let sum = 0;
      for (let c = 0; c < 3; c++) sum += fit.responsibilities.data[i * 3 + c];
      expect(sum).toBeCloseTo(1, 12);
      expect(fit.maxProbability[i]).toBeGreaterThan(0.99);
    }
    expect(computeMetrics({ assignments: fit.assignments, labels: Array.from(labels) }).ari).toBe(1);
  });

  it('stays finite when a component sits on identical points (variance floor)', () => {
    const m = matrixFromRows([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [5, 5],
      [5.5, 4.5],
      [4.5, 5.5],
      [5, 6],
    ]);
    const fit = fitGmm(m, 2, { seed: 2 });
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
    expect(Number.isFinite(fit.bic)).toBe(true);
    expect(Math.min(...fit.variances.data)).toBeGreaterThan(0);
  });

  it('is reproducible by seed and validates its options', () => {
    const { matrix } = gaussianBlobs({ sizes: [30, 30, 30], dims: 3, seed: 6, separation: 2 });
    const a = fitGmm(matrix, 3, { seed: 4 });
    const b = fitGmm(matrix, 3, { seed: 4 });
    expect(Array.from(a.responsibilities.data)).toEqual(Array.from(b.responsibilities.data));
    expect(() => fitGmm(matrix, 0)).toThrow(/k ≥ 1/);
    expect(() => fitGmm(matrix, 2, { varianceFloor: 0 })).toThrow(/varianceFloor must be > 0/);
    expect(() => fitGmm(matrix, 2, { maxIterations: -1 })).toThrow(/maxIterations/);
  });
});
