// Tests WCCN: learned on some people, it takes away what varies within a person, so that other people separate.
import { describe, expect, it } from 'vitest';
import { kmeans } from '../../src/core/kmeans.ts';
import { createMatrix } from '../../src/core/matrix.ts';
import { computeMetrics } from '../../src/core/metrics.ts';
import { createRng } from '../../src/core/rng.ts';
import { learnWccn, peopleToLearnFrom, withinPersonDeviations } from '../../src/core/within-person.ts';

/** People 1 apart along the second axis; each person's faces spread 10 along the first axis (a head turn) and 0.1 along the second. */
function people(names: readonly string[], seed: number) {
  const rng = createRng(seed);
  const labels = names.flatMap((name) => Array.from({ length: 30 }, () => name));
  const m = createMatrix(labels.length, 2);
  labels.forEach((name, i) => {
    m.data[2 * i] = rng.normal() * 10;
    m.data[2 * i + 1] = names.indexOf(name) + rng.normal() * 0.1;
  });
  return { m, labels };
}

describe('learnWccn', () => {
  it('learned on other people, lets k-means tell two new people apart where the raw space splits them by head turn', () => {
    const train = people(['a', 'b', 'c', 'd'], 1);
    const test = people(['x', 'y'], 2);
    const ari = (m: typeof test.m) => computeMetrics({ assignments: kmeans(m, 2, { seed: 1 }).assignments, labels: test.labels }).ari;
    expect(ari(test.m)).toBeLessThan(0.1);
    expect(ari(learnWccn(train.m, train.labels)(test.m))).toBe(1);
  });

  it('gives zeros, not NaN, for faces that never vary', () => {
    const still = createMatrix(8, 2, new Float64Array(16).fill(3));
    const out = learnWccn(still, ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd'])(still);
    expect(out.data.every((x) => Number.isFinite(x))).toBe(true);
  });
});

describe('withinPersonDeviations', () => {
  it("takes each person's mean from their rows", () => {
    const m = createMatrix(3, 1, Float64Array.from([1, 3, 10]));
    expect(Array.from(withinPersonDeviations(m, ['a', 'a', 'b']).data)).toEqual([-1, 1, 0]);
  });
});

describe('peopleToLearnFrom', () => {
  it('counts the people with at least 4 tagged faces, untagged faces aside', () => {
    expect(peopleToLearnFrom(['a', 'a', 'a', 'a', 'b', 'b', 'b', null, null, undefined])).toBe(1);
    expect(peopleToLearnFrom([])).toBe(0);
  });
});
