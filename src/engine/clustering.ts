// Clustering runs over a catalog's faces (the computation is src/core/cluster-run.ts), stored for comparison; the PCA curve before a run.
import type { ClusterParams, ExportRow, FeatureSignal, QualityGate, Responses, RunDetails, RunReport, RunSummary } from '../shared/contract.ts';
import { tagsNeededMessage } from '../shared/tags-needed.ts';
import { clusterFaces, type ClusterFace, type ClusterRunResult } from '../core/cluster-run.ts';
import { buildFeatureMatrix, FEATURE_NAMES, featureWidth, LEARNED_FEATURES, parseFeatureSpec, readsLandmarks, type FeatureBlock } from '../core/features.ts';
import { peopleToLearnFrom, WCCN_MIN_FACES_PER_PERSON, WCCN_MIN_PEOPLE } from '../core/within-person.ts';
import { identitySignal, STRONG_LIFT, WEAK_LIFT } from '../core/identity-signal.ts';
import { explainedVarianceCurve } from '../core/pca.ts';
import { gatesFor, qualityFailures } from '../core/quality.ts';
import type { Catalog } from './catalog/catalog.ts';
import type { FaceRecord } from './face-record.ts';
import type { StoredRun } from './catalog/runs.ts';
import type { ClusterRequest } from './cluster-worker.ts';
import { LimitError, ParamError } from './errors.ts';
import { DESCRIPTOR_DIMS } from './face-index.ts';
import type { JobLimits } from './job-limits.ts';
import { packedBuffers, packFaces } from './packed-faces.ts';
import type { StepJob } from './step-job.ts';
import { runTask } from './worker-threads.ts';

/**
 * The faces a run of these features clusters: present, found by the latest analysis, not marked
 * by the user ("not a face", "ignore"), and past the quality gates the features need (gatesFor)
 * unless asked. `filteredOutBy` counts the faces each applied gate fails (a face may fail several).
 * A face that fails only gates the features do not need is clustered `placedOnly`: it joins its
 * nearest cluster without shaping the clusters; `placedOnly` counts them.
 */
export function facesToCluster(
  catalog: Catalog,
  { features, includeFiltered }: { features: string; includeFiltered: boolean },
): { faces: ClusterRecord[]; filteredOut: number; filteredOutBy: Partial<Record<QualityGate, number>>; placedOnly: number; markedOut: number } {
  const landmarks = readsLandmarks(parseFeatureSpec(features));
  // The gates read stored fields, so a descriptor run reads no landmarks: its faces carry none.
  const found = catalog.faces.present({ landmarks }).filter((f) => !f.missed);
  const unmarked = found.filter((f) => f.mark === null);
  const markedOut = found.length - unmarked.length;
  if (includeFiltered) return { faces: unmarked, filteredOut: 0, filteredOutBy: {}, placedOnly: 0, markedOut };
  const applied = gatesFor(landmarks);
  const filteredOutBy: Partial<Record<QualityGate, number>> = Object.fromEntries(applied.map((gate) => [gate, 0]));
  const faces: ClusterRecord[] = [];
  for (const face of unmarked) {
    const failed = qualityFailures(face);
    const leftOut = failed.filter((failure) => applied.includes(failure.gate));
    for (const { gate } of leftOut) filteredOutBy[gate]! += 1;
    if (leftOut.length === 0) faces.push(failed.length === 0 ? face : { ...face, placedOnly: true });
  }
  const placedOnly = faces.filter((f) => f.placedOnly).length;
  return { faces, filteredOut: unmarked.length - faces.length, filteredOutBy, placedOnly, markedOut };
}

/** A face to cluster, with whether it only joins its nearest cluster (see ClusterFace). */
type ClusterRecord = FaceRecord & Pick<ClusterFace, 'placedOnly'>;

function checkFeatures(spec: string) {
  try {
    return parseFeatureSpec(spec);
  } catch (error) {
    throw new ParamError(`features: ${(error as Error).message}`, 'features');
  }
}

/** A feature set learned from the tags, asked for while too few of the faces are tagged: refused, naming what to tag. */
function checkTagsToLearnFrom(blocks: readonly FeatureBlock[], faces: readonly FaceRecord[]): void {
  const learned = blocks.find((b) => LEARNED_FEATURES.includes(b.name));
  if (!learned) return;
  const ready = peopleToLearnFrom(faces.map((f) => f.identity));
  if (ready < WCCN_MIN_PEOPLE)
    throw new ParamError(tagsNeededMessage({ feature: learned.name, people: WCCN_MIN_PEOPLE, faces: WCCN_MIN_FACES_PER_PERSON, ready }), 'features');
}

/**
 * Above this many faces a clustering runs in a worker thread. In-process it blocks the engine
 * (and every view waiting on it) for its whole length but costs nothing to start; a worker costs
 * its start and a copy of the faces, and in return reports progress and can be cancelled. Around
 * this size a default k-means run starts to hold the engine long enough to notice, while the
 * worker's start is a small share of the work; re-clustering small libraries stays in-process.
 */
export const CLUSTER_IN_WORKER_ABOVE = 5_000;

/** What a run starts from: the faces to cluster, read and checked before any work begins. */
export interface RunInput {
  params: ClusterParams;
  faces: ClusterRecord[];
  filteredOut: number;
  filteredOutBy: Partial<Record<QualityGate, number>>;
  placedOnly: number;
  markedOut: number;
  started: number;
}

/**
 * Reads the faces a run clusters and checks the parameters against them; throws ParamError, or
 * LimitError when its dense matrices would not fit in the job's memory, before anything runs.
 */
export function runInput(catalog: Catalog, params: ClusterParams, limits: JobLimits): RunInput {
  const started = performance.now();
  const blocks = checkFeatures(params.features);
  const { faces, filteredOut, filteredOutBy, placedOnly, markedOut } = facesToCluster(catalog, params);
  if (faces.length === 0) throw new ParamError('no faces to cluster: scan the library first', 'k');
  checkTagsToLearnFrom(blocks, faces);
  if (params.algorithm !== 'threshold' && params.k > faces.length)
    throw new ParamError(`k: ${params.k} clusters asked for, but only ${faces.length} ${faces.length === 1 ? 'face' : 'faces'} to cluster`, 'k');
  if (denseMegabytes(faces, params) > limits.memoryMb) throw new LimitError({ job: params.algorithm, limit: 'memory', amount: limits.memoryMb });
  return { params, faces, filteredOut, filteredOutBy, placedOnly, markedOut, started };
}

/**
 * The dense matrices a run holds at once, in MB: the feature matrix and k-means' copy of it (or of
 * its PCA projection, no wider), the descriptors, and n·k more for k-means' bounds (twice that for a
 * mixture's responsibilities too). Typed arrays live outside the worker's heap, where its limit does
 * not reach, so they are weighed here: k = 20,000 over 100,000 faces would ask for 16 GB.
 */
function denseMegabytes(faces: readonly FaceRecord[], params: ClusterParams): number {
  const cols = featureWidth(parseFeatureSpec(params.features), DESCRIPTOR_DIMS);
  const perCluster = params.algorithm === 'kmeans' ? 1 : params.algorithm === 'gmm' ? 2 : 0;
  return (faces.length * (2 * cols + DESCRIPTOR_DIMS + perCluster * params.k) * 8) / 1024 ** 2;
}

/**
 * Clusters in-process, or in a worker thread within `limits` above `inWorkerAbove` faces (progress
 * from either, cancel for the worker); then stores the run.
 */
export async function createRun(catalog: Catalog, input: RunInput, job: StepJob, inWorkerAbove: number, limits: JobLimits): Promise<RunReport> {
  const { params, faces } = input;
  const result = faces.length > inWorkerAbove ? await clusterInWorker(faces, params, job, limits) : clusterFaces(faces, params, job.step);
  const details: RunDetails = {
    faces: faces.length,
    filteredOut: input.filteredOut,
    filteredOutBy: input.filteredOutBy,
    // Threshold clustering groups every face it is given: none is placed only there.
    placedOnly: params.algorithm === 'threshold' ? 0 : input.placedOnly,
    markedOut: input.markedOut,
    dimensions: result.dimensions,
    pca: result.pca,
    clusters: result.sizes.map((size, cluster) => ({ cluster, size })),
    ...result.fit,
    pose: result.pose,
    ...(result.cut && { cut: result.cut }),
    // Its metrics are scored on the very tags it learned from: every view of them says so.
    ...(parseFeatureSpec(params.features).some((b) => LEARNED_FEATURES.includes(b.name)) && { learnedFromTags: true as const }),
  };
  // A threshold run keeps the cut it used among its parameters, so that they recreate it whatever the tags are later.
  const used = result.cut ? { ...params, threshold: result.cut.value } : params;
  const stored: Omit<StoredRun, 'id' | 'createdAt'> = {
    params: used,
    features: params.features,
    k: result.k,
    algorithm: params.algorithm,
    seed: params.seed,
    durationMs: performance.now() - input.started,
    metrics: result.metrics,
    details,
  };
  const id = catalog.runs.insert(stored, { faceIds: faces.map((f) => f.id), clusters: result.assignments, distances: result.distances });
  return toReport(catalog.runs.get(id));
}

function clusterInWorker(faces: readonly FaceRecord[], params: ClusterParams, job: StepJob, limits: JobLimits): Promise<ClusterRunResult> {
  const packed = packFaces(faces);
  const request: ClusterRequest = { faces: packed, params };
  return runTask<ClusterRunResult>(new URL('./cluster-worker.ts', import.meta.url), 'cluster-worker', request, {
    transferList: packedBuffers(packed),
    onProgress: job.step,
    signal: job.signal,
    what: 'the clustering',
    job: params.algorithm,
    limits,
  });
}

/** The PCA curve of a feature set over the faces a run would cluster: what the Runs panel draws while the user picks the features. */
export function featureVariance(catalog: Catalog, features: string, includeFiltered: boolean): Responses['features/variance'] {
  const blocks = checkFeatures(features);
  const { faces } = facesToCluster(catalog, { features, includeFiltered });
  if (faces.length === 0) return { faces: 0, dimensions: 0, explainedVarianceRatio: [] };
  checkTagsToLearnFrom(blocks, faces);
  const space = buildFeatureMatrix(faces, blocks);
  return { faces: faces.length, dimensions: space.cols, explainedVarianceRatio: explainedVarianceCurve(space, VARIANCE_CURVE_LENGTH) };
}

/** The curve's length at most: beyond 200 components the shares are too small to draw or to choose from. */
const VARIANCE_CURVE_LENGTH = 200;

export function toSummary(run: StoredRun): RunSummary {
  const { metrics, details } = run;
  return {
    id: run.id,
    createdAt: run.createdAt,
    params: run.params,
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
    cut: details.cut ?? null,
  };
}

export function toReport(run: StoredRun): RunReport {
  return {
    ...toSummary(run),
    metrics: run.metrics,
    details: run.details,
  };
}

/** For each feature block alone: does it tell people apart in this library? Blocks learned from the tags are left out: scored on the tags they learned from, they would. */
export function featureSignals(catalog: Catalog): FeatureSignal[] {
  // Each feature over the tagged faces past the gates it needs: the landmark blocks share theirs.
  const tagged = (features: string) => facesToCluster(catalog, { features, includeFiltered: false }).faces.filter((f) => f.identity !== null);
  const byLandmarks = tagged('landmarks');
  const byDescriptor = tagged('descriptor');
  return FEATURE_NAMES.filter((feature) => !LEARNED_FEATURES.includes(feature)).map((feature) => {
    const faces = feature === 'descriptor' ? byDescriptor : byLandmarks;
    const labels = faces.map((f) => f.identity);
    const signal = faces.length >= 2 ? identitySignal(buildFeatureMatrix(faces, feature), labels) : { nearestSameIdentity: 0, chance: 0, lift: 0 };
    const verdict: FeatureSignal['verdict'] =
      signal.lift >= STRONG_LIFT ? 'carries identity' : signal.lift >= WEAK_LIFT ? 'weak identity signal' : 'little or no identity';
    return { feature, ...signal, verdict };
  });
}

/** Every face of a run with its photo, box, tag (as it is now) and cluster. */
export function exportRun(catalog: Catalog, runId: number): ExportRow[] {
  const assignments = catalog.runs.assignments(runId);
  const faces = new Map(catalog.faces.present({ landmarks: false }).map((f) => [f.id, f]));
  const round = (x: number) => Math.round(x * 10) / 10;
  return assignments.flatMap(({ faceId, cluster, distance }) => {
    const face = faces.get(faceId);
    if (!face) return [];
    const { x, y, w, h } = face.box;
    return [{ faceId, photo: face.path, box: [round(x), round(y), round(w), round(h)], identity: face.identity, cluster, distance }];
  });
}
