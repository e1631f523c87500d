// Principal component analysis on typed arrays: fits on a feature matrix and projects onto the leading components.

import { symmetricEigen } from './eigen.ts';
import { assertFinite, columnMeans, createMatrix, type Matrix } from './matrix.ts';
import { KernelSpace } from './simd-kernels.ts';

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
 * instant, and only the kept eigenvectors are computed. When both `components` and
 * `varianceShare` are given, the smaller count wins; with neither, every component is kept.
 * Each component's sign is fixed so that its largest entry is positive, so refits on the same
 * data give the same projection.
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
  const eigen = symmetricEigen(covariance(m, mean));
  const variances = eigen.values.map((v) => Math.max(0, v));
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
  const kept = eigen.leadingVectors(keep);
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
 * Sample covariance. Rows are centred a block at a time into a column-major buffer, so that each
 * entry of the d×d result is a dot product over contiguous memory, taken by the SIMD kernel.
 */
function covariance(m: Matrix, mean: Float64Array): Matrix {
  const d = m.cols;
  const n = m.rows;
  const space = new KernelSpace(d * BLOCK_ROWS + d * d);
  const block = space.doubles(d * BLOCK_ROWS);
  const sums = space.doubles(d * d);
  const columns = { data: block, rows: d, stride: BLOCK_ROWS };
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const len = Math.min(BLOCK_ROWS, n - start);
    for (let r = 0; r < len; r++) {
      const offset = (start + r) * d;
      for (let j = 0; j < d; j++) block[j * BLOCK_ROWS + r] = m.data[offset + j] - mean[j];
    }
    space.accumulateDots(columns, columns, len, sums, d, true);
  }
  const cov = createMatrix(d, d);
  const denominator = Math.max(1, n - 1);
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      const value = sums[j * d + k] / denominator;
      cov.data[j * d + k] = value;
      cov.data[k * d + j] = value;
    }
  }
  return cov;
}

/** Rows projected per call of the SIMD kernel: bounds the centred copy it needs. */
const PROJECT_ROWS = 2048;

function project(x: Matrix, mean: Float64Array, components: Matrix): Matrix {
  const d = mean.length;
  if (x.cols !== d) throw new Error(`PCA was fitted on ${d} columns, got ${x.cols}`);
  const c = components.rows;
  const out = createMatrix(x.rows, c);
  const chunk = Math.min(PROJECT_ROWS, x.rows);
  const space = new KernelSpace(chunk * d + c * d + chunk * c);
  const centred = space.doubles(chunk * d);
  const weights = space.doubles(c * d);
  weights.set(components.data);
  const projected = space.doubles(chunk * c);
  for (let start = 0; start < x.rows; start += chunk) {
    const rows = Math.min(chunk, x.rows - start);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < d; j++) centred[i * d + j] = x.data[(start + i) * d + j] - mean[j];
    }
    projected.fill(0);
    space.accumulateDots({ data: centred, rows, stride: d }, { data: weights, rows: c, stride: d }, d, projected, c, false);
    out.data.set(projected.subarray(0, rows * c), start * c);
  }
  return out;
}

/**
 * The explained-variance curve alone, its leading `limit` shares at most: what the user looks at
 * to choose a number of components. Only one eigenvector is computed, not the d of a full fit.
 */
export function explainedVarianceCurve(m: Matrix, limit: number): number[] {
  return Array.from(fitPca(m, { components: 1 }).explainedVarianceRatio.subarray(0, limit));
}
