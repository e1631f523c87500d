// The one contract between the engine and its callers (CLI, HTTP server, Electron IPC): method names,
// request schemas validated at runtime, response and event types.
import { z } from 'zod';
import type { RunCut as CoreRunCut } from '../core/cluster-run.ts';
import type { ValidationMetrics as CoreMetrics } from '../core/metrics.ts';
import { MATCH_IMAGE_MAX_BYTES } from './limits.ts';
import { DEFAULT_RESTARTS, PROJECTION_METHODS, type ProjectionMethod } from './choices.ts';

/** cascade: the tiny detector at several sizes with zoomed second looks (the default); ssd: SSD MobileNet; tiny: the tiny detector at 416. */
const detectorSchema = z.enum(['cascade', 'ssd', 'tiny']);
export type Detector = z.infer<typeof detectorSchema>;

const jobId = z.string().min(1).max(64);
const id = z.number().int().positive();
const name = z.string().trim().min(1).max(200);

const algorithmSchema = z.enum(['kmeans', 'gmm', 'threshold']);
const projectionMethodSchema = z.enum(PROJECTION_METHODS);

/** What the user says a detection is, apart from identity: no face at all, or a face not worth sorting (a bystander). */
const faceMarkSchema = z.enum(['not-a-face', 'ignore']);
export type FaceMark = z.infer<typeof faceMarkSchema>;

/** The quality gates by name (src/core/quality.ts), for filtering faces by the gate that left them out. */
const qualityGateSchema = z.enum(['score', 'size', 'residual', 'yaw']);
export type QualityGate = z.infer<typeof qualityGateSchema>;

/** A folder inside the library, '/'-separated and relative to its root ('' is the root): never absolute, never `..`. */
const libraryFolder = z
  .string()
  .max(1000)
  .refine((f) => !f.startsWith('/') && !f.includes('\\') && !f.includes('\0') && !f.split('/').some((part) => part === '..' || part === '.'), {
    message: 'must be a folder inside the library, such as "2019/holidays"',
  });

const box = z.strictObject({
  x: z.number().min(0),
  y: z.number().min(0),
  w: z.number().gt(0),
  h: z.number().gt(0),
});

/** Which faces a view shows; every filter is optional and they combine with AND. */
const faceFilter = {
  identityId: id.optional(),
  /** Only faces that carry no identity tag. */
  untagged: z.boolean().optional(),
  /** The run whose clusters `cluster` and the 'cluster-distance' order refer to. */
  runId: id.optional(),
  cluster: z.number().int().min(0).optional(),
  /** 'passed' every gate, 'filtered' by any, or left out by this one gate. */
  quality: z.union([z.enum(['passed', 'filtered']), qualityGateSchema]).optional(),
  /** Faces in photos under this library folder (recursively). */
  folder: libraryFolder.optional(),
  photoId: id.optional(),
  /** Faces marked "not a face" or "ignore" are hidden unless asked for. */
  marked: z.enum(['hide', 'only', 'include']).default('hide'),
};

const needsRun = (p: { runId?: number; cluster?: number; order?: string }) =>
  p.runId !== undefined || (p.cluster === undefined && p.order !== 'cluster-distance');
const needsRunIssue = { message: 'give the run (runId) whose clusters to use', path: ['runId'] };

export const clusterParamsSchema = z.strictObject({
  /**
   * Feature blocks with weights, e.g. 'descriptor' or 'descriptor:1,landmarks-aligned:0.5'; the names are FEATURE_NAMES
   * of src/core/features.ts (landmarks, landmarks-aligned, ratios, descriptor, and landmarks-wccn, learned from the tags).
   */
  features: z.string().min(1).max(200).default('descriptor'),
  /** PCA before clustering: a number of components, or the share of variance to keep. */
  pca: z
    .union([
      z.strictObject({ components: z.number().int().min(1).max(10_000) }),
      z.strictObject({ varianceShare: z.number().gt(0, 'the variance share must be in (0, 1]').max(1, 'the variance share must be in (0, 1]') }),
    ])
    .optional(),
  k: z.number().int().min(1, 'k must be at least 1').max(100_000).default(10),
  algorithm: algorithmSchema.default('kmeans'),
  restarts: z.number().int().min(1).max(1000).default(DEFAULT_RESTARTS),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  /** Distance cut for threshold clustering (Euclidean, L2-normalised descriptors). */
  threshold: z.number().gt(0).max(2).optional(),
  includeFiltered: z.boolean().default(false),
});
export type ClusterParams = z.output<typeof clusterParamsSchema>;

/**
 * The longest tag CSV a request may carry (characters): a few hundred thousand rows. `facet serve` reads bodies up to
 * 16 MB, which holds this much CSV in JSON (escaped line ends, accented names) with room to spare.
 */
export const TAG_CSV_MAX_CHARS = 12 * 1024 * 1024;

const tagSourceSchema = z.union([
  z.strictObject({ from: z.literal('folders') }),
  z.strictObject({ from: z.literal('csv'), csv: z.string().max(TAG_CSV_MAX_CHARS, 'a tag CSV can be at most 12 MB: split it into smaller files') }),
]);

// The renderer reads the limit from limits.ts directly; everyone else finds it here with the rest of the contract.
export { MATCH_IMAGE_MAX_BYTES };

const requestSchemas = {
  'library/open': z.strictObject({
    /**
     * The photo folder, a full path (a leading ~ is the home folder). Its catalog lives in the user's data folder:
     * no caller of the contract names a file (the CLI's --db FILE goes through Engine.openCatalogFile, in-process).
     */
    root: z.string().min(1).max(4096),
    /** The user confirmed that the library moved to `root`: its catalog, made for another folder, follows it. */
    moved: z.boolean().optional(),
  }),
  /** The open library, or null: never an error, so a new window can ask first. */
  'library/current': z.strictObject({}),
  'library/stats': z.strictObject({}),
  'library/scan': z.strictObject({
    detector: detectorSchema.default('cascade'),
    minScore: z.number().gt(0).lt(1).default(0.5),
    workers: z.number().int().min(1).max(64).optional(),
    /** Analyse again photos that were analysed before (a new detector or threshold). */
    reanalyse: z.boolean().default(false),
  }),
  'library/failures': z.strictObject({
    limit: z.number().int().min(1).max(10_000).default(1000),
  }),
  'job/cancel': z.strictObject({ jobId }),
  'identities/list': z.strictObject({}),
  'identities/create': z.strictObject({ name }),
  'identities/rename': z.strictObject({ id, name }),
  'identities/merge': z.strictObject({ from: id, into: id }),
  'identities/delete': z.strictObject({ id }),
  'faces/list': z
    .strictObject({
      ...faceFilter,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      /**
       * newest / oldest: catalog order; photo: by photo path, then left to right; score: detection score, lowest first;
       * cluster-distance: nearest the run's cluster centre first; mistakes: farthest from the person's mean descriptor
       * first (needs identityId).
       */
      order: z.enum(['newest', 'oldest', 'photo', 'score', 'cluster-distance', 'mistakes']).default('newest'),
    })
    .refine(needsRun, needsRunIssue)
    .refine((p) => p.order !== 'mistakes' || p.identityId !== undefined, { message: 'give the person (identityId)', path: ['identityId'] }),
  /** Every face id that the filter selects, in photo order ("select all" in a view). */
  'faces/ids': z.strictObject(faceFilter).refine(needsRun, needsRunIssue),
  /** The library's folders that hold faces, with their face counts, for the folder filter. */
  'faces/folders': z.strictObject({}),
  'faces/tag': z.strictObject({ faceIds: z.array(id).min(1).max(100_000), identityId: id }),
  'faces/untag': z.strictObject({ faceIds: z.array(id).min(1).max(100_000) }),
  'faces/mark': z.strictObject({ faceIds: z.array(id).min(1).max(100_000), mark: faceMarkSchema }),
  'faces/unmark': z.strictObject({ faceIds: z.array(id).min(1).max(100_000) }),
  /** A face the detector missed, drawn by the user: the engine finds its landmarks and descriptor inside the box. */
  'faces/add': z.strictObject({ photoId: id, box }),
  /** One photo with every face on it (boxes, 68 landmarks, tags, marks) and its neighbours in path order. */
  'photos/get': z.strictObject({ id }),
  /**
   * "Is this X?": untagged, unmarked faces ranked by descriptor distance to a person's tagged faces, without the
   * suggestions the user rejected. Without identityId, each face's most likely person.
   */
  'suggestions/list': z.strictObject({
    identityId: id.optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(50),
  }),
  /** "This is not X": stored, so these faces are never suggested for X again. */
  'suggestions/reject': z.strictObject({ faceIds: z.array(id).min(1).max(100_000), identityId: id }),
  /** Unknown people: threshold clustering of the untagged, unmarked faces that pass the gates; largest group first. */
  'suggestions/groups': z.strictObject({
    threshold: z.number().gt(0).max(2).optional(),
    minSize: z.number().int().min(2).max(10_000).default(2),
    limit: z.number().int().min(1).max(1000).default(100),
  }),
  /** Photo-level labels: from the folder each photo is in, or from CSV text (path,identity). */
  'tags/import': tagSourceSchema,
  /** What an import would do, without writing anything. */
  'tags/preview': tagSourceSchema,
  'runs/create': clusterParamsSchema,
  'runs/list': z.strictObject({}),
  'runs/get': z.strictObject({ id: id.optional() }),
  'runs/delete': z.strictObject({ id }),
  'runs/assignments': z.strictObject({ id }),
  'runs/export': z.strictObject({ id }),
  /** A 2-D map of the run's faces; computed as a 'map' job (progress events, job/cancel) and cached per run, method and seed. */
  'runs/projection': z.strictObject({ id, method: projectionMethodSchema, seed: z.number().int().min(0).default(1) }),
  /** Every cluster of the run with its size, majority person, purity, mixing and sample faces. */
  'runs/clusters': z.strictObject({ id, samples: z.number().int().min(1).max(100).default(8) }),
  /** Two runs side by side: the cluster × cluster contingency table over the faces both clustered. */
  'runs/compare': z.strictObject({ a: id, b: id }),
  'features/identity-signal': z.strictObject({}),
  /** The explained-variance curve of PCA on a feature set, before clustering (share per component, first 200 at most). */
  'features/variance': z.strictObject({
    features: z.string().min(1).max(200).default('descriptor'),
    includeFiltered: z.boolean().default(false),
  }),
  'job/list': z.strictObject({}),
  /**
   * Who is in a new photo: every face found in it, matched by descriptor against the faces of the run's `nprobe`
   * clusters nearest it (nprobe at or above the run's k searches the whole library, the exhaustive reference). The
   * photo comes as its bytes, never as a path (§8); it is analysed and forgotten, never stored.
   */
  'match/photo': z.strictObject({
    /** The run whose clusters bucket the search; the latest run by default. */
    runId: id.optional(),
    nprobe: z.number().int().min(1, 'nprobe must be at least 1').max(100_000).default(1),
    top: z.number().int().min(1).max(50).default(5),
    /** The photo's bytes in base64: at most MATCH_IMAGE_MAX_BYTES decoded (the base64 text is a third longer). */
    image: z
      .string()
      .min(1, 'give the photo (base64 bytes)')
      .max(Math.ceil(MATCH_IMAGE_MAX_BYTES / 3) * 4, `the photo must be at most ${MATCH_IMAGE_MAX_BYTES / 1024 / 1024} MB`)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be the photo in base64'),
  }),
} as const;

export type Method = keyof typeof requestSchemas;
export type Request<M extends Method> = z.input<(typeof requestSchemas)[M]>;
export type Params<M extends Method> = z.output<(typeof requestSchemas)[M]>;

export interface LibraryInfo {
  root: string;
  /** The catalog's file (a path; the Catalog object never leaves the engine). */
  catalogFile: string;
  stats: LibraryStats;
}

export interface LibraryStats {
  photos: number;
  pending: number;
  analysed: number;
  failed: number;
  missing: number;
  faces: number;
  /** Faces found only on the padded retry (faces that fill the frame). */
  paddedFaces: number;
  photosWithoutFaces: number;
  identities: number;
  taggedFaces: number;
  /** Faces the user marked "not a face" or "ignore"; every clustering leaves them out. */
  markedFaces: number;
}

export interface Failure {
  path: string;
  reason: string;
}

/** A library scan, a clustering run, or a 2-D map of a run: the long work the engine reports progress on. */
export type JobKind = 'scan' | 'cluster' | 'map';
type JobState = 'running' | 'done' | 'cancelled' | 'failed';

export interface JobProgress {
  jobId: string;
  kind: JobKind;
  /** A scan walks, then analyses; a clustering or a map is 'working' (done/total then count its steps). */
  /** A scan walks the folder, loads the face models (seconds, before the first photo), then analyses. */
  stage: 'walking' | 'loading-models' | 'analysing' | 'working' | 'done';
  state: JobState;
  /** Photos handled in this job (analysed or failed) and photos the job set out to handle; steps for other kinds. */
  done: number;
  total: number;
  faces: number;
  failures: number;
  /** Photos per second since analysis began, and the estimate of the seconds left. */
  rate: number;
  secondsLeft: number | null;
  /** The file the walk is at or the last photo analysed. */
  current?: string;
}

export interface ScanSummary {
  jobId: string;
  state: JobState;
  backend: string;
  detector: Detector;
  photos: number;
  added: number;
  changed: number;
  relinked: number;
  analysed: number;
  failed: Failure[];
  missing: number;
  faces: number;
  paddedFaces: number;
  elapsedMs: number;
  /** Median milliseconds per analysed photo in each stage (detection includes padded retries). */
  stageMedianMs: { decode: number; detect: number; landmarks: number; descriptor: number } | null;
  /** Set when the whole job stopped on an error (the root vanished, the catalog failed). */
  error?: string;
}

export type TagSource = 'user' | 'import';

export interface Identity {
  id: number;
  name: string;
  faces: number;
  /** The tagged face nearest the person's mean descriptor (the card's picture); null with no faces. */
  coverFaceId: number | null;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A face as the views list it: where it is, how sure the detector was, whose it is, what the user said of it. */
export interface FaceSummary {
  id: number;
  photoId: number;
  photo: string;
  box: Box;
  score: number;
  identityId: number | null;
  identity: string | null;
  /** 'user' when tagged by hand, 'import' from folders or CSV; null when untagged. */
  tagSource: TagSource | null;
  mark: FaceMark | null;
  /** 'user' for a face drawn by hand, 'detector' otherwise. */
  source: 'detector' | 'user';
  /** The gates this face fails, with the value that failed; empty when it passes. */
  quality: { gate: QualityGate; value: number; limit: number }[];
  /** Set when the request named a run: the face's cluster there (null if the run left it out) and its distance to the centre. */
  cluster?: number | null;
  clusterDistance?: number | null;
  /** Set for the 'mistakes' order: descriptor distance to the person's mean. */
  personDistance?: number | null;
}

/** A face in the photo viewer: its summary plus the 68 landmarks as x0, y0, x1, y1, … in photo pixels. */
export interface PhotoFace extends FaceSummary {
  landmarks: number[];
}

export interface PhotoDetails {
  id: number;
  path: string;
  width: number;
  height: number;
  state: 'pending' | 'analysed' | 'failed' | 'missing';
  faces: PhotoFace[];
  /** The photos before and after this one in path order, among those still present. */
  previousId: number | null;
  nextId: number | null;
}

/** What a tag, untag or mark changed, so the app can undo it exactly. */
export interface FaceEditUndo {
  /** Each face's tag and mark before the change. */
  previous: { faceId: number; identityId: number | null; mark: FaceMark | null }[];
}

export interface Suggestion {
  faceId: number;
  photoId: number;
  identityId: number;
  identity: string;
  /** Euclidean distance between L2-normalised descriptors: the face to the person's mean. */
  distance: number;
  /**
   * 1 at the person's mean, 0 beyond their reach (their farthest tagged face, at least the descriptor threshold): the
   * share of their tagged faces at least this far from the mean, smoothed for people with few tagged faces.
   */
  confidence: number;
}

export interface UnknownGroup {
  /** Face ids, nearest the group's centre first. */
  faceIds: number[];
  size: number;
}

export interface TagImportPreview {
  /** Photo labels read, photos they name that have a usable face, faces that would be tagged. */
  labels: number;
  photos: number;
  faces: number;
  /** Each person named, with how many faces would be tagged and whether it is new. */
  people: { name: string; faces: number; isNew: boolean }[];
  /** Labels that match no usable face, with the reason. */
  unmatched: Failure[];
}

export interface TagImportResult {
  /** Photo labels read, tags written, identities given those tags, and labels that matched no usable face, with the reason. */
  labels: number;
  tagged: number;
  identities: number;
  skipped: Failure[];
}

export interface RunSummary {
  id: number;
  createdAt: string;
  params: ClusterParams;
  features: string;
  k: number;
  algorithm: string;
  seed: number;
  durationMs: number;
  faces: number;
  headline: { cohesion: number; ari: number; nmi: number; pairwiseF1: number; speedup: number; taggedFaces: number };
  /** The distance cut of a threshold run (also in params.threshold) and where it came from; null for other runs. */
  cut: RunCut | null;
}

const varianceShareSchema = z.object({ faces: z.number(), byCluster: z.number(), byIdentity: z.number() });

/** The distance cut a threshold run used, and where it came from. */
const runCutSchema = z.object({
  value: z.number(),
  /** 'given': asked for; 'tags': calibrated on the tagged faces of the run; 'default': too few tags to calibrate on. */
  source: z.enum(['given', 'tags', 'default']),
  /** Why this cut, in a sentence. */
  detail: z.string(),
});
type RunCut = z.infer<typeof runCutSchema>;

/** What a run found besides its metrics; stored with it and read back through this schema. */
export const runDetailsSchema = z.object({
  faces: z.number(),
  filteredOut: z.number(),
  /**
   * Faces each quality gate the run applied left out (a face may fail several). Landmark features apply every gate,
   * the descriptor alone only the detection score's; empty with includeFiltered, absent in runs stored before.
   */
  filteredOutBy: z.partialRecord(qualityGateSchema, z.number()).optional(),
  /**
   * Faces that failed only gates the features do not need (a descriptor run's blurred, turned or badly fitted faces):
   * clustered, each in its nearest cluster, without shaping the clusters (k-means and GMM; threshold clustering groups
   * every face, so 0 there). Absent in runs stored before.
   */
  placedOnly: z.number().optional(),
  /** Faces the user marked "not a face" or "ignore", left out of this run. */
  markedOut: z.number(),
  dimensions: z.number(),
  pca: z.object({ components: z.number(), explainedVarianceRatio: z.array(z.number()) }).nullable(),
  clusters: z.array(z.object({ cluster: z.number(), size: z.number() })),
  inertia: z.number().optional(),
  refinements: z.number().optional(),
  logLikelihood: z.number().optional(),
  bic: z.number().optional(),
  /** How much of the head pose the clusters explain, next to how much identity explains. */
  pose: z.object({ yaw: varianceShareSchema, roll: varianceShareSchema }),
  /** Threshold runs: the cut used and where it came from. */
  cut: runCutSchema.optional(),
  /** The features were learned from the tagged faces the metrics are scored on (landmarks-wccn), so the figures flatter them. */
  learnedFromTags: z.literal(true).optional(),
});
export type RunDetails = z.infer<typeof runDetailsSchema>;

const pairScoresSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });

/** A run's validation metrics over the tagged faces (formulas in src/core/metrics.ts); stored with it and read back through this schema. */
export const validationMetricsSchema = z.object({
  taggedFaces: z.number(),
  identities: z.number(),
  /** Per person: the share of their faces in their most common cluster (ties: the lower cluster id). */
  cohesion: z.object({
    weighted: z.number(),
    mean: z.number(),
    perIdentity: z.array(z.object({ identity: z.string(), faces: z.number(), cluster: z.number(), share: z.number() })),
  }),
  pairwise: pairScoresSchema,
  bcubed: pairScoresSchema,
  purity: z.number(),
  inversePurity: z.number(),
  nmi: z.number(),
  ari: z.number(),
  searchCost: z.number(),
  speedup: z.number(),
  /** `scanned`: mean share of the library held by the nprobe clusters searched. */
  matchingRecall: z.array(z.object({ nprobe: z.number(), recall: z.number(), scanned: z.number() })),
  /**
   * counts[i][j]: tagged faces of identities[i] in clusters[j]. Checked row by row, not cell by cell: a threshold run
   * on a large library holds tens of millions of cells, and reading it back must not cost seconds more.
   */
  table: z.object({
    identities: z.array(z.string()),
    clusters: z.array(z.number()),
    counts: z.custom<number[][]>((value) => Array.isArray(value) && value.every(Array.isArray)),
  }),
});
export type ValidationMetrics = z.infer<typeof validationMetricsSchema>;

/**
 * The core computes the metrics and the cut; the types above are what the wire carries. They must keep the same shape
 * both ways, or this fails to compile: a change in core cannot change the HTTP and IPC format unnoticed.
 */
type Fits<T extends Wire, Wire> = T;
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- a check the compiler makes, never used as a value or type
type CoreMatchesWire = [Fits<CoreMetrics, ValidationMetrics>, Fits<ValidationMetrics, CoreMetrics>, Fits<CoreRunCut, RunCut>, Fits<RunCut, CoreRunCut>];

export interface RunReport extends RunSummary {
  metrics: ValidationMetrics;
  details: RunDetails;
}

export interface FeatureSignal {
  feature: string;
  /** Leave-one-out nearest neighbour among tagged faces: share whose neighbour is the same person. */
  nearestSameIdentity: number;
  /** The same share if neighbours were picked at random. */
  chance: number;
  /** (accuracy − chance) / (1 − chance). */
  lift: number;
  verdict: 'carries identity' | 'weak identity signal' | 'little or no identity';
}

/** One face of a run, as exported: the photo it is in, its box [x, y, w, h], its tag and cluster. */
export interface ExportRow {
  faceId: number;
  photo: string;
  box: [number, number, number, number];
  identity: string | null;
  cluster: number;
  distance: number;
}

export interface Projection {
  runId: number;
  method: ProjectionMethod;
  /** Faces the method laid out itself when the run was too large for it (a sample stratified by cluster; the others sit among their nearest sampled faces); null when it laid out every face. */
  sample: number | null;
  faceIds: number[];
  /** x, y per face, in the order of faceIds. */
  coords: number[];
  /** Per face, in the order of faceIds, what the map can be coloured by: the run's cluster, the tag as it is now, the estimated yaw in degrees, and the first quality gate the face fails (null when it passes). */
  clusters: number[];
  identityIds: (number | null)[];
  yaw: (number | null)[];
  gates: (QualityGate | null)[];
}

/** One cluster of a run as the Clusters view shows it. */
export interface ClusterSummary {
  cluster: number;
  size: number;
  /** Faces of the cluster that carry a tag, and how many people they belong to. */
  tagged: number;
  identities: number;
  /** The person most of the tagged faces belong to, with their count; null when no face is tagged. */
  majority: { identityId: number; name: string; faces: number } | null;
  /** majority.faces / tagged (null with no tagged face): 1 is a pure cluster. */
  purity: number | null;
  /** Normalised entropy of the people among the tagged faces, 0 (one person) to 1 (evenly mixed); null with no tagged face. */
  mixing: number | null;
  /** Face ids nearest the cluster's centre first, and farthest first. */
  nearest: number[];
  farthest: number[];
}

/** Two runs over the same faces: how their clusters map onto each other. */
export interface RunComparison {
  a: RunSummary;
  b: RunSummary;
  /** Faces both runs clustered. */
  sharedFaces: number;
  /** counts[i][j]: shared faces in cluster aClusters[i] of run a and bClusters[j] of run b. */
  table: { aClusters: number[]; bClusters: number[]; counts: number[][] };
  /** Agreement of the two partitions on the shared faces. */
  ari: number;
  nmi: number;
}

export interface JobInfo {
  jobId: string;
  kind: JobKind;
  progress: JobProgress;
}

export interface Responses {
  'library/open': LibraryInfo;
  'library/current': LibraryInfo | null;
  'library/stats': LibraryStats;
  'library/scan': { jobId: string };
  'library/failures': Failure[];
  'job/cancel': { cancelled: boolean };
  'job/list': JobInfo[];
  'identities/list': Identity[];
  'identities/create': Identity;
  'identities/rename': Identity[];
  'identities/merge': Identity[];
  'identities/delete': Identity[];
  'faces/list': { total: number; faces: FaceSummary[] };
  'faces/ids': { ids: number[] };
  'faces/folders': { folder: string; faces: number }[];
  'faces/tag': { tagged: number } & FaceEditUndo;
  'faces/untag': { untagged: number } & FaceEditUndo;
  'faces/mark': { marked: number } & FaceEditUndo;
  'faces/unmark': { unmarked: number } & FaceEditUndo;
  'faces/add': PhotoFace;
  'photos/get': PhotoDetails;
  'suggestions/list': { total: number; suggestions: Suggestion[] };
  'suggestions/reject': { rejected: number };
  'suggestions/groups': { threshold: number; untagged: number; groups: UnknownGroup[] };
  'tags/import': TagImportResult;
  'tags/preview': TagImportPreview;
  'runs/create': RunReport;
  'runs/list': RunSummary[];
  'runs/get': RunReport;
  /** Runs deleted: 1 (an unknown id is a NotFoundError), counted as the face edits count. */
  'runs/delete': { deleted: number };
  'runs/assignments': { faceId: number; cluster: number; distance: number }[];
  'runs/export': ExportRow[];
  'runs/projection': Projection;
  'runs/clusters': ClusterSummary[];
  'runs/compare': RunComparison;
  'features/identity-signal': FeatureSignal[];
  'features/variance': { faces: number; dimensions: number; explainedVarianceRatio: number[] };
  'match/photo': PhotoMatch;
}

/** A library face a query face matched. */
export interface FaceMatch {
  faceId: number;
  photoId: number;
  photo: string;
  identityId: number | null;
  identity: string | null;
  /** Euclidean distance between L2-normalised descriptors. */
  distance: number;
}

/** One face found in the photo to match. */
export interface MatchedFace {
  /** In the photo's pixels (EXIF orientation applied). */
  box: Box;
  /** The `top` nearest library faces among those searched, nearest first. */
  matches: FaceMatch[];
  /** The person of the nearest tagged face searched, when it is closer than the threshold; null means unknown. */
  suggestion: { identityId: number; name: string; distance: number } | null;
  /** The clusters searched, nearest centroid first. */
  clusters: number[];
  /** Share of the run's faces compared (1 is an exhaustive search). */
  scanned: number;
  /** Milliseconds the search took. */
  ms: number;
}

export interface PhotoMatch {
  runId: number;
  /** Faces are always compared by descriptor, whatever features the run clustered. */
  space: 'descriptor';
  /** Set when the run clustered other features: its clusters' centroids were recomputed as mean descriptors. */
  note: string | null;
  /** The cut a suggestion must be under: calibrated on the library's tagged faces, or the default; `detail` says why. */
  threshold: { value: number; source: 'tags' | 'default'; detail: string };
  /** One entry per face found, left to right. */
  faces: MatchedFace[];
  /** The library photo with the same content (SHA-256), if the photo is already in the library. */
  photoInLibrary: number | null;
}

export type EngineEvent =
  | { type: 'job/progress'; progress: JobProgress }
  | { type: 'job/finished'; jobId: string; kind: 'scan'; summary: ScanSummary }
  /** A clustering or a map ended: done (the call that started it returns its result), cancelled, or failed with a reason. */
  | { type: 'job/finished'; jobId: string; kind: 'cluster' | 'map'; state: JobState; error?: string }
  | { type: 'library/opened'; library: LibraryInfo }
  /** Electron only: the engine's process died and pending calls failed; it is restarting, or, with gaveUp, it died too often and stays stopped. */
  | { type: 'engine/crashed'; code: number; gaveUp?: boolean };

/** A request that does not fit the contract: names the method and the offending field. */
export class ContractError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    /** The schema's own finding, so a transport can word it for its users (the CLI names the option it came from). */
    readonly issue?: z.core.$ZodIssue,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.hasOwn(requestSchemas, name);
}

/** Checks a whole call from any transport: a known method, and params that fit its schema. */
export function parseCall(method: unknown, params: unknown): { method: Method; params: unknown } {
  if (!isMethod(method)) throw new ContractError(`unknown method ${JSON.stringify(method)}`, 'method');
  return { method, params: parseRequest(method, params) };
}

/** Parses a request against its method's schema; throws ContractError naming the bad field. */
export function parseRequest<M extends Method>(method: M, params: unknown): Params<M> {
  const result = requestSchemas[method].safeParse(params ?? {});
  if (result.success) return result.data as Params<M>;
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join('.');
  throw new ContractError(`${method}: ${field ? `${field}: ` : ''}${issue.message}`, field || undefined, issue);
}
