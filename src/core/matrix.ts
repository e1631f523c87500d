// Dense row-major matrices on Float64Array: the one numeric container every core algorithm shares.

export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function createMatrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new Error(`matrix shape must be non-negative integers, got ${rows}×${cols}`);
  }
  if (data && data.length !== rows * cols) {
    throw new Error(`matrix data has ${data.length} values, ${rows}×${cols} needs ${rows * cols}`);
  }
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** Copies rows of equal length into a matrix; `cols` fixes the width when there may be no rows. */
export function matrixFromRows(rows: ArrayLike<ArrayLike<number>>, cols?: number): Matrix {
  const width = cols ?? (rows.length > 0 ? rows[0].length : 0);
  const out = createMatrix(rows.length, width);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.length !== width) throw new Error(`row ${i} has ${row.length} values, expected ${width}`);
    for (let j = 0; j < width; j++) out.data[i * width + j] = row[j];
  }
  return out;
}

export function matrixToRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** A copy of the given rows, in the order given. */
export function pickRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = createMatrix(rows.length, m.cols);
  for (let i = 0; i < rows.length; i++) out.data.set(m.data.subarray(rows[i] * m.cols, (rows[i] + 1) * m.cols), i * m.cols);
  return out;
}

/** A view (not a copy) of row i. */
export function getRow(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/**
 * Squared Euclidean distance between two vectors stored at offsets in flat arrays. Four
 * independent partial sums let the CPU overlap the additions; this loop is the inner loop of
 * k-means, t-SNE's neighbour search and the matcher.
 */
export function squaredDistance(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < length; j += 4) {
    const d0 = a[aOffset + j] - b[bOffset + j];
    const d1 = a[aOffset + j + 1] - b[bOffset + j + 1];
    const d2 = a[aOffset + j + 2] - b[bOffset + j + 2];
    const d3 = a[aOffset + j + 3] - b[bOffset + j + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; j < length; j++) {
    const d = a[aOffset + j] - b[bOffset + j];
    s0 += d * d;
  }
  return s0 + s1 + s2 + s3;
}

export function columnMeans(m: Matrix): Float64Array {
  const means = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    const offset = i * m.cols;
    for (let j = 0; j < m.cols; j++) means[j] += m.data[offset + j];
  }
  if (m.rows > 0) for (let j = 0; j < m.cols; j++) means[j] /= m.rows;
  return means;
}

/**
 * Z-scores every column (population standard deviation). A constant column carries no
 * information and would divide by zero, so it becomes all zeros instead.
 */
export function standardiseColumns(m: Matrix): Matrix {
  const means = columnMeans(m);
  const scales = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    const offset = i * m.cols;
    for (let j = 0; j < m.cols; j++) scales[j] += (m.data[offset + j] - means[j]) ** 2;
  }
  for (let j = 0; j < m.cols; j++) {
    const sd = Math.sqrt(scales[j] / Math.max(1, m.rows));
    // Relative test: rounding leaves a tiny spread on columns that are constant in exact arithmetic.
    scales[j] = sd > 1e-12 * Math.max(1, Math.abs(means[j])) ? 1 / sd : 0;
  }
  const out = createMatrix(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) {
    const offset = i * m.cols;
    for (let j = 0; j < m.cols; j++) {
      out.data[offset + j] = scales[j] === 0 ? 0 : (m.data[offset + j] - means[j]) * scales[j];
    }
  }
  return out;
}

/** The vector at unit length, written into out[offset …] (in place when it is that row); the zero vector stays zero rather than becoming NaN. */
export function l2NormaliseInto(values: ArrayLike<number>, out: Float64Array, offset: number): void {
  let norm = 0;
  for (let i = 0; i < values.length; i++) norm += values[i] * values[i];
  norm = Math.sqrt(norm);
  for (let i = 0; i < values.length; i++) out[offset + i] = norm > 0 ? values[i] / norm : 0;
}

/**
 * Validates cluster ids (non-negative integers) and returns how many clusters they span
 * (largest id + 1), so callers can size per-cluster arrays.
 */
export function clusterCount(assignments: ArrayLike<number>): number {
  let max = -1;
  for (let i = 0; i < assignments.length; i++) {
    const c = assignments[i];
    if (!Number.isInteger(c) || c < 0) throw new Error(`cluster id of face ${i} must be a non-negative integer, got ${c}`);
    if (c > max) max = c;
  }
  return max + 1;
}

/** Sum of the rows of each cluster and its size. */
export function clusterSums(m: Matrix, assignments: ArrayLike<number>, k: number): { sums: Matrix; counts: Int32Array } {
  const sums = createMatrix(k, m.cols);
  const counts = new Int32Array(k);
  const d = m.cols;
  // Locals, not property loads, in the hot loop: V8 does not always hoist `x.data` out of it.
  const out = sums.data;
  const data = m.data;
  for (let i = 0; i < m.rows; i++) {
    const c = assignments[i];
    counts[c]++;
    const src = i * d;
    const dst = c * d;
    for (let j = 0; j < d; j++) out[dst + j] += data[src + j];
  }
  return { sums, counts };
}

/** Mean row of each cluster and its size; an empty cluster's mean is left at zero. */
export function clusterMeans(m: Matrix, assignments: ArrayLike<number>, k: number): { means: Matrix; counts: Int32Array } {
  const { sums, counts } = clusterSums(m, assignments, k);
  const d = m.cols;
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) continue;
    const inv = 1 / counts[c];
    for (let j = 0; j < d; j++) sums.data[c * d + j] *= inv;
  }
  return { means: sums, counts };
}

/** Rejects NaN and ±Infinity up front: one of them would silently poison every distance. */
export function assertFinite(m: Matrix, what: string): void {
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i])) {
      throw new Error(`${what}: value at row ${Math.floor(i / m.cols)}, column ${i % m.cols} is ${m.data[i]}`);
    }
  }
}
