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

/** The reasons a face fails the gates; empty when it passes. */
export function qualityIssues(face: FaceQuality, gates: QualityGates = DEFAULT_QUALITY_GATES): string[] {
  const issues: string[] = [];
  if (face.score < gates.minScore) issues.push(`detection score ${face.score.toFixed(2)} < ${gates.minScore}`);
  if (face.size < gates.minSize) issues.push(`face ${Math.round(face.size)} px < ${gates.minSize} px`);
  if (face.fitResidual !== null && face.fitResidual > gates.maxFitResidual)
    issues.push(`landmark fit residual ${face.fitResidual.toFixed(3)} > ${gates.maxFitResidual}`);
  if (face.yaw !== null && Math.abs(face.yaw) > gates.maxYaw) issues.push(`head turned ${Math.round(Math.abs(face.yaw))}° > ${gates.maxYaw}°`);
  return issues;
}
