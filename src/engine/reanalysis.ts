// Which faces of a re-analysed photo keep their ids, which are new, and which old ones go: a pure plan the catalog applies.
import type { Box } from '../shared/contract.ts';
import { iou } from './analysis/boxes.ts';

/** Faces of a re-analysed photo are matched to the old ones by box overlap to keep ids (and tags). */
const SAME_FACE_IOU = 0.5;

export interface StoredFace {
  id: number;
  box: Box;
  source: 'detector' | 'user';
  /** Carries a tag, a mark or a rejected suggestion: something the user said about it. */
  edited: boolean;
}

export interface ReanalysisPlan {
  /** Found faces (by index) that take over an old face's id. */
  update: { found: number; id: number }[];
  /** Found faces (by index) stored as new faces. */
  insert: number[];
  /** Old faces not found again but kept, as missed, for what the user said about them. */
  missed: number[];
  delete: number[];
}

/**
 * Each found face takes the id of the first old detector face it overlaps that no earlier found
 * face took. A found face over a face the user drew is dropped: the user's face stands as drawn.
 * Old detector faces not found again are kept as missed when the user said something about them,
 * deleted otherwise; faces the user drew are never touched.
 */
export function planReanalysis(old: readonly StoredFace[], found: readonly Box[]): ReanalysisPlan {
  const plan: ReanalysisPlan = { update: [], insert: [], missed: [], delete: [] };
  const kept = new Set<number>();
  const drawn = old.filter((o) => o.source === 'user');
  const detected = old.filter((o) => o.source === 'detector');
  found.forEach((box, index) => {
    if (drawn.some((o) => iou(box, o.box) >= SAME_FACE_IOU)) return;
    const match = detected.find((o) => !kept.has(o.id) && iou(box, o.box) >= SAME_FACE_IOU);
    if (match) {
      kept.add(match.id);
      plan.update.push({ found: index, id: match.id });
    } else {
      plan.insert.push(index);
    }
  });
  for (const o of detected) {
    if (kept.has(o.id)) continue;
    (o.edited ? plan.missed : plan.delete).push(o.id);
  }
  return plan;
}
