// Each point's nearest neighbours closer than a distance threshold, at most a fixed number of them, in memory that
// grows linearly with the points: the graph threshold clustering works on at any library size.

import { assertFinite, createMatrix, type Matrix } from './matrix.ts';
import { kmeans } from './kmeans.ts';
import { createRng } from './rng.ts';
import { KernelSpace } from './simd-kernels.ts';

/** Symmetric adjacency in compressed rows: the neighbours of i are neighbours[start[i] … start[i + 1]), ascending. */
export interface NeighbourGraph {
  start: Int32Array;
  neighbours: Int32Array;
  /** The distance of each edge, beside its neighbour. */
  distances: Float32Array;
}

export interface NeighbourGraphOptions {
  /** Neighbours kept per point (its nearest); the graph is their union in both directions. Default 32. */
  maxNeighbours?: number;
  /** Buckets searched per point when the points are bucketed. Default 3. */
  probes?: number;
  /** Seed of the bucketing's sample and k-means. Default 0. */
  seed?: number;
  /** Up to this many points every point is compared with every other (exact); above it, points are bucketed. */
  exactUpTo?: number;
}

const DEFAULT_MAX_NEIGHBOURS = 32;
const DEFAULT_PROBES = 3;
const DEFAULT_EXACT_UP_TO = 8000;
/** Bucket centres are learnt from this many sampled points per bucket (k-means on all points would cost more than the search). */
const SAMPLE_PER_BUCKET = 40;
/** Points whose distances to the centres are computed in one block. */
const ASSIGN_BLOCK = 2048;

/**
 * Above `exactUpTo` points, the points are split into about √n buckets by k-means on a sample, and
 * each point is compared only with the points of its `probes` nearest buckets (as in an IVF index):
 * a neighbour in a farther bucket can be missed, which for face descriptors means a pair of photos
 * of one person far apart in the library's space. Time grows as n·√n, memory as n.
 */
export function neighbourGraph(m: Matrix, threshold: number, options: NeighbourGraphOptions = {}): NeighbourGraph {
  const maxNeighbours = options.maxNeighbours ?? DEFAULT_MAX_NEIGHBOURS;
  const probes = options.probes ?? DEFAULT_PROBES;
  if (!Number.isInteger(maxNeighbours) || maxNeighbours < 1) throw new Error(`neighbours per point must be a positive integer, got ${maxNeighbours}`);
  if (!Number.isInteger(probes) || probes < 1) throw new Error(`buckets searched must be a positive integer, got ${probes}`);
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new Error(`distance threshold must be a positive number, got ${threshold}`);
  assertFinite(m, 'neighbour graph input');
  const n = m.rows;
  const buckets = n <= (options.exactUpTo ?? DEFAULT_EXACT_UP_TO) ? oneBucket(n) : bucketPoints(m, probes, options.seed ?? 0);
  const nearest = nearestWithin(m, buckets, threshold * threshold, maxNeighbours);
  return symmetrise(n, nearest, maxNeighbours);
}

interface Buckets {
  /** Points in bucket order: the points of bucket b are order[first[b] … first[b + 1]). */
  order: Int32Array;
  first: Int32Array;
  /** The buckets each point searches (probes per point, by its position in `order`). */
  probed: Int32Array;
  probes: number;
}

function oneBucket(n: number): Buckets {
  return { order: Int32Array.from({ length: n }, (_, i) => i), first: Int32Array.of(0, n), probed: new Int32Array(n), probes: 1 };
}

function bucketPoints(m: Matrix, probes: number, seed: number): Buckets {
  const { rows: n, cols: d } = m;
  const k = Math.ceil(Math.sqrt(n));
  const rng = createRng(seed);
  const sampleSize = Math.min(n, k * SAMPLE_PER_BUCKET);
  const sample = createMatrix(sampleSize, d);
  for (let s = 0; s < sampleSize; s++) {
    const i = rng.int(n);
    sample.data.set(m.data.subarray(i * d, (i + 1) * d), s * d);
  }
  const { centroids } = kmeans(sample, k, { restarts: 1, seed, maxIterations: 20, refine: 'none' });
  const p = Math.min(probes, k);

  // The kernel measures from one row to a block of rows of the same array: centres first, then a block of points.
  const space = new KernelSpace(k * d + ASSIGN_BLOCK * d + ASSIGN_BLOCK);
  const rows = space.doubles((k + ASSIGN_BLOCK) * d);
  rows.set(centroids.data.subarray(0, k * d));
  const column = space.doubles(ASSIGN_BLOCK);
  const nearestBuckets = new Int32Array(n * p);
  const bestDistances = new Float64Array(ASSIGN_BLOCK * p);
  for (let from = 0; from < n; from += ASSIGN_BLOCK) {
    const count = Math.min(ASSIGN_BLOCK, n - from);
    rows.set(m.data.subarray(from * d, (from + count) * d), k * d);
    bestDistances.fill(Infinity, 0, count * p);
    for (let c = 0; c < k; c++) {
      space.squaredDistances(rows, d, c, k, count, column);
      for (let t = 0; t < count; t++) insertNearest(nearestBuckets, bestDistances, (from + t) * p, t * p, p, c, column[t]);
    }
  }

  const sizes = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) sizes[nearestBuckets[i * p] + 1]++;
  const first = sizes;
  for (let b = 0; b < k; b++) first[b + 1] += first[b];
  const fill = first.slice(0, k);
  const order = new Int32Array(n);
  const probed = new Int32Array(n * p);
  for (let i = 0; i < n; i++) {
    const at = fill[nearestBuckets[i * p]]++;
    order[at] = i;
    probed.set(nearestBuckets.subarray(i * p, (i + 1) * p), at * p);
  }
  return { order, first, probed, probes: p };
}

/** Keeps the `count` smallest (distance, id) pairs seen so far in ids[idAt …] and distances[distanceAt …], ascending. */
export function insertNearest(ids: Int32Array, distances: Float64Array, idAt: number, distanceAt: number, count: number, id: number, distance: number): void {
  if (!(distance < distances[distanceAt + count - 1])) return;
  let at = count - 1;
  while (at > 0 && distance < distances[distanceAt + at - 1]) {
    distances[distanceAt + at] = distances[distanceAt + at - 1];
    ids[idAt + at] = ids[idAt + at - 1];
    at--;
  }
  distances[distanceAt + at] = distance;
  ids[idAt + at] = id;
}

/** Each point's nearest others within the limit (squared), at most `maxNeighbours`, as point ids (-1 where fewer) and their distances. */
function nearestWithin(m: Matrix, buckets: Buckets, limit: number, maxNeighbours: number): { found: Int32Array; foundDistances: Float32Array } {
  const { rows: n, cols: d } = m;
  const { order, first, probed, probes } = buckets;
  let largest = 0;
  for (let b = 0; b + 1 < first.length; b++) largest = Math.max(largest, first[b + 1] - first[b]);
  const space = new KernelSpace(n * d + largest);
  const rows = space.doubles(n * d);
  for (let at = 0; at < n; at++) rows.set(m.data.subarray(order[at] * d, (order[at] + 1) * d), at * d);
  const out = space.doubles(largest);
  const found = new Int32Array(n * maxNeighbours).fill(-1);
  const foundDistances = new Float32Array(n * maxNeighbours);
  const distances = new Float64Array(maxNeighbours);
  for (let at = 0; at < n; at++) {
    distances.fill(limit);
    const base = order[at] * maxNeighbours;
    for (let q = 0; q < probes; q++) {
      const b = probed[at * probes + q];
      const size = first[b + 1] - first[b];
      space.squaredDistances(rows, d, at, first[b], size, out);
      for (let t = 0; t < size; t++) {
        const other = first[b] + t;
        if (other !== at) insertNearest(found, distances, base, 0, maxNeighbours, order[other], out[t]);
      }
    }
    for (let s = 0; s < maxNeighbours; s++) foundDistances[base + s] = Math.sqrt(distances[s]);
  }
  return { found, foundDistances };
}

/** The undirected graph of the kept pairs, each once per endpoint. */
function symmetrise(n: number, { found, foundDistances }: { found: Int32Array; foundDistances: Float32Array }, maxNeighbours: number): NeighbourGraph {
  const degree = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < maxNeighbours; s++) {
      const j = found[i * maxNeighbours + s];
      if (j < 0) break;
      degree[i + 1]++;
      degree[j + 1]++;
    }
  }
  for (let i = 0; i < n; i++) degree[i + 1] += degree[i];
  const listed = new Int32Array(degree[n]);
  const listedDistances = new Float32Array(degree[n]);
  const fill = degree.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < maxNeighbours; s++) {
      const j = found[i * maxNeighbours + s];
      if (j < 0) break;
      const distance = foundDistances[i * maxNeighbours + s];
      listedDistances[fill[i]] = distance;
      listed[fill[i]++] = j;
      listedDistances[fill[j]] = distance;
      listed[fill[j]++] = i;
    }
  }
  // A pair kept from both ends appears twice: sort each row by neighbour and keep one.
  const start = new Int32Array(n + 1);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const from = degree[i];
    sortRow(listed, listedDistances, from, degree[i + 1]);
    for (let t = from; t < degree[i + 1]; t++) {
      if (t > from && listed[t] === listed[t - 1]) continue;
      listedDistances[kept] = listedDistances[t];
      listed[kept++] = listed[t];
    }
    start[i + 1] = kept;
  }
  return { start, neighbours: listed.slice(0, kept), distances: listedDistances.slice(0, kept) };
}

/** Sorts ids[from … to) ascending, carrying distances along: insertion for the usual short row, an index sort for a hub's long one. */
function sortRow(ids: Int32Array, distances: Float32Array, from: number, to: number): void {
  if (to - from > 64) {
    const byId = Array.from({ length: to - from }, (_, t) => from + t).sort((a, b) => ids[a] - ids[b]);
    const sortedIds = Int32Array.from(byId, (t) => ids[t]);
    const sortedDistances = Float32Array.from(byId, (t) => distances[t]);
    ids.set(sortedIds, from);
    distances.set(sortedDistances, from);
    return;
  }
  for (let t = from + 1; t < to; t++) {
    const id = ids[t];
    const distance = distances[t];
    let at = t;
    for (; at > from && ids[at - 1] > id; at--) {
      ids[at] = ids[at - 1];
      distances[at] = distances[at - 1];
    }
    ids[at] = id;
    distances[at] = distance;
  }
}
