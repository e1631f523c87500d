// 2-D projections of a feature matrix for the Map view: PCA, t-SNE and UMAP behind one call.

import { UMAP } from 'umap-js';
import { CancelledError, type ProgressOptions } from './cancellation.ts';
import { createMatrix, matrixToRows, type Matrix } from './matrix.ts';
import { fitPca } from './pca.ts';
import { createRng } from './rng.ts';
import { tsne } from './tsne.ts';

export type ProjectionMethod = 'pca' | 'tsne' | 'umap';
export const PROJECTION_METHODS: readonly ProjectionMethod[] = ['pca', 'tsne', 'umap'];

export interface ProjectionOptions extends ProgressOptions {
  seed?: number;
  /** t-SNE perplexity (default 30). */
  perplexity?: number;
  /** t-SNE gradient steps (default 750) or UMAP epochs (default: umap-js's, 200–500 by size). */
  iterations?: number;
  /** UMAP neighbourhood size (default 15). */
  neighbours?: number;
  /** UMAP minimum distance between embedded points (default 0.1). */
  minDist?: number;
}

/**
 * Neighbour searches in t-SNE and UMAP cost time in proportion to the width; 50 principal
 * components keep nearly all the neighbourhood structure of face features (the usual t-SNE
 * practice), so wider inputs are reduced to that first.
 */
const NEIGHBOUR_SEARCH_COLUMNS = 50;

/** An n×2 matrix. Deterministic for a given seed; t-SNE and UMAP honour onProgress/shouldStop. */
export function project(m: Matrix, method: ProjectionMethod, options: ProjectionOptions = {}): Matrix {
  switch (method) {
    case 'pca': {
      const out = pca2d(m);
      options.onProgress?.(1, 1);
      return out;
    }
    case 'tsne':
      return tsne(narrow(m), {
        perplexity: options.perplexity,
        iterations: options.iterations,
        seed: options.seed,
        onProgress: options.onProgress,
        shouldStop: options.shouldStop,
      });
    case 'umap':
      return umap(narrow(m), options);
    default:
      throw new Error(`unknown projection "${String(method)}" (known: ${PROJECTION_METHODS.join(', ')})`);
  }
}

/** The first two principal components (zero-padded when the data has fewer columns). */
export function pca2d(m: Matrix): Matrix {
  const out = createMatrix(m.rows, 2);
  if (m.rows === 0 || m.cols === 0) return out;
  const projected = fitPca(m, { components: 2 }).transform(m);
  for (let i = 0; i < m.rows; i++) {
    for (let c = 0; c < projected.cols; c++) out.data[2 * i + c] = projected.data[i * projected.cols + c];
  }
  return out;
}

function narrow(m: Matrix): Matrix {
  return m.cols > NEIGHBOUR_SEARCH_COLUMNS ? fitPca(m, { components: NEIGHBOUR_SEARCH_COLUMNS }).transform(m) : m;
}

/**
 * umap-js, seeded through its `random` option and driven epoch by epoch so that progress and
 * cancellation work as for t-SNE. UMAP needs more points than neighbours; below 3 points there
 * is no neighbourhood to speak of and the PCA layout is returned instead.
 */
function umap(m: Matrix, options: ProjectionOptions): Matrix {
  const n = m.rows;
  if (n < 3) return pca2d(m);
  const neighbours = Math.min(options.neighbours ?? 15, n - 1);
  if (!Number.isInteger(neighbours) || neighbours < 2) throw new Error(`UMAP neighbours must be an integer ≥ 2, got ${options.neighbours}`);
  if (options.iterations !== undefined && (!Number.isInteger(options.iterations) || options.iterations < 1)) {
    throw new Error(`UMAP epochs must be a positive integer, got ${options.iterations}`);
  }
  const rng = createRng(options.seed ?? 0);
  const model = new UMAP({
    nComponents: 2,
    nNeighbors: neighbours,
    minDist: options.minDist ?? 0.1,
    nEpochs: options.iterations,
    random: rng.next,
  });
  const epochs = model.initializeFit(matrixToRows(m));
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (options.shouldStop?.()) throw new CancelledError('UMAP');
    model.step();
    options.onProgress?.(epoch + 1, epochs);
  }
  const embedding = model.getEmbedding();
  const out = createMatrix(n, 2);
  embedding.forEach((point, i) => out.data.set(point, 2 * i));
  return out;
}
