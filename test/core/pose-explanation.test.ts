// Tests for the share of a per-face value explained by clusters and by identities.
import { describe, expect, it } from 'vitest';
import { etaSquared, explainByGroups } from '../../src/core/pose-explanation.ts';

describe('etaSquared', () => {
  it('matches a hand computation', () => {
    // Values 1, 2, 3, 4 in groups {1, 2} and {3, 4}: mean 2.5; SS_total = 2.25 + 0.25 + 0.25 + 2.25 = 5;
    // group means 1.5 and 3.5 → SS_between = 2·1² + 2·1² = 4 → η² = 0.8.
    expect(etaSquared([1, 2, 3, 4], [0, 0, 1, 1])).toBeCloseTo(0.8, 12);
    // Groups {1, 4} and {2, 3}: both means 2.5 → η² = 0.
    expect(etaSquared([1, 2, 3, 4], [0, 1, 1, 0])).toBe(0);
    // Every value its own group → 1.
    expect(etaSquared([1, 2, 3], [0, 1, 2])).toBe(1);
  });

  it('is 0 when there is nothing to explain', () => {
    expect(etaSquared([], [])).toBe(0);
    expect(etaSquared([0.1 + 0.2, 0.3, 0.3], [0, 1, 1])).toBe(0);
  });
});

describe('explainByGroups', () => {
  it('compares clusters and identities on the faces that are tagged and have a value', () => {
    // Yaw per face; face 4 is untagged and face 5 has no yaw, so faces 0–3 count.
    // Clusters follow yaw exactly ({−30, −28} vs {28, 30}): η² by cluster = (2·29² + 2·29²) / (30² + 28² + 28² + 30²) = 3364/3368.
    // Identities cut across yaw ({−30, 30} vs {−28, 28}): both means 0 → η² by identity = 0.
    const yaw = [-30, -28, 28, 30, 0, Number.NaN];
    const clusters = [0, 0, 1, 1, 1, 0];
    const people = ['ann', 'bob', 'bob', 'ann', null, 'ann'];
    const result = explainByGroups(yaw, clusters, people);
    expect(result.faces).toBe(4);
    expect(result.byCluster).toBeCloseTo(3364 / 3368, 12);
    expect(result.byIdentity).toBe(0);
  });

  it('rejects arrays of different lengths', () => {
    expect(() => explainByGroups([1, 2], [0], ['a', 'b'])).toThrow(/2 values, 1 assignments and 2 labels/);
  });
});
