// 2-D projections of a feature matrix for the Map view: PCA, t-SNE and UMAP behind one call.

import { UMAP } from 'umap-js';
import { CancelledError, type ProgressOptions } from './cancellation.ts';
import { PROJECTION_METHODS, type ProjectionMethod } from './choices.ts';
import { createMatrix, matrixToRows, type Matrix } from './matrix.ts';
import { kmeans } from './kmeans.ts';
import { insertNearest } from './neighbour-graph.ts';
import { KernelSpace } from './simd-kernels.ts';
import { fitPca } from './pca.ts';
import { createRng } from './rng.ts';
import { tsne } from './tsne.ts';

export type { ProjectionMethod };

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
  /** projectAll: t-SNE and UMAP lay out at most this many rows themselves (default MAP_SAMPLE_LIMIT). */
  sampleLimit?: number;
}

/**
 * Neighbour searches in t-SNE and UMAP cost time in proportion to the width; 50 principal
 * components keep nearly all the neighbourhood structure of face features (the usual t-SNE
 * practice), so wider inputs are reduced to that first.
 */
const NEIGHBOUR_SEARCH_COLUMNS = 50;

/**
 * t-SNE and UMAP lay out at most this many faces themselves: beyond, a sample stratified by the
 * run's clusters is laid out and every other face is placed among its nearest sampled faces.
 */
const MAP_SAMPLE_LIMIT = 10_000;
/** A face left out of the sample lands at the distance-weighted mean of this many nearest sampled faces. */
const PLACED_BY = 3;
/** Sampled faces searched per placed face: those of the nearest few of about √(sample) buckets. */
const PLACEMENT_PROBES = 3;

/** How many faces `method` lays out itself for `n` faces (the rest are placed by their nearest ones). */
export function mapSampleSize(method: ProjectionMethod, n: number, limit = MAP_SAMPLE_LIMIT): number {
  return method === 'pca' ? n : Math.min(n, limit);
}

/**
 * The map of every row: `project` itself up to `sampleLimit` rows (and always for PCA), else
 * `project` on a sample that takes from each stratum (the run's clusters) its share, at least
 * one, then each other row at the distance-weighted mean of its PLACED_BY nearest sampled rows
 * (in the narrowed space the method works in). Deterministic for a given seed.
 */
export function projectAll(m: Matrix, method: ProjectionMethod, strata: ArrayLike<number>, options: ProjectionOptions = {}): Matrix {
  const n = m.rows;
  const size = mapSampleSize(method, n, options.sampleLimit);
  if (size === n) return project(m, method, options);
  if (strata.length !== n) throw new Error(`got ${strata.length} strata for ${n} rows`);
  const narrowed = narrow(m);
  const sample = stratifiedSample(strata, size, options.seed ?? 0);
  const d = narrowed.cols;
  const sampled = createMatrix(sample.length, d);
  sample.forEach((row, s) => sampled.data.set(narrowed.data.subarray(row * d, (row + 1) * d), s * d));
  const laidOut = project(sampled, method, options);
  const out = createMatrix(n, 2);
  sample.forEach((row, s) => out.data.set(laidOut.data.subarray(2 * s, 2 * s + 2), 2 * row));
  placeBySample(narrowed, sampled, laidOut, sample, out, options.seed ?? 0);
  return out;
}

/**
 * Exactly `size` rows (fewer than the rows): each stratum gives its share, at least one row, spread
 * evenly through it; with more strata than `size`, rows evenly spread over all. Ascending.
 */
export function stratifiedSample(strata: ArrayLike<number>, size: number, seed: number): Int32Array {
  const n = strata.length;
  const rng = createRng(seed);
  const spread = (rows: ArrayLike<number>, take: number, out: number[]) => {
    const step = rows.length / take;
    const offset = rng.next() * step;
    for (let t = 0; t < take; t++) out.push(rows[Math.floor(offset + t * step)]);
  };
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = members.get(strata[i]);
    if (list) list.push(i);
    else members.set(strata[i], [i]);
  }
  const chosen: number[] = [];
  if (members.size > size) {
    spread(
      Int32Array.from({ length: n }, (_, i) => i),
      size,
      chosen,
    );
    return Int32Array.from(chosen);
  }
  const groups = [...members.values()];
  const share = groups.map((rows) => (rows.length * size) / n);
  const take = share.map((q) => Math.max(1, Math.floor(q)));
  let left = size - take.reduce((a, b) => a + b, 0);
  // Largest remainders first while rows are missing; the largest strata give back while there are too many.
  const byRemainder = groups.map((_, g) => g).sort((a, b) => share[b] - Math.floor(share[b]) - (share[a] - Math.floor(share[a])) || a - b);
  for (let i = 0; left > 0; i = (i + 1) % groups.length) {
    const g = byRemainder[i];
    if (take[g] < groups[g].length) {
      take[g]++;
      left--;
    }
  }
  const bySize = groups.map((_, g) => g).sort((a, b) => take[b] - take[a] || a - b);
  for (let i = 0; left < 0; i = (i + 1) % groups.length) {
    const g = bySize[i];
    if (take[g] > 1) {
      take[g]--;
      left++;
    }
  }
  groups.forEach((rows, g) => spread(rows, take[g], chosen));
  return Int32Array.from(chosen).sort();
}

/** Writes, for every row not in `sample`, the weighted mean of the map positions of its nearest sampled rows. */
function placeBySample(all: Matrix, sampled: Matrix, laidOut: Matrix, sample: Int32Array, out: Matrix, seed: number): void {
  const d = all.cols;
  const k = Math.max(1, Math.round(Math.sqrt(sampled.rows)));
  const { assignments, centroids } = kmeans(sampled, k, { restarts: 1, seed, maxIterations: 20, refine: 'none' });
  // Sampled rows grouped by bucket, then the centroids, then one query row: the kernel measures from a row to a block of rows.
  const order = Int32Array.from({ length: sampled.rows }, (_, s) => s).sort((a, b) => assignments[a] - assignments[b] || a - b);
  const first = new Int32Array(k + 1);
  for (let s = 0; s < sampled.rows; s++) first[assignments[s] + 1]++;
  for (let b = 0; b < k; b++) first[b + 1] += first[b];
  const query = sampled.rows + k;
  const space = new KernelSpace((query + 1) * d + Math.max(k, sampled.rows));
  const rows = space.doubles((query + 1) * d);
  order.forEach((s, at) => rows.set(sampled.data.subarray(s * d, (s + 1) * d), at * d));
  rows.set(centroids.data.subarray(0, k * d), sampled.rows * d);
  const distances = space.doubles(Math.max(k, sampled.rows));
  const inSample = new Uint8Array(all.rows);
  for (const row of sample) inSample[row] = 1;
  const probes = Math.min(PLACEMENT_PROBES, k);
  const nearestBuckets = new Int32Array(probes);
  const bucketDistances = new Float64Array(probes);
  const nearest = new Int32Array(PLACED_BY);
  const nearestDistances = new Float64Array(PLACED_BY);
  for (let i = 0; i < all.rows; i++) {
    if (inSample[i]) continue;
    rows.set(all.data.subarray(i * d, (i + 1) * d), query * d);
    space.squaredDistances(rows, d, query, sampled.rows, k, distances);
    bucketDistances.fill(Infinity);
    for (let b = 0; b < k; b++) insertNearest(nearestBuckets, bucketDistances, 0, 0, probes, b, distances[b]);
    nearestDistances.fill(Infinity);
    nearest.fill(-1);
    for (const b of nearestBuckets) {
      space.squaredDistances(rows, d, query, first[b], first[b + 1] - first[b], distances);
      for (let t = 0; t < first[b + 1] - first[b]; t++) insertNearest(nearest, nearestDistances, 0, 0, PLACED_BY, first[b] + t, distances[t]);
    }
    let x = 0;
    let y = 0;
    let weights = 0;
    for (let t = 0; t < PLACED_BY && nearest[t] >= 0; t++) {
      const s = order[nearest[t]];
      const w = 1 / (Math.sqrt(nearestDistances[t]) + 1e-9);
      x += w * laidOut.data[2 * s];
      y += w * laidOut.data[2 * s + 1];
      weights += w;
    }
    out.data[2 * i] = x / weights;
    out.data[2 * i + 1] = y / weights;
  }
}

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
