// How much of a per-face quantity (yaw, roll, …) the clusters follow, compared with how much the identities do.

import { encodeLabels, type IdentityLabel } from './labels.ts';

export interface VarianceExplained {
  /** Faces counted: tagged, with a finite value. */
  faces: number;
  /** η² of the value grouped by cluster. */
  byCluster: number;
  /** η² of the value grouped by identity. */
  byIdentity: number;
}

/**
 * If the clusters explain yaw much better than the identities do, the clustering groups faces
 * by pose rather than by person. Both shares are measured on the same faces (tagged, with a
 * finite value, e.g. a yaw that could be estimated) so that they are comparable.
 */
export function explainByGroups(values: ArrayLike<number>, assignments: ArrayLike<number>, labels: ArrayLike<IdentityLabel>): VarianceExplained {
  if (assignments.length !== values.length || labels.length !== values.length) {
    throw new Error(`got ${values.length} values, ${assignments.length} assignments and ${labels.length} labels`);
  }
  const { codes } = encodeLabels(labels);
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) if (codes[i] >= 0 && Number.isFinite(values[i])) kept.push(i);
  const subset = (source: ArrayLike<number>) => kept.map((i) => source[i]);
  const subsetValues = subset(values);
  return {
    faces: kept.length,
    byCluster: etaSquared(subsetValues, subset(assignments)),
    byIdentity: etaSquared(subsetValues, subset(codes)),
  };
}

/**
 * η² = SS_between / SS_total, with SS_between = Σ_g n_g (mean_g − mean)² and
 * SS_total = Σ_i (x_i − mean)². 0 when the values do not vary (nothing to explain) or there are
 * no values; 1 when every group is constant.
 */
export function etaSquared(values: ArrayLike<number>, groups: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  const sums = new Map<number, { sum: number; count: number }>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += (values[i] - mean) ** 2;
    const entry = sums.get(groups[i]);
    if (entry) {
      entry.sum += values[i];
      entry.count++;
    } else {
      sums.set(groups[i], { sum: values[i], count: 1 });
    }
  }
  // Relative test: a constant value leaves a rounding-sized total that must not count as variance.
  if (!(total > n * 1e-24 * Math.max(1, mean * mean))) return 0;
  let between = 0;
  for (const { sum, count } of sums.values()) between += count * (sum / count - mean) ** 2;
  return Math.min(1, between / total);
}
