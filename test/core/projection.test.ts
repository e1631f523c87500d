// Tests for the 2-D projections behind project(): PCA, t-SNE and UMAP.
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/core/cancellation.ts';
import { createMatrix, matrixFromRows } from '../../src/core/matrix.ts';
import { fitPca } from '../../src/core/pca.ts';
import { pca2d, project } from '../../src/core/projection.ts';
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
    const two = matrixFromRows([[0, 0], [2, 2]]);
    expect(Array.from(project(two, 'umap').data)).toEqual(Array.from(pca2d(two).data));
    expect(() => project(matrix, 'umap', { iterations: 0 })).toThrow(/epochs must be a positive integer/);
    expect(() => project(matrix, 'umap', { neighbours: 1 })).toThrow(/neighbours must be an integer ≥ 2/);
    expect(() => project(matrix, 'mds' as 'pca')).toThrow(/unknown projection "mds"/);
  });
});
