// Validation metrics of a clustering against the identities the user tagged (DESIGN §6).

import { encodeLabels, type IdentityLabel } from './labels.ts';
import { buildBucketIndex, probeOrder } from './matcher.ts';
import { clusterCount, clusterMeans, getRow, type Matrix } from './matrix.ts';
import { KernelSpace } from './simd-kernels.ts';

export interface MetricsInput {
  /** Cluster id (non-negative integer) of every face in the run, tagged or not. */
  assignments: ArrayLike<number>;
  /** Identity of every face; null, undefined or −1 for untagged faces. */
  labels: ArrayLike<IdentityLabel>;
  /** Descriptors of every face (L2-normalised); without them matchingRecall is empty. */
  descriptors?: Matrix;
  /**
   * Where the clusters' centroids live and queries are placed when probing: the clustering's
   * own feature space (same rows as `descriptors`), which is what a matcher built on this run
   * would use. Defaults to the descriptors. Centroids are the mean rows of each cluster here.
   */
  space?: Matrix;
}

interface PairScores {
  precision: number;
  recall: number;
  f1: number;
}

interface IdentityCohesion {
  identity: string;
  faces: number;
  /** The identity's most common cluster (ties: the lower cluster id). */
  cluster: number;
  /** Share of the identity's faces in that cluster. */
  share: number;
}

interface MatchingRecallPoint {
  nprobe: number;
  recall: number;
  /** Mean share of the whole library held by the probed clusters. */
  scanned: number;
}

export interface ValidationMetrics {
  taggedFaces: number;
  identities: number;
  cohesion: { weighted: number; mean: number; perIdentity: IdentityCohesion[] };
  pairwise: PairScores;
  bcubed: PairScores;
  purity: number;
  inversePurity: number;
  nmi: number;
  ari: number;
  searchCost: number;
  speedup: number;
  matchingRecall: MatchingRecallPoint[];
  /** counts[i][j]: tagged faces of identities[i] in clusters[j]. */
  table: { identities: string[]; clusters: number[]; counts: number[][] };
}

/**
 * Notation: n tagged faces; n_ij of identity i in cluster j; a_i = Σ_j n_ij (identity sizes);
 * b_j = Σ_i n_ij (tagged faces per cluster); C(x) = x(x−1)/2, the number of pairs.
 *
 * Label metrics use tagged faces only; search cost uses every face. Degenerate cases get
 * defined values, never NaN:
 * - no tagged face: every label metric is 0, the lists and the table are empty;
 * - no two tagged faces share a cluster: pairwise precision is 1 (no wrong pair was claimed);
 * - no two tagged faces share an identity: pairwise recall is 1 (no pair could be missed);
 * - F1 is 0 when precision and recall are both 0;
 * - NMI and ARI follow scikit-learn: 1 when both partitions are a single group (or agree on
 *   every pair), NMI 0 when the mutual information is 0;
 * - no faces at all: searchCost and speedup are 0.
 */
export function computeMetrics(input: MetricsInput): ValidationMetrics {
  const { assignments } = input;
  if (input.labels.length !== assignments.length) {
    throw new Error(`got ${input.labels.length} labels for ${assignments.length} faces`);
  }
  const k = clusterCount(assignments);
  const { searchCost, speedup } = searchCostOf(assignments, k);
  const { codes, names } = encodeLabels(input.labels);
  const table = contingency(assignments, codes, names, k);
  const n = table.total;
  if (n === 0) {
    const zero: PairScores = { precision: 0, recall: 0, f1: 0 };
    return {
      taggedFaces: 0,
      identities: 0,
      cohesion: { weighted: 0, mean: 0, perIdentity: [] },
      pairwise: zero,
      bcubed: { ...zero },
      purity: 0,
      inversePurity: 0,
      nmi: 0,
      ari: 0,
      searchCost,
      speedup,
      matchingRecall: [],
      table: { identities: [], clusters: [], counts: [] },
    };
  }
  const { counts, rowSums: a, colSums: b } = table;

  // Cohesion of identity i: max_j n_ij / a_i. Weighted = Σ_i max_j n_ij / n; mean = average over
  // identities. The weighted form is also the inverse purity.
  const perIdentity = table.identities.map((identity, i) => {
    let best = 0;
    for (let j = 1; j < table.clusters.length; j++) if (counts[i][j] > counts[i][best]) best = j;
    return { identity, faces: a[i], cluster: table.clusters[best], share: counts[i][best] / a[i] };
  });
  const weighted = perIdentity.reduce((sum, p) => sum + p.share * p.faces, 0) / n;
  const mean = perIdentity.reduce((sum, p) => sum + p.share, 0) / perIdentity.length;

  // Pairwise: TP = Σ_ij C(n_ij); precision = TP / Σ_j C(b_j); recall = TP / Σ_i C(a_i).
  let samePair = 0;
  let bcubedPrecision = 0;
  let bcubedRecall = 0;
  let purity = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const nij = counts[i][j];
      if (nij === 0) continue;
      samePair += pairs(nij);
      // BCubed: each face f scores precision n_ij/b_j and recall n_ij/a_i; averaged over faces.
      bcubedPrecision += (nij * nij) / b[j];
      bcubedRecall += (nij * nij) / a[i];
    }
  }
  // Purity = Σ_j max_i n_ij / n.
  for (let j = 0; j < b.length; j++) {
    let largest = 0;
    for (let i = 0; i < a.length; i++) largest = Math.max(largest, counts[i][j]);
    purity += largest;
  }
  const clusterPairs = b.reduce((sum, x) => sum + pairs(x), 0);
  const identityPairs = a.reduce((sum, x) => sum + pairs(x), 0);
  const pairwise = scores(clusterPairs > 0 ? samePair / clusterPairs : 1, identityPairs > 0 ? samePair / identityPairs : 1);
  const bcubed = scores(bcubedPrecision / n, bcubedRecall / n);

  const { nmi, ari } = partitionAgreement(counts);

  return {
    taggedFaces: n,
    identities: a.length,
    cohesion: { weighted, mean, perIdentity },
    pairwise,
    bcubed,
    purity: purity / n,
    inversePurity: weighted,
    nmi,
    ari,
    searchCost,
    speedup,
    matchingRecall: input.descriptors ? matchingRecall(assignments, codes, input.descriptors, input.space ?? input.descriptors, k) : [],
    table: { identities: table.identities, clusters: table.clusters, counts },
  };
}

const pairs = (x: number) => (x * (x - 1)) / 2;

function scores(precision: number, recall: number): PairScores {
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

/**
 * NMI and ARI of two partitions of the same n items, from their contingency table (counts[i][j]:
 * items in group i of the first and group j of the second; empty rows and columns are harmless).
 *
 * NMI (arithmetic mean, scikit-learn's default): I(Y;C) / ((H(Y) + H(C)) / 2), with
 * H(Y) = −Σ_i (a_i/n) ln(a_i/n), H(C) likewise over b_j, I = H(Y) + H(C) − H(Y,C).
 *
 * ARI from the pair confusion counts (as scikit-learn): TP = Σ C(n_ij), FP = Σ_j C(b_j) − TP,
 * FN = Σ_i C(a_i) − TP, TN = C(n) − TP − FP − FN;
 * ARI = 2(TP·TN − FN·FP) / ((TP+FN)(FN+TN) + (TP+FP)(FP+TN)), 1 when FN = FP = 0.
 *
 * Both are 1 when each partition is a single group, and 0 for no items at all.
 */
export function partitionAgreement(counts: readonly (readonly number[])[]): { nmi: number; ari: number } {
  const rows = counts.map((row) => row.reduce((s, x) => s + x, 0)).filter((x) => x > 0);
  const width = counts.reduce((w, row) => Math.max(w, row.length), 0);
  const columns = Array.from({ length: width }, (_, j) => counts.reduce((s, row) => s + (row[j] ?? 0), 0)).filter((x) => x > 0);
  const n = rows.reduce((s, x) => s + x, 0);
  if (n === 0) return { nmi: 0, ari: 0 };
  let samePair = 0;
  let entropyJoint = 0;
  for (const row of counts) {
    for (let j = 0; j < row.length; j++) {
      const nij = row[j];
      if (nij === 0) continue;
      samePair += pairs(nij);
      entropyJoint -= (nij / n) * Math.log(nij / n);
    }
  }
  const entropyOf = (sizes: number[]) => sizes.reduce((h, x) => h - (x / n) * Math.log(x / n), 0);
  const hy = entropyOf(rows);
  const hc = entropyOf(columns);
  let nmi: number;
  if (rows.length === 1 && columns.length === 1) nmi = 1;
  else {
    const mutual = Math.max(0, hy + hc - entropyJoint);
    nmi = mutual <= 1e-15 ? 0 : Math.min(1, mutual / ((hy + hc) / 2));
  }
  const tp = samePair;
  const fp = columns.reduce((s, x) => s + pairs(x), 0) - tp;
  const fn = rows.reduce((s, x) => s + pairs(x), 0) - tp;
  const tn = pairs(n) - tp - fp - fn;
  const ari = fn === 0 && fp === 0 ? 1 : (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
  return { nmi, ari };
}

/**
 * A query searching only its own cluster scans n_j/N of the library, and lands in cluster j
 * with probability n_j/N: on average Σ_j (n_j/N)². Speed-up = 1 / that. Over every face.
 */
function searchCostOf(assignments: ArrayLike<number>, k: number): { searchCost: number; speedup: number } {
  const total = assignments.length;
  if (total === 0) return { searchCost: 0, speedup: 0 };
  const sizes = new Float64Array(k);
  for (let i = 0; i < total; i++) sizes[assignments[i]]++;
  // Σ n_j² stays an exact integer, so both ratios are a single rounding from the true value.
  const squares = sizes.reduce((sum, x) => sum + x * x, 0);
  return { searchCost: squares / (total * total), speedup: (total * total) / squares };
}

/**
 * Identity × cluster counts over tagged faces. Identities are ordered by decreasing size (then
 * name); only clusters holding at least one tagged face get a column, by increasing id.
 */
function contingency(assignments: ArrayLike<number>, codes: Int32Array, names: string[], k: number) {
  const full = names.map(() => new Float64Array(k));
  let total = 0;
  for (let f = 0; f < codes.length; f++) {
    if (codes[f] < 0) continue;
    full[codes[f]][assignments[f]]++;
    total++;
  }
  const rowTotal = full.map((row) => row.reduce((s, x) => s + x, 0));
  const order = names.map((_, i) => i).sort((x, y) => rowTotal[y] - rowTotal[x] || (names[x] < names[y] ? -1 : 1));
  const clusters: number[] = [];
  for (let c = 0; c < k; c++) if (full.some((row) => row[c] > 0)) clusters.push(c);
  const counts = order.map((i) => clusters.map((c) => full[i][c]));
  return {
    identities: order.map((i) => names[i]),
    clusters,
    counts,
    rowSums: order.map((i) => rowTotal[i]),
    colSums: clusters.map((_, j) => counts.reduce((s, row) => s + row[j], 0)),
    total,
  };
}

/** Queries per person for the matching recall: more than any person of the shipped sets has faces. */
export const MAX_QUERIES_PER_PERSON = 1000;
/** Queries in all: each ranks every cluster, and a threshold run at 100,000 faces has thousands. */
export const MAX_QUERIES = 5000;

/**
 * The positions, in each person's list of faces, that are matching-recall queries: every face of a
 * person up to MAX_QUERIES_PER_PERSON, evenly spaced ones beyond (each query compares with all of
 * the person's faces); then, beyond MAX_QUERIES in all, evenly spaced ones of those. A person of one
 * face has none.
 */
export function recallQueries(sizes: readonly number[]): number[][] {
  const perPerson = sizes.map((size) => {
    if (size < 2) return [];
    const stride = Math.ceil(size / MAX_QUERIES_PER_PERSON);
    return Array.from({ length: Math.ceil(size / stride) }, (_, i) => i * stride);
  });
  const total = perPerson.reduce((sum, positions) => sum + positions.length, 0);
  if (total <= MAX_QUERIES) return perPerson;
  let seen = 0;
  let next = 0;
  return perPerson.map((positions) =>
    positions.filter(() => {
      const keep = seen++ === Math.floor((next * total) / MAX_QUERIES);
      if (keep) next++;
      return keep;
    }),
  );
}

/**
 * For every tagged face whose identity has another tagged face: its target is the nearest
 * same-identity face by descriptor (exhaustive). Clusters are ranked by the distance from the
 * query's point in `space` to their centroids (means in `space`, the matcher's probe order);
 * at nprobe = p the target is found when its cluster is among the first p. `scanned` is the
 * mean, over queries, of the share of all faces held by those p clusters. nprobe runs from 1
 * to the number of non-empty clusters, where recall and scanned reach 1.
 */
function matchingRecall(assignments: ArrayLike<number>, codes: Int32Array, descriptors: Matrix, space: Matrix, k: number): MatchingRecallPoint[] {
  const total = assignments.length;
  if (descriptors.rows !== total || space.rows !== total) {
    throw new Error(`matching recall needs one descriptor and one feature row per face (${total} faces)`);
  }
  const index = buildBucketIndex(assignments, clusterMeans(space, assignments, k).means);
  const buckets = index.clusters.length;
  const position = new Int32Array(k);
  index.clusters.forEach((c, p) => (position[c] = p));
  const byIdentity = new Map<number, number[]>();
  codes.forEach((code, f) => {
    if (code < 0) return;
    const faces = byIdentity.get(code);
    if (faces) faces.push(f);
    else byIdentity.set(code, [f]);
  });
  const foundAt = new Float64Array(buckets);
  const scannedAt = new Float64Array(buckets);
  let queries = 0;
  // A person's descriptors side by side in the SIMD kernel's memory, and each query's distances to all of them.
  const d = descriptors.cols;
  let largest = 0;
  for (const faces of byIdentity.values()) largest = Math.max(largest, faces.length);
  const kernel = new KernelSpace(largest * d + largest);
  const rows = kernel.doubles(largest * d);
  const distances = kernel.doubles(largest);
  const people = [...byIdentity.values()];
  const chosen = recallQueries(people.map((faces) => faces.length));
  people.forEach((faces, person) => {
    if (chosen[person].length === 0) return;
    faces.forEach((f, t) => rows.set(descriptors.data.subarray(f * d, (f + 1) * d), t * d));
    for (const at of chosen[person]) {
      const q = faces[at];
      kernel.squaredDistances(rows, d, at, 0, faces.length, distances);
      let nearest = -1;
      for (let t = 0; t < faces.length; t++) if (t !== at && (nearest < 0 || distances[t] < distances[nearest])) nearest = t;
      const target = faces[nearest];
      const order = probeOrder(index, getRow(space, q));
      const rank = order.indexOf(position[assignments[target]]);
      foundAt[rank]++;
      let cumulative = 0;
      for (let p = 0; p < buckets; p++) {
        cumulative += index.members[order[p]].length;
        scannedAt[p] += cumulative / total;
      }
      queries++;
    }
  });
  if (queries === 0) return [];
  const curve: MatchingRecallPoint[] = [];
  let found = 0;
  for (let p = 0; p < buckets; p++) {
    found += foundAt[p];
    curve.push({ nprobe: p + 1, recall: found / queries, scanned: scannedAt[p] / queries });
  }
  return curve;
}
