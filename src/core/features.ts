// Feature blocks of DESIGN §4 (landmarks, landmarks-aligned, ratios, descriptor) and landmarks-wccn, learned from the tags; the feature-spec parser and the feature matrix.

import { alignTo, centroidOf, distance, eyeFrame, normaliseShape, point, POINT_COUNT, type Point, type Shape } from './geometry.ts';
import { columnMeans, createMatrix, l2NormaliseInto, pickRows, standardiseColumns, type Matrix } from './matrix.ts';
import { learnWccn, peopleToLearnFrom, WCCN_MIN_FACES_PER_PERSON, WCCN_MIN_PEOPLE } from './within-person.ts';

export const FEATURE_NAMES = ['landmarks', 'landmarks-aligned', 'ratios', 'descriptor', 'landmarks-wccn'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Blocks learned from the tagged faces: they need enough of them (within-person.ts), and their identity signal would be a leak. */
export const LEARNED_FEATURES: readonly FeatureName[] = ['landmarks-wccn'];

export interface FeatureBlock {
  name: FeatureName;
  weight: number;
}

export interface FaceInput {
  /** 68 points as x0, y0, … (136 numbers), image coordinates. */
  landmarks: ArrayLike<number>;
  descriptor: ArrayLike<number>;
  /** The person tagged on the face; only blocks learned from the tags read it. */
  identity?: string | null;
}

/**
 * Parses "descriptor:1,landmarks-aligned:0.5" (a missing weight means 1). Throws an Error
 * that quotes the offending part: unknown name, bad weight, empty or repeated block.
 */
export function parseFeatureSpec(spec: string): FeatureBlock[] {
  if (spec.trim() === '') throw new Error('feature spec is empty');
  const blocks: FeatureBlock[] = [];
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    if (part === '') throw new Error(`feature spec "${spec}" has an empty block`);
    const colon = part.indexOf(':');
    const name = (colon < 0 ? part : part.slice(0, colon)).trim();
    const weightText = colon < 0 ? '1' : part.slice(colon + 1).trim();
    if (!(FEATURE_NAMES as readonly string[]).includes(name)) {
      throw new Error(`unknown feature "${name}" in "${part}" (known: ${FEATURE_NAMES.join(', ')})`);
    }
    const weight = Number(weightText);
    if (weightText === '' || !Number.isFinite(weight) || weight <= 0) {
      throw new Error(`feature "${part}": weight must be a positive number, got "${weightText}"`);
    }
    if (blocks.some((b) => b.name === name)) throw new Error(`feature "${name}" is listed twice in "${spec}"`);
    blocks.push({ name: name as FeatureName, weight });
  }
  return blocks;
}

/** Whether a feature spec reads the landmarks (every block but the descriptor does), which decides the quality gates it needs. */
export function readsLandmarks(blocks: readonly FeatureBlock[]): boolean {
  return blocks.some((b) => b.name !== 'descriptor');
}

/**
 * Builds one row per face. Each block is computed, brought to unit total variance and
 * multiplied by its weight, then the blocks are concatenated, so that a weight is the block's
 * share whatever its units and its number of columns (136 landmark numbers would otherwise
 * outweigh 11 ratios, and drown the descriptor): `descriptor:1,landmarks-aligned:0.5` gives the
 * landmarks a quarter of the descriptor's variance.
 *
 * Landmark blocks are z-scored per column first (constant columns become 0). The descriptor is
 * only scaled, never z-scored: its Euclidean geometry is the one the recognition network was
 * trained for (same-person faces within ~0.45), and per-column z-scoring would stretch
 * low-variance dimensions and distort it. A spec that is the descriptor alone is only multiplied
 * by its weight, so distances to centroids read in the embedding's own units.
 */
export function buildFeatureMatrix(faces: readonly FaceInput[], spec: string | readonly FeatureBlock[]): Matrix {
  const blocks = typeof spec === 'string' ? parseFeatureSpec(spec) : spec;
  if (blocks.length === 0) throw new Error('feature spec has no blocks');
  const descriptorAlone = blocks.length === 1 && blocks[0].name === 'descriptor';
  faces.forEach((face, i) => checkFace(face, i, faces[0].descriptor.length, readsLandmarks(blocks)));
  if (descriptorAlone) {
    // The common case, at library scale: one block, scaled in place, no copy.
    const block = blockMatrix(faces, 'descriptor');
    for (let i = 0; i < block.data.length; i++) block.data[i] *= blocks[0].weight;
    return block;
  }
  const parts = blocks.map(({ name, weight }) => {
    const block = blockMatrix(faces, name);
    // The whitened block's spread along each axis is the point of it: z-scoring would undo it.
    const scaled = name === 'descriptor' || name === 'landmarks-wccn' ? block : standardiseColumns(block);
    const factor = weight / Math.sqrt(totalVariance(scaled) || 1);
    for (let i = 0; i < scaled.data.length; i++) scaled.data[i] *= factor;
    return scaled;
  });
  const cols = parts.reduce((sum, p) => sum + p.cols, 0);
  const out = createMatrix(faces.length, cols);
  let offset = 0;
  for (const part of parts) {
    for (let i = 0; i < faces.length; i++) {
      out.data.set(part.data.subarray(i * part.cols, (i + 1) * part.cols), i * cols + offset);
    }
    offset += part.cols;
  }
  return out;
}

/** A face's descriptor, and its landmarks when a block reads them, are complete and finite. */
function checkFace(face: FaceInput, i: number, descriptorLength: number, landmarksRead: boolean): void {
  if (landmarksRead && face.landmarks.length !== 2 * POINT_COUNT) {
    throw new Error(`face ${i}: landmarks have ${face.landmarks.length} numbers, expected ${2 * POINT_COUNT}`);
  }
  if (face.descriptor.length === 0 || face.descriptor.length !== descriptorLength) {
    throw new Error(`face ${i}: descriptor has ${face.descriptor.length} numbers, expected ${descriptorLength}`);
  }
  for (const values of [face.landmarks, face.descriptor]) {
    for (let j = 0; j < values.length; j++) {
      if (!Number.isFinite(values[j])) throw new Error(`face ${i}: non-finite value ${values[j]} in its landmarks or descriptor`);
    }
  }
}

function blockMatrix(faces: readonly FaceInput[], name: FeatureName): Matrix {
  let rowOf: (face: FaceInput) => Float64Array;
  switch (name) {
    case 'landmarks':
      rowOf = (face) => landmarkFeatures(face.landmarks);
      break;
    case 'landmarks-aligned': {
      const mean = procrustesMeanShape(faces.map((f) => f.landmarks));
      rowOf = (face) => alignedLandmarkFeatures(face.landmarks, mean);
      break;
    }
    case 'ratios':
      rowOf = (face) => ratioFeatures(face.landmarks);
      break;
    case 'descriptor': {
      const width = faces[0]?.descriptor.length ?? 0;
      const m = createMatrix(faces.length, width);
      faces.forEach((face, i) => l2NormaliseInto(face.descriptor, m.data, i * width));
      return m;
    }
    case 'landmarks-wccn':
      return whitenedWithinPerson(faces);
  }
  const width = blockWidth(name, faces[0]?.descriptor.length ?? 0);
  const m = createMatrix(faces.length, width);
  faces.forEach((face, i) => m.data.set(rowOf(face), i * width));
  return m;
}

/** Columns of a block: what a run's memory is weighed by before anything is built. */
function blockWidth(name: FeatureName, descriptorLength: number): number {
  return name === 'ratios' ? RATIO_NAMES.length : name === 'descriptor' ? descriptorLength : 2 * POINT_COUNT;
}

/** Columns of the feature matrix of these blocks, without building it. */
export function featureWidth(blocks: readonly FeatureBlock[], descriptorLength: number): number {
  return blocks.reduce((sum, b) => sum + blockWidth(b.name, descriptorLength), 0);
}

/**
 * `landmarks-aligned`, z-scored, with what varies within a person whitened away (WCCN learned from
 * the tagged faces among `faces`, applied to all of them). Measured cross-validated by person
 * (`npm run bench -- geometry`: learned on half the people, scored on the others), it is the only
 * landmark feature set that beats `ratios` on ARI in every setting on lfw-dev, ORL and the TV cast,
 * while head-pose regression alone does not hold on ORL.
 */
function whitenedWithinPerson(faces: readonly FaceInput[]): Matrix {
  const ready = peopleToLearnFrom(faces.map((f) => f.identity));
  if (ready < WCCN_MIN_PEOPLE) {
    throw new Error(`landmarks-wccn: ${ready} of the ${WCCN_MIN_PEOPLE} people with ${WCCN_MIN_FACES_PER_PERSON} tagged faces it learns from`);
  }
  const aligned = standardiseColumns(blockMatrix(faces, 'landmarks-aligned'));
  const tagged = faces.flatMap((f, i) => (f.identity != null ? [i] : []));
  const learn = learnWccn(
    pickRows(aligned, tagged),
    tagged.map((i) => faces[i].identity!),
  );
  return learn(aligned);
}

/**
 * The baseline recipe: subtract the midpoint of the two eye centres and divide by the distance
 * between them, so that position and scale (not rotation) are removed.
 */
export function landmarkFeatures(landmarks: Shape): Float64Array {
  const { centre, interocular } = eyeFrame(landmarks);
  const scale = interocular > 0 ? 1 / interocular : 0;
  const out = new Float64Array(landmarks.length);
  for (let i = 0; i < landmarks.length; i += 2) {
    out[i] = (landmarks[i] - centre.x) * scale;
    out[i + 1] = (landmarks[i + 1] - centre.y) * scale;
  }
  return out;
}

/**
 * Generalised Procrustes analysis: the mean pre-shape (centred, unit norm) of the shapes after
 * each is similarity-aligned to it. Iterates align-all → average → renormalise, turning each new
 * mean onto the previous one so that the rotation does not drift, until the mean stops moving.
 */
export function procrustesMeanShape(shapes: readonly Shape[], maxIterations = 100, tolerance = 1e-10): Float64Array {
  if (shapes.length === 0) throw new Error('the Procrustes mean needs at least one shape');
  const preShapes = shapes.map(normaliseShape);
  let mean = preShapes[0];
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const sum = new Float64Array(mean.length);
    for (const shape of preShapes) {
      const aligned = alignTo(shape, mean);
      for (let j = 0; j < sum.length; j++) sum[j] += aligned[j];
    }
    const next = normaliseShape(alignTo(normaliseShape(sum), mean));
    let change = 0;
    for (let j = 0; j < next.length; j++) change += (next[j] - mean[j]) ** 2;
    mean = next;
    if (Math.sqrt(change) < tolerance) break;
  }
  return mean;
}

/**
 * `landmarks`, then in-plane rotation and residual scale removed by a similarity Procrustes fit
 * to the mean pre-shape (from procrustesMeanShape). The eye normalisation is itself a
 * similarity transform, so the fit starts from the pre-shape; the result is expressed in the
 * mean shape's eye frame (origin at its eye midpoint, unit = its eye distance), the same units
 * as `landmarks`.
 */
export function alignedLandmarkFeatures(landmarks: Shape, meanPreShape: Shape): Float64Array {
  const aligned = alignTo(normaliseShape(landmarks), meanPreShape);
  const { centre, interocular } = eyeFrame(meanPreShape);
  const scale = interocular > 0 ? 1 / interocular : 0;
  for (let i = 0; i < aligned.length; i += 2) {
    aligned[i] = (aligned[i] - centre.x) * scale;
    aligned[i + 1] = (aligned[i + 1] - centre.y) * scale;
  }
  return aligned;
}

/**
 * Scale- and rotation-free measurements (iBUG 68 indices; "interocular" = distance between
 * the eye centres, the means of 36–41 and 42–47; both-sides measures are averaged):
 *
 * | name                     | measurement                                                        |
 * |--------------------------|--------------------------------------------------------------------|
 * | eye-width/nose-length    | eye corner to corner (36–39, 42–45) / nose bridge top to base (27–33) |
 * | face-width/face-height   | jaw ends (0–16) / brow midpoint (mean 17–26) to chin (8)            |
 * | jaw-angle                | angle at the jaw corner (4, 12) between ramus (to 0, 16) and body (to 8), radians |
 * | jaw-curvature            | jaw contour length 0→…→16 / straight distance 0–16                  |
 * | mouth-width/interocular  | mouth corners (48–54) / interocular                                 |
 * | nose-width/interocular   | nostril wings (31–35) / interocular                                 |
 * | eye-height/eye-width     | lid gaps (37–41, 38–40 and 43–47, 44–46) / eye corners              |
 * | brow-eye/interocular     | brow centre (17–21, 22–26) to eye centre / interocular              |
 * | lower-face/interocular   | nose base (33) to chin (8) / interocular                            |
 * | mouth-height/mouth-width | outer lips top to bottom (51–57) / mouth corners (48–54)            |
 * | inner-canthi/interocular | inner eye corners (39–42) / interocular                             |
 *
 * A zero denominator (degenerate landmarks) gives 0 rather than NaN.
 */
export const RATIO_NAMES = [
  'eye-width/nose-length',
  'face-width/face-height',
  'jaw-angle',
  'jaw-curvature',
  'mouth-width/interocular',
  'nose-width/interocular',
  'eye-height/eye-width',
  'brow-eye/interocular',
  'lower-face/interocular',
  'mouth-height/mouth-width',
  'inner-canthi/interocular',
] as const;

export function ratioFeatures(landmarks: Shape): Float64Array {
  const p = (i: number) => point(landmarks, i);
  const gap = (i: number, j: number) => distance(p(i), p(j));
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  const { interocular } = eyeFrame(landmarks);
  const eyeWidth = (gap(36, 39) + gap(42, 45)) / 2;
  const browCentre = centroidOf(landmarks, [17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
  let jawLength = 0;
  for (let i = 0; i < 16; i++) jawLength += gap(i, i + 1);
  const eyeHeight = (gap(37, 41) + gap(38, 40) + gap(43, 47) + gap(44, 46)) / 4;
  const browEye =
    (distance(centroidOf(landmarks, [17, 18, 19, 20, 21]), centroidOf(landmarks, [36, 37, 38, 39, 40, 41])) +
      distance(centroidOf(landmarks, [22, 23, 24, 25, 26]), centroidOf(landmarks, [42, 43, 44, 45, 46, 47]))) /
    2;
  return Float64Array.from([
    ratio(eyeWidth, gap(27, 33)),
    ratio(gap(0, 16), distance(browCentre, p(8))),
    (angleAt(p(4), p(0), p(8)) + angleAt(p(12), p(16), p(8))) / 2,
    ratio(jawLength, gap(0, 16)),
    ratio(gap(48, 54), interocular),
    ratio(gap(31, 35), interocular),
    ratio(eyeHeight, eyeWidth),
    ratio(browEye, interocular),
    ratio(gap(33, 8), interocular),
    ratio(gap(51, 57), gap(48, 54)),
    ratio(gap(39, 42), interocular),
  ]);
}

/** Sum of the columns' variances (population form). */
function totalVariance(m: Matrix): number {
  const means = columnMeans(m);
  let sum = 0;
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) sum += (m.data[i * m.cols + j] - means[j]) ** 2;
  return m.rows > 0 ? sum / m.rows : 0;
}

/** Angle at `vertex` between the rays to `a` and `b`, in radians (0 when a ray has no length). */
function angleAt(vertex: Point, a: Point, b: Point): number {
  const ax = a.x - vertex.x;
  const ay = a.y - vertex.y;
  const bx = b.x - vertex.x;
  const by = b.y - vertex.y;
  if ((ax === 0 && ay === 0) || (bx === 0 && by === 0)) return 0;
  return Math.abs(Math.atan2(ax * by - ay * bx, ax * bx + ay * by));
}
