// Tests for the shared matrix helpers.
import { describe, expect, it } from 'vitest';
import {
  assertFinite,
  clusterCount,
  clusterMeans,
  clusterSums,
  columnMeans,
  createMatrix,
  getRow,
  l2NormaliseInto,
  matrixFromRows,
  matrixToRows,
  squaredDistance,
  standardiseColumns,
} from '../../src/core/matrix.ts';

describe('matrix helpers', () => {
  it('builds from rows and back, and checks shapes', () => {
    const m = matrixFromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(Array.from(getRow(m, 1))).toEqual([4, 5, 6]);
    expect(matrixToRows(m)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(matrixFromRows([], 4).cols).toBe(4);
    expect(() => matrixFromRows([[1, 2], [3]])).toThrow(/row 1 has 1 values, expected 2/);
    expect(() => createMatrix(2, 2, new Float64Array(3))).toThrow(/3 values, 2×2 needs 4/);
    expect(() => createMatrix(-1, 2)).toThrow(/non-negative/);
  });

  it('computes squared distances for any length (the unrolled loop and its tail)', () => {
    const a = Float64Array.from([9, 1, 2, 3, 4, 5, 6]);
    const b = Float64Array.from([0, 0, 0, 0, 0, 0, 1]);
    // Offsets skip the 9: (1, 2, 3, 4, 5, 6) vs (0, 0, 0, 0, 0, 1): 1 + 4 + 9 + 16 + 25 + 25 = 80.
    expect(squaredDistance(a, 1, b, 1, 6)).toBe(80);
    expect(squaredDistance(a, 1, b, 1, 3)).toBe(14);
  });

  it('standardises columns and zeroes constant ones', () => {
    // Column 0: 1, 2, 3 → mean 2, population sd √(2/3); column 1 constant 5 → 0.
    const z = standardiseColumns(
      matrixFromRows([
        [1, 5],
        [2, 5],
        [3, 5],
      ]),
    );
    const sd = Math.sqrt(2 / 3);
    expect(z.data[0]).toBeCloseTo(-1 / sd, 12);
    expect(z.data[2]).toBe(0);
    expect(z.data[4]).toBeCloseTo(1 / sd, 12);
    expect([z.data[1], z.data[3], z.data[5]]).toEqual([0, 0, 0]);
    expect(Array.from(columnMeans(z)).map((x) => Math.abs(x) < 1e-12)).toEqual([true, true]);
  });

  it('zeroes a column that is constant only up to rounding', () => {
    const z = standardiseColumns(matrixFromRows([[0.1 + 0.2], [0.3], [0.30000000000000004]]));
    expect(Array.from(z.data)).toEqual([0, 0, 0]);
  });

  it('L2-normalises, leaving the zero vector at zero', () => {
    const out = new Float64Array(5).fill(9);
    l2NormaliseInto([3, 4], out, 1);
    l2NormaliseInto([0, 0], out, 3);
    expect(Array.from(out)).toEqual([9, 0.6, 0.8, 0, 0]);
  });

  it('computes cluster sums, means and counts, validating cluster ids', () => {
    const m = matrixFromRows([
      [0, 0],
      [2, 2],
      [10, 0],
    ]);
    expect(matrixToRows(clusterSums(m, [1, 1, 0], 2).sums)).toEqual([
      [10, 0],
      [2, 2],
    ]);
    const { means, counts } = clusterMeans(m, [1, 1, 0], 3);
    expect(matrixToRows(means)).toEqual([
      [10, 0],
      [1, 1],
      [0, 0],
    ]);
    expect(Array.from(counts)).toEqual([1, 2, 0]);
    expect(clusterCount([0, 3, 1])).toBe(4);
    expect(clusterCount([])).toBe(0);
    expect(() => clusterCount([0, -1])).toThrow(/face 1 .* got -1/);
    expect(() => clusterCount([0.5])).toThrow(/non-negative integer/);
  });

  it('rejects non-finite values with their position', () => {
    expect(() =>
      assertFinite(
        matrixFromRows([
          [1, 2],
          [3, Number.NaN],
        ]),
        'input',
      ),
    ).toThrow(/input: value at row 1, column 1 is NaN/);
    expect(() => assertFinite(matrixFromRows([[1, 2]]), 'input')).not.toThrow();
  });
});
