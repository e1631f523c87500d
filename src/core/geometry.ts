// 2-D landmark geometry shared by the quality gates and the landmark features (68-point iBUG layout).

/** 68 points as x0, y0, x1, y1, … (136 numbers), in image coordinates unless stated. */
export type Shape = ArrayLike<number>;

export const POINT_COUNT = 68;
/** The eye on the image's left: the subject's right eye. */
export const IMAGE_LEFT_EYE = [36, 37, 38, 39, 40, 41] as const;
/** The eye on the image's right: the subject's left eye. */
export const IMAGE_RIGHT_EYE = [42, 43, 44, 45, 46, 47] as const;
const NOSE_TIP = 30;
const JAW_LEFT = 0;
const JAW_RIGHT = 16;

export interface Point {
  x: number;
  y: number;
}

export function point(shape: Shape, index: number): Point {
  return { x: shape[2 * index], y: shape[2 * index + 1] };
}

export function centroidOf(shape: Shape, indices: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    x += shape[2 * i];
    y += shape[2 * i + 1];
  }
  return { x: x / indices.length, y: y / indices.length };
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

export interface EyeFrame {
  left: Point;
  right: Point;
  centre: Point;
  interocular: number;
}

/** Eye centres (means of points 36–41 and 42–47), their midpoint and distance. */
export function eyeFrame(shape: Shape): EyeFrame {
  const left = centroidOf(shape, IMAGE_LEFT_EYE);
  const right = centroidOf(shape, IMAGE_RIGHT_EYE);
  return {
    left,
    right,
    centre: { x: (left.x + right.x) / 2, y: (left.y + right.y) / 2 },
    interocular: distance(left, right),
  };
}

/** Translates to the centroid and scales to unit Frobenius norm (the Procrustes pre-shape). */
export function normaliseShape(shape: Shape): Float64Array {
  const n = shape.length / 2;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    cx += shape[2 * i];
    cy += shape[2 * i + 1];
  }
  cx /= n;
  cy /= n;
  const out = new Float64Array(shape.length);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    out[2 * i] = shape[2 * i] - cx;
    out[2 * i + 1] = shape[2 * i + 1] - cy;
    norm += out[2 * i] ** 2 + out[2 * i + 1] ** 2;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}

/**
 * Similarity-aligns a pre-shape onto a reference pre-shape (both from normaliseShape): the
 * rotation and scale that minimise the squared distance, in closed form for 2-D.
 */
export function alignTo(preShape: Shape, reference: Shape): Float64Array {
  let a = 0;
  let b = 0;
  for (let i = 0; i < preShape.length; i += 2) {
    const x = preShape[i];
    const y = preShape[i + 1];
    const rx = reference[i];
    const ry = reference[i + 1];
    a += x * rx + y * ry;
    b += x * ry - y * rx;
  }
  // a = s·cosθ·|x|², b = s·sinθ·|x|² with |x| = 1 for a pre-shape.
  const out = new Float64Array(preShape.length);
  for (let i = 0; i < preShape.length; i += 2) {
    const x = preShape[i];
    const y = preShape[i + 1];
    out[i] = a * x - b * y;
    out[i + 1] = b * x + a * y;
  }
  return out;
}

/**
 * Root-mean-square distance per point between a shape and the reference after similarity
 * alignment, in units of the reference's size (pre-shapes have unit norm, so divide by √68 to get
 * a per-point figure and multiply back by √68 to read it as a share of the shape's radius).
 * Misplaced landmarks (a jaw on the background, eyes on the eyebrows) show as a large residual.
 */
export function fitResidual(shape: Shape, referencePreShape: Shape): number {
  const aligned = alignTo(normaliseShape(shape), referencePreShape);
  let sum = 0;
  for (let i = 0; i < aligned.length; i++) sum += (aligned[i] - referencePreShape[i]) ** 2;
  return Math.sqrt(sum);
}

/** In-plane rotation of the eye line, in degrees; positive when the image-right eye is lower. */
export function estimateRoll(shape: Shape): number {
  const { left, right } = eyeFrame(shape);
  return (Math.atan2(right.y - left.y, right.x - left.x) * 180) / Math.PI;
}

/**
 * Head turn from the nose tip's position between the two jaw ends (points 0 and 16), measured
 * along the eye line so that roll does not leak in. A frontal face has the nose tip halfway
 * (0); the jaw end on the far side comes towards the nose as the head turns. Treating the face
 * as a cylinder, the sideways offset o in [-1, 1] maps to yaw = asin(o). Degrees; positive when
 * the nose points to the image's right.
 */
export function estimateYaw(shape: Shape): number {
  const { left, right } = eyeFrame(shape);
  const ux = right.x - left.x;
  const uy = right.y - left.y;
  const len = Math.hypot(ux, uy) || 1;
  const along = (p: Point) => (p.x * ux + p.y * uy) / len;
  const a = along(point(shape, JAW_LEFT));
  const b = along(point(shape, JAW_RIGHT));
  const nose = along(point(shape, NOSE_TIP));
  const half = (b - a) / 2;
  if (half <= 0) return Number.NaN;
  const offset = Math.max(-1, Math.min(1, (nose - (a + b) / 2) / half));
  return (Math.asin(offset) * 180) / Math.PI;
}
