// What the analysis of a photo finds: each face's box, score, landmarks, descriptor and quality fields.
import type { Box } from '../../shared/contract.ts';

export interface AnalysedFace {
  box: Box;
  score: number;
  landmarks: Float32Array;
  descriptor: Float32Array;
  yaw: number;
  roll: number;
  fitResidual: number;
  padding: number;
}

export interface PhotoAnalysis {
  width: number;
  height: number;
  faces: AnalysedFace[];
  /** What produced it (detector, threshold, backend), stored as JSON with the photo. */
  analysis: Record<string, unknown>;
}
