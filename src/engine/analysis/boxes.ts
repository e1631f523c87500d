// Box overlap, by which the analysis merges its detectors' finds and a re-analysed photo keeps its faces' ids.
import type { Box } from '../../shared/contract.ts';

/** Intersection over union of two boxes: 1 for the same box, 0 for boxes that do not touch. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.w * a.h + b.w * b.h - inter);
}
