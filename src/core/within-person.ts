// What varies within a person, learned from tagged faces: WCCN (within-class covariance normalisation) whitens it away.

import { encodeLabels } from './labels.ts';
import { clusterMeans, createMatrix, type Matrix } from './matrix.ts';
import { fitPca } from './pca.ts';

/**
 * The least a within-person covariance is learned from: at least this many people with at least
 * this many tagged faces each. The smallest training set measured (`npm run bench -- geometry`, a
 * fold of faceapi-bbt-cast: 4 people, 19 faces) still beat `ratios`; fewer is guesswork.
 */
export const WCCN_MIN_PEOPLE = 4;
export const WCCN_MIN_FACES_PER_PERSON = 4;

/** How many people have at least WCCN_MIN_FACES_PER_PERSON tagged faces among `identities` (null: untagged). */
export function peopleToLearnFrom(identities: readonly (string | null | undefined)[]): number {
  const counts = new Map<string, number>();
  for (const identity of identities) if (identity != null) counts.set(identity, (counts.get(identity) ?? 0) + 1);
  return [...counts.values()].filter((n) => n >= WCCN_MIN_FACES_PER_PERSON).length;
}

/** Each row minus its person's mean row: what varies within a person. */
export function withinPersonDeviations(m: Matrix, people: readonly string[]): Matrix {
  const { codes, names } = encodeLabels(people);
  const { means } = clusterMeans(m, codes, names.length);
  const out = createMatrix(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) out.data[i * m.cols + j] = m.data[i * m.cols + j] - means.data[codes[i] * m.cols + j];
  }
  return out;
}

/**
 * Learns WCCN from the rows of `train` (one person per row) and returns the transform: rows turned
 * onto the axes of the within-person covariance and divided by its spread along each, so that the
 * directions a person's face moves along (head turn, expression) count for little and the rest for
 * much. Axes with (almost) no within-person spread are floored at 1e-3 of the largest variance, so
 * that they are not blown up without bound (and at 1e-12, so that faces that never vary give zeros, not NaN).
 */
export function learnWccn(train: Matrix, people: readonly string[]): (m: Matrix) => Matrix {
  const within = fitPca(withinPersonDeviations(train, people));
  const floor = Math.max(1e-3 * within.variances[0], 1e-12);
  const scales = within.variances.map((v) => Math.sqrt(Math.max(v, floor)));
  const axes = within.components;
  return (m) => {
    const out = createMatrix(m.rows, axes.rows);
    for (let i = 0; i < m.rows; i++) {
      for (let c = 0; c < axes.rows; c++) {
        let dot = 0;
        for (let j = 0; j < m.cols; j++) dot += m.data[i * m.cols + j] * axes.data[c * m.cols + j];
        out.data[i * axes.rows + c] = dot / scales[c];
      }
    }
    return out;
  };
}
