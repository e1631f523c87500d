// How much identity a feature space carries: leave-one-out nearest neighbour against chance, by hand.
import { describe, expect, it } from 'vitest';
import { identitySignal, MAX_SIGNAL_DISTANCES, signalQueries } from '../../src/core/identity-signal.ts';
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

  it('asks every tagged face of a library the size of the shipped sets, and evenly spaced ones of a large library', () => {
    expect(signalQueries(1650)).toEqual(Array.from({ length: 1650 }, (_, i) => i));
    const queries = signalQueries(100_000);
    expect(queries.length * 100_000).toBeLessThanOrEqual(MAX_SIGNAL_DISTANCES);
    expect(queries.slice(0, 3)).toEqual([0, 500, 1000]);
    expect(queries.at(-1)).toBe(99_500);
  });

  it('takes its queries from the whole library, not its first faces', () => {
    // 6,000 tagged faces in pairs one apart, pairs 100 apart: the first 3,000 pair up with their own person,
    // the last 3,000 with someone else. Over every face the share is 0.5; over the first faces it would be 1.
    const rows: number[][] = [];
    const labels: string[] = [];
    for (let pair = 0; pair < 3000; pair++) {
      rows.push([100 * pair], [100 * pair + 1]);
      labels.push(...(pair < 1500 ? [`p${pair}`, `p${pair}`] : [`p${pair}a`, `p${pair}b`]));
    }
    expect(signalQueries(6000).length).toBeLessThan(6000);
    expect(identitySignal(matrixFromRows(rows), labels).nearestSameIdentity).toBeCloseTo(0.5, 3);
  });
});
