// Tests for calibrating the same-person distance cut from tagged pairs.
import { describe, expect, it } from 'vitest';
import { matrixFromRows } from '../../src/core/matrix.ts';
import {
  bestSeparatingCut,
  clusteringThreshold,
  descriptorThreshold,
  MIN_CALIBRATION_PAIRS,
  taggedPairDistances,
} from '../../src/core/threshold-calibration.ts';
import { DEFAULT_DESCRIPTOR_THRESHOLD } from '../../src/core/threshold-clustering.ts';

describe('bestSeparatingCut', () => {
  it('puts the cut midway across the gap when the kinds separate', () => {
    expect(bestSeparatingCut([0.1, 0.3, 0.2], [0.7, 0.5])).toEqual({ value: 0.4, errors: 0 });
  });

  it('minimises errors when the kinds overlap, the lowest of equally good cuts winning', () => {
    // Sorted: 0.1s 0.2s 0.3o 0.4s 0.5o 0.6o. Cut 0.25 → 1 error (0.4s); cut 0.45 → 1 error (0.3o): the lower wins.
    expect(bestSeparatingCut([0.1, 0.2, 0.4], [0.3, 0.5, 0.6])).toEqual({ value: 0.25, errors: 1 });
    // One more same pair at 0.45 makes 0.475 (1 error: 0.3o) better than 0.25 (2 errors).
    expect(bestSeparatingCut([0.1, 0.2, 0.4, 0.45], [0.3, 0.5, 0.6])).toEqual({ value: 0.475, errors: 1 });
  });

  it('never splits equal distances and handles the ends', () => {
    // Equal distances 0.5 (one of each): the cut lies below or above both.
    expect(bestSeparatingCut([0.5, 0.2], [0.5, 0.9])).toEqual({ value: 0.35, errors: 1 });
    expect(bestSeparatingCut([], [0.3, 0.4])).toEqual({ value: 0.3, errors: 0 });
    expect(bestSeparatingCut([0.3, 0.4], [])).toEqual({ value: 0.4 + 1e-9, errors: 0 });
    expect(() => bestSeparatingCut([], [])).toThrow(/no pairs/);
    expect(() => bestSeparatingCut([NaN], [1])).toThrow(/not a finite number/);
  });
});

describe('taggedPairDistances / descriptorThreshold', () => {
  // On a line: person 0 at 0 and 0.3, person 1 at 1, an untagged face at 0.1.
  const descriptors = matrixFromRows([[0], [0.3], [1], [0.1]]);
  const labels = [0, 0, 1, -1];

  it('splits the tagged pairs by person and leaves untagged faces out', () => {
    const { same, other, faces } = taggedPairDistances(descriptors, labels);
    expect(faces).toBe(3);
    expect(Array.from(same)).toEqual([expect.closeTo(0.3, 12)]);
    expect(Array.from(other)).toEqual([1, expect.closeTo(0.7, 12)]);
    // Above maxFaces, evenly spaced tagged faces: floor(j·3/2) → faces 0 and 1, one same-person pair.
    const sampled = taggedPairDistances(descriptors, labels, 2);
    expect(sampled.faces).toBe(2);
    expect(Array.from(sampled.same)).toEqual([expect.closeTo(0.3, 12)]);
    expect(Array.from(sampled.other)).toEqual([]);
    expect(() => taggedPairDistances(descriptors, [0])).toThrow(/1 labels for 4 descriptors/);
  });

  it('falls back to the default with too few pairs, and says why', () => {
    const threshold = descriptorThreshold(descriptors, labels);
    expect(threshold).toEqual({
      value: DEFAULT_DESCRIPTOR_THRESHOLD,
      source: 'default',
      detail: expect.stringMatching(/1 same-person and 2 other-person pairs.*20 of each/),
    });
  });

  it('calibrates on the tags once there are enough pairs of both kinds', () => {
    // Person 0: 7 faces at 0.00…0.06 (21 same pairs, all ≤ 0.06); person 1: 3 faces at 0.5, 0.52, 0.54 (3 same pairs ≤ 0.04).
    // Other pairs run from 0.44 upwards: the cut sits between 0.06 and 0.44.
    const rows = [0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.5, 0.52, 0.54].map((x) => [x]);
    const people = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];
    const { same, other } = taggedPairDistances(matrixFromRows(rows), people);
    expect(same.length).toBe(24);
    expect(other.length).toBe(21);
    expect(Math.min(same.length, other.length)).toBeGreaterThanOrEqual(MIN_CALIBRATION_PAIRS);
    const threshold = descriptorThreshold(matrixFromRows(rows), people);
    expect(threshold.source).toBe('tags');
    expect(threshold.value).toBeCloseTo((0.06 + 0.44) / 2, 12);
    expect(threshold.detail).toMatch(/24 same-person from 21 other-person pairs among 10 tagged faces: 0 pairs \(0.0 %\)/);
  });
});

describe('clusteringThreshold', () => {
  // 20 people of two faces 0.3 apart, people 10 apart (1-D): 20 same-person and 760 other-person pairs. Either method
  // regroups them exactly at every cut above 0.3 (a merge must be below the cut) up to the range's top, 0.65: the
  // plateau runs from 0.305 to 0.65, and the cut is its middle.
  const rows = Array.from({ length: 40 }, (_, i) => [10 * Math.floor(i / 2) + (i % 2) * 0.3]);
  const labels = Array.from({ length: 40 }, (_, i) => Math.floor(i / 2));

  it('takes the middle of the cuts at which the tagged people are regrouped best, by the method the run uses', () => {
    for (const method of ['agglomerative', 'chinese-whispers'] as const) {
      const cut = clusteringThreshold(matrixFromRows(rows), labels, method);
      expect(cut.source).toBe('tags');
      expect(cut.value).toBeCloseTo((0.305 + 0.65) / 2, 9);
      expect(cut.detail).toMatch(/cuts \(0\.305–0\.650\) at which .* best regroups 40 tagged faces of 20 people \(ARI 1\.000\)/);
    }
  });

  it('moves with where the people part: a person whose faces sit wider apart raises the plateau’s start', () => {
    const wider = rows.map((row, i) => (i === 1 ? [0.4] : row));
    expect(clusteringThreshold(matrixFromRows(wider), labels, 'agglomerative').value).toBeCloseTo((0.405 + 0.65) / 2, 9);
  });

  it('is the default while fewer than 20 pairs of either kind are tagged, untagged faces aside', () => {
    const few = labels.map((label, i) => (i < 18 ? label : -1));
    expect(clusteringThreshold(matrixFromRows(rows), few, 'agglomerative')).toEqual({
      value: DEFAULT_DESCRIPTOR_THRESHOLD,
      source: 'default',
      detail: expect.stringMatching(/9 same-person and 144 other-person pairs/),
    });
  });
});
