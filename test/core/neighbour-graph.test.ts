// The capped neighbour graph behind threshold clustering: exact where every pair is compared, close to it where the
// points are bucketed, and linear in size whatever the data (one person with thousands of faces included).
import { describe, expect, it } from 'vitest';
import { squaredDistance, type Matrix } from '../../src/core/matrix.ts';
import { neighbourGraph, type NeighbourGraph } from '../../src/core/neighbour-graph.ts';
import { chineseWhispers } from '../../src/core/threshold-clustering.ts';
import { computeMetrics } from '../../src/core/metrics.ts';
import { unitVectorPeople } from './synthetic.ts';

/** People as unit vectors in 32-D: faces of one person about 0.3 apart, people about 1.4 apart. */
const library = (sizes: number[], seed: number) => unitVectorPeople({ sizes, dims: 32, seed, noise: 0.05, centreScale: 1 / Math.sqrt(32) });

const distance = (m: Matrix, i: number, j: number) => Math.sqrt(squaredDistance(m.data, i * m.cols, m.data, j * m.cols, m.cols));
const neighboursOf = (g: NeighbourGraph, i: number) => Array.from(g.neighbours.subarray(g.start[i], g.start[i + 1]));

/** Every point's nearest others within the threshold, at most `cap`, by comparing every pair. */
function bruteForce(m: Matrix, threshold: number, cap: number): Set<string> {
  const pairs = new Set<string>();
  for (let i = 0; i < m.rows; i++) {
    const near = [];
    for (let j = 0; j < m.rows; j++) if (j !== i && distance(m, i, j) < threshold) near.push({ j, d: distance(m, i, j) });
    near.sort((a, b) => a.d - b.d);
    for (const { j } of near.slice(0, cap)) pairs.add(i < j ? `${i}-${j}` : `${j}-${i}`);
  }
  return pairs;
}

function pairsOf(g: NeighbourGraph): Set<string> {
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < g.start.length; i++) for (const j of neighboursOf(g, i)) pairs.add(i < j ? `${i}-${j}` : `${j}-${i}`);
  return pairs;
}

describe('neighbourGraph', () => {
  it('keeps exactly each point’s nearest others within the threshold, up to the cap, in both directions', () => {
    const { matrix } = library([30, 20, 10, 1], 5);
    const graph = neighbourGraph(matrix, 0.45, { maxNeighbours: 6 });
    expect(pairsOf(graph)).toEqual(bruteForce(matrix, 0.45, 6));
    for (let i = 0; i < matrix.rows; i++) {
      const row = neighboursOf(graph, i);
      expect(row).toEqual([...row].sort((a, b) => a - b));
      expect(new Set(row).size).toBe(row.length);
      row.forEach((j, t) => {
        expect(neighboursOf(graph, j)).toContain(i);
        expect(distance(matrix, i, j)).toBeLessThan(0.45);
        expect(graph.distances[graph.start[i] + t]).toBeCloseTo(distance(matrix, i, j), 6);
      });
    }
  });

  it('finds nearly every pair when the points are bucketed, and never one beyond the threshold', () => {
    const { matrix } = library(
      Array.from({ length: 40 }, (_, p) => 5 + ((p * 7) % 40)),
      9,
    );
    const exact = bruteForce(matrix, 0.45, 8);
    const bucketed = pairsOf(neighbourGraph(matrix, 0.45, { maxNeighbours: 8, exactUpTo: 0, seed: 3 }));
    const found = [...bucketed].filter((pair) => exact.has(pair)).length;
    expect(found / exact.size).toBeGreaterThan(0.97);
    for (const pair of bucketed) {
      const [i, j] = pair.split('-').map(Number);
      expect(distance(matrix, i, j)).toBeLessThan(0.45);
    }
  });

  it('stays linear in the points when one person has thousands of faces, and Chinese whispers still finds the people', () => {
    // 6,000 faces of one person and 400 others in 40 people: every pair of the 6,000 is within the threshold.
    const { matrix, labels } = library([6000, ...Array.from({ length: 40 }, () => 10)], 13);
    const graph = neighbourGraph(matrix, 0.45, { exactUpTo: 0 });
    expect(graph.neighbours.length).toBeLessThanOrEqual(2 * 32 * matrix.rows);
    const { assignments } = chineseWhispers(matrix, { threshold: 0.45 });
    expect(computeMetrics({ assignments, labels: Array.from(labels, String) }).ari).toBeGreaterThan(0.99);
  });

  it('refuses settings it cannot use', () => {
    const { matrix } = library([3], 1);
    expect(() => neighbourGraph(matrix, 0, {})).toThrow(/threshold must be a positive number/);
    expect(() => neighbourGraph(matrix, 0.5, { maxNeighbours: 0 })).toThrow(/neighbours per point/);
    expect(() => neighbourGraph(matrix, 0.5, { probes: 1.5 })).toThrow(/buckets searched/);
  });
});
