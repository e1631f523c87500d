// Tests for the WebAssembly SIMD kernels behind PCA, k-means and t-SNE, against plain JavaScript.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSimdKernels } from '../../scripts/simd-kernels-source.ts';
import { KernelSpace } from '../../src/core/simd-kernels.ts';
import { squaredDistance } from '../../src/core/matrix.ts';
import { createRng } from '../../src/core/rng.ts';

function randomRows(space: KernelSpace, rows: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const data = space.doubles(rows * d);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal() * 3;
  return data;
}

describe('SIMD kernels', () => {
  it('embed the binary that simd-kernels.wat compiles to (npm run kernels rebuilds it)', async () => {
    const embedded = readFileSync(new URL('../../src/core/simd-kernels.wasm.ts', import.meta.url), 'utf8');
    expect(embedded).toBe(await compileSimdKernels());
  });

  it('measure squared distances exactly as squaredDistance() does, for any width, in both passes', () => {
    for (const d of [1, 2, 3, 4, 5, 7, 8, 31, 32, 33, 128]) {
      const n = 9;
      const space = new KernelSpace(n * d + 4 * n + KernelSpace.intWords(n) + 1);
      const data = randomRows(space, n, d, d);
      const closest = space.doubles(n).fill(Infinity);
      const out = space.doubles(n);
      const nearest = space.ints(n);
      const gaps = space.doubles(1);
      const total = space.candidatePass(data, n, d, 4, closest, nearest, gaps, out);
      const fromRowTwo = space.doubles(n);
      space.squaredDistances(data, d, 4, 2, n - 2, fromRowTwo);
      let expectedTotal = 0;
      for (let i = 0; i < n; i++) {
        const expected = squaredDistance(data, i * d, data, 4 * d, d);
        expect(out[i]).toBe(expected);
        if (i >= 2) expect(fromRowTwo[i - 2]).toBe(expected);
        expectedTotal += expected;
      }
      expect(total).toBe(expectedTotal);
    }
  });

  it('keep the nearer of the old centre and the candidate, and skip points the triangle inequality rules out', () => {
    const n = 6;
    const d = 3;
    const space = new KernelSpace(n * d + 4 * n + KernelSpace.intWords(n));
    const data = space.doubles(n * d);
    // Points on a line at x = 0, 1, 2, 10, 11, 12; the candidate is row 4 (x = 11).
    [0, 1, 2, 10, 11, 12].forEach((x, i) => (data[i * d] = x));
    const nearest = space.ints(n);
    nearest.set([0, 0, 0, 1, 1, 1]);
    // Two centres so far: x = 1 (centre 0) and x = 20 (centre 1).
    const closest = space.doubles(n);
    closest.set([1, 0, 1, 100, 81, 64]);
    const gaps = space.doubles(2);
    gaps.set([100, 81]);
    const out = space.doubles(n);
    const total = space.candidatePass(data, n, d, 4, closest, nearest, gaps, out);
    // Points 0–2: the candidate is 10 from their centre, at least twice as far as they are: skipped.
    // Points 3–5: 81 < 4·closest, so measured: 1, 0, 1.
    expect(Array.from(out)).toEqual([1, 0, 1, 1, 0, 1]);
    expect(total).toBe(4);
  });

  it('run an Elkan pass that, knowing nothing, assigns every point to its nearest centre and keeps sums and counts', () => {
    const n = 200;
    const d = 5;
    const k = 7;
    const space = new KernelSpace(n * d + 2 * n + n * k + 3 * k + k * k + 2 * k * d + KernelSpace.intWords(n) + KernelSpace.intWords(k));
    const data = randomRows(space, n, d, 11);
    const centroids = randomRows(space, k, d, 12);
    const assignments = space.ints(n);
    const sums = space.doubles(k * d);
    const counts = space.ints(k);
    // Everything starts in cluster 0, with no usable bounds.
    counts[0] = n;
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sums[j] += data[i * d + j];
    const state = {
      data,
      n,
      d,
      k,
      centroids,
      assignments,
      upper: space.doubles(n).fill(Infinity),
      lower: space.doubles(n * k),
      drift: space.doubles(k),
      halfGap: space.doubles(k),
      gaps: space.doubles(k * k),
      sums,
      counts,
    };
    const moved = space.elkanPass(state);

    const expectedSums = new Float64Array(k * d);
    const expectedCounts = new Int32Array(k);
    let expectedMoved = 0;
    for (let i = 0; i < n; i++) {
      const distances = Array.from({ length: k }, (_, c) => Math.sqrt(squaredDistance(data, i * d, centroids, c * d, d)));
      const nearest = distances.indexOf(Math.min(...distances));
      expect(assignments[i]).toBe(nearest);
      expect(state.upper[i]).toBe(distances[nearest]);
      distances.forEach((distance, c) => expect(state.lower[i * k + c]).toBe(distance));
      expectedCounts[nearest]++;
      for (let j = 0; j < d; j++) expectedSums[nearest * d + j] += data[i * d + j];
      if (nearest !== 0) expectedMoved++;
    }
    expect(moved).toBe(expectedMoved);
    expect(Array.from(counts)).toEqual(Array.from(expectedCounts));
    sums.forEach((sum, j) => expect(sum).toBeCloseTo(expectedSums[j], 9));

    // A second pass with the bounds it left behind and centres that did not move changes nothing.
    state.halfGap.fill(0);
    expect(space.elkanPass(state)).toBe(0);
  });

  it('accumulate row-by-row dot products, all of them or the upper blocks only, for odd sizes too', () => {
    for (const [m, p, length] of [
      [5, 3, 7],
      [4, 6, 8],
      [1, 1, 1],
      [7, 7, 3],
    ]) {
      const space = new KernelSpace(m * length + p * length + 2 * m * p);
      const a = randomRows(space, m, length, m);
      const b = randomRows(space, p, length, p + 100);
      const full = space.doubles(m * p).fill(1);
      space.accumulateDots({ data: a, rows: m, stride: length }, { data: b, rows: p, stride: length }, length, full, p, false);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < p; j++) {
          let dot = 0;
          for (let t = 0; t < length; t++) dot += a[i * length + t] * b[j * length + t];
          expect(full[i * p + j]).toBeCloseTo(1 + dot, 12);
        }
      }
      if (m !== p) continue;
      // The symmetric product of a with itself: every entry on and above the diagonal.
      const upper = space.doubles(m * m);
      space.accumulateDots({ data: a, rows: m, stride: length }, { data: a, rows: m, stride: length }, length, upper, m, true);
      for (let i = 0; i < m; i++) {
        for (let j = i; j < m; j++) {
          let dot = 0;
          for (let t = 0; t < length; t++) dot += a[i * length + t] * a[j * length + t];
          expect(upper[i * m + j]).toBeCloseTo(dot, 12);
        }
      }
    }
  });

  it('sum t-SNE attraction over a sparse P stored once per pair, as the plain loop does', () => {
    const n = 40;
    const rng = createRng(5);
    // Row i keeps each later point with probability 1/4.
    const start = [0];
    const columns: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) if (rng.next() < 0.25) columns.push(j);
      start.push(columns.length);
    }
    const space = new KernelSpace(4 * n + KernelSpace.intWords(n + 1) + KernelSpace.intWords(columns.length) + columns.length);
    const points = randomRows(space, n, 2, 6);
    const values = space.doubles(columns.length);
    values.forEach((_, e) => (values[e] = rng.next()));
    const startInKernel = space.ints(n + 1);
    startInKernel.set(start);
    const columnsInKernel = space.ints(columns.length);
    columnsInKernel.set(columns);
    const out = space.doubles(2 * n).fill(7);
    space.tsneAttraction(points, n, startInKernel, columnsInKernel, values, out);
    const expected = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      for (let e = start[i]; e < start[i + 1]; e++) {
        const j = columns[e];
        const dx = points[2 * i] - points[2 * j];
        const dy = points[2 * i + 1] - points[2 * j + 1];
        const f = values[e] / (1 + dx * dx + dy * dy);
        expected[2 * i] += f * dx;
        expected[2 * i + 1] += f * dy;
        expected[2 * j] -= f * dx;
        expected[2 * j + 1] -= f * dy;
      }
    }
    expected.forEach((value, c) => expect(out[c]).toBeCloseTo(value, 12));
  });

  it('lay out a depth-first quadtree: distinct points split, duplicates share a leaf, depth capped, room checked', () => {
    const pendingWords = KernelSpace.quadtreePendingWords(40);
    const space = new KernelSpace(2 * 4 + KernelSpace.intWords(4) + 4 * 8 + KernelSpace.intWords(8) + pendingWords);
    const points = space.doubles(8);
    // D (3, 3) and C (3, 4.5) share the upper-right quadrant of the root (centre (1.5, 2.25), half
    // width 2.25) and split one level down; A = B = (0, 0) share a leaf.
    points.set([3, 3, 0, 0, 3, 4.5, 0, 0]);
    const order = space.ints(4);
    order.set([0, 1, 2, 3]);
    const tree = { nodes: space.doubles(4 * 8), skip: space.ints(8) };
    const pending = space.doubles(pendingWords);
    const size = space.buildQuadtree(points, order, tree, pending, 40, 1.5, 2.25, 2.25);
    expect(size).toBe(5);
    expect(Array.from(tree.nodes.subarray(0, 4 * size))).toEqual([1.5, 1.875, 4, 2.25 ** 2, 0, 0, 2, -1, 3, 3.75, 2, 1.125 ** 2, 3, 3, 1, -1, 3, 4.5, 1, -1]);
    expect(Array.from(tree.skip.subarray(0, size))).toEqual([5, 2, 5, 4, 5]);
    // Each cell's points are contiguous in order, in the nodes' order.
    expect([...order.subarray(0, 2)].sort()).toEqual([1, 3]);
    expect(Array.from(order.subarray(2))).toEqual([0, 2]);
    // Capped at depth 1, C and D stay together in one leaf.
    expect(space.buildQuadtree(points, order, tree, pending, 1, 1.5, 2.25, 2.25)).toBe(3);
    expect(Array.from(tree.nodes.subarray(8, 12))).toEqual([3, 3.75, 2, -1]);
    // Five nodes do not fit in four.
    expect(space.buildQuadtree(points, order, { nodes: tree.nodes, skip: tree.skip.subarray(0, 4) }, pending, 40, 1.5, 2.25, 2.25)).toBe(-1);
  });

  it('walk a depth-first quadtree for t-SNE repulsion: exact at theta 0, whole cells when they are far enough', () => {
    // Points A = B = (0, 0) and C = (3, 4); the root (half width 2) holds a leaf with A and B, then one with C.
    const space = new KernelSpace(2 * 3 + 2 * 3 + 4 * 3 + KernelSpace.intWords(3) + KernelSpace.intWords(3));
    const points = space.doubles(6);
    points.set([0, 0, 0, 0, 3, 4]);
    const nodes = space.doubles(12);
    nodes.set([1, 4 / 3, 3, 4, 0, 0, 2, -1, 3, 4, 1, -1]);
    const skip = space.ints(3);
    skip.set([3, 2, 3]);
    const order = space.ints(3);
    order.set([2, 0, 1]);
    const forces = space.doubles(6);
    const tree = { nodes, skip, size: 3 };

    // Exact: A and B see each other with q = 1 and no force, and C with q = 1/26.
    expect(space.tsneRepulsion(tree, points, order, 0, forces)).toBeCloseTo(2 + 4 / 26, 14);
    const expected = [-3 / 676, -4 / 676, -3 / 676, -4 / 676, 6 / 676, 8 / 676];
    expected.forEach((value, c) => expect(forces[c]).toBeCloseTo(value, 14));

    // theta 10: the root is far enough from every point (2² < 100·d²) to count as 3 points at its centre.
    let z = 0;
    const approximate: number[] = [];
    for (let i = 0; i < 3; i++) {
      const dx = points[2 * i] - 1;
      const dy = points[2 * i + 1] - 4 / 3;
      const q = 1 / (1 + dx * dx + dy * dy);
      z += 3 * q;
      approximate.push(3 * q * q * dx, 3 * q * q * dy);
    }
    expect(space.tsneRepulsion(tree, points, order, 10, forces)).toBeCloseTo(z, 14);
    approximate.forEach((value, c) => expect(forces[c]).toBeCloseTo(value, 14));
  });

  it('refuse to hand out more memory than was asked for', () => {
    const space = new KernelSpace(10);
    space.doubles(8);
    expect(() => space.doubles(3)).toThrow(/cannot hold/);
  });
});
