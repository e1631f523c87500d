// K-means: seeded k-means++ starts, Lloyd iterations with Elkan's bounds, and a split–merge refinement.

import type { ProgressOptions } from './cancellation.ts';
import { DEFAULT_RESTARTS } from './choices.ts';
import { assertFinite, clusterMeans, clusterSums, columnMeans, createMatrix, squaredDistance, type Matrix } from './matrix.ts';
import { createRng, type Rng } from './rng.ts';
import { KernelSpace, type ElkanState } from './simd-kernels.ts';

export type KmeansRefinement = 'split-merge' | 'none';

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
/** Candidate moves verified by a full Lloyd run per refinement round. */
const MOVES_TRIED_PER_ROUND = 3;
const SPLIT_ITERATIONS = 20;
/** A split's gain is estimated on at most this many of the cluster's points (evenly strided). */
const SPLIT_SAMPLE = 2000;

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

/** When a Lloyd run ends: after maxIterations, or once the squared centroid shift is at most `shift`. */
interface StopRule {
  maxIterations: number;
  shift: number;
}

/**
 * Everything the restarts share, in kernel memory (see simd-kernels.ts): a copy of the
 * data, the seeding sample for large inputs, and the seeding and Lloyd buffers that each
 * restart reuses.
 */
interface Workspace {
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

function workspaceFor(m: Matrix, k: number): Workspace {
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

function meanColumnVariance(m: Matrix): number {
  const means = columnMeans(m);
  let total = 0;
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) total += (m.data[i * m.cols + j] - means[j]) ** 2;
  }
  return m.rows > 0 && m.cols > 0 ? total / (m.rows * m.cols) : 0;
}

interface LloydRun {
  assignments: Int32Array;
  centroids: Float64Array;
  inertia: number;
  distances: Float64Array;
  iterations: number;
}

/**
 * Above this many points, k-means++ chooses its centres from a random sample of this size.
 * Seeding costs (2 + ln k)·k distances per point it looks at, several times what Lloyd then
 * needs; a sample of 10,000 still holds every cluster that matters at k ≈ 10 (a cluster of 1%
 * of the faces has ~100 points in it), and any it misses is what the refinement repairs.
 */
const SEEDING_SAMPLE = 10_000;

function startFor(work: Workspace, k: number, rng: Rng): Seeding {
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
interface Seeding {
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

/**
 * Lloyd's algorithm with Elkan's bounds: each point keeps an upper bound on the distance to its
 * centre and a lower bound on the distance to every other centre; with the triangle inequality
 * and the distances between centres, most distances are proved irrelevant without being
 * computed (measured: 2.5× fewer distances than Hamerly's single lower bound on overlapping
 * clusters in 32 dimensions). Bounds are stored relative to each centre's cumulative drift, so
 * moving the centres costs O(k), not O(n·k), per iteration; cluster sums are updated only for
 * the points that change cluster. Poor starts can crawl for dozens of iterations while a few boundary
 * points move, and these late iterations must stay cheap for 10 restarts on 100,000 faces. The
 * pass over the points runs in the SIMD kernel; the centre updates stay here.
 */
function lloyd(work: Workspace, start: Seeding, k: number, stop: StopRule): LloydRun {
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

/** A start from given centres: each point's nearest centre, found exhaustively. */
function seedingFrom(m: Matrix, centres: Float64Array, k: number): Seeding {
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

/**
 * One move = merge the pair of clusters whose union costs least (Ward's increase in inertia,
 * n_i·n_j/(n_i+n_j)·|c_i − c_j|²) and split another cluster in two by a 2-means on its own points,
 * then run Lloyd from those k centres. Moves whose estimated gain (split gain minus merge cost)
 * is positive are tried best first, at most three per round; a move is kept only if the
 * converged inertia is lower. Rounds repeat until no move helps (at most k rounds).
 * Deterministic: no random numbers are drawn.
 */
function refineSplitMerge(work: Workspace, start: LloydRun, k: number, stop: StopRule): { run: LloydRun; moves: number } {
  if (k < 3) return { run: start, moves: 0 };
  const { m } = work;
  const d = m.cols;
  let run = start;
  let moves = 0;
  for (let round = 0; round < k; round++) {
    const members = membersOf(run.assignments, k);
    const splits = members.map((list, c) => splitCluster(m, list, run.centroids.subarray(c * d, (c + 1) * d)));
    const pairs: { i: number; j: number; cost: number }[] = [];
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const ni = members[i].length;
        const nj = members[j].length;
        const gap = squaredDistance(run.centroids, i * d, run.centroids, j * d, d);
        pairs.push({ i, j, cost: ni + nj > 0 ? ((ni * nj) / (ni + nj)) * gap : 0 });
      }
    }
    pairs.sort((a, b) => a.cost - b.cost || a.i - b.i || a.j - b.j);
    const moveList = splits
      .map((split, s) => {
        const pair = pairs.find((p) => p.i !== s && p.j !== s);
        return pair && split ? { s, pair, split, estimate: split.gain - pair.cost } : null;
      })
      .filter((move): move is NonNullable<typeof move> => move !== null && move.estimate > 0)
      .sort((a, b) => b.estimate - a.estimate || a.s - b.s)
      .slice(0, MOVES_TRIED_PER_ROUND);

    let accepted = false;
    for (const { s, pair, split } of moveList) {
      const centres = run.centroids.slice();
      const ni = members[pair.i].length;
      const nj = members[pair.j].length;
      for (let t = 0; t < d; t++) {
        centres[pair.i * d + t] = (ni * run.centroids[pair.i * d + t] + nj * run.centroids[pair.j * d + t]) / (ni + nj);
      }
      centres.set(split.centres.subarray(0, d), pair.j * d);
      centres.set(split.centres.subarray(d, 2 * d), s * d);
      const trial = lloyd(work, seedingFrom(m, centres, k), k, stop);
      // Relative margin: rounding alone must not count as an improvement.
      if (trial.inertia < run.inertia * (1 - 1e-9)) {
        run = trial;
        moves++;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
  }
  return { run, moves };
}

function membersOf(assignments: Int32Array, k: number): Int32Array[] {
  const counts = new Int32Array(k);
  for (const c of assignments) counts[c]++;
  const lists = Array.from(counts, (count) => new Int32Array(count));
  counts.fill(0);
  for (let i = 0; i < assignments.length; i++) {
    const c = assignments[i];
    lists[c][counts[c]++] = i;
  }
  return lists;
}

/**
 * 2-means on one cluster's points (an evenly strided sample of at most SPLIT_SAMPLE of them),
 * started from its farthest point from the centre and the point farthest from that one.
 * Returns the two centres and how much inertia the split saves (scaled up from the sample),
 * or null for a cluster too small to split.
 */
function splitCluster(
  m: Matrix,
  members: Int32Array,
  centre: Float64Array,
): { centres: Float64Array; gain: number } | null {
  const { cols: d, data } = m;
  if (members.length < 2) return null;
  const stride = Math.ceil(members.length / SPLIT_SAMPLE);
  const sample = stride > 1 ? members.filter((_, p) => p % stride === 0) : members;
  let before = 0;
  let a = sample[0];
  let aDist = -1;
  for (const i of sample) {
    const dist = squaredDistance(data, i * d, centre, 0, d);
    before += dist;
    if (dist > aDist) {
      aDist = dist;
      a = i;
    }
  }
  let b = sample[0];
  let bDist = -1;
  for (const i of sample) {
    const dist = squaredDistance(data, i * d, data, a * d, d);
    if (dist > bDist) {
      bDist = dist;
      b = i;
    }
  }
  if (bDist <= 0) return null;
  const centres = new Float64Array(2 * d);
  centres.set(data.subarray(a * d, (a + 1) * d), 0);
  centres.set(data.subarray(b * d, (b + 1) * d), d);
  const side = new Uint8Array(sample.length);
  const sums = new Float64Array(2 * d);
  const counts = [0, 0];
  let after = 0;
  for (let iteration = 0; iteration < SPLIT_ITERATIONS; iteration++) {
    sums.fill(0);
    counts[0] = counts[1] = 0;
    after = 0;
    let changed = false;
    for (let p = 0; p < sample.length; p++) {
      const i = sample[p];
      const d0 = squaredDistance(data, i * d, centres, 0, d);
      const d1 = squaredDistance(data, i * d, centres, d, d);
      const s = d1 < d0 ? 1 : 0;
      if (s !== side[p] || iteration === 0) changed = true;
      side[p] = s;
      after += s ? d1 : d0;
      counts[s]++;
      for (let t = 0; t < d; t++) sums[s * d + t] += data[i * d + t];
    }
    if (counts[0] === 0 || counts[1] === 0) return null;
    for (let t = 0; t < 2 * d; t++) centres[t] = sums[t] / counts[t < d ? 0 : 1];
    if (!changed) break;
  }
  // `after` was measured against the centres before their last update, an upper bound on the
  // split sample's inertia, so the sample's gain is never overstated.
  return { centres, gain: ((before - after) * members.length) / sample.length };
}
