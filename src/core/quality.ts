// Quality gates: which faces are too unreliable to cluster, and why (thresholds are parameters).

export interface QualityGates {
  /** Detection confidence below this: likely not a face. */
  minScore: number;
  /** Shorter side of the box in pixels: below this the descriptor sees mostly blur. */
  minSize: number;
  /** Landmark distance to the mean shape after similarity alignment (unit-norm shapes). */
  maxFitResidual: number;
  /** Head turn in degrees: beyond it the landmark features describe the pose, not the face. */
  maxYaw: number;
}

/**
 * Defaults, measured on the 1,520 faces SSD finds in ../shared/data/lfw-dev: the fit residual has
 * median 0.11 and 90th percentile 0.20; faces looked at around 0.17 are clean frontal faces, those
 * around 0.26 are cut off by the frame or in profile, and those above 0.6 are not faces at all
 * (background fragments). The gate at 0.2 leaves out about 10 % of faces, mostly bystanders.
 */
export const DEFAULT_QUALITY_GATES: QualityGates = { minScore: 0.5, minSize: 32, maxFitResidual: 0.2, maxYaw: 45 };

export interface FaceQuality {
  score: number;
  size: number;
  yaw: number | null;
  fitResidual: number | null;
}

export type QualityGateName = 'score' | 'size' | 'residual' | 'yaw';

/** One gate a face fails: the measured value (yaw as an absolute angle) and the limit it crossed. */
export interface QualityFailure {
  gate: QualityGateName;
  value: number;
  limit: number;
}

/**
 * The gates a clustering applies, by what it reads. A detection score under the limit says the
 * detection is likely not a face at all: every run applies it. Size, fit residual and yaw say the
 * landmarks describe blur, a misfit or the pose rather than the face: landmark features need them.
 * The descriptor holds up on those faces (even those with a residual above 0.6 are real faces,
 * blurred, cut by the frame or in profile), and a face left out of clustering can never be matched,
 * so a run on the descriptor alone keeps them (placed in their nearest cluster, the 11 % of lfw-dev's
 * faces these gates fail move its k-means ARI by at most 0.004).
 */
export function gatesFor(readsLandmarks: boolean): readonly QualityGateName[] {
  return readsLandmarks ? ['score', 'size', 'residual', 'yaw'] : ['score'];
}

/** The gates a face fails, in the order score, size, residual, yaw; empty when it passes. */
export function qualityFailures(face: FaceQuality, gates: QualityGates = DEFAULT_QUALITY_GATES): QualityFailure[] {
  const failures: QualityFailure[] = [];
  if (face.score < gates.minScore) failures.push({ gate: 'score', value: face.score, limit: gates.minScore });
  if (face.size < gates.minSize) failures.push({ gate: 'size', value: face.size, limit: gates.minSize });
  if (face.fitResidual !== null && face.fitResidual > gates.maxFitResidual)
    failures.push({ gate: 'residual', value: face.fitResidual, limit: gates.maxFitResidual });
  if (face.yaw !== null && Math.abs(face.yaw) > gates.maxYaw) failures.push({ gate: 'yaw', value: Math.abs(face.yaw), limit: gates.maxYaw });
  return failures;
}

/** A failure in words, for reports and logs. */
function describeQualityFailure({ gate, value, limit }: QualityFailure): string {
  switch (gate) {
    case 'score':
      return `detection score ${value.toFixed(2)} < ${limit}`;
    case 'size':
      return `face ${Math.round(value)} px < ${limit} px`;
    case 'residual':
      return `landmark fit residual ${value.toFixed(3)} > ${limit}`;
    case 'yaw':
      return `head turned ${Math.round(value)}° > ${limit}°`;
  }
}

/** The reasons a face fails the gates, in words; empty when it passes. */
export function qualityIssues(face: FaceQuality, gates: QualityGates = DEFAULT_QUALITY_GATES): string[] {
  return qualityFailures(face, gates).map(describeQualityFailure);
}
