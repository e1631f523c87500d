// Tests for the cluster-bucket matcher.
import { describe, expect, it } from 'vitest';
import { buildBucketIndex, probeOrder, search } from '../../src/core/matcher.ts';
import { matrixFromRows } from '../../src/core/matrix.ts';

// Faces on a line: cluster 0 = {0, 1}, cluster 2 = {10, 14}; cluster 1 has no faces.
const descriptors = matrixFromRows([[0], [1], [10], [14]]);
const assignments = [0, 0, 2, 2];
const centroids = matrixFromRows([[0.5], [100], [12]]);

describe('buildBucketIndex / probeOrder', () => {
  it('keeps only clusters with faces and lists their members', () => {
    const index = buildBucketIndex(assignments, centroids);
    expect(Array.from(index.clusters)).toEqual([0, 2]);
    expect(index.members.map((m) => Array.from(m))).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(Array.from(index.centroids.data)).toEqual([0.5, 12]);
    expect(index.total).toBe(4);
  });

  it('orders buckets by centroid distance', () => {
    const index = buildBucketIndex(assignments, centroids);
    expect(Array.from(probeOrder(index, [11]))).toEqual([1, 0]);
    expect(Array.from(probeOrder(index, [2]))).toEqual([0, 1]);
    expect(() => probeOrder(index, [1, 2])).toThrow(/query has 2 values, centroids have 1/);
  });

  it('rejects assignments beyond the centroids', () => {
    expect(() => buildBucketIndex([0, 3], centroids)).toThrow(/up to 3 but only 3 centroids/);
  });
});

describe('search', () => {
  const index = buildBucketIndex(assignments, centroids);
  const nearest = (query: Parameters<typeof search>[2], nprobe: number) => {
    const { neighbours, scanned } = search(index, descriptors, query, nprobe);
    return { face: neighbours[0]?.face ?? -1, distance: neighbours[0]?.distance ?? Infinity, scanned };
  };

  it('searches only the nprobe nearest buckets and counts what it scanned', () => {
    // Query 5.8: nearest centroid is 0.5 (5.3 away, vs 6.2), whose faces are 0 and 1 → face 1 at 4.8,
    // although face 2 (at 10, 4.2 away) is the true nearest.
    expect(nearest({ descriptor: [5.8] }, 1)).toEqual({ face: 1, distance: expect.closeTo(4.8, 12), scanned: 2 });
    const exhaustive = nearest({ descriptor: [5.8] }, 2);
    expect(exhaustive.face).toBe(2);
    expect(exhaustive.distance).toBeCloseTo(4.2, 12);
    expect(exhaustive.scanned).toBe(4);
    expect(nearest({ descriptor: [5.8] }, 9).scanned).toBe(4);
    expect(search(index, descriptors, { descriptor: [5.8] }, 1).probed).toEqual([0]);
    expect(search(index, descriptors, { descriptor: [5.8] }, 9).probed).toEqual([0, 2]);
  });

  it('returns the top nearest in order, ties to the lower face', () => {
    const all = search(index, descriptors, { descriptor: [5.8], top: 3 }, 2);
    expect(all.neighbours.map((n) => n.face)).toEqual([2, 1, 0]);
    expect(all.neighbours.map((n) => n.distance)).toEqual([expect.closeTo(4.2, 12), expect.closeTo(4.8, 12), expect.closeTo(5.8, 12)]);
    // 12 is 2 from both 10 (face 2) and 14 (face 3).
    expect(search(index, descriptors, { descriptor: [12], top: 1 }, 2).neighbours).toEqual([{ face: 2, distance: 2 }]);
    expect(search(index, descriptors, { descriptor: [12], top: 9 }, 1).neighbours.map((n) => n.face)).toEqual([2, 3]);
    expect(() => search(index, descriptors, { descriptor: [0], top: 0 }, 1)).toThrow(/top must be a positive integer/);
  });

  it('finds the nearest accepted face in the same pass', () => {
    const result = search(index, descriptors, { descriptor: [0.2], where: (face) => face === 1 || face === 3 }, 2);
    expect(result.neighbours).toEqual([{ face: 0, distance: expect.closeTo(0.2, 12) }]);
    expect(result.nearestWhere).toEqual({ face: 1, distance: expect.closeTo(0.8, 12) });
    expect(search(index, descriptors, { descriptor: [0.2], where: (face) => face === 3 }, 1).nearestWhere).toBeNull();
    expect(search(index, descriptors, { descriptor: [0.2] }, 1).nearestWhere).toBeNull();
  });

  it('excludes the query face itself and probes from a separate point when given', () => {
    expect(nearest({ descriptor: [0], exclude: 0 }, 1)).toEqual({ face: 1, distance: 1, scanned: 1 });
    // Probing from point 13 goes to cluster 2 first even though the descriptor is 0.
    expect(nearest({ descriptor: [0], point: [13] }, 1).face).toBe(2);
  });

  it('reports no face when the probed buckets hold no candidate', () => {
    const lonely = buildBucketIndex([0], matrixFromRows([[0]]));
    expect(search(lonely, matrixFromRows([[0]]), { descriptor: [0], exclude: 0 }, 1)).toEqual({
      neighbours: [],
      nearestWhere: null,
      scanned: 0,
      probed: [0],
    });
    expect(() => search(index, descriptors, { descriptor: [0] }, 0)).toThrow(/nprobe must be a positive integer/);
    expect(() => search(index, descriptors, { descriptor: [0, 1] }, 1)).toThrow(/2 values, the library's have 1/);
  });
});
