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
 * instant, and only the kept eigenvectors are computed. When both `components` and
 * `varianceShare` are given, the smaller count wins; with neither, every component is kept. Each component's sign is fixed so that its largest entry
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
    // Two rows × four columns of the result at a time: six loads for eight products.
    for (let j = 0; j < d; j += 2) {
      const a0 = j * BLOCK_ROWS;
      const a1 = j + 1 < d ? a0 + BLOCK_ROWS : a0;
      let k = j;
      for (; k + 3 < d; k += 4) {
        const b = k * BLOCK_ROWS;
        let s00 = 0;
        let s01 = 0;
        let s02 = 0;
        let s03 = 0;
        let s10 = 0;
        let s11 = 0;
        let s12 = 0;
        let s13 = 0;
        for (let r = 0; r < len; r++) {
          const x0 = block[a0 + r];
          const x1 = block[a1 + r];
          const y0 = block[b + r];
          const y1 = block[b + BLOCK_ROWS + r];
          const y2 = block[b + 2 * BLOCK_ROWS + r];
          const y3 = block[b + 3 * BLOCK_ROWS + r];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s02 += x0 * y2;
          s03 += x0 * y3;
          s10 += x1 * y0;
          s11 += x1 * y1;
          s12 += x1 * y2;
          s13 += x1 * y3;
        }
        const row0 = j * d + k;
        cov.data[row0] += s00;
        cov.data[row0 + 1] += s01;
        cov.data[row0 + 2] += s02;
        cov.data[row0 + 3] += s03;
        if (j + 1 < d) {
          const row1 = row0 + d;
          cov.data[row1] += s10;
          cov.data[row1 + 1] += s11;
          cov.data[row1 + 2] += s12;
          cov.data[row1 + 3] += s13;
        }
      }
      for (; k < d; k++) {
        const b = k * BLOCK_ROWS;
        let s0 = 0;
        let s1 = 0;
        for (let r = 0; r < len; r++) {
          s0 += block[a0 + r] * block[b + r];
          s1 += block[a1 + r] * block[b + r];
        }
        cov.data[j * d + k] += s0;
        if (j + 1 < d) cov.data[(j + 1) * d + k] += s1;
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
  // Two rows at a time (the second repeats the first on an odd last row), four components per
  // pass, as in covariance(): six loads for eight products.
  const centred = new Float64Array(2 * d);
  for (let i = 0; i < x.rows; i += 2) {
    const pair = i + 1 < x.rows;
    for (let j = 0; j < d; j++) {
      centred[j] = x.data[i * d + j] - mean[j];
      centred[d + j] = pair ? x.data[(i + 1) * d + j] - mean[j] : centred[j];
    }
    const row0 = i * c;
    const row1 = pair ? row0 + c : row0;
    let p = 0;
    for (; p + 3 < c; p += 4) {
      const base = p * d;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let j = 0; j < d; j++) {
        const v0 = centred[j];
        const v1 = centred[d + j];
        const w0 = weights[base + j];
        const w1 = weights[base + d + j];
        const w2 = weights[base + 2 * d + j];
        const w3 = weights[base + 3 * d + j];
        s00 += v0 * w0;
        s01 += v0 * w1;
        s02 += v0 * w2;
        s03 += v0 * w3;
        s10 += v1 * w0;
        s11 += v1 * w1;
        s12 += v1 * w2;
        s13 += v1 * w3;
      }
      out.data[row1 + p] = s10;
      out.data[row1 + p + 1] = s11;
      out.data[row1 + p + 2] = s12;
      out.data[row1 + p + 3] = s13;
      out.data[row0 + p] = s00;
      out.data[row0 + p + 1] = s01;
      out.data[row0 + p + 2] = s02;
      out.data[row0 + p + 3] = s03;
    }
    for (; p < c; p++) {
      const base = p * d;
      let s0 = 0;
      let s1 = 0;
      for (let j = 0; j < d; j++) {
        s0 += centred[j] * weights[base + j];
        s1 += centred[d + j] * weights[base + j];
      }
      out.data[row1 + p] = s1;
      out.data[row0 + p] = s0;
    }
  }
  return out;
}
