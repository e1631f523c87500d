// One clustering run on arrays: features → PCA → clusters → metrics, the same whether it runs in the engine or in a worker thread.

import { buildFeatureMatrix, type FaceInput } from './features.ts';
import { fitGmm, mostProbableComponents } from './gmm.ts';
import { kmeans } from './kmeans.ts';
import { clusterMeans, matrixFromRows, pickRows, squaredDistance, type Matrix } from './matrix.ts';
import { computeMetrics, type ValidationMetrics } from './metrics.ts';
import { fitPca } from './pca.ts';
import { explainByGroups, type VarianceExplained } from './pose-explanation.ts';
import { encodeLabels } from './labels.ts';
import { clusteringThreshold } from './threshold-calibration.ts';
import { suggestIdentities, suggestionMethod } from './threshold-clustering.ts';

/** A face as a run needs it: its landmarks and descriptor, its tag (the ground truth) and its head pose. */
export interface ClusterFace extends FaceInput {
  identity: string | null;
  yaw: number | null;
  roll: number | null;
  /**
   * Placed in its nearest cluster without shaping the clusters (k-means and GMM): a real face kept for
   * matching whose landmarks failed a quality gate the features do not need.
   */
  placedOnly?: boolean;
}

/** The settings of a run (the contract's ClusterParams, as far as the computation reads them). */
export interface ClusterRunParams {
  features: string;
  pca?: { components: number } | { varianceShare: number };
  k: number;
  algorithm: 'kmeans' | 'gmm' | 'threshold';
  restarts: number;
  seed: number;
  threshold?: number;
}

/** The distance cut a threshold run used, and where it came from. */
export interface RunCut {
  value: number;
  /** 'given': asked for; 'tags': calibrated on the tagged faces of the run; 'default': too few tags to calibrate on. */
  source: 'given' | 'tags' | 'default';
  /** Why this cut, in a sentence. */
  detail: string;
}

export interface ClusterRunResult {
  /** Clusters made: k, or what the threshold clustering found. */
  k: number;
  /** Threshold runs only. */
  cut: RunCut | null;
  assignments: Int32Array;
  /** Each face's distance to its cluster's centre in the run's feature space. */
  distances: Float64Array;
  dimensions: number;
  pca: { components: number; explainedVarianceRatio: number[] } | null;
  /** What the algorithm reports of its fit: inertia and refinements (k-means), log-likelihood and BIC (GMM). */
  fit: { inertia: number; refinements: number } | { logLikelihood: number; bic: number } | Record<string, never>;
  sizes: number[];
  metrics: ValidationMetrics;
  pose: { yaw: VarianceExplained; roll: VarianceExplained };
}

/** The run's feature space: the feature blocks, then PCA when asked. Deterministic, so maps can rebuild it. */
export function featureSpace(
  faces: readonly FaceInput[],
  params: Pick<ClusterRunParams, 'features' | 'pca'>,
): Pick<ClusterRunResult, 'pca'> & { space: Matrix } {
  const space = buildFeatureMatrix(faces, params.features);
  if (!params.pca) return { space, pca: null };
  const model = fitPca(space, params.pca);
  const reduced = model.transform(space);
  return { space: reduced, pca: { components: reduced.cols, explainedVarianceRatio: Array.from(model.explainedVarianceRatio) } };
}

/**
 * The steps a run reports progress in: building the features (and PCA), each k-means restart
 * (GMM starts from k-means, then adds its EM fit; threshold clustering is one step), and the
 * metrics. Restarts dominate the time of k-means and GMM, so they get a step each.
 */
export function clusterRunSteps(params: Pick<ClusterRunParams, 'algorithm' | 'restarts'>): number {
  const clustering = params.algorithm === 'kmeans' ? params.restarts : params.algorithm === 'gmm' ? params.restarts + 1 : 1;
  return 1 + clustering + 1;
}

/** Clusters the faces; `onStep(done, total)` follows clusterRunSteps. Same faces, parameters and seed ⇒ the same result. */
export function clusterFaces(
  faces: readonly ClusterFace[],
  params: ClusterRunParams,
  onStep: (done: number, total: number) => void = () => undefined,
): ClusterRunResult {
  const total = clusterRunSteps(params);
  let done = 0;
  const step = () => onStep(++done, total);
  const { space, pca } = featureSpace(faces, params);
  const descriptors = matrixFromRows(faces.map((f) => f.descriptor));
  step();

  let assignments: Int32Array;
  let distances: Float64Array;
  let fit: ClusterRunResult['fit'] = {};
  let k = params.k;
  let cut: RunCut | null = null;
  const onRestart = () => step();
  // The faces placed only would otherwise take clusters of their own: on lfw-dev at k = 10, ~50 blurred
  // bystanders formed one and two people merged (descriptor ARI 0.998 → 0.978).
  const shaping = shapingRows(faces);
  const fitSpace = shaping ? pickRows(space, shaping) : space;
  if (params.algorithm === 'kmeans') {
    const result = kmeans(fitSpace, k, { restarts: params.restarts, seed: params.seed, onProgress: onRestart });
    ({ assignments, distances } = result);
    if (shaping) {
      assignments = placeOthers(shaping, faces.length, assignments, (row) => nearestCentre(result.centroids, space, row));
      distances = distancesToRows(space, assignments, result.centroids);
    }
    fit = { inertia: result.inertia, refinements: result.refinements };
  } else if (params.algorithm === 'gmm') {
    const result = fitGmm(fitSpace, k, { seed: params.seed, kmeans: { restarts: params.restarts, onProgress: onRestart } });
    step();
    assignments = result.assignments;
    if (shaping) {
      const placed = mostProbableComponents(result, space);
      assignments = placeOthers(shaping, faces.length, assignments, (row) => placed[row]);
    }
    distances = distancesToMeans(space, assignments, k);
    fit = { logLikelihood: result.logLikelihood, bic: result.bic };
  } else {
    // Identities are suggested from the descriptors themselves, where the distance cut has meaning. Without a cut
    // asked for, the one at which the tagged people are best regrouped, where enough are tagged.
    cut =
      params.threshold !== undefined
        ? { value: params.threshold, source: 'given', detail: 'the cut asked for' }
        : clusteringThreshold(descriptors, encodeLabels(faces.map((f) => f.identity)).codes, suggestionMethod(faces.length));
    const result = suggestIdentities(descriptors, { threshold: cut.value, seed: params.seed });
    step();
    assignments = result.assignments;
    k = result.clusters;
    distances = distancesToMeans(space, assignments, k);
  }

  const labels = faces.map((f) => f.identity);
  const metrics = computeMetrics({ assignments, labels, descriptors, space });
  const sizes = new Array<number>(k).fill(0);
  for (const c of assignments) sizes[c]++;
  const pose = {
    yaw: explainByGroups(
      faces.map((f) => f.yaw ?? Number.NaN),
      assignments,
      labels,
    ),
    roll: explainByGroups(
      faces.map((f) => f.roll ?? Number.NaN),
      assignments,
      labels,
    ),
  };
  step();
  return { k, cut, assignments, distances, dimensions: space.cols, pca, fit, sizes, metrics, pose };
}

/** Distance of each point to its cluster's mean in `space`, for methods that give no centroids. */
function distancesToMeans(space: Matrix, assignments: Int32Array, k: number): Float64Array {
  return distancesToRows(space, assignments, clusterMeans(space, assignments, k).means);
}

/** Distance of each point to the row of `centres` its cluster names. */
function distancesToRows(space: Matrix, assignments: Int32Array, centres: Matrix): Float64Array {
  const out = new Float64Array(space.rows);
  for (let i = 0; i < space.rows; i++) out[i] = Math.sqrt(squaredDistance(space.data, i * space.cols, centres.data, assignments[i] * space.cols, space.cols));
  return out;
}

/** The rows of the faces that shape the clusters, or null when every face does. */
function shapingRows(faces: readonly ClusterFace[]): Int32Array | null {
  if (!faces.some((f) => f.placedOnly)) return null;
  const rows: number[] = [];
  faces.forEach((f, i) => {
    if (!f.placedOnly) rows.push(i);
  });
  return Int32Array.from(rows);
}

/** Every face's cluster when the clusters were fitted on the `shaping` rows alone: those keep theirs, the others are placed. */
function placeOthers(shaping: Int32Array, count: number, fitted: Int32Array, place: (row: number) => number): Int32Array {
  const out = new Int32Array(count).fill(-1);
  shaping.forEach((row, i) => (out[row] = fitted[i]));
  for (let row = 0; row < count; row++) if (out[row] < 0) out[row] = place(row);
  return out;
}

/** The row of `centres` nearest row `row` of `space`. */
function nearestCentre(centres: Matrix, space: Matrix, row: number): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < centres.rows; c++) {
    const d = squaredDistance(space.data, row * space.cols, centres.data, c * space.cols, space.cols);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}
