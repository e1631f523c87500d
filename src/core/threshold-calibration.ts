// The same-person descriptor distance cut, calibrated from the library's own tagged faces where there are enough of them.

import { createMatrix, squaredDistance, type Matrix } from './matrix.ts';
import { neighbourGraph } from './neighbour-graph.ts';
import { comparePartitions } from './partition-comparison.ts';
import {
  chineseWhispersOnGraph,
  cutDendrogram,
  DEFAULT_DESCRIPTOR_THRESHOLD,
  dendrogram,
  type SuggestMethod,
  type ThresholdClustering,
} from './threshold-clustering.ts';

/**
 * Fewer pairs of either kind than this and one unlucky pair moves the cut a long way: the
 * default is then the better guess.
 */
export const MIN_CALIBRATION_PAIRS = 20;

/**
 * Tagged faces used for calibration at most: n faces make n(n−1)/2 pairs, and 2,000 faces (2 M
 * pairs) already place the cut to well under a percent of errors.
 */
const CALIBRATION_MAX_FACES = 2000;

export interface Cut {
  /** Pairs closer than this are called the same person. */
  value: number;
  /** Same-person pairs at or beyond the cut plus other-person pairs closer than it. */
  errors: number;
}

/**
 * The cut on distance that misclassifies the fewest pairs. Candidates lie between consecutive
 * distinct distances (at their midpoint), below the smallest (the smallest itself: nothing is
 * closer) and above the largest (the largest plus 1e-9). Among equally good cuts the lowest wins:
 * a suggestion the cut withholds costs the user less than a wrong name.
 */
export function bestSeparatingCut(same: ArrayLike<number>, other: ArrayLike<number>): Cut {
  const pairs = [...Array.from(same, (d) => ({ d, same: true })), ...Array.from(other, (d) => ({ d, same: false }))];
  if (pairs.length === 0) throw new Error('no pairs to place a cut between');
  for (const { d } of pairs) if (!Number.isFinite(d)) throw new Error(`pair distance ${d} is not a finite number`);
  pairs.sort((a, b) => a.d - b.d);
  // Below the cut at position t: pairs[0..t). Errors there = same pairs at or after t + other pairs before t.
  let errors = same.length;
  let best = { t: 0, errors };
  for (let t = 1; t <= pairs.length; t++) {
    errors += pairs[t - 1].same ? -1 : 1;
    const between = t === pairs.length || pairs[t - 1].d < pairs[t].d;
    if (between && errors < best.errors) best = { t, errors };
  }
  const { t } = best;
  const value = t === 0 ? pairs[0].d : t === pairs.length ? pairs[t - 1].d + 1e-9 : (pairs[t - 1].d + pairs[t].d) / 2;
  return { value, errors: best.errors };
}

/**
 * Distances between tagged faces (label ≥ 0; −1 is untagged), split into same- and other-person
 * pairs. Above `maxFaces` tagged faces an evenly spaced subset is used, so the answer is the same
 * every time.
 */
export function taggedPairDistances(
  descriptors: Matrix,
  labels: ArrayLike<number>,
  maxFaces = CALIBRATION_MAX_FACES,
): { same: Float64Array; other: Float64Array; faces: number } {
  const used = taggedSample(descriptors, labels, maxFaces);
  const same: number[] = [];
  const other: number[] = [];
  const d = descriptors.cols;
  for (let a = 0; a < used.length; a++) {
    for (let b = a + 1; b < used.length; b++) {
      const dist = Math.sqrt(squaredDistance(descriptors.data, used[a] * d, descriptors.data, used[b] * d, d));
      (labels[used[a]] === labels[used[b]] ? same : other).push(dist);
    }
  }
  return { same: Float64Array.from(same), other: Float64Array.from(other), faces: used.length };
}

function taggedSample(descriptors: Matrix, labels: ArrayLike<number>, maxFaces: number): number[] {
  if (labels.length !== descriptors.rows) throw new Error(`${labels.length} labels for ${descriptors.rows} descriptors`);
  return calibrationSample(labels, maxFaces);
}

/**
 * The rows calibration uses: the tagged faces (label ≥ 0), or an evenly spaced `maxFaces` of them, so that the answer
 * is the same every time. A caller holding its faces elsewhere copies only these.
 */
export function calibrationSample(labels: ArrayLike<number>, maxFaces = CALIBRATION_MAX_FACES): number[] {
  const tagged: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) tagged.push(i);
  return tagged.length <= maxFaces ? tagged : Array.from({ length: maxFaces }, (_, j) => tagged[Math.floor((j * tagged.length) / maxFaces)]);
}

export interface DescriptorThreshold {
  value: number;
  /** 'tags': calibrated on this library's tagged faces; 'default': DEFAULT_DESCRIPTOR_THRESHOLD. */
  source: 'tags' | 'default';
  /** Why this cut, in a sentence fit to show the user. */
  detail: string;
}

/**
 * The cut that separates this library's tagged people's pairs best, or the default where too few pairs of either kind
 * are tagged: for deciding whether one face is another's person (matching).
 */
export function descriptorThreshold(descriptors: Matrix, labels: ArrayLike<number>, maxFaces = CALIBRATION_MAX_FACES): DescriptorThreshold {
  const { same, other, faces } = taggedPairDistances(descriptors, labels, maxFaces);
  if (same.length < MIN_CALIBRATION_PAIRS || other.length < MIN_CALIBRATION_PAIRS) return defaultThreshold(same.length, other.length);
  const cut = bestSeparatingCut(same, other);
  const total = same.length + other.length;
  return {
    value: cut.value,
    source: 'tags',
    detail:
      `the cut that best separates ${same.length} same-person from ${other.length} other-person pairs among ${faces} tagged faces: ` +
      `${cut.errors} pairs (${((100 * cut.errors) / total).toFixed(1)} %) fall on the wrong side`,
  };
}

function defaultThreshold(same: number, other: number): DescriptorThreshold {
  return {
    value: DEFAULT_DESCRIPTOR_THRESHOLD,
    source: 'default',
    detail:
      `the default cut for unit-length face-api descriptors: the tagged faces give ${same} same-person and ` +
      `${other} other-person pairs, and calibrating needs ${MIN_CALIBRATION_PAIRS} of each (tag more faces)`,
  };
}

/** The cuts a clustering is calibrated over: every 0.005 across the range where face-api descriptors' people part. */
const CLUSTERING_CUTS = Array.from({ length: 81 }, (_, i) => Math.round((0.25 + i * 0.005) * 1000) / 1000);

/** Cuts whose ARI on the tagged faces is within this of the best count as equally good. */
const PLATEAU_TOLERANCE = 0.002;

/**
 * The cut for clustering: the tagged faces are clustered on their own, by the method the run will use, at every cut
 * of CLUSTERING_CUTS, and the cut is the middle of the run of cuts around the first best one whose ARI against the tags
 * is within PLATEAU_TOLERANCE of the best. Scored on people left out of the calibration, this comes closer to their
 * best cut than the cut that best separates pairs, which sits low for average linkage: a cluster's faces
 * join at their mean distance, not their farthest (`npm run bench -- quality`, calibratedCut). The middle of the plateau
 * rather than its edge, because the cliff beyond it (two people merging) moves from library to library.
 */
export function clusteringThreshold(
  descriptors: Matrix,
  labels: ArrayLike<number>,
  method: SuggestMethod,
  maxFaces = CALIBRATION_MAX_FACES,
): DescriptorThreshold {
  const used = taggedSample(descriptors, labels, maxFaces);
  const sizes = new Map<number, number>();
  for (const i of used) sizes.set(labels[i], (sizes.get(labels[i]) ?? 0) + 1);
  let same = 0;
  for (const size of sizes.values()) same += (size * (size - 1)) / 2;
  const other = (used.length * (used.length - 1)) / 2 - same;
  if (same < MIN_CALIBRATION_PAIRS || other < MIN_CALIBRATION_PAIRS) return defaultThreshold(same, other);

  const d = descriptors.cols;
  const sample = createMatrix(used.length, d);
  used.forEach((i, row) => sample.data.set(descriptors.data.subarray(i * d, (i + 1) * d), row * d));
  const truth = used.map((i) => labels[i]);
  const clusterAt = clustererOver(sample, method);
  const ari = CLUSTERING_CUTS.map((cut) => comparePartitions(clusterAt(cut).assignments, truth).ari);
  const best = Math.max(...ari);
  let low = ari.indexOf(best);
  let high = low;
  while (low > 0 && ari[low - 1] >= best - PLATEAU_TOLERANCE) low--;
  while (high < ari.length - 1 && ari[high + 1] >= best - PLATEAU_TOLERANCE) high++;
  const value = (CLUSTERING_CUTS[low] + CLUSTERING_CUTS[high]) / 2;
  const by = method === 'agglomerative' ? 'average linkage' : 'Chinese whispers';
  return {
    value,
    source: 'tags',
    detail:
      `the middle of the cuts (${CLUSTERING_CUTS[low].toFixed(3)}–${CLUSTERING_CUTS[high].toFixed(3)}) at which ${by} best regroups ` +
      `${used.length} tagged faces of ${sizes.size} people (ARI ${best.toFixed(3)})`,
  };
}

/** Clusters `sample` at any cut of CLUSTERING_CUTS, building the dendrogram or the neighbour graph once for all. */
function clustererOver(sample: Matrix, method: SuggestMethod): (cut: number) => ThresholdClustering {
  if (method === 'agglomerative') {
    const merges = dendrogram(sample);
    return (cut) => cutDendrogram(sample.rows, merges, cut);
  }
  const graph = neighbourGraph(sample, CLUSTERING_CUTS[CLUSTERING_CUTS.length - 1]);
  return (cut) => chineseWhispersOnGraph(graph, cut, { seed: 0 });
}
