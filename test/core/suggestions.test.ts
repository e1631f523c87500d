// Suggestion ranking on hand-made 2-D descriptors: exact distances, confidences and order, with rejections.
import { describe, expect, it } from 'vitest';
import { confidenceAt, nearestRow, personModel, rankSuggestions, type DescriptorRows } from '../../src/core/suggestions.ts';

const rows = (ids: number[], points: [number, number][]): DescriptorRows => ({ ids, data: Float32Array.from(points.flat()), dims: 2 });
const person = (identityId: number, points: [number, number][]) => personModel(identityId, Float32Array.from(points.flat()), 2);

// A: mean (1, 1), own distances √2, √2, 2, reach 2. B: mean (10, 2), own distances 2, 2, reach 2.
// Confidence at d = (own faces at ≥ d + 3 · (1 − d / reach)) / (own faces + 3).
const A = person(1, [
  [0, 0],
  [2, 0],
  [1, 3],
]);
const B = person(2, [
  [10, 0],
  [10, 4],
]);
const candidates = rows(
  [101, 102, 103, 104, 105, 106],
  [
    [1, 1], // A at 0: as central as any → 1
    [1, 2.5], // A at 1.5: only A's farthest face is as far → (1 + 0.75) / 6
    [10, 3], // B at 1 → (2 + 1.5) / 5
    [5.5, 1.5], // farther than every face of both → never suggested
    [2, 1], // A at 1 → (3 + 1.5) / 6
    [1, 0.5], // A at 0.5, but rejected for A
  ],
);
const isRejected = (faceId: number, identityId: number) => faceId === 106 && identityId === 1;

describe('personModel and confidenceAt', () => {
  it("counts the share of the person's own faces at least as far from the mean, smoothed up to the reach", () => {
    expect(Array.from(A.centre)).toEqual([1, 1]);
    expect(Array.from(A.ownDistances)).toEqual([Math.SQRT2, Math.SQRT2, 2]);
    expect(A.reach).toBe(2);
    expect(confidenceAt(A, 0)).toBe(1);
    expect(confidenceAt(A, Math.SQRT2)).toBeCloseTo((3 + 3 * (1 - Math.SQRT2 / 2)) / 6, 12);
    expect(confidenceAt(A, 1.5)).toBeCloseTo(1.75 / 6, 12);
    expect(confidenceAt(A, 2)).toBeCloseTo(1 / 6, 12);
    expect(confidenceAt(A, 2.0001)).toBe(0);
  });

  it('reaches at least the given minimum: two near-identical tagged faces still get suggestions', () => {
    const twins = personModel(3, Float32Array.from([0, 0, 0, 0.2]), 2, 1);
    expect(twins.reach).toBe(1);
    // Both own faces lie at 0.1, so a face at 0.5 is farther than all of them, yet inside the reach.
    expect(confidenceAt(twins, 0.5)).toBeCloseTo((0 + 3 * 0.5) / 5, 12);
    expect(confidenceAt(twins, 1.01)).toBe(0);
  });

  it('finds the row nearest a mean', () => {
    expect(nearestRow(Float32Array.from([0, 0, 2, 0, 1, 3]), A.centre)).toBe(0);
    expect(nearestRow(new Float32Array(0), A.centre)).toBe(-1);
  });
});

describe('rankSuggestions', () => {
  it("ranks one person's candidates nearest first, without rejected pairs or zero confidence", () => {
    expect(rankSuggestions(candidates, [A, B], { identityId: 1, isRejected })).toEqual([
      { faceId: 101, identityId: 1, distance: 0, confidence: 1 },
      { faceId: 105, identityId: 1, distance: 1, confidence: 0.75 },
      { faceId: 102, identityId: 1, distance: 1.5, confidence: expect.closeTo(1.75 / 6, 12) },
    ]);
    expect(rankSuggestions(candidates, [A, B], { identityId: 2, isRejected })).toEqual([{ faceId: 103, identityId: 2, distance: 1, confidence: 0.7 }]);
  });

  it('gives each face its best person, by confidence then distance then face id', () => {
    expect(rankSuggestions(candidates, [A, B], { isRejected })).toEqual([
      { faceId: 101, identityId: 1, distance: 0, confidence: 1 },
      { faceId: 105, identityId: 1, distance: 1, confidence: 0.75 },
      { faceId: 103, identityId: 2, distance: 1, confidence: 0.7 },
      { faceId: 102, identityId: 1, distance: 1.5, confidence: expect.closeTo(1.75 / 6, 12) },
    ]);
  });

  it('breaks a tie in confidence between people by the smaller distance', () => {
    // P: mean (0, 2), reach 2; Q: mean (3, 2), reach 4. The face at (1, 2) scores (2 + 1.5) / 5 for both.
    const P = person(5, [
      [0, 0],
      [0, 4],
    ]);
    const Q = person(6, [
      [3, -2],
      [3, 6],
    ]);
    expect(confidenceAt(P, 1)).toBe(confidenceAt(Q, 2));
    expect(rankSuggestions(rows([1], [[1, 2]]), [Q, P])).toEqual([{ faceId: 1, identityId: 5, distance: 1, confidence: 0.7 }]);
  });
});
