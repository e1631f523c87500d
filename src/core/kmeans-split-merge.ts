// K-means' split–merge refinement: repairs the pair of mistakes that restarts of plain k-means leave when cluster sizes differ.

import { squaredDistance, type Matrix } from './matrix.ts';
import { lloyd, type LloydRun, type StopRule, type Workspace } from './kmeans-lloyd.ts';
import { seedingFrom } from './kmeans-seeding.ts';

/** Candidate moves verified by a full Lloyd run per refinement round. */
const MOVES_TRIED_PER_ROUND = 3;
const SPLIT_ITERATIONS = 20;
/** A split's gain is estimated on at most this many of the cluster's points (evenly strided). */
const SPLIT_SAMPLE = 2000;

/**
 * One move = merge the pair of clusters whose union costs least (Ward's increase in inertia,
 * n_i·n_j/(n_i+n_j)·|c_i − c_j|²) and split another cluster in two by a 2-means on its own points,
 * then run Lloyd from those k centres. Moves whose estimated gain (split gain minus merge cost)
 * is positive are tried best first, at most three per round; a move is kept only if the
 * converged inertia is lower. Rounds repeat until no move helps (at most k rounds).
 * Deterministic: no random numbers are drawn.
 */
export function refineSplitMerge(work: Workspace, start: LloydRun, k: number, stop: StopRule): { run: LloydRun; moves: number } {
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
function splitCluster(m: Matrix, members: Int32Array, centre: Float64Array): { centres: Float64Array; gain: number } | null {
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
