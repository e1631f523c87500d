// K-means: seeded k-means++ starts, Lloyd iterations with Hamerly's bounds, and a split–merge refinement.

import { assertFinite, clusterMeans, columnMeans, createMatrix, squaredDistance, type Matrix } from './matrix.ts';
import { createRng, type Rng } from './rng.ts';

export type KmeansRefinement = 'split-merge' | 'none';

export interface KmeansOptions {
  /** Independent k-means++ starts; the one with the lowest inertia is kept. Default 10. */
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

export const DEFAULT_RESTARTS = 10;
const DEFAULT_MAX_ITERATIONS = 300;
/** Candidate moves verified by a full Lloyd run per refinement round. */
const MOVES_TRIED_PER_ROUND = 3;
const SPLIT_ITERATIONS = 20;

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

  const rng = createRng(options.seed ?? 0);
  let best: LloydRun | null = null;
  for (let r = 0; r < restarts; r++) {
    const run = lloyd(m, seedCentroids(m, k, rng), k, stop);
    if (best === null || run.inertia < best.inertia) best = run;
  }
  let kept = best as LloydRun;
  let refinements = 0;
  if (refine === 'split-merge') ({ run: kept, moves: refinements } = refineSplitMerge(m, kept, k, stop));
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
 * Greedy k-means++ (as in scikit-learn): each new centre is the best of 2 + ln k candidates
 * drawn with probability ∝ squared distance to the nearest centre so far, which avoids most of
 * the poor starts plain k-means++ makes.
 */
function seedCentroids(m: Matrix, k: number, rng: Rng): Float64Array {
  const { rows: n, cols: d, data } = m;
  const centres = new Float64Array(k * d);
  const first = rng.int(n);
  centres.set(data.subarray(first * d, (first + 1) * d), 0);
  let closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = squaredDistance(data, i * d, data, first * d, d);
    potential += closest[i];
  }
  const trials = 2 + Math.floor(Math.log(k));
  let candidateDistances = new Float64Array(n);
  let bestDistances = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestCandidate = -1;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      const candidate = sampleProportional(closest, potential, rng);
      let candidatePotential = 0;
      for (let i = 0; i < n; i++) {
        const dist = Math.min(closest[i], squaredDistance(data, i * d, data, candidate * d, d));
        candidateDistances[i] = dist;
        candidatePotential += dist;
      }
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestCandidate = candidate;
        [bestDistances, candidateDistances] = [candidateDistances, bestDistances];
      }
    }
    centres.set(data.subarray(bestCandidate * d, (bestCandidate + 1) * d), c * d);
    [closest, bestDistances] = [bestDistances, closest];
    potential = bestPotential;
  }
  return centres;
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
 * computed (measured here: Hamerly's single lower bound prunes far less on overlapping
 * clusters in 32 dimensions). Cluster sums are updated only for the points that change
 * cluster, so a late iteration in which few points move is cheap: poor starts may crawl for
 * dozens of iterations, and 10 restarts on 100,000 faces must stay cheap.
 */
function lloyd(m: Matrix, initial: Float64Array, k: number, stop: StopRule): LloydRun {
  const { rows: n, cols: d, data } = m;
  const assignments = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * k);
  let centroids: Float64Array = initial.slice();
  assignAll(m, centroids, k, assignments, upper, lower);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  accumulate(m, assignments, sums, counts);

  const moved = new Float64Array(k);
  const gaps = new Float64Array(k * k);
  const halfGap = new Float64Array(k);
  let iterations = 0;
  while (iterations < stop.maxIterations) {
    iterations++;
    let means = meansOf(sums, counts, centroids, d);
    const reseeded = reseedEmpty(m, assignments, counts, means);
    if (reseeded) {
      accumulate(m, assignments, sums, counts);
      means = meansOf(sums, counts, centroids, d);
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      const squared = squaredDistance(centroids, c * d, means, c * d, d);
      shift += squared;
      moved[c] = Math.sqrt(squared);
    }
    centroids = means;
    if (shift <= stop.shift && !reseeded) break;
    if (reseeded) {
      assignAll(m, centroids, k, assignments, upper, lower);
      accumulate(m, assignments, sums, counts);
      continue;
    }
    for (let i = 0; i < n; i++) {
      upper[i] += moved[assignments[i]];
      for (let c = 0; c < k; c++) lower[i * k + c] = Math.max(0, lower[i * k + c] - moved[c]);
    }
    for (let c = 0; c < k; c++) {
      let nearest = Infinity;
      for (let o = 0; o < k; o++) {
        const gap = o === c ? 0 : Math.sqrt(squaredDistance(centroids, c * d, centroids, o * d, d));
        gaps[c * k + o] = gap;
        if (o !== c) nearest = Math.min(nearest, gap);
      }
      halfGap[c] = nearest / 2;
    }
    for (let i = 0; i < n; i++) {
      const start = assignments[i];
      let a = start;
      let u = upper[i];
      if (u <= halfGap[a]) continue;
      let tight = false;
      for (let c = 0; c < k; c++) {
        if (c === a || u <= lower[i * k + c] || u <= gaps[a * k + c] / 2) continue;
        if (!tight) {
          u = Math.sqrt(squaredDistance(data, i * d, centroids, a * d, d));
          lower[i * k + a] = u;
          tight = true;
          if (u <= lower[i * k + c] || u <= gaps[a * k + c] / 2) continue;
        }
        const dist = Math.sqrt(squaredDistance(data, i * d, centroids, c * d, d));
        lower[i * k + c] = dist;
        if (dist < u) {
          a = c;
          u = dist;
        }
      }
      upper[i] = u;
      if (a === start) continue;
      assignments[i] = a;
      counts[start]--;
      counts[a]++;
      for (let j = 0; j < d; j++) {
        sums[start * d + j] -= data[i * d + j];
        sums[a * d + j] += data[i * d + j];
      }
    }
  }
  // Exact means of the final assignment (the running sums carry rounding from their updates).
  const final = clusterMeans(m, assignments, k);
  for (let c = 0; c < k; c++) {
    if (final.counts[c] === 0) final.means.data.set(centroids.subarray(c * d, (c + 1) * d), c * d);
  }
  const distances = new Float64Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const sq = squaredDistance(data, i * d, final.means.data, assignments[i] * d, d);
    inertia += sq;
    distances[i] = Math.sqrt(sq);
  }
  return { assignments, centroids: final.means.data, inertia, distances, iterations };
}

/** Exact distances from every point to every centre: nearest centre, and all bounds tight. */
function assignAll(
  m: Matrix,
  centroids: Float64Array,
  k: number,
  assignments: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
): void {
  const { rows: n, cols: d, data } = m;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < k; c++) {
      const dist = Math.sqrt(squaredDistance(data, i * d, centroids, c * d, d));
      lower[i * k + c] = dist;
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    assignments[i] = best;
    upper[i] = bestDist;
  }
}

function accumulate(m: Matrix, assignments: Int32Array, sums: Float64Array, counts: Int32Array): void {
  const { means, counts: fresh } = clusterMeans(m, assignments, counts.length);
  counts.set(fresh);
  for (let c = 0; c < counts.length; c++) {
    for (let j = 0; j < m.cols; j++) sums[c * m.cols + j] = means.data[c * m.cols + j] * fresh[c];
  }
}

/** Centroids from running sums; an empty cluster keeps its previous centre until reseeded. */
function meansOf(sums: Float64Array, counts: Int32Array, previous: Float64Array, d: number): Float64Array {
  const means = new Float64Array(sums.length);
  for (let c = 0; c < counts.length; c++) {
    if (counts[c] === 0) means.set(previous.subarray(c * d, (c + 1) * d), c * d);
    else for (let j = 0; j < d; j++) means[c * d + j] = sums[c * d + j] / counts[c];
  }
  return means;
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
 * then run Lloyd from those k centres. The moves with the best estimated gain (split gain minus
 * merge cost) are tried first; a move is kept only if the converged inertia is lower. Rounds
 * repeat until no move helps (at most k rounds). Deterministic: no random numbers are drawn.
 */
function refineSplitMerge(m: Matrix, start: LloydRun, k: number, stop: StopRule): { run: LloydRun; moves: number } {
  if (k < 3) return { run: start, moves: 0 };
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
      .filter((move) => move !== null)
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
      const trial = lloyd(m, centres, k, stop);
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
 * 2-means on one cluster's points, started from its farthest point from the centre and the
 * point farthest from that one. Returns the two centres and how much inertia the split saves,
 * or null for a cluster too small to split.
 */
function splitCluster(
  m: Matrix,
  members: Int32Array,
  centre: Float64Array,
): { centres: Float64Array; gain: number } | null {
  const { cols: d, data } = m;
  if (members.length < 2) return null;
  let before = 0;
  let a = members[0];
  let aDist = -1;
  for (const i of members) {
    const dist = squaredDistance(data, i * d, centre, 0, d);
    before += dist;
    if (dist > aDist) {
      aDist = dist;
      a = i;
    }
  }
  let b = members[0];
  let bDist = -1;
  for (const i of members) {
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
  const side = new Uint8Array(members.length);
  const sums = new Float64Array(2 * d);
  const counts = [0, 0];
  let after = 0;
  for (let iteration = 0; iteration < SPLIT_ITERATIONS; iteration++) {
    sums.fill(0);
    counts[0] = counts[1] = 0;
    after = 0;
    let changed = false;
    members.forEach((i, p) => {
      const d0 = squaredDistance(data, i * d, centres, 0, d);
      const d1 = squaredDistance(data, i * d, centres, d, d);
      const s = d1 < d0 ? 1 : 0;
      if (s !== side[p] || iteration === 0) changed = true;
      side[p] = s;
      after += s ? d1 : d0;
      counts[s]++;
      for (let t = 0; t < d; t++) sums[s * d + t] += data[i * d + t];
    });
    if (counts[0] === 0 || counts[1] === 0) return null;
    for (let t = 0; t < 2 * d; t++) centres[t] = sums[t] / counts[t < d ? 0 : 1];
    if (!changed) break;
  }
  // `after` was measured against the centres before their last update, an upper bound on the
  // split's inertia, so the gain is never overstated.
  return { centres, gain: before - after };
}
