// Tests for the symmetric eigendecomposition.
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/core/eigen.ts';
import { createMatrix, matrixFromRows, type Matrix } from '../../src/core/matrix.ts';
import { createRng } from '../../src/core/rng.ts';

function randomSymmetric(n: number, seed: number): Matrix {
  const rng = createRng(seed);
  const a = createMatrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const value = rng.normal();
      a.data[i * n + j] = value;
      a.data[j * n + i] = value;
    }
  }
  return a;
}

/** Q·diag(values)·Qᵀ for a random orthogonal Q (Gram–Schmidt on normal vectors). */
function withSpectrum(values: number[], seed: number): Matrix {
  const n = values.length;
  const rng = createRng(seed);
  const q = createMatrix(n, n);
  for (let r = 0; r < n; r++) {
    const row = q.data.subarray(r * n, (r + 1) * n);
    for (let i = 0; i < n; i++) row[i] = rng.normal();
    for (let p = 0; p < r; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += row[i] * q.data[p * n + i];
      for (let i = 0; i < n; i++) row[i] -= dot * q.data[p * n + i];
    }
    const length = Math.hypot(...row);
    for (let i = 0; i < n; i++) row[i] /= length;
  }
  const a = createMatrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let r = 0; r < n; r++) sum += q.data[r * n + i] * values[r] * q.data[r * n + j];
      a.data[i * n + j] = sum;
    }
  }
  return a;
}

/** Every returned vector is a unit eigenvector of `a` for its value, and the vectors are mutually orthogonal. */
function expectEigenpairs(a: Matrix, values: Float64Array, vectors: Matrix, digits: number): void {
  const n = a.rows;
  for (let k = 0; k < vectors.rows; k++) {
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a.data[i * n + j] * vectors.data[k * n + j];
      expect(av).toBeCloseTo(values[k] * vectors.data[k * n + i], digits);
    }
    for (let l = 0; l < vectors.rows; l++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += vectors.data[k * n + j] * vectors.data[l * n + j];
      expect(dot).toBeCloseTo(k === l ? 1 : 0, digits);
    }
  }
}

describe('symmetricEigen', () => {
  it('solves a 2×2 case known by hand', () => {
    // [[2, 1], [1, 2]]: eigenvalues 3 and 1, eigenvectors (1, 1)/√2 and (1, −1)/√2.
    const { values, leadingVectors } = symmetricEigen(
      matrixFromRows([
        [2, 1],
        [1, 2],
      ]),
    );
    const vectors = leadingVectors(2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors.data[0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors.data[0] * vectors.data[1]).toBeCloseTo(0.5, 12);
    expect(vectors.data[2] * vectors.data[3]).toBeCloseTo(-0.5, 12);
  });

  it('gives orthonormal eigenvectors with A·v = λ·v on random symmetric matrices, largest first', () => {
    for (const [n, seed] of [
      [9, 5],
      [40, 6],
      [128, 7],
    ]) {
      const a = randomSymmetric(n, seed);
      const { values, leadingVectors } = symmetricEigen(a);
      for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
      let trace = 0;
      for (let i = 0; i < n; i++) trace += a.data[i * n + i];
      expect(values.reduce((sum, v) => sum + v, 0)).toBeCloseTo(trace, 9);
      expectEigenpairs(a, values, leadingVectors(n), 9);
    }
  });

  it('computes only the leading vectors asked for, the same ones as the whole set', () => {
    const a = randomSymmetric(30, 8);
    const eigen = symmetricEigen(a);
    const all = eigen.leadingVectors(30);
    const leading = eigen.leadingVectors(4);
    expect(leading.rows).toBe(4);
    expectEigenpairs(a, eigen.values, leading, 9);
    for (let k = 0; k < 4; k++) {
      let dot = 0;
      for (let j = 0; j < 30; j++) dot += leading.data[k * 30 + j] * all.data[k * 30 + j];
      expect(Math.abs(dot)).toBeCloseTo(1, 9);
    }
    expect(eigen.leadingVectors(0).rows).toBe(0);
    expect(() => eigen.leadingVectors(31)).toThrow(/between 0 and 30/);
  });

  it('gives an orthonormal basis for repeated and zero eigenvalues', () => {
    // A covariance of rank 3 in 12 dimensions (nine zero eigenvalues) with a double eigenvalue on top.
    const spectrum = [5, 5, 2, ...new Array(9).fill(0)];
    const a = withSpectrum(spectrum, 9);
    const { values, leadingVectors } = symmetricEigen(a);
    spectrum.forEach((v, k) => expect(values[k]).toBeCloseTo(v, 10));
    expectEigenpairs(a, values, leadingVectors(12), 9);

    const identity = createMatrix(6, 6);
    for (let i = 0; i < 6; i++) identity.data[i * 6 + i] = 1;
    const unit = symmetricEigen(identity);
    expect(Array.from(unit.values)).toEqual([1, 1, 1, 1, 1, 1]);
    expectEigenpairs(identity, unit.values, unit.leadingVectors(6), 12);

    const zero = symmetricEigen(createMatrix(4, 4));
    expect(Array.from(zero.values)).toEqual([0, 0, 0, 0]);
    expectEigenpairs(createMatrix(4, 4), zero.values, zero.leadingVectors(4), 12);
  });

  it('handles diagonal, 1×1 and empty matrices and rejects non-square ones', () => {
    const diagonal = matrixFromRows([
      [1, 0, 0],
      [0, 5, 0],
      [0, 0, 3],
    ]);
    const { values, leadingVectors } = symmetricEigen(diagonal);
    expect(Array.from(values)).toEqual([5, 3, 1]);
    const axes = [0, 1, 0, 0, 0, 1, 1, 0, 0];
    leadingVectors(3).data.forEach((v, i) => expect(Math.abs(v)).toBeCloseTo(axes[i], 14));
    const single = symmetricEigen(matrixFromRows([[-2]]));
    expect(Array.from(single.values)).toEqual([-2]);
    expect(Array.from(single.leadingVectors(1).data).map(Math.abs)).toEqual([1]);
    expect(symmetricEigen(createMatrix(0, 0)).values.length).toBe(0);
    expect(() => symmetricEigen(createMatrix(2, 3))).toThrow(/square/);
  });
});
