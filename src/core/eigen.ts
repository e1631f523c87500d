// Eigendecomposition of a real symmetric matrix for PCA: Householder tridiagonalisation, implicit QL
// for the eigenvalues, and inverse iteration for only the eigenvectors that are wanted.

import { createMatrix, type Matrix } from './matrix.ts';
import { createRng } from './rng.ts';

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Unit eigenvectors of the `count` largest eigenvalues, one per row, in the order of `values`. */
  leadingVectors(count: number): Matrix;
}

/**
 * PCA needs every eigenvalue (for the explained-variance curve and the variance share) but
 * usually only the leading eigenvectors. The classic tred2/tql2 pair (EISPACK, via JAMA) pays
 * O(n³) twice over to accumulate every eigenvector; here the Householder reflectors are kept
 * instead, QL runs on the eigenvalues alone (O(n²)), and each wanted eigenvector comes from
 * inverse iteration on the tridiagonal matrix (O(n)) mapped back through the reflectors (O(n²)):
 * the scheme of LAPACK's dsyevx (dsytrd, dsterf, dstein, dormtr).
 */
export function symmetricEigen(m: Matrix): SymmetricEigen {
  const n = m.rows;
  if (m.cols !== n) throw new Error(`eigendecomposition needs a square matrix, got ${m.rows}×${m.cols}`);
  const a: Float64Array[] = [];
  for (let i = 0; i < n; i++) a.push(Float64Array.from(m.data.subarray(i * n, (i + 1) * n)));
  const tridiagonal = tridiagonalise(a);
  const values = eigenvaluesOf(tridiagonal).sort().reverse();
  return {
    values,
    leadingVectors(count) {
      if (!Number.isInteger(count) || count < 0 || count > n) throw new Error(`between 0 and ${n} eigenvectors can be asked for, got ${count}`);
      const vectors = tridiagonalEigenvectors(tridiagonal, values, count);
      for (let c = 0; c < count; c++) applyReflectors(a, tridiagonal.reflectorScales, vectors.data.subarray(c * n, (c + 1) * n));
      return vectors;
    },
  };
}

/** T = Qᵀ·A·Q, symmetric tridiagonal: `diagonal`, and `below[i]` = T[i + 1][i]. */
interface Tridiagonal {
  diagonal: Float64Array;
  below: Float64Array;
  /**
   * Q = P(n−1)·…·P(1), P(i) = I − u·uᵀ / reflectorScales[i], where u (length i) is row i of
   * the working matrix left of its diagonal; a scale of 0 means P(i) = I.
   */
  reflectorScales: Float64Array;
}

/**
 * Householder reduction (tred2 without the accumulation of Q); `a` keeps the reflectors. tred2
 * works on the lower triangle, column by column; this is the same arithmetic on the transpose
 * (the matrix is symmetric), so that every inner loop runs along one contiguous row.
 */
function tridiagonalise(a: Float64Array[]): Tridiagonal {
  const n = a.length;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) for (let j = 0; j < n; j++) d[j] = a[j][n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = a[j][i - 1];
        a[j][i] = 0;
        a[i][j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        const row = a[j];
        f = d[j];
        a[i][j] = f;
        g = e[j] + row[j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += row[k] * d[k];
          e[k] += row[k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        const row = a[j];
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) row[k] -= f * e[k] + g * d[k];
        d[j] = row[i - 1];
        row[i] = 0;
      }
    }
    // tred2 keeps h here; it is the reflector's scale (|u|² / 2).
    d[i] = h;
  }
  const diagonal = new Float64Array(n);
  for (let i = 0; i < n; i++) diagonal[i] = a[i][i];
  return { diagonal, below: e.slice(1), reflectorScales: d };
}

/** Implicit QL (tql1: tql2 without rotating eigenvectors), unsorted. */
function eigenvaluesOf({ diagonal, below }: Tridiagonal): Float64Array {
  const n = diagonal.length;
  const d = diagonal.slice();
  const e = new Float64Array(n);
  e.set(below);
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n && Math.abs(e[m]) > EPSILON * tst1) m++;
    if (m > l) {
      do {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPSILON * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  return d;
}

const EPSILON = 2 ** -52;

/** √(x² + y²) without overflow or underflow: Math.hypot, whose variadic generality costs tens of ns a call in V8. */
function hypot(x: number, y: number): number {
  const a = Math.abs(x);
  const b = Math.abs(y);
  const large = Math.max(a, b);
  if (large === 0) return 0;
  const ratio = Math.min(a, b) / large;
  return large * Math.sqrt(1 + ratio * ratio);
}
/** Inverse iterations per eigenvector: the first lifts the wanted direction by ~1/ε over a random start, the rest polish it. */
const INVERSE_ITERATIONS = 4;
/** Eigenvalues closer than this share of ‖T‖₁ form a cluster whose vectors are orthogonalised against each other (dstein's choice). */
const CLUSTER_TOLERANCE = 1e-3;

/**
 * Eigenvectors of T for values[0..count), by inverse iteration. Vectors whose eigenvalues
 * lie in one cluster are kept orthogonal by Gram–Schmidt against the earlier ones at every
 * step, as LAPACK's dstein does; repeated eigenvalues then still give an orthonormal basis.
 */
function tridiagonalEigenvectors({ diagonal, below }: Tridiagonal, values: Float64Array, count: number): Matrix {
  const n = diagonal.length;
  const vectors = createMatrix(count, n);
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(diagonal[i]) + Math.abs(below[i - 1] ?? 0) + Math.abs(below[i] ?? 0));
  const scale = norm > 0 ? norm : 1;
  const rng = createRng(1);
  const lu = new TridiagonalLu(n);
  let clusterStart = 0;
  for (let c = 0; c < count; c++) {
    if (c > 0 && values[c - 1] - values[c] > CLUSTER_TOLERANCE * scale) clusterStart = c;
    const x = vectors.data.subarray(c * n, (c + 1) * n);
    for (let i = 0; i < n; i++) x[i] = rng.next() - 0.5;
    lu.factor(diagonal, below, values[c], EPSILON * scale);
    for (let iteration = 0; iteration < INVERSE_ITERATIONS; iteration++) {
      orthogonalise(x, vectors.data, clusterStart, c, n);
      lu.solve(x);
      normalise(x);
    }
    orthogonalise(x, vectors.data, clusterStart, c, n);
    normalise(x);
  }
  return vectors;
}

/** Removes from x its components along the unit rows from..to−1 of `basis` (modified Gram–Schmidt). */
function orthogonalise(x: Float64Array, basis: Float64Array, from: number, to: number, n: number): void {
  for (let r = from; r < to; r++) {
    let dot = 0;
    for (let i = 0; i < n; i++) dot += x[i] * basis[r * n + i];
    for (let i = 0; i < n; i++) x[i] -= dot * basis[r * n + i];
  }
}

function normalise(x: Float64Array): void {
  let largest = 0;
  for (const v of x) largest = Math.max(largest, Math.abs(v));
  // Scale by the largest entry first so that the sum of squares cannot overflow.
  if (largest === 0) {
    x[0] = 1;
    return;
  }
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    x[i] /= largest;
    sum += x[i] * x[i];
  }
  const length = Math.sqrt(sum);
  for (let i = 0; i < x.length; i++) x[i] /= length;
}

/**
 * LU factorisation with partial pivoting of T − λI (LAPACK's dgttrf/dgttrs): U has two
 * superdiagonals where rows were swapped. T − λI is singular by design; a pivot smaller than
 * `tiny` is replaced by it, which is what lets inverse iteration blow up along the eigenvector.
 */
class TridiagonalLu {
  private readonly lower: Float64Array;
  private readonly pivot: Float64Array;
  private readonly upper1: Float64Array;
  private readonly upper2: Float64Array;
  private readonly swapped: Uint8Array;

  constructor(private readonly n: number) {
    this.lower = new Float64Array(n);
    this.pivot = new Float64Array(n);
    this.upper1 = new Float64Array(n);
    this.upper2 = new Float64Array(n);
    this.swapped = new Uint8Array(n);
  }

  factor(diagonal: Float64Array, below: Float64Array, shift: number, tiny: number): void {
    const { n, lower, pivot, upper1, upper2, swapped } = this;
    for (let i = 0; i < n; i++) {
      pivot[i] = diagonal[i] - shift;
      lower[i] = below[i] ?? 0;
      upper1[i] = below[i] ?? 0;
      upper2[i] = 0;
      swapped[i] = 0;
    }
    for (let i = 0; i < n - 1; i++) {
      if (Math.abs(pivot[i]) >= Math.abs(lower[i])) {
        if (pivot[i] !== 0) {
          const factor = lower[i] / pivot[i];
          lower[i] = factor;
          pivot[i + 1] -= factor * upper1[i];
        }
      } else {
        const factor = pivot[i] / lower[i];
        pivot[i] = lower[i];
        lower[i] = factor;
        const next = upper1[i];
        upper1[i] = pivot[i + 1];
        pivot[i + 1] = next - factor * pivot[i + 1];
        if (i < n - 2) {
          upper2[i] = upper1[i + 1];
          upper1[i + 1] = -factor * upper1[i + 1];
        }
        swapped[i] = 1;
      }
    }
    for (let i = 0; i < n; i++) if (Math.abs(pivot[i]) < tiny) pivot[i] = pivot[i] < 0 ? -tiny : tiny;
  }

  /** Overwrites b with (T − λI)⁻¹·b. */
  solve(b: Float64Array): void {
    const { n, lower, pivot, upper1, upper2, swapped } = this;
    for (let i = 0; i < n - 1; i++) {
      if (swapped[i]) {
        const top = b[i];
        b[i] = b[i + 1];
        b[i + 1] = top - lower[i] * b[i];
      } else {
        b[i + 1] -= lower[i] * b[i];
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      let value = b[i];
      if (i + 1 < n) value -= upper1[i] * b[i + 1];
      if (i + 2 < n) value -= upper2[i] * b[i + 2];
      b[i] = value / pivot[i];
    }
  }
}

/** x ← Q·x with Q = P(n−1)·…·P(1): the reflectors applied from P(1) up. */
function applyReflectors(a: Float64Array[], scales: Float64Array, x: Float64Array): void {
  for (let i = 1; i < x.length; i++) {
    const h = scales[i];
    if (h === 0) continue;
    const u = a[i];
    let g = 0;
    for (let k = 0; k < i; k++) g += u[k] * x[k];
    g /= h;
    for (let k = 0; k < i; k++) x[k] -= g * u[k];
  }
}
