// K-means' Lloyd iterations with Elkan's bounds, in the kernel memory that every restart and refinement of a run shares.

import { clusterMeans, clusterSums, createMatrix, squaredDistance, type Matrix } from './matrix.ts';
import { SEEDING_SAMPLE, type Seeding } from './kmeans-seeding.ts';
import { KernelSpace, type ElkanState } from './simd-kernels.ts';

/** When a Lloyd run ends: after maxIterations, or once the squared centroid shift is at most `shift`. */
export interface StopRule {
  maxIterations: number;
  shift: number;
}

/**
 * Everything the restarts share, in kernel memory (see simd-kernels.ts): a copy of the
 * data, the seeding sample for large inputs, and the seeding and Lloyd buffers that each
 * restart reuses.
 */
export interface Workspace {
  space: KernelSpace;
  m: Matrix;
  sample: Matrix | null;
  /** Three n-length buffers that seeding rotates: squared distance to the nearest centre, the candidate's, the best candidate's. */
  seedDistances: Float64Array[];
  nearest: Int32Array;
  /** Squared distances from a seeding candidate to each centre chosen so far. */
  gaps: Float64Array;
  /** Two k×d buffers that Lloyd alternates between: the centroids and their next means. */
  centroids: Float64Array[];
  /** The bounds, assignments and running sums of the current Lloyd run. */
  elkan: ElkanState;
}

export function workspaceFor(m: Matrix, k: number): Workspace {
  const { rows: n, cols: d } = m;
  const sampleRows = n > SEEDING_SAMPLE ? SEEDING_SAMPLE : 0;
  // The data, the sample, three seeding buffers, the seeding gaps, two centroid buffers, the
  // Elkan bounds (n·k lower, n upper), drift and half-gaps, centre gaps and sums; then the
  // Int32 blocks: nearest seeds, assignments and counts.
  const doubles = n * d + sampleRows * d + 3 * n + k + 2 * k * d + (n * k + n) + 2 * k + k * k + k * d;
  const space = new KernelSpace(doubles + 2 * KernelSpace.intWords(n) + KernelSpace.intWords(k));
  const copy = createMatrix(n, d, space.doubles(n * d));
  copy.data.set(m.data);
  const centroids = [space.doubles(k * d), space.doubles(k * d)];
  return {
    space,
    m: copy,
    sample: sampleRows > 0 ? createMatrix(sampleRows, d, space.doubles(sampleRows * d)) : null,
    seedDistances: [space.doubles(n), space.doubles(n), space.doubles(n)],
    nearest: space.ints(n),
    gaps: space.doubles(k),
    centroids,
    elkan: {
      data: copy.data,
      n,
      d,
      k,
      centroids: centroids[0],
      assignments: space.ints(n),
      upper: space.doubles(n),
      lower: space.doubles(n * k),
      drift: space.doubles(k),
      halfGap: space.doubles(k),
      gaps: space.doubles(k * k),
      sums: space.doubles(k * d),
      counts: space.ints(k),
    },
  };
}

export interface LloydRun {
  assignments: Int32Array;
  centroids: Float64Array;
  inertia: number;
  distances: Float64Array;
  iterations: number;
}

/**
 * Lloyd's algorithm with Elkan's bounds: each point keeps an upper bound on the distance to its
 * centre and a lower bound on the distance to every other centre; with the triangle inequality
 * and the distances between centres, most distances are proved irrelevant without being
 * computed (more of them than Hamerly's single lower bound proves when clusters overlap). Bounds are stored relative to each centre's cumulative drift, so
 * moving the centres costs O(k), not O(n·k), per iteration; cluster sums are updated only for
 * the points that change cluster. Poor starts can crawl for dozens of iterations while a few boundary
 * points move, and these late iterations must stay cheap for 10 restarts on 100,000 faces. The
 * pass over the points runs in the SIMD kernel; the centre updates stay here.
 */
export function lloyd(work: Workspace, start: Seeding, k: number, stop: StopRule): LloydRun {
  const { m, space, elkan } = work;
  const { rows: n, cols: d } = m;
  const { assignments, upper, lower, sums, counts, drift, gaps, halfGap } = elkan;
  assignments.set(start.nearest);
  for (let i = 0; i < n; i++) upper[i] = Math.sqrt(start.closest[i]);
  if (start.distances) lower.set(start.distances);
  else lower.fill(0);
  drift.fill(0);
  let [centroids, means] = work.centroids;
  centroids.set(start.centres);
  accumulate(m, assignments, sums, counts);

  let iterations = 0;
  while (iterations < stop.maxIterations) {
    iterations++;
    meansOf(sums, counts, centroids, d, means);
    const reseeded = reseedEmpty(m, assignments, counts, means);
    if (reseeded) {
      accumulate(m, assignments, sums, counts);
      meansOf(sums, counts, centroids, d, means);
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      const squared = squaredDistance(centroids, c * d, means, c * d, d);
      shift += squared;
      drift[c] += Math.sqrt(squared);
    }
    [centroids, means] = [means, centroids];
    if (shift <= stop.shift && !reseeded) break;
    if (reseeded) {
      // Reseeding moved points behind the bounds' back: start them again from nothing.
      upper.fill(Infinity);
      lower.fill(-Infinity);
    }
    for (let c = 0; c < k; c++) {
      let nearestGap = Infinity;
      for (let o = 0; o < k; o++) {
        const gap = o === c ? 0 : Math.sqrt(squaredDistance(centroids, c * d, centroids, o * d, d));
        gaps[c * k + o] = gap / 2;
        if (o !== c) nearestGap = Math.min(nearestGap, gap);
      }
      halfGap[c] = nearestGap / 2;
    }
    elkan.centroids = centroids;
    space.elkanPass(elkan);
  }
  // Exact means of the final assignment (the running sums carry rounding from their updates).
  const final = clusterMeans(m, assignments, k);
  for (let c = 0; c < k; c++) {
    if (final.counts[c] === 0) final.means.data.set(centroids.subarray(c * d, (c + 1) * d), c * d);
  }
  const distances = new Float64Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const sq = squaredDistance(m.data, i * d, final.means.data, assignments[i] * d, d);
    inertia += sq;
    distances[i] = Math.sqrt(sq);
  }
  return { assignments: assignments.slice(), centroids: final.means.data, inertia, distances, iterations };
}

function accumulate(m: Matrix, assignments: Int32Array, sums: Float64Array, counts: Int32Array): void {
  const fresh = clusterSums(m, assignments, counts.length);
  sums.set(fresh.sums.data);
  counts.set(fresh.counts);
}

/** Centroids from running sums into `means`; an empty cluster keeps its previous centre until reseeded. */
function meansOf(sums: Float64Array, counts: Int32Array, previous: Float64Array, d: number, means: Float64Array): void {
  for (let c = 0; c < counts.length; c++) {
    if (counts[c] === 0) means.set(previous.subarray(c * d, (c + 1) * d), c * d);
    else for (let j = 0; j < d; j++) means[c * d + j] = sums[c * d + j] / counts[c];
  }
}

/**
 * A cluster left empty takes the point farthest from its own centre (from a cluster that can
 * spare it), the usual repair. Returns whether any point moved: the caller's sums and distance
 * bounds are then stale.
 */
function reseedEmpty(m: Matrix, assignments: Int32Array, counts: Int32Array, means: Float64Array): boolean {
  const d = m.cols;
  let reseeded = false;
  for (let c = 0; c < counts.length; c++) {
    if (counts[c] > 0) continue;
    let farthest = -1;
    let farthestDist = -1;
    for (let i = 0; i < m.rows; i++) {
      if (counts[assignments[i]] < 2) continue;
      const dist = squaredDistance(m.data, i * d, means, assignments[i] * d, d);
      if (dist > farthestDist) {
        farthestDist = dist;
        farthest = i;
      }
    }
    // Fewer distinct points than clusters: nothing to spare, the centre stays empty.
    if (farthest < 0) continue;
    counts[assignments[farthest]]--;
    assignments[farthest] = c;
    counts[c] = 1;
    reseeded = true;
  }
  return reseeded;
}
