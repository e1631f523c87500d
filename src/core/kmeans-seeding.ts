// K-means' starting centres: greedy k-means++ (on a sample for large inputs), or given centres.

import { squaredDistance, type Matrix } from './matrix.ts';
import type { Workspace } from './kmeans-lloyd.ts';
import type { Rng } from './rng.ts';

/**
 * Above this many points, k-means++ chooses its centres from a random sample of this size.
 * Seeding costs (2 + ln k)·k distances per point it looks at, several times what Lloyd then
 * needs; a sample of 10,000 still holds every cluster that matters at k ≈ 10 (a cluster of 1%
 * of the faces has ~100 points in it), and any it misses is what the refinement repairs.
 */
export const SEEDING_SAMPLE = 10_000;

export function startFor(work: Workspace, k: number, rng: Rng): Seeding {
  const { m, sample } = work;
  if (sample === null) return seedCentroids(work, m, k, rng);
  const d = m.cols;
  // Partial Fisher–Yates: the first SEEDING_SAMPLE entries become a uniform sample without replacement.
  const order = Int32Array.from({ length: m.rows }, (_, i) => i);
  for (let t = 0; t < SEEDING_SAMPLE; t++) {
    const pick = t + rng.int(m.rows - t);
    [order[t], order[pick]] = [order[pick], order[t]];
    sample.data.set(m.data.subarray(order[t] * d, (order[t] + 1) * d), t * d);
  }
  return seedingFrom(m, seedCentroids(work, sample, k, rng).centres, k);
}

/** Starting centres, and each point's nearest one with its squared distance (a free first assignment). */
export interface Seeding {
  centres: Float64Array;
  nearest: Int32Array;
  closest: Float64Array;
  /** Distances from every point to every centre (n·k), when they were all computed: exact first bounds. */
  distances?: Float64Array;
}

/**
 * Greedy k-means++ (as in scikit-learn): each new centre is the best of 2 + ln k candidates
 * drawn with probability ∝ squared distance to the nearest centre so far, which avoids most of
 * the poor starts plain k-means++ makes. Each candidate is one pass over the points in the
 * SIMD kernel, which also skips a point whose nearest centre is at least twice as far from the
 * candidate as from the point (it cannot get closer to the candidate). The returned nearest
 * and closest arrays are workspace buffers, valid until the next seeding.
 */
function seedCentroids(work: Workspace, m: Matrix, k: number, rng: Rng): Seeding {
  const { rows: n, cols: d, data } = m;
  const { space, gaps } = work;
  const nearest = work.nearest.subarray(0, n);
  let [closest, candidateDistances, bestDistances] = work.seedDistances.map((buffer) => buffer.subarray(0, n));
  const centres = new Float64Array(k * d);
  const first = rng.int(n);
  centres.set(data.subarray(first * d, (first + 1) * d), 0);
  // The first pass measures every point against the first centre: nothing is closer than +∞ yet.
  nearest.fill(0);
  candidateDistances.fill(Infinity);
  gaps[0] = 0;
  let potential = space.candidatePass(data, n, d, first, candidateDistances, nearest, gaps, closest);
  const trials = 2 + Math.floor(Math.log(k));
  for (let c = 1; c < k; c++) {
    let bestCandidate = -1;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      const candidate = sampleProportional(closest, potential, rng);
      for (let e = 0; e < c; e++) gaps[e] = squaredDistance(centres, e * d, data, candidate * d, d);
      const candidatePotential = space.candidatePass(data, n, d, candidate, closest, nearest, gaps, candidateDistances);
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestCandidate = candidate;
        [bestDistances, candidateDistances] = [candidateDistances, bestDistances];
      }
    }
    centres.set(data.subarray(bestCandidate * d, (bestCandidate + 1) * d), c * d);
    for (let i = 0; i < n; i++) if (bestDistances[i] < closest[i]) nearest[i] = c;
    [closest, bestDistances] = [bestDistances, closest];
    potential = bestPotential;
  }
  return { centres, nearest, closest };
}

function sampleProportional(weights: Float64Array, total: number, rng: Rng): number {
  // All points on the chosen centres already: any point will do.
  if (!(total > 0)) return rng.int(weights.length);
  const target = rng.next() * total;
  let cumulative = 0;
  let lastPositive = 0;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] <= 0) continue;
    cumulative += weights[i];
    lastPositive = i;
    if (cumulative > target) return i;
  }
  return lastPositive;
}

/** A start from given centres: each point's nearest centre, found exhaustively. */
export function seedingFrom(m: Matrix, centres: Float64Array, k: number): Seeding {
  const { rows: n, cols: d, data } = m;
  const nearest = new Int32Array(n);
  const closest = new Float64Array(n).fill(Infinity);
  const distances = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const dist = squaredDistance(data, i * d, centres, c * d, d);
      distances[i * k + c] = Math.sqrt(dist);
      if (dist < closest[i]) {
        closest[i] = dist;
        nearest[i] = c;
      }
    }
  }
  return { centres, nearest, closest, distances };
}
