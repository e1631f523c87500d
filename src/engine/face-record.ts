// A stored face as clustering, matching and reports read it: with its photo, its tag and its mark.
import type { Box, FaceMark } from '../shared/contract.ts';

/** A face with its photo, its tag and its mark, as clustering needs it. */
export interface FaceRecord {
  id: number;
  photoId: number;
  path: string;
  photoWidth: number;
  photoHeight: number;
  box: Box;
  score: number;
  size: number;
  yaw: number | null;
  roll: number | null;
  fitResidual: number | null;
  padding: number;
  /** Not found by the latest analysis of its photo: kept for what the user said about it, left out of runs. */
  missed: boolean;
  landmarks: Float32Array;
  descriptor: Float32Array;
  identityId: number | null;
  identity: string | null;
  mark: FaceMark | null;
}
