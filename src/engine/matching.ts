// Matching a new photo's faces against a run: the run's matching index (cluster centroids and their faces, in descriptor space), the threshold, the answer.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MATCH_IMAGE_MAX_BYTES, type FaceMatch, type MatchedFace, type PhotoMatch } from '../shared/contract.ts';
import { buildBucketIndex, search, type BucketIndex } from '../core/matcher.ts';
import { clusterCount, clusterMeans, createMatrix, type Matrix } from '../core/matrix.ts';
import { descriptorThreshold, type DescriptorThreshold } from '../core/threshold-calibration.ts';
import type { AnalysedFace } from './analysis/analysed-face.ts';
import type { Catalog } from './catalog/catalog.ts';
import type { FaceRecord } from './face-record.ts';
import { EngineError } from './errors.ts';
import { describeFsError } from './library/walk.ts';

/** The bytes of a photo to match, read for the command line (the contract takes bytes, never a path). */
export async function readPhotoToMatch(file: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new EngineError(`cannot read ${file}: ${describeFsError(error)}`);
  }
  if (bytes.length === 0) throw new EngineError(`${file} is empty: give a photo`);
  if (bytes.length > MATCH_IMAGE_MAX_BYTES) throw new EngineError(`${file}: ${tooLarge(bytes.length)}`);
  return bytes;
}

export function tooLarge(bytes: number): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `the photo is ${mb(bytes)}; a photo to match may be at most ${mb(MATCH_IMAGE_MAX_BYTES)} (export a smaller copy)`;
}

/** What one run's search needs, built from the catalog on first use. */
export interface MatchIndex {
  runId: number;
  /** Why the centroids are not the run's own, or null. */
  note: string | null;
  /** The run's faces still in the library, in the rows of `descriptors`. */
  faces: FaceRecord[];
  descriptors: Matrix;
  buckets: BucketIndex;
  threshold: DescriptorThreshold;
  /** Library photos by content hash, to say when the photo matched is one of them. */
  photoByHash: Map<string, number>;
}

/**
 * Every cluster's centroid is the mean descriptor of its faces, whatever the run clustered: a
 * face is compared by descriptor, so its clusters are ranked in the same space. For a k-means run
 * on descriptors alone that is the run's own centroid; for other features (landmarks, a PCA
 * space, a weighted mix) the run's centroids live elsewhere, and the result says so.
 */
function buildMatchIndex(catalog: Catalog, runId?: number): MatchIndex {
  const run = catalog.runs.get(runId);
  const present = new Map(catalog.faces.present().map((f) => [f.id, f]));
  // Rows in cluster order: each cluster's descriptors are one contiguous block, read straight through (an IVF inverted list).
  const assigned = catalog.runs
    .assignments(run.id)
    .filter((a) => present.has(a.faceId))
    .sort((a, b) => a.cluster - b.cluster || a.faceId - b.faceId);
  const faces = assigned.map((a) => present.get(a.faceId)!);
  const clusters = assigned.map((a) => a.cluster);
  const dims = faces[0]?.descriptor.length ?? 0;
  const descriptors = createMatrix(faces.length, dims);
  faces.forEach((f, i) => descriptors.data.set(f.descriptor, i * dims));
  const k = clusterCount(clusters);
  const buckets = buildBucketIndex(clusters, clusterMeans(descriptors, clusters, k).means);
  const labels = faces.map((f) => f.identityId ?? -1);
  const note =
    run.features === 'descriptor' && run.params.pca === undefined
      ? null
      : `run ${run.id} clustered ${run.features}${run.params.pca === undefined ? '' : ' after PCA'}: faces are matched by descriptor, ` +
        "and each cluster's centroid is the mean descriptor of its faces";
  const photoByHash = new Map<string, number>();
  for (const photo of catalog.photos.all()) if (photo.hash && photo.state !== 'missing') photoByHash.set(photo.hash, photo.id);
  return { runId: run.id, note, faces, descriptors, buckets, threshold: descriptorThreshold(descriptors, labels), photoByHash };
}

/** Indexes kept per run of this catalog at most: a person compares a few runs, each index holds the run's descriptors. */
const INDEXES_KEPT = 4;

/** Each run's index, kept while the catalog is unchanged (its revisions and, for other processes' writes, its data version). */
export class MatchIndexCache {
  private readonly indexes = new Map<number, { key: string; index: MatchIndex }>();

  constructor(private readonly catalog: Catalog) {}

  get(runId?: number): MatchIndex {
    const id = runId ?? this.catalog.runs.get().id;
    const { machine, edits } = this.catalog.revisions;
    const key = JSON.stringify([machine, edits, this.catalog.dataVersion()]);
    const cached = this.indexes.get(id);
    if (cached?.key === key) return cached.index;
    const index = buildMatchIndex(this.catalog, id);
    this.indexes.delete(id);
    if (this.indexes.size >= INDEXES_KEPT) this.indexes.delete(this.indexes.keys().next().value!);
    this.indexes.set(id, { key, index });
    return index;
  }
}

/** Each face found in the photo with its nearest library faces and the person they suggest. */
export function matchFaces(index: MatchIndex, found: readonly AnalysedFace[], nprobe: number, top: number): MatchedFace[] {
  const { faces, descriptors, buckets, threshold } = index;
  const tagged = (i: number) => faces[i].identityId !== null;
  const toMatch = (i: number, distance: number): FaceMatch => {
    const f = faces[i];
    return { faceId: f.id, photoId: f.photoId, photo: f.path, identityId: f.identityId, identity: f.identity, distance };
  };
  return [...found]
    .sort((a, b) => a.box.x - b.box.x)
    .map((face) => {
      const start = performance.now();
      const result = search(buckets, descriptors, { descriptor: face.descriptor, top, where: tagged }, nprobe);
      const ms = performance.now() - start;
      const nearestTagged = result.nearestWhere;
      const suggestion =
        nearestTagged && nearestTagged.distance < threshold.value
          ? { identityId: faces[nearestTagged.face].identityId!, name: faces[nearestTagged.face].identity!, distance: nearestTagged.distance }
          : null;
      return {
        box: face.box,
        matches: result.neighbours.map((n) => toMatch(n.face, n.distance)),
        suggestion,
        clusters: result.probed,
        scanned: faces.length === 0 ? 0 : result.scanned / faces.length,
        ms,
      };
    });
}

/** The answer to match/photo once the photo's faces are found. */
export function photoMatch(index: MatchIndex, bytes: Uint8Array, found: readonly AnalysedFace[], nprobe: number, top: number): PhotoMatch {
  const hash = createHash('sha256').update(bytes).digest('hex');
  return {
    runId: index.runId,
    space: 'descriptor',
    note: index.note,
    threshold: { ...index.threshold },
    faces: matchFaces(index, found, nprobe, top),
    photoInLibrary: index.photoByHash.get(hash) ?? null,
  };
}
