// WebAssembly SIMD kernels (simd-kernels.wat) for the loops that dominate PCA, k-means and t-SNE.

import { SIMD_KERNELS_WASM } from './simd-kernels.wasm.ts';

interface KernelExports {
  memory: WebAssembly.Memory;
  squared_distances(data: number, n: number, d: number, point: number, out: number): void;
  candidate_pass(data: number, n: number, d: number, candidate: number, closest: number, nearest: number, gaps: number, out: number): number;
  elkan_pass(
    data: number,
    n: number,
    d: number,
    k: number,
    centroids: number,
    assignments: number,
    upper: number,
    lower: number,
    drift: number,
    halfGap: number,
    gaps: number,
    sums: number,
    counts: number,
  ): number;
  accumulate_dots(
    a: number,
    m: number,
    aStride: number,
    b: number,
    p: number,
    bStride: number,
    length: number,
    out: number,
    outStride: number,
    upper: number,
  ): void;
  tsne_attraction(points: number, n: number, start: number, columns: number, values: number, out: number): void;
  quadtree_build(
    points: number,
    order: number,
    n: number,
    nodes: number,
    skip: number,
    capacity: number,
    pending: number,
    maxDepth: number,
    cx: number,
    cy: number,
    half: number,
  ): number;
  tsne_repulsion(nodes: number, skip: number, size: number, points: number, order: number, n: number, theta2: number, forces: number): number;
}

/** Rows of a matrix that lives in kernel memory: row i starts at data[i·stride]. */
export interface KernelRows {
  data: Float64Array;
  rows: number;
  stride: number;
}

/** The state of one Lloyd run with Elkan's bounds, every array in kernel memory (see lloyd() in kmeans.ts). */
export interface ElkanState {
  data: Float64Array;
  n: number;
  d: number;
  k: number;
  centroids: Float64Array;
  assignments: Int32Array;
  upper: Float64Array;
  lower: Float64Array;
  drift: Float64Array;
  halfGap: Float64Array;
  gaps: Float64Array;
  sums: Float64Array;
  counts: Int32Array;
}

/**
 * A quadtree in depth-first order, `size` nodes: 4 doubles each in `nodes` (centre of mass x, y,
 * point count, squared half width of the cell or −1 for a leaf), and in `skip` the index of the
 * node that follows each one's subtree.
 */
export interface QuadtreeNodes {
  nodes: Float64Array;
  skip: Int32Array;
  size: number;
}

const PAGE_BYTES = 65_536;
let compiled: WebAssembly.Module | null = null;

/**
 * A private stretch of WebAssembly memory for one computation, so that its hot loops can run
 * as two-lane SIMD, at less than half the time of the same loops in JavaScript. Typed-array views are carved out of it up front; the memory never
 * grows after that, so the views stay valid, and it is freed with its owner rather than kept
 * for the life of the process. The kernels take those views plus row offsets.
 */
export class KernelSpace {
  private readonly kernels: KernelExports;
  private readonly capacity: number;
  private used = 0;

  /** Room for `words` 8-byte words: a Float64 block of n values takes n, an Int32 block KernelSpace.intWords(n). */
  constructor(words: number) {
    compiled ??= new WebAssembly.Module(Uint8Array.from(atob(SIMD_KERNELS_WASM), (c) => c.charCodeAt(0)));
    this.kernels = new WebAssembly.Instance(compiled, {}).exports as unknown as KernelExports;
    this.capacity = words * 8;
    const memory = this.kernels.memory;
    const pages = Math.ceil(this.capacity / PAGE_BYTES) - memory.buffer.byteLength / PAGE_BYTES;
    if (pages > 0) memory.grow(pages);
  }

  /** Int32 blocks are rounded up to whole words so that every Float64 view stays aligned. */
  static intWords(count: number): number {
    return Math.ceil(count / 2);
  }

  doubles(count: number): Float64Array {
    return new Float64Array(this.kernels.memory.buffer, this.take(count * 8), count);
  }

  ints(count: number): Int32Array {
    return new Int32Array(this.kernels.memory.buffer, this.take(KernelSpace.intWords(count) * 8), count);
  }

  private take(bytes: number): number {
    const offset = this.used;
    if (offset + bytes > this.capacity) throw new Error(`kernel space of ${this.capacity} bytes cannot hold ${bytes} more after ${offset}`);
    this.used += bytes;
    return offset;
  }

  /** out[t] = squared distance from row `from + t` of `data` (rows of width d) to row `point`, for t < n. */
  squaredDistances(data: Float64Array, d: number, point: number, from: number, n: number, out: Float64Array): void {
    this.kernels.squared_distances(data.byteOffset + from * d * 8, n, d, data.byteOffset + point * d * 8, out.byteOffset);
  }

  /**
   * One k-means++ candidate (row `candidate` of `data`) against the first n rows:
   * out[i] = min(closest[i], squared distance to the candidate), where the distance is skipped
   * when gaps[nearest[i]] (the candidate's squared distance to that point's nearest centre) is
   * at least 4·closest[i]: by the triangle inequality the candidate cannot be nearer. Returns Σ out.
   */
  candidatePass(
    data: Float64Array,
    n: number,
    d: number,
    candidate: number,
    closest: Float64Array,
    nearest: Int32Array,
    gaps: Float64Array,
    out: Float64Array,
  ): number {
    return this.kernels.candidate_pass(
      data.byteOffset,
      n,
      d,
      data.byteOffset + candidate * d * 8,
      closest.byteOffset,
      nearest.byteOffset,
      gaps.byteOffset,
      out.byteOffset,
    );
  }

  /**
   * out[i·outStride + j] += a row i · b row j over the first `length` coordinates, for every
   * pair; with `upperOnly`, only for j ≥ i rounded down to even (enough for a symmetric product
   * such as a covariance; a few entries just below the diagonal are written too).
   */
  accumulateDots(a: KernelRows, b: KernelRows, length: number, out: Float64Array, outStride: number, upperOnly: boolean): void {
    this.kernels.accumulate_dots(
      a.data.byteOffset,
      a.rows,
      a.stride,
      b.data.byteOffset,
      b.rows,
      b.stride,
      length,
      out.byteOffset,
      outStride,
      upperOnly ? 1 : 0,
    );
  }

  /**
   * t-SNE attraction: out_i = Σ_j p_ij·(y_i − y_j) / (1 + |y_i − y_j|²) over a symmetric sparse P
   * stored once per pair (j > i) in compressed rows (columns and values of row i at
   * start[i] … start[i + 1]); points and out hold n (x, y) pairs.
   */
  tsneAttraction(points: Float64Array, n: number, start: Int32Array, columns: Int32Array, values: Float64Array, out: Float64Array): void {
    this.kernels.tsne_attraction(points.byteOffset, n, start.byteOffset, columns.byteOffset, values.byteOffset, out.byteOffset);
  }

  /**
   * Lays out a depth-first quadtree (QuadtreeNodes) over the points (x, y pairs) in `tree.nodes`
   * and `tree.skip`, from the root cell centred on (cx, cy) with half width `half`; a cell is
   * split while it holds two distinct points and is shallower than maxDepth. Reorders `order`
   * (the point indices) so that each cell's points are contiguous. `pending` is scratch room for
   * quadtreePendingWords(maxDepth) words. Returns the node count, or −1 when `tree.skip` cannot
   * hold them all.
   */
  buildQuadtree(
    points: Float64Array,
    order: Int32Array,
    tree: Omit<QuadtreeNodes, 'size'>,
    pending: Float64Array,
    maxDepth: number,
    cx: number,
    cy: number,
    half: number,
  ): number {
    return this.kernels.quadtree_build(
      points.byteOffset,
      order.byteOffset,
      order.length,
      tree.nodes.byteOffset,
      tree.skip.byteOffset,
      tree.skip.length,
      pending.byteOffset,
      maxDepth,
      cx,
      cy,
      half,
    );
  }

  /** Scratch words buildQuadtree needs: five for each cell that can be pending at once. */
  static quadtreePendingWords(maxDepth: number): number {
    return 5 * (3 * maxDepth + 4);
  }

  /**
   * Barnes–Hut repulsion over a depth-first quadtree (RepulsionTree in tsne.ts documents the
   * layout): forces_i = Σ_j q_ij²·(y_i − y_j) for each point i in `order`, cells whose squared
   * half width is below theta²·d² taken whole; returns Σ_{i≠j} q_ij.
   */
  tsneRepulsion(tree: QuadtreeNodes, points: Float64Array, order: Int32Array, theta: number, forces: Float64Array): number {
    return this.kernels.tsne_repulsion(
      tree.nodes.byteOffset,
      tree.skip.byteOffset,
      tree.size,
      points.byteOffset,
      order.byteOffset,
      order.length,
      theta * theta,
      forces.byteOffset,
    );
  }

  /** One Lloyd assignment pass with Elkan's bounds over `state`, updated in place; returns how many points changed cluster. */
  elkanPass(state: ElkanState): number {
    const { data, n, d, k, centroids, assignments, upper, lower, drift, halfGap, gaps, sums, counts } = state;
    return this.kernels.elkan_pass(
      data.byteOffset,
      n,
      d,
      k,
      centroids.byteOffset,
      assignments.byteOffset,
      upper.byteOffset,
      lower.byteOffset,
      drift.byteOffset,
      halfGap.byteOffset,
      gaps.byteOffset,
      sums.byteOffset,
      counts.byteOffset,
    );
  }
}
