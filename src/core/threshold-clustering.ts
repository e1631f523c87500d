// Clustering by a distance threshold (agglomerative or Chinese whispers), to suggest identities when the number of people is unknown.

import { assertFinite, squaredDistance, type Matrix } from './matrix.ts';
import { neighbourGraph, type NeighbourGraph } from './neighbour-graph.ts';
import { createRng, shuffleInPlace } from './rng.ts';

/**
 * Default cut on the Euclidean distance between L2-normalised face-api descriptors, for a library
 * whose tags are too few to calibrate one (see threshold-calibration.ts). On the labelled sets of
 * ../shared/data, average linkage holds its best ARI from about 0.35 to 0.45 and falls off a cliff
 * just above 0.45 (two people's faces merge); 0.40 sits in the middle of that plateau, and ORL's
 * greyscale faces, whose different people lie closer together, are best cut there too
 * (`npm run bench -- quality` sweeps the cuts around it).
 */
export const DEFAULT_DESCRIPTOR_THRESHOLD = 0.4;

/**
 * Agglomerative clustering keeps every pairwise distance, in single precision (4 bytes each):
 * 6,000 points ≈ 72 MB. A distance within about 1e-7 (relative) of the threshold may therefore
 * fall on either side of it.
 */
export const AGGLOMERATIVE_MAX_POINTS = 6000;

export type Linkage = 'average' | 'complete';

export interface ThresholdClustering {
  /** Cluster per point, numbered by decreasing size (0 is the largest). */
  assignments: Int32Array;
  clusters: number;
}

export interface AgglomerativeOptions {
  threshold?: number;
  /** Default 'average': less chaining than single linkage, less splitting than complete. */
  linkage?: Linkage;
}

export interface ChineseWhispersOptions {
  threshold?: number;
  /** Neighbours kept per point in the graph (see neighbourGraph). */
  maxNeighbours?: number;
  /** Passes over all nodes. Default 100 (as dlib); stops early once no label changes. */
  iterations?: number;
  seed?: number;
}

export type SuggestMethod = 'agglomerative' | 'chinese-whispers';

export type SuggestOptions = AgglomerativeOptions & ChineseWhispersOptions & { method?: SuggestMethod };

/**
 * Suggests identities from L2-normalised descriptors: agglomerative (exact, deterministic)
 * while the distance matrix fits in memory, Chinese whispers on a capped neighbour graph (memory
 * linear in the points) beyond that, unless `method` says otherwise.
 */
export function suggestIdentities(m: Matrix, options: SuggestOptions = {}): ThresholdClustering {
  const method = options.method ?? suggestionMethod(m.rows);
  return method === 'agglomerative' ? agglomerativeClustering(m, options) : chineseWhispers(m, options);
}

/** The method suggestIdentities uses for this many points. */
export function suggestionMethod(points: number): SuggestMethod {
  return points <= AGGLOMERATIVE_MAX_POINTS ? 'agglomerative' : 'chinese-whispers';
}

/**
 * Merges the two closest clusters until the closest pair is at least `threshold` apart (under
 * the chosen linkage): the dendrogram (see `dendrogram`) cut at the threshold.
 */
export function agglomerativeClustering(m: Matrix, options: AgglomerativeOptions = {}): ThresholdClustering {
  const threshold = checkThreshold(options.threshold);
  return cutDendrogram(m.rows, dendrogram(m, options.linkage), threshold);
}

/** One merge of the dendrogram: two points' clusters joined at `height` (the linkage distance between them). */
export interface Merge {
  a: number;
  b: number;
  height: number;
}

/**
 * Every merge of agglomerative clustering, in the order made. Uses the nearest-neighbour-chain
 * algorithm: O(n²) time and memory, and the same dendrogram as the naive O(n³) method because
 * average and complete linkage are reducible. Both linkages are also monotone, so cutting the
 * dendrogram at a threshold is the same as keeping every merge lower than it.
 */
export function dendrogram(m: Matrix, linkage: Linkage = 'average'): Merge[] {
  if (linkage !== 'average' && linkage !== 'complete') throw new Error(`unknown linkage "${String(linkage)}"`);
  const n = m.rows;
  if (n > AGGLOMERATIVE_MAX_POINTS) {
    throw new Error(`agglomerative clustering is limited to ${AGGLOMERATIVE_MAX_POINTS} points (got ${n}); use Chinese whispers`);
  }
  assertFinite(m, 'agglomerative clustering input');
  const d = m.cols;
  // Condensed upper triangle: pair (i < j) lives at i·n − i(i+1)/2 + j − i − 1.
  const at = (i: number, j: number) => (i < j ? i * n - (i * (i + 1)) / 2 + j - i - 1 : j * n - (j * (j + 1)) / 2 + i - j - 1);
  const dist = new Float32Array((n * (n - 1)) / 2);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) dist[at(i, j)] = Math.sqrt(squaredDistance(m.data, i * d, m.data, j * d, d));
  }
  const active = new Uint8Array(n).fill(1);
  const size = new Int32Array(n).fill(1);
  const chain = new Int32Array(n);
  const merges: Merge[] = [];
  let length = 0;
  let nextStart = 0;
  for (let remaining = n; remaining > 1; remaining--) {
    if (length === 0) {
      while (!active[nextStart]) nextStart++;
      chain[length++] = nextStart;
    }
    let a: number;
    let b: number;
    let height: number;
    for (;;) {
      a = chain[length - 1];
      // Ties go to the previous chain element, which is what guarantees the chain ends.
      const previous = length > 1 ? chain[length - 2] : -1;
      b = previous;
      height = previous >= 0 ? dist[at(a, previous)] : Infinity;
      for (let x = 0; x < n; x++) {
        if (x === a || !active[x]) continue;
        const value = dist[at(a, x)];
        if (value < height) {
          height = value;
          b = x;
        }
      }
      if (b === previous) break;
      chain[length++] = b;
    }
    length -= 2;
    merges.push({ a, b, height });
    // Lance–Williams update: the merged cluster lives on in slot a.
    for (let x = 0; x < n; x++) {
      if (x === a || x === b || !active[x]) continue;
      const da = dist[at(a, x)];
      const db = dist[at(b, x)];
      dist[at(a, x)] = linkage === 'average' ? (size[a] * da + size[b] * db) / (size[a] + size[b]) : Math.max(da, db);
    }
    size[a] += size[b];
    active[b] = 0;
  }
  return merges;
}

/** The clusters of `points` points that the merges lower than `threshold` make. */
export function cutDendrogram(points: number, merges: readonly Merge[], threshold: number): ThresholdClustering {
  const parent = Int32Array.from({ length: points }, (_, i) => i);
  for (const { a, b, height } of merges) if (height < threshold) union(parent, a, b);
  const roots = new Int32Array(points);
  for (let i = 0; i < points; i++) roots[i] = find(parent, i);
  return relabelBySize(roots);
}

/**
 * Chinese whispers (Biemann 2006, as in dlib's face clustering) on the graph joining each point to
 * its nearest others closer than `threshold` (at most `maxNeighbours` each, see neighbourGraph):
 * each node, visited in a seeded random order, takes the label with the largest summed edge weight
 * among its neighbours (ties to the smaller label). An edge weighs 1 − distance / threshold, so a pair
 * near the cut counts for little: unweighted, a few such pairs join two people, and the clustering
 * falls apart a little above its best cut. Memory grows linearly with the points, so it runs on any
 * library; a point's neighbours beyond the cap are left out, which a person's other close faces make up for.
 */
export function chineseWhispers(m: Matrix, options: ChineseWhispersOptions = {}): ThresholdClustering {
  const threshold = checkThreshold(options.threshold);
  assertFinite(m, 'Chinese whispers input');
  const graph = neighbourGraph(m, threshold, { maxNeighbours: options.maxNeighbours, seed: options.seed });
  return chineseWhispersOnGraph(graph, threshold, options);
}

/**
 * Chinese whispers on a graph built at this threshold or a wider one: edges at or beyond `threshold`
 * are left out, which gives the graph built at `threshold` itself (a point's nearest within a cut are
 * the first of its nearest within a wider one), so one graph serves many cuts.
 */
export function chineseWhispersOnGraph(
  { start, neighbours, distances }: NeighbourGraph,
  threshold: number,
  options: Pick<ChineseWhispersOptions, 'iterations' | 'seed'> = {},
): ThresholdClustering {
  const iterations = options.iterations ?? 100;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new Error(`Chinese whispers iterations must be a positive integer, got ${iterations}`);
  }
  const n = start.length - 1;
  const weights = Float64Array.from(distances, (distance) => Math.max(0, 1 - distance / threshold));
  const labels = Int32Array.from({ length: n }, (_, i) => i);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const votes = new Float64Array(n);
  const rng = createRng(options.seed ?? 0);
  for (let pass = 0; pass < iterations; pass++) {
    shuffleInPlace(order, rng);
    let changed = false;
    for (const node of order) {
      let best = -1;
      for (let e = start[node]; e < start[node + 1]; e++) {
        if (weights[e] === 0) continue;
        const label = labels[neighbours[e]];
        votes[label] += weights[e];
        if (best < 0 || votes[label] > votes[best] || (votes[label] === votes[best] && label < best)) best = label;
      }
      for (let e = start[node]; e < start[node + 1]; e++) votes[labels[neighbours[e]]] = 0;
      if (best >= 0 && best !== labels[node]) {
        labels[node] = best;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return relabelBySize(labels);
}

function checkThreshold(threshold: number | undefined): number {
  const value = threshold ?? DEFAULT_DESCRIPTOR_THRESHOLD;
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`distance threshold must be a positive number, got ${value}`);
  return value;
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
}

/** Renumbers arbitrary group keys 0, 1, 2 … by decreasing size (ties: first seen first). */
function relabelBySize(keys: Int32Array): ThresholdClustering {
  const counts = new Map<number, { count: number; first: number }>();
  keys.forEach((key, i) => {
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { count: 1, first: i });
  });
  const ranked = [...counts.entries()].sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first);
  const number = new Map(ranked.map(([key], rank) => [key, rank]));
  return { assignments: keys.map((key) => number.get(key) as number), clusters: ranked.length };
}
