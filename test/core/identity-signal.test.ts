// How much identity a feature space carries: leave-one-out nearest neighbour against chance, by hand.
import { describe, expect, it } from 'vitest';
import { identitySignal } from '../../src/core/identity-signal.ts';
import { matrixFromRows } from '../../src/core/matrix.ts';

describe('identitySignal', () => {
  it('scores a space that separates people perfectly', () => {
    // A, A near 0; B, B near 10: every nearest neighbour is the same person.
    // Chance: Σ a(a−1) / n(n−1) = (2 + 2) / 12 = 1/3; lift = (1 − 1/3) / (1 − 1/3) = 1.
    const s = identitySignal(matrixFromRows([[0], [1], [10], [11]]), ['A', 'A', 'B', 'B']);
    expect(s.nearestSameIdentity).toBe(1);
    expect(s.chance).toBeCloseTo(1 / 3, 12);
    expect(s.lift).toBeCloseTo(1, 12);
  });

  it('scores a space that mixes people, and ignores untagged faces', () => {
    // Points 0, 1, 10, 11 tagged A, B, A, B: each nearest neighbour is the other person → accuracy 0.
    // lift = (0 − 1/3) / (2/3) = −0.5. The untagged face at 0.4 would otherwise be everyone's neighbour.
    const s = identitySignal(matrixFromRows([[0], [1], [10], [11], [0.4]]), ['A', 'B', 'A', 'B', null]);
    expect(s.nearestSameIdentity).toBe(0);
    expect(s.lift).toBeCloseTo(-0.5, 12);
  });

  it('gives zeros when fewer than two faces are tagged', () => {
    expect(identitySignal(matrixFromRows([[0], [1]]), ['A', null])).toEqual({ nearestSameIdentity: 0, chance: 0, lift: 0 });
  });
});
