// Cluster-bucket face matcher: searches only the faces of the clusters whose centroids are nearest the query.

import { clusterCount, createMatrix, squaredDistance, type Matrix } from './matrix.ts';

export interface BucketIndex {
  /** Cluster id of each bucket (only clusters that have faces). */
  clusters: Int32Array;
  /** One centroid row per bucket. */
  centroids: Matrix;
  /** Face indices of each bucket. */
  members: Int32Array[];
  /** Faces in the index. */
  total: number;
}

/** A library face and its Euclidean descriptor distance to the query. */
interface Neighbour {
  face: number;
  distance: number;
}

export interface SearchResult {
  /** Up to `top` nearest faces among those scanned, nearest first (ties: lower face index). */
  neighbours: Neighbour[];
  /** The nearest scanned face that `where` accepts (null when none does, or no `where` was given). */
  nearestWhere: Neighbour | null;
  /** Faces whose descriptors were compared. */
  scanned: number;
  /** Cluster ids of the buckets searched, nearest centroid first. */
  probed: number[];
}

/**
 * `centroids` has one row per cluster id (row c for cluster c), in whatever space the query
 * points will be given: the clustering's feature space or the descriptors themselves.
 */
export function buildBucketIndex(assignments: ArrayLike<number>, centroids: Matrix): BucketIndex {
  const k = clusterCount(assignments);
  if (centroids.rows < k) throw new Error(`cluster ids go up to ${k - 1} but only ${centroids.rows} centroids were given`);
  const counts = new Int32Array(k);
  for (let i = 0; i < assignments.length; i++) counts[assignments[i]]++;
  const clusters = Int32Array.from({ length: k }, (_, c) => c).filter((c) => counts[c] > 0);
  const position = new Int32Array(k).fill(-1);
  clusters.forEach((c, p) => (position[c] = p));
  const members = Array.from(clusters, (c) => new Int32Array(counts[c]));
  const filled = new Int32Array(clusters.length);
  for (let i = 0; i < assignments.length; i++) {
    const p = position[assignments[i]];
    members[p][filled[p]++] = i;
  }
  const d = centroids.cols;
  const kept = createMatrix(clusters.length, d);
  clusters.forEach((c, p) => kept.data.set(centroids.data.subarray(c * d, (c + 1) * d), p * d));
  return { clusters, centroids: kept, members, total: assignments.length };
}

/** Bucket positions ordered by centroid distance to `point`, nearest first (ties: lower cluster id). */
export function probeOrder(index: BucketIndex, point: ArrayLike<number>): Int32Array {
  const { centroids } = index;
  if (point.length !== centroids.cols) {
    throw new Error(`query has ${point.length} values, centroids have ${centroids.cols}`);
  }
  const query = Float64Array.from(point);
  const distances = Float64Array.from({ length: centroids.rows }, (_, p) => squaredDistance(query, 0, centroids.data, p * centroids.cols, centroids.cols));
  return Int32Array.from({ length: centroids.rows }, (_, p) => p).sort((a, b) => distances[a] - distances[b] || a - b);
}

export interface MatchQuery {
  descriptor: ArrayLike<number>;
  /** The query in the centroids' space; defaults to the descriptor (centroids in descriptor space). */
  point?: ArrayLike<number>;
  /** A face index never to return, e.g. the query's own face when it is in the library. */
  exclude?: number;
  /** How many nearest faces to return (default 1). */
  top?: number;
  /** Also find the nearest face this accepts (e.g. tagged faces), in the same pass. */
  where?: (face: number) => boolean;
}

/**
 * The nearest faces by descriptor among the faces of the `nprobe` nearest buckets; nprobe at or
 * above the number of buckets searches every face (exhaustive search, the reference).
 */
export function search(index: BucketIndex, descriptors: Matrix, query: MatchQuery, nprobe: number): SearchResult {
  if (!Number.isInteger(nprobe) || nprobe < 1) throw new Error(`nprobe must be a positive integer, got ${nprobe}`);
  const top = query.top ?? 1;
  if (!Number.isInteger(top) || top < 1) throw new Error(`top must be a positive integer, got ${top}`);
  if (query.descriptor.length !== descriptors.cols) {
    throw new Error(`query descriptor has ${query.descriptor.length} values, the library's have ${descriptors.cols}`);
  }
  const descriptor = Float64Array.from(query.descriptor);
  const order = probeOrder(index, query.point ?? query.descriptor).subarray(0, nprobe);
  const d = descriptors.cols;
  // The best `top` so far as parallel arrays sorted by (squared distance, face): a short insertion list beats a heap for top ≤ 50.
  const faces: number[] = [];
  const squared: number[] = [];
  let whereFace = -1;
  let whereBest = Infinity;
  let scanned = 0;
  for (const p of order) {
    for (const i of index.members[p]) {
      if (i === query.exclude) continue;
      scanned++;
      const dist = squaredDistance(descriptor, 0, descriptors.data, i * d, d);
      if (query.where && (dist < whereBest || (dist === whereBest && i < whereFace)) && query.where(i)) {
        whereBest = dist;
        whereFace = i;
      }
      const n = faces.length;
      if (n === top && !before(dist, i, squared[n - 1], faces[n - 1])) continue;
      let at = n === top ? n - 1 : n;
      while (at > 0 && before(dist, i, squared[at - 1], faces[at - 1])) {
        squared[at] = squared[at - 1];
        faces[at] = faces[at - 1];
        at--;
      }
      squared[at] = dist;
      faces[at] = i;
    }
  }
  return {
    neighbours: faces.map((face, r) => ({ face, distance: Math.sqrt(squared[r]) })),
    nearestWhere: whereFace < 0 ? null : { face: whereFace, distance: Math.sqrt(whereBest) },
    scanned,
    probed: Array.from(order, (p) => index.clusters[p]),
  };
}

function before(dist: number, face: number, otherDist: number, otherFace: number): boolean {
  return dist < otherDist || (dist === otherDist && face < otherFace);
}
