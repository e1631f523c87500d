// Tests for the 2-D projections behind project(): PCA, t-SNE and UMAP.
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/core/cancellation.ts';
import { createMatrix, matrixFromRows } from '../../src/core/matrix.ts';
import { fitPca } from '../../src/core/pca.ts';
import { mapSampleSize, pca2d, project, projectAll, stratifiedSample } from '../../src/core/projection.ts';
import { gaussianBlobs } from './synthetic.ts';

describe('pca2d', () => {
  it('is the first two principal components, zero-padded for 1-column data', () => {
    const { matrix } = gaussianBlobs({ sizes: [20, 20], dims: 5, seed: 1 });
    const expected = fitPca(matrix, { components: 2 }).transform(matrix);
    expect(Array.from(pca2d(matrix).data)).toEqual(Array.from(expected.data));
    // One column [1, 2, 3]: mean 2, component (1) → −1, 0, 1; the second coordinate is padding.
    expect(Array.from(pca2d(matrixFromRows([[1], [2], [3]])).data)).toEqual([-1, 0, 0, 0, 1, 0]);
    expect(pca2d(createMatrix(0, 4)).rows).toBe(0);
  });
});

describe('project', () => {
  const { matrix, labels } = gaussianBlobs({ sizes: [30, 30, 30], dims: 60, seed: 5 });

  /** Every point's nearest embedded neighbour is from its own blob. */
  const separated = (data: Float64Array) => {
    const n = labels.length;
    for (let i = 0; i < n; i++) {
      let best = -1;
      let bestDist = Infinity;
      for (let j = 0; j < n; j++) {
        const d = j === i ? Infinity : (data[2 * i] - data[2 * j]) ** 2 + (data[2 * i + 1] - data[2 * j + 1]) ** 2;
        if (d < bestDist) {
          bestDist = d;
          best = j;
        }
      }
      if (labels[best] !== labels[i]) return false;
    }
    return true;
  };

  it('runs each method to an n×2 layout that keeps the blobs apart', () => {
    const settings = { pca: {}, tsne: { perplexity: 10 }, umap: { iterations: 200 } };
    for (const method of ['pca', 'tsne', 'umap'] as const) {
      const y = project(matrix, method, { seed: 1, ...settings[method] });
      expect([y.rows, y.cols]).toEqual([90, 2]);
      expect(separated(y.data)).toBe(true);
    }
  });

  it('makes UMAP reproducible by seed', () => {
    const a = project(matrix, 'umap', { seed: 2, iterations: 50 });
    const b = project(matrix, 'umap', { seed: 2, iterations: 50 });
    const c = project(matrix, 'umap', { seed: 3, iterations: 50 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  it('reports UMAP progress per epoch and cancels it', () => {
    const seen: number[] = [];
    project(matrix, 'umap', { iterations: 20, onProgress: (epoch, total) => seen.push(epoch * 100 + total) });
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 100 + 20));
    expect(() => project(matrix, 'umap', { shouldStop: () => true })).toThrow(CancelledError);
    expect(() => project(matrix, 'tsne', { shouldStop: () => true })).toThrow(/t-SNE was cancelled/);
  });

  it('falls back to PCA for UMAP on fewer than 3 points, and rejects bad options', () => {
    const two = matrixFromRows([
      [0, 0],
      [2, 2],
    ]);
    expect(Array.from(project(two, 'umap').data)).toEqual(Array.from(pca2d(two).data));
    expect(() => project(matrix, 'umap', { iterations: 0 })).toThrow(/epochs must be a positive integer/);
    expect(() => project(matrix, 'umap', { neighbours: 1 })).toThrow(/neighbours must be an integer ≥ 2/);
    expect(() => project(matrix, 'mds' as 'pca')).toThrow(/unknown projection "mds"/);
  });
});

describe('stratifiedSample', () => {
  it('takes exactly the size asked, each stratum its share by largest remainder and at least one, spread through it', () => {
    // Strata of 500, 90 and 10 rows, 150 asked: shares 125, 22.5 and 2.5; the one row left over goes to the first .5.
    const strata = [...new Array(500).fill(0), ...new Array(90).fill(1), ...new Array(10).fill(2)];
    const sample = stratifiedSample(strata, 150, 4);
    expect(sample).toHaveLength(150);
    expect(new Set(sample).size).toBe(150);
    expect(Array.from(sample)).toEqual([...sample].sort((a, b) => a - b));
    const per = [0, 1, 2].map((s) => Array.from(sample).filter((row) => strata[row] === s));
    expect(per.map((rows) => rows.length)).toEqual([125, 23, 2]);
    // Spread: the first stratum's rows step by 4 (500 / 125), never bunched.
    expect(per[0].slice(1).every((row, i) => row - per[0][i] === 4)).toBe(true);
  });

  it('gives every stratum one row while it can, and spreads evenly over all rows when strata outnumber the sample', () => {
    const manySmall = Array.from({ length: 300 }, (_, i) => Math.floor(i / 3));
    expect(new Set(Array.from(stratifiedSample(manySmall, 100, 1), (row) => manySmall[row])).size).toBe(100);
    const singletons = Array.from({ length: 300 }, (_, i) => i);
    const spread = stratifiedSample(singletons, 100, 1);
    expect(spread).toHaveLength(100);
    expect(
      Array.from(spread)
        .slice(1)
        .every((row, i) => row - spread[i] === 3),
    ).toBe(true);
  });
});

describe('projectAll', () => {
  // Three blobs of 200, 150 and 50 points, far apart; t-SNE lays out 90 of them, the rest are placed.
  const { matrix, labels } = gaussianBlobs({ sizes: [200, 150, 50], dims: 20, seed: 8 });
  const options = { seed: 2, sampleLimit: 90 };

  it('lays out the sample with the method and places every other point among its own blob', () => {
    const map = projectAll(matrix, 'tsne', labels, options);
    expect(map.rows).toBe(400);
    expect(Array.from(map.data).every(Number.isFinite)).toBe(true);
    const sample = new Set(stratifiedSample(labels, 90, 2));
    const sampled = [...sample];
    for (let i = 0; i < 400; i++) {
      if (sample.has(i)) continue;
      let nearest = -1;
      let best = Infinity;
      for (const s of sampled) {
        const d = (map.data[2 * i] - map.data[2 * s]) ** 2 + (map.data[2 * i + 1] - map.data[2 * s + 1]) ** 2;
        if (d < best) {
          best = d;
          nearest = s;
        }
      }
      expect(labels[nearest], `point ${i}`).toBe(labels[i]);
    }
  });

  it('is deterministic by seed, and leaves PCA and small inputs to project()', () => {
    expect(Array.from(projectAll(matrix, 'tsne', labels, options).data)).toEqual(Array.from(projectAll(matrix, 'tsne', labels, options).data));
    expect(Array.from(projectAll(matrix, 'pca', labels, options).data)).toEqual(Array.from(project(matrix, 'pca').data));
    expect(mapSampleSize('tsne', 400, 90)).toBe(90);
    expect(mapSampleSize('pca', 400, 90)).toBe(400);
    expect(() => projectAll(matrix, 'tsne', [0, 1], options)).toThrow(/got 2 strata for 400 rows/);
  });
});
