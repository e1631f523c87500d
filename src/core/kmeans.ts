// K-means: seeded k-means++ starts, Lloyd iterations with Elkan's bounds, and a split–merge refinement.

import type { ProgressOptions } from './cancellation.ts';
import { DEFAULT_RESTARTS } from './choices.ts';
import { lloyd, workspaceFor, type LloydRun } from './kmeans-lloyd.ts';
import { startFor } from './kmeans-seeding.ts';
import { refineSplitMerge } from './kmeans-split-merge.ts';
import { assertFinite, columnMeans, createMatrix, type Matrix } from './matrix.ts';
import { createRng } from './rng.ts';

type KmeansRefinement = 'split-merge' | 'none';

export interface KmeansOptions extends Pick<ProgressOptions, 'onProgress'> {
  /** Independent k-means++ starts; the one with the lowest inertia is kept. Default DEFAULT_RESTARTS. */
  restarts?: number;
  /** Same seed, options and data ⇒ identical result. Default 0. */
  seed?: number;
  /** Lloyd iterations per run. Default 300. */
  maxIterations?: number;
  /**
   * A run stops when the centroids move less than this in total (sum of squared shifts),
   * relative to the data's mean column variance: scikit-learn's rule and default, 1e-4.
   * Without it, poor starts crawl on for dozens of iterations while a few boundary points
   * swap back and forth. 0 runs each start until no point changes cluster.
   */
  tolerance?: number;
  /** Default 'split-merge' (see refineSplitMerge); 'none' is textbook k-means. */
  refine?: KmeansRefinement;
}

export interface KmeansResult {
  assignments: Int32Array;
  /** k rows, the mean of each cluster. */
  centroids: Matrix;
  /** Sum of squared distances from each point to its centroid. */
  inertia: number;
  /** Euclidean distance from each point to its own centroid. */
  distances: Float64Array;
  /** Lloyd iterations of the run that was kept. */
  iterations: number;
  /** Split–merge moves that were accepted. */
  refinements: number;
}

const DEFAULT_MAX_ITERATIONS = 300;

/**
 * Restarts keep the lowest inertia, as usual. Plain k-means has a known failure that restarts
 * do not always cure when cluster sizes are very unequal: k-means++ drops two seeds into a big,
 * spread-out cluster and none into one of two small neighbours, and Lloyd cannot escape (the
 * big cluster stays cut in two, the two small ones stay merged). The default refinement then
 * looks for exactly that pair of mistakes, see refineSplitMerge. It only ever accepts a lower
 * inertia and uses no randomness, so results stay deterministic by seed.
 */
export function kmeans(m: Matrix, k: number, options: KmeansOptions = {}): KmeansResult {
  const restarts = options.restarts ?? DEFAULT_RESTARTS;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const refine = options.refine ?? 'split-merge';
  const tolerance = options.tolerance ?? 1e-4;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k-means needs k ≥ 1 (an integer), got ${k}`);
  if (k > m.rows) throw new Error(`k-means cannot make ${k} clusters from ${m.rows} points`);
  if (!Number.isInteger(restarts) || restarts < 1) throw new Error(`k-means restarts must be a positive integer, got ${restarts}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new Error(`k-means maxIterations must be a positive integer, got ${maxIterations}`);
  }
  if (refine !== 'split-merge' && refine !== 'none') throw new Error(`unknown k-means refinement "${String(refine)}"`);
  if (!(tolerance >= 0)) throw new Error(`k-means tolerance must be ≥ 0, got ${tolerance}`);
  assertFinite(m, 'k-means input');
  const stop = { maxIterations, shift: tolerance * meanColumnVariance(m) };

  const work = workspaceFor(m, k);
  const rng = createRng(options.seed ?? 0);
  let best: LloydRun | null = null;
  for (let r = 0; r < restarts; r++) {
    const run = lloyd(work, startFor(work, k, rng), k, stop);
    if (best === null || run.inertia < best.inertia) best = run;
    options.onProgress?.(r + 1, restarts);
  }
  let kept = best as LloydRun;
  let refinements = 0;
  if (refine === 'split-merge') ({ run: kept, moves: refinements } = refineSplitMerge(work, kept, k, stop));
  return {
    assignments: kept.assignments,
    centroids: createMatrix(k, m.cols, kept.centroids),
    inertia: kept.inertia,
    distances: kept.distances,
    iterations: kept.iterations,
    refinements,
  };
}

function meanColumnVariance(m: Matrix): number {
  const means = columnMeans(m);
  let total = 0;
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) total += (m.data[i * m.cols + j] - means[j]) ** 2;
  }
  return m.rows > 0 && m.cols > 0 ? total / (m.rows * m.cols) : 0;
}
