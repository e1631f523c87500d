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
const MIN_SIGNAL_QUERIES = 200;

/** The tagged faces that are queries: all of them, or evenly spaced ones within MAX_SIGNAL_DISTANCES. */
export function signalQueries(tagged: number): number[] {
  const count = Math.min(tagged, Math.max(MIN_SIGNAL_QUERIES, Math.floor(MAX_SIGNAL_DISTANCES / tagged)));
  return Array.from({ length: count }, (_, i) => Math.floor((i * tagged) / count));
}

/** Tagged faces copied into kernel memory at a time: the queries' distances to them, not a copy of every tagged face. */
const BLOCK_ROWS = 4096;

/**
 * For each query (a position in `tagged`), the position of its nearest other tagged face; the first
 * of equals, as a scan in order finds it. Tagged rows pass through kernel memory a block at a time.
 */
function nearestTagged(space: Matrix, tagged: readonly number[], queries: readonly number[]): Int32Array {
  const d = space.cols;
  const q = queries.length;
  const kernel = new KernelSpace((q + BLOCK_ROWS) * d + BLOCK_ROWS);
  // The queries first, then the block: the kernel measures from a row of the same array.
  const rows = kernel.doubles((q + BLOCK_ROWS) * d);
  const copy = (row: number, at: number) => rows.set(space.data.subarray(row * d, (row + 1) * d), at * d);
  queries.forEach((t, i) => copy(tagged[t], i));
  const distances = kernel.doubles(BLOCK_ROWS);
  const nearest = new Int32Array(q).fill(-1);
  const best = new Float64Array(q).fill(Infinity);
  for (let start = 0; start < tagged.length; start += BLOCK_ROWS) {
    const size = Math.min(BLOCK_ROWS, tagged.length - start);
    for (let b = 0; b < size; b++) copy(tagged[start + b], q + b);
    for (let i = 0; i < q; i++) {
      kernel.squaredDistances(rows, d, i, q, size, distances);
      for (let b = 0; b < size; b++) {
        if (start + b !== queries[i] && distances[b] < best[i]) {
          best[i] = distances[b];
          nearest[i] = start + b;
        }
      }
    }
  }
  return nearest;
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
  const queries = signalQueries(n);
  const nearest = nearestTagged(space, tagged, queries);
  let same = 0;
  queries.forEach((q, i) => {
    if (codes[tagged[nearest[i]]] === codes[tagged[q]]) same++;
  });
  const accuracy = same / queries.length;
  const lift = chance < 1 ? (accuracy - chance) / (1 - chance) : 0;
  return { nearestSameIdentity: accuracy, chance, lift };
}
