// Tests for PCA, cross-checked against ml-pca.
import { PCA } from 'ml-pca';
import { describe, expect, it } from 'vitest';
import { createMatrix, matrixFromRows, matrixToRows } from '../../src/core/matrix.ts';
import { explainedVarianceCurve, fitPca } from '../../src/core/pca.ts';
import { createRng } from '../../src/core/rng.ts';

/** 60 rows × 6 correlated columns: three latent factors with decreasing scale, plus noise. */
function correlated(seed: number) {
  const rng = createRng(seed);
  const m = createMatrix(60, 6);
  for (let i = 0; i < 60; i++) {
    const f = [rng.normal() * 5, rng.normal() * 2, rng.normal()];
    const row = [f[0] + f[1], f[0] - f[2], 2 * f[1], f[2] + f[0] / 2, f[1] - f[0], f[2]];
    row.forEach((v, j) => (m.data[i * 6 + j] = v + rng.normal() * 0.1 + j));
  }
  return m;
}

describe('fitPca', () => {
  it('matches ml-pca: explained variance, components up to sign, projections', () => {
    const m = correlated(1);
    const ours = fitPca(m);
    const theirs = new PCA(matrixToRows(m));
    const ratios = theirs.getExplainedVariance();
    ratios.forEach((r, c) => expect(ours.explainedVarianceRatio[c]).toBeCloseTo(r, 10));
    const loadings = theirs.getLoadings().to2DArray();
    const projectedTheirs = theirs.predict(matrixToRows(m)).to2DArray();
    const projectedOurs = ours.transform(m);
    // Only components with distinct, non-negligible variance have a well-defined direction.
    for (let c = 0; c < 4; c++) {
      const sign = Math.sign(loadings[c].reduce((s, v, j) => s + v * ours.components.data[c * 6 + j], 0));
      expect(Math.abs(sign)).toBe(1);
      for (let j = 0; j < 6; j++) expect(ours.components.data[c * 6 + j]).toBeCloseTo(sign * loadings[c][j], 8);
      for (let i = 0; i < 60; i++) expect(projectedOurs.data[i * 6 + c]).toBeCloseTo(sign * projectedTheirs[i][c], 7);
    }
  });

  it('matches ml-pca on odd sizes and more rows than one covariance block, and projects as the formula says', () => {
    const rng = createRng(4);
    const m = createMatrix(701, 13);
    for (let i = 0; i < 701; i++) {
      const factor = rng.normal() * 3;
      for (let j = 0; j < 13; j++) m.data[i * 13 + j] = factor * (j % 4) + rng.normal() * (1 + j / 4);
    }
    const ours = fitPca(m, { components: 7 });
    new PCA(matrixToRows(m)).getExplainedVariance().forEach((r, c) => expect(ours.explainedVarianceRatio[c]).toBeCloseTo(r, 10));
    const projected = ours.transform(m);
    for (const i of [0, 350, 699, 700]) {
      for (let c = 0; c < 7; c++) {
        let expected = 0;
        for (let j = 0; j < 13; j++) expected += (m.data[i * 13 + j] - ours.mean[j]) * ours.components.data[c * 13 + j];
        expect(projected.data[i * 7 + c]).toBeCloseTo(expected, 10);
      }
    }
  });

  it('keeps components by count or by variance share, whichever is smaller', () => {
    const m = correlated(2);
    const all = fitPca(m);
    expect(all.components.rows).toBe(6);
    expect(all.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const cumulative = (c: number) => all.explainedVarianceRatio.slice(0, c).reduce((a, b) => a + b, 0);
    const byShare = fitPca(m, { varianceShare: 0.95 });
    const kept = byShare.components.rows;
    expect(cumulative(kept)).toBeGreaterThanOrEqual(0.95);
    expect(cumulative(kept - 1)).toBeLessThan(0.95);
    expect(fitPca(m, { components: 1, varianceShare: 0.95 }).components.rows).toBe(1);
    expect(fitPca(m, { components: 5, varianceShare: 0.95 }).components.rows).toBe(kept);
    expect(fitPca(m, { components: 50 }).components.rows).toBe(6);
    // The whole curve is reported even when few components are kept.
    expect(byShare.explainedVarianceRatio.length).toBe(6);
    expect(fitPca(m, { varianceShare: 1 }).components.rows).toBe(6);
  });

  it('projects centred data: the projection of the training data has zero mean and the component variances', () => {
    const m = correlated(3);
    const model = fitPca(m, { components: 2 });
    const y = model.transform(m);
    for (let c = 0; c < 2; c++) {
      let mean = 0;
      let sq = 0;
      for (let i = 0; i < m.rows; i++) mean += y.data[i * 2 + c];
      mean /= m.rows;
      for (let i = 0; i < m.rows; i++) sq += (y.data[i * 2 + c] - mean) ** 2;
      expect(Math.abs(mean)).toBeLessThan(1e-10);
      expect(sq / (m.rows - 1)).toBeCloseTo(model.variances[c], 8);
    }
  });

  it('finds the direction of a line by hand', () => {
    // Points on y = x: one component (1, 1)/√2 with all the variance; sign makes the largest entry positive.
    const model = fitPca(
      matrixFromRows([
        [0, 0],
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
      { components: 1 },
    );
    expect(model.components.data[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(model.components.data[1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(model.explainedVarianceRatio[0]).toBeCloseTo(1, 12);
    // Variance along the line: coordinates 0, √2, 2√2, 3√2 → mean 1.5√2, sample variance 2·(5/3) = 10/3.
    expect(model.variances[0]).toBeCloseTo(10 / 3, 12);
    expect(model.transform(matrixFromRows([[1.5, 1.5]])).data[0]).toBeCloseTo(0, 12);
  });

  it('gives zero ratios rather than NaN for constant data, and validates its options', () => {
    const flat = fitPca(
      matrixFromRows([
        [1, 2],
        [1, 2],
        [1, 2],
      ]),
      { varianceShare: 0.9 },
    );
    expect(Array.from(flat.explainedVarianceRatio)).toEqual([0, 0]);
    expect(() => fitPca(correlated(1), { components: 0 })).toThrow(/components must be a positive integer/);
    expect(() => fitPca(correlated(1), { varianceShare: 1.5 })).toThrow(/varianceShare must be in \(0, 1\]/);
    expect(() => fitPca(createMatrix(0, 3))).toThrow(/at least one row/);
    expect(() => fitPca(matrixFromRows([[1, Number.NaN]]))).toThrow(/NaN/);
    expect(() => fitPca(correlated(1)).transform(createMatrix(1, 2))).toThrow(/fitted on 6 columns, got 2/);
  });
});

describe('explainedVarianceCurve', () => {
  it("is a full fit's curve, cut to the limit", () => {
    const m = correlated(2);
    const full = Array.from(fitPca(m).explainedVarianceRatio);
    expect(explainedVarianceCurve(m, 200)).toEqual(full);
    expect(explainedVarianceCurve(m, 3)).toEqual(full.slice(0, 3));
  });
});
