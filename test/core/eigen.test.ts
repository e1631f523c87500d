// Tests for the symmetric eigendecomposition.
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/core/eigen.ts';
import { createMatrix, matrixFromRows } from '../../src/core/matrix.ts';
import { createRng } from '../../src/core/rng.ts';

describe('symmetricEigen', () => {
  it('solves a 2×2 case known by hand', () => {
    // [[2, 1], [1, 2]]: eigenvalues 3 and 1, eigenvectors (1, 1)/√2 and (1, −1)/√2.
    const { values, vectors } = symmetricEigen(matrixFromRows([[2, 1], [1, 2]]));
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors.data[0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors.data[0] * vectors.data[1]).toBeCloseTo(0.5, 12);
    expect(vectors.data[2] * vectors.data[3]).toBeCloseTo(-0.5, 12);
  });

  it('gives orthonormal eigenvectors with A·v = λ·v on a random symmetric matrix, largest first', () => {
    const n = 9;
    const rng = createRng(5);
    const a = createMatrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const value = rng.normal();
        a.data[i * n + j] = value;
        a.data[j * n + i] = value;
      }
    }
    const { values, vectors } = symmetricEigen(a);
    for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a.data[i * n + j] * vectors.data[k * n + j];
        expect(av).toBeCloseTo(values[k] * vectors.data[k * n + i], 10);
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += vectors.data[k * n + j] * vectors.data[l * n + j];
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 10);
      }
    }
  });

  it('handles diagonal and empty matrices and rejects non-square ones', () => {
    const { values } = symmetricEigen(matrixFromRows([[1, 0, 0], [0, 5, 0], [0, 0, 3]]));
    expect(Array.from(values)).toEqual([5, 3, 1]);
    expect(symmetricEigen(createMatrix(0, 0)).values.length).toBe(0);
    expect(() => symmetricEigen(createMatrix(2, 3))).toThrow(/square/);
  });
});
