// How much identity a feature space carries: leave-one-out nearest-neighbour agreement among tagged faces.
import { encodeLabels, type IdentityLabel } from './labels.ts';
import type { Matrix } from './matrix.ts';
import { KernelSpace } from './simd-kernels.ts';

export interface IdentitySignal {
  /** Share of tagged faces whose nearest other tagged face (in this space) is the same person. */
  nearestSameIdentity: number;
  /** That share if the neighbour were a random other tagged face: Σ_i a_i(a_i − 1) / (n(n − 1)). */
  chance: number;
  /** (accuracy − chance) / (1 − chance): 0 no better than chance, 1 always right. */
  lift: number;
}

/** Lift at or above which a space is said to carry identity, and below which it carries little. */
export const STRONG_LIFT = 0.5;
export const WEAK_LIFT = 0.15;

/**
 * Distances computed at most: each query is compared with every tagged face, so asking all of
 * 100,000 tagged faces would take 10¹⁰ and stall the engine for minutes. Up to 4,472 tagged faces
 * (more than any shipped set has: lfw-dev with its distractors tags 1,650) every face is a query.
 */
export const MAX_SIGNAL_DISTANCES = 20_000_000;
/** Queries at least, however many faces are tagged: the share's standard error stays within 3.6 points. */
export const MIN_SIGNAL_QUERIES = 200;

/** The tagged faces that are queries: all of them, or evenly spaced ones within MAX_SIGNAL_DISTANCES. */
export function signalQueries(tagged: number): number[] {
  const count = Math.min(tagged, Math.max(MIN_SIGNAL_QUERIES, Math.floor(MAX_SIGNAL_DISTANCES / tagged)));
  return Array.from({ length: count }, (_, i) => Math.floor((i * tagged) / count));
}

/** The share is over signalQueries (every tagged face, up to thousands of them); chance over all tagged faces. */
export function identitySignal(space: Matrix, labels: ArrayLike<IdentityLabel>): IdentitySignal {
  const { codes, names } = encodeLabels(labels);
  const tagged: number[] = [];
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) tagged.push(i);
  const n = tagged.length;
  if (n < 2) return { nearestSameIdentity: 0, chance: 0, lift: 0 };
  const sizes = new Array<number>(names.length).fill(0);
  for (const i of tagged) sizes[codes[i]]++;
  const chance = sizes.reduce((sum, a) => sum + a * (a - 1), 0) / (n * (n - 1));
  const d = space.cols;
  const kernel = new KernelSpace(n * d + n);
  const rows = kernel.doubles(n * d);
  tagged.forEach((row, t) => rows.set(space.data.subarray(row * d, (row + 1) * d), t * d));
  const distances = kernel.doubles(n);
  const queries = signalQueries(n);
  let same = 0;
  for (const q of queries) {
    kernel.squaredDistances(rows, d, q, 0, n, distances);
    let nearest = -1;
    for (let t = 0; t < n; t++) if (t !== q && (nearest < 0 || distances[t] < distances[nearest])) nearest = t;
    if (codes[tagged[nearest]] === codes[tagged[q]]) same++;
  }
  const accuracy = same / queries.length;
  const lift = chance < 1 ? (accuracy - chance) / (1 - chance) : 0;
  return { nearestSameIdentity: accuracy, chance, lift };
}
