// Clustering runs over a catalog's faces: features → PCA → clusters → metrics, stored for comparison.
import type { ClusterParams, ExportRow, FeatureSignal, RunDetails, RunReport, RunSummary } from '../shared/contract.ts';
import { buildFeatureMatrix, FEATURE_NAMES, parseFeatureSpec } from '../core/features.ts';
import { fitGmm } from '../core/gmm.ts';
import { identitySignal, STRONG_LIFT, WEAK_LIFT } from '../core/identity-signal.ts';
import { kmeans } from '../core/kmeans.ts';
import { matrixFromRows, clusterMeans, squaredDistance, type Matrix } from '../core/matrix.ts';
import { computeMetrics, type ValidationMetrics } from '../core/metrics.ts';
import { fitPca } from '../core/pca.ts';
import { explainByGroups } from '../core/pose-explanation.ts';
import { qualityFailures } from '../core/quality.ts';
import { suggestIdentities } from '../core/threshold-clustering.ts';
import type { Catalog, FaceRecord } from './catalog/catalog.ts';
import type { StoredRun } from './catalog/runs.ts';
import { ParamError } from './errors.ts';

/**
 * The faces a run clusters: present, found by the latest analysis, not marked by the user ("not a
 * face", "ignore"), and past the quality gates unless asked.
 */
export function facesToCluster(
  catalog: Catalog,
  includeFiltered: boolean,
): { faces: FaceRecord[]; filteredOut: number; markedOut: number } {
  const found = catalog.presentFaces().filter((f) => !f.excluded);
  const unmarked = found.filter((f) => f.mark === null);
  const markedOut = found.length - unmarked.length;
  if (includeFiltered) return { faces: unmarked, filteredOut: 0, markedOut };
  const faces = unmarked.filter((f) => qualityFailures(f).length === 0);
  return { faces, filteredOut: unmarked.length - faces.length, markedOut };
}

function checkFeatures(spec: string) {
  try {
    return parseFeatureSpec(spec);
  } catch (error) {
    throw new ParamError(`features: ${(error as Error).message}`, 'features');
  }
}

/** Cluster index and distance to the cluster's mean in `space`, for methods that give no centroids. */
function distancesToMeans(space: Matrix, assignments: Int32Array, k: number): Float64Array {
  const { means } = clusterMeans(space, assignments, k);
  const out = new Float64Array(space.rows);
  for (let i = 0; i < space.rows; i++)
    out[i] = Math.sqrt(squaredDistance(space.data, i * space.cols, means.data, assignments[i] * space.cols, space.cols));
  return out;
}

/** The run's feature space: the feature blocks, then PCA when asked. Deterministic, so maps can rebuild it. */
export function featureSpace(faces: readonly FaceRecord[], params: ClusterParams): { space: Matrix; pca: RunDetails['pca'] } {
  const space = buildFeatureMatrix(faces, checkFeatures(params.features));
  if (!params.pca) return { space, pca: null };
  const model = fitPca(space, params.pca);
  const reduced = model.transform(space);
  return { space: reduced, pca: { components: reduced.cols, explainedVarianceRatio: Array.from(model.explainedVarianceRatio) } };
}

export function createRun(catalog: Catalog, params: ClusterParams): RunReport {
  const started = performance.now();
  checkFeatures(params.features);
  const { faces, filteredOut, markedOut } = facesToCluster(catalog, params.includeFiltered);
  if (faces.length === 0) throw new ParamError('no faces to cluster: scan the library first', 'k');
  if (params.algorithm !== 'threshold' && params.k > faces.length)
    throw new ParamError(`k: ${params.k} clusters asked for, but only ${faces.length} faces to cluster`, 'k');

  const { space, pca } = featureSpace(faces, params);

  const descriptors = matrixFromRows(faces.map((f) => f.descriptor));
  const details: Omit<RunDetails, 'clusters' | 'pose'> = { faces: faces.length, filteredOut, markedOut, dimensions: space.cols, pca };
  let assignments: Int32Array;
  let distances: Float64Array;
  let k = params.k;
  if (params.algorithm === 'kmeans') {
    const result = kmeans(space, k, { restarts: params.restarts, seed: params.seed });
    ({ assignments, distances } = result);
    Object.assign(details, { inertia: result.inertia, refinements: result.refinements });
  } else if (params.algorithm === 'gmm') {
    const result = fitGmm(space, k, { seed: params.seed, kmeans: { restarts: params.restarts } });
    assignments = result.assignments;
    distances = distancesToMeans(space, assignments, k);
    Object.assign(details, { logLikelihood: result.logLikelihood, bic: result.bic });
  } else {
    // Identities are suggested from the descriptors themselves, where the distance cut has meaning.
    const result = suggestIdentities(descriptors, { threshold: params.threshold, seed: params.seed });
    assignments = result.assignments;
    k = result.clusters;
    distances = distancesToMeans(space, assignments, k);
  }

  const labels = faces.map((f) => f.identity);
  const metrics = computeMetrics({ assignments, labels, descriptors, space });
  const sizes = new Array<number>(k).fill(0);
  for (const c of assignments) sizes[c]++;
  const pose = {
    yaw: explainByGroups(faces.map((f) => f.yaw ?? Number.NaN), assignments, labels),
    roll: explainByGroups(faces.map((f) => f.roll ?? Number.NaN), assignments, labels),
  };
  const fullDetails: RunDetails = { ...details, clusters: sizes.map((size, cluster) => ({ cluster, size })), pose };
  const durationMs = performance.now() - started;
  const stored: Omit<StoredRun, 'id' | 'createdAt'> = {
    params: params as unknown as Record<string, unknown>,
    features: params.features,
    k,
    algorithm: params.algorithm,
    seed: params.seed,
    durationMs,
    metrics: metrics as unknown as Record<string, unknown>,
    details: fullDetails as unknown as Record<string, unknown>,
  };
  const id = catalog.runs.insert(stored, { faceIds: faces.map((f) => f.id), clusters: assignments, distances });
  return toReport(catalog.runs.get(id));
}

export function toSummary(run: StoredRun): RunSummary {
  const metrics = run.metrics as unknown as ValidationMetrics;
  const details = run.details as unknown as RunDetails;
  return {
    id: run.id,
    createdAt: run.createdAt,
    params: run.params as unknown as ClusterParams,
    features: run.features,
    k: run.k,
    algorithm: run.algorithm,
    seed: run.seed,
    durationMs: run.durationMs,
    faces: details.faces,
    headline: {
      cohesion: metrics.cohesion.weighted,
      ari: metrics.ari,
      nmi: metrics.nmi,
      pairwiseF1: metrics.pairwise.f1,
      speedup: metrics.speedup,
      taggedFaces: metrics.taggedFaces,
    },
  };
}

export function toReport(run: StoredRun): RunReport {
  return {
    ...toSummary(run),
    metrics: run.metrics as unknown as ValidationMetrics,
    details: run.details as unknown as RunDetails,
  };
}

/** For each feature block alone: does it tell people apart in this library? */
export function featureSignals(catalog: Catalog): FeatureSignal[] {
  const faces = facesToCluster(catalog, false).faces.filter((f) => f.identity !== null);
  const labels = faces.map((f) => f.identity);
  return FEATURE_NAMES.map((feature) => {
    const signal = faces.length >= 2 ? identitySignal(buildFeatureMatrix(faces, feature), labels) : { nearestSameIdentity: 0, chance: 0, lift: 0 };
    const verdict: FeatureSignal['verdict'] =
      signal.lift >= STRONG_LIFT ? 'carries identity' : signal.lift >= WEAK_LIFT ? 'weak identity signal' : 'little or no identity';
    return { feature, ...signal, verdict };
  });
}

/** Every face of a run with its photo, box, tag (as it is now) and cluster. */
export function exportRun(catalog: Catalog, runId: number): ExportRow[] {
  catalog.runs.get(runId);
  const faces = new Map(catalog.presentFaces().map((f) => [f.id, f]));
  const round = (x: number) => Math.round(x * 10) / 10;
  return catalog.runs.assignments(runId).flatMap(({ faceId, cluster, distance }) => {
    const face = faces.get(faceId);
    if (!face) return [];
    const { x, y, w, h } = face.box;
    return [{ faceId, photo: face.path, box: [round(x), round(y), round(w), round(h)], identity: face.identity, cluster, distance }];
  });
}
