// How much identity a feature space carries: leave-one-out nearest-neighbour agreement among tagged faces.
import { encodeLabels, type IdentityLabel } from './labels.ts';
import { nearestOtherRow, type Matrix } from './matrix.ts';

export interface IdentitySignal {
  /** Share of tagged faces whose nearest other tagged face (in this space) is the same person. */
  nearestSameIdentity: number;
  /** That share if the neighbour were a random other tagged face: Σ_i a_i(a_i − 1) / (n(n − 1)). */
  chance: number;
  /** (accuracy − chance) / (1 − chance): 0 no better than chance, 1 always right. */
  lift: number;
}

/** Lift at or above which a space is said to carry identity, and below which it carries little. */
export const STRONG_LIFT = 0.5;
export const WEAK_LIFT = 0.15;

export function identitySignal(space: Matrix, labels: ArrayLike<IdentityLabel>): IdentitySignal {
  const { codes, names } = encodeLabels(labels);
  const tagged: number[] = [];
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) tagged.push(i);
  const n = tagged.length;
  if (n < 2) return { nearestSameIdentity: 0, chance: 0, lift: 0 };
  const sizes = new Array<number>(names.length).fill(0);
  for (const i of tagged) sizes[codes[i]]++;
  const chance = sizes.reduce((sum, a) => sum + a * (a - 1), 0) / (n * (n - 1));
  let same = 0;
  for (const i of tagged) {
    if (codes[nearestOtherRow(space, i, tagged)] === codes[i]) same++;
  }
  const accuracy = same / n;
  const lift = chance < 1 ? (accuracy - chance) / (1 - chance) : 0;
  return { nearestSameIdentity: accuracy, chance, lift };
}
