// Principal component analysis on typed arrays: fits on a feature matrix and projects onto the leading components.

import { symmetricEigen } from './eigen.ts';
import { assertFinite, columnMeans, createMatrix, type Matrix } from './matrix.ts';

export interface PcaOptions {
  /** Keep at most this many components. */
  components?: number;
  /** Keep the fewest components whose cumulative explained variance reaches this share (0–1]. */
  varianceShare?: number;
}

export interface PcaModel {
  mean: Float64Array;
  /** Kept components, one unit vector per row, by decreasing variance. */
  components: Matrix;
  /** Variance along every principal axis (all columns, not only the kept ones; n − 1 denominator). */
  variances: Float64Array;
  /** The whole explained-variance curve: each axis's share of the total variance. */
  explainedVarianceRatio: Float64Array;
  /** Centres rows with the fitted mean and projects them onto the kept components. */
  transform(m: Matrix): Matrix;
}

/**
 * Fits through the covariance matrix rather than an SVD of the data: with many more faces than
 * columns, one pass over the data builds a small d×d matrix whose eigendecomposition is
 * instant. When both `components` and `varianceShare` are given, the smaller count wins; with
 * neither, every component is kept. Each component's sign is fixed so that its largest entry
 * is positive, so refits on the same data give the same projection.
 */
export function fitPca(m: Matrix, options: PcaOptions = {}): PcaModel {
  const { components, varianceShare } = options;
  if (components !== undefined && (!Number.isInteger(components) || components < 1)) {
    throw new Error(`PCA components must be a positive integer, got ${components}`);
  }
  if (varianceShare !== undefined && !(varianceShare > 0 && varianceShare <= 1)) {
    throw new Error(`PCA varianceShare must be in (0, 1], got ${varianceShare}`);
  }
  if (m.rows === 0 || m.cols === 0) throw new Error(`PCA needs at least one row and one column, got ${m.rows}×${m.cols}`);
  assertFinite(m, 'PCA input');
  const d = m.cols;
  const mean = columnMeans(m);
  const { values, vectors } = symmetricEigen(covariance(m, mean));
  const variances = values.map((v) => Math.max(0, v));
  const total = variances.reduce((a, b) => a + b, 0);
  const explainedVarianceRatio = variances.map((v) => (total > 0 ? v / total : 0));

  let keep = Math.min(components ?? d, d);
  if (varianceShare !== undefined) {
    let cumulative = 0;
    let needed = d;
    for (let c = 0; c < d; c++) {
      cumulative += explainedVarianceRatio[c];
      // A hair of tolerance so that a share of exactly 1 is reached despite rounding.
      if (cumulative >= varianceShare - 1e-12) {
        needed = c + 1;
        break;
      }
    }
    keep = Math.min(keep, needed);
  }
  const kept = createMatrix(keep, d, vectors.data.slice(0, keep * d));
  for (let c = 0; c < keep; c++) {
    const row = kept.data.subarray(c * d, (c + 1) * d);
    let largest = 0;
    for (let j = 1; j < d; j++) if (Math.abs(row[j]) > Math.abs(row[largest])) largest = j;
    if (row[largest] < 0) for (let j = 0; j < d; j++) row[j] = -row[j];
  }
  return {
    mean,
    components: kept,
    variances,
    explainedVarianceRatio,
    transform: (x) => project(x, mean, kept),
  };
}

const BLOCK_ROWS = 256;

/**
 * Sample covariance. Rows are centred a block at a time into a column-major buffer so that each
 * entry of the d×d result is a dot product over contiguous memory, which is what keeps 100,000
 * faces × 128 columns well under a second.
 */
function covariance(m: Matrix, mean: Float64Array): Matrix {
  const d = m.cols;
  const n = m.rows;
  const cov = createMatrix(d, d);
  const block = new Float64Array(d * BLOCK_ROWS);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const len = Math.min(BLOCK_ROWS, n - start);
    for (let r = 0; r < len; r++) {
      const offset = (start + r) * d;
      for (let j = 0; j < d; j++) block[j * BLOCK_ROWS + r] = m.data[offset + j] - mean[j];
    }
    for (let j = 0; j < d; j++) {
      const a = j * BLOCK_ROWS;
      let k = j;
      // Four entries at a time: each value of column j is loaded once for four products.
      for (; k + 3 < d; k += 4) {
        const b = k * BLOCK_ROWS;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let r = 0; r < len; r++) {
          const x = block[a + r];
          s0 += x * block[b + r];
          s1 += x * block[b + BLOCK_ROWS + r];
          s2 += x * block[b + 2 * BLOCK_ROWS + r];
          s3 += x * block[b + 3 * BLOCK_ROWS + r];
        }
        cov.data[j * d + k] += s0;
        cov.data[j * d + k + 1] += s1;
        cov.data[j * d + k + 2] += s2;
        cov.data[j * d + k + 3] += s3;
      }
      for (; k < d; k++) {
        const b = k * BLOCK_ROWS;
        let sum = 0;
        for (let r = 0; r < len; r++) sum += block[a + r] * block[b + r];
        cov.data[j * d + k] += sum;
      }
    }
  }
  const denominator = Math.max(1, n - 1);
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      const value = cov.data[j * d + k] / denominator;
      cov.data[j * d + k] = value;
      cov.data[k * d + j] = value;
    }
  }
  return cov;
}

function project(x: Matrix, mean: Float64Array, components: Matrix): Matrix {
  const d = mean.length;
  if (x.cols !== d) throw new Error(`PCA was fitted on ${d} columns, got ${x.cols}`);
  const c = components.rows;
  const out = createMatrix(x.rows, c);
  const weights = components.data;
  const centred = new Float64Array(d);
  for (let i = 0; i < x.rows; i++) {
    const offset = i * d;
    for (let j = 0; j < d; j++) centred[j] = x.data[offset + j] - mean[j];
    let p = 0;
    // Four components at a time, as in covariance(): one load of each centred value per four products.
    for (; p + 3 < c; p += 4) {
      const base = p * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < d; j++) {
        const v = centred[j];
        s0 += v * weights[base + j];
        s1 += v * weights[base + d + j];
        s2 += v * weights[base + 2 * d + j];
        s3 += v * weights[base + 3 * d + j];
      }
      out.data[i * c + p] = s0;
      out.data[i * c + p + 1] = s1;
      out.data[i * c + p + 2] = s2;
      out.data[i * c + p + 3] = s3;
    }
    for (; p < c; p++) {
      const base = p * d;
      let sum = 0;
      for (let j = 0; j < d; j++) sum += centred[j] * weights[base + j];
      out.data[i * c + p] = sum;
    }
  }
  return out;
}
