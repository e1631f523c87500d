// Barnes–Hut t-SNE to 2-D: exact k-nearest-neighbour affinities, quadtree repulsion, seeded and cancellable.

import { CancelledError, type ProgressOptions } from './cancellation.ts';
import { assertFinite, createMatrix, type Matrix } from './matrix.ts';
import { fitPca } from './pca.ts';
import { createRng } from './rng.ts';
import { KernelSpace } from './simd-kernels.ts';

export interface TsneOptions extends ProgressOptions {
  /** Effective number of neighbours. Default 30; lowered to (n − 1)/3 for tiny inputs. */
  perplexity?: number;
  /** Gradient steps, early exaggeration included. Default 750 (openTSNE's 250 + 500). */
  iterations?: number;
  /**
   * Barnes–Hut accuracy: a cell is summarised when its half width / distance < theta, the
   * convention of van der Maaten's reference bhtsne (openTSNE and scikit-learn compare the
   * full width, so are twice as strict at the same theta). Default 0.5; 0 is exact.
   */
  theta?: number;
  /** Default: max(n / earlyExaggeration / 4, 50), the "auto" rate of Belkina et al. (2019). */
  learningRate?: number;
  /** Default 12 for the first `exaggerationIterations` (default 250) steps. */
  earlyExaggeration?: number;
  exaggerationIterations?: number;
  /** Default 'pca': the first two principal components, which keeps the global layout stable across seeds. */
  init?: 'pca' | 'random';
  seed?: number;
}

/**
 * Returns an n×2 embedding. Follows van der Maaten (2014): Gaussian affinities over the 3·perplexity
 * nearest neighbours (found exactly here, O(n²·d), about a second at 5,000 × 50), symmetrised;
 * attraction over those sparse affinities, repulsion approximated with a quadtree; momentum
 * 0.5 → 0.8 and per-coordinate gains. Inputs wider than ~50 columns should be reduced by PCA
 * first (projection.ts does).
 */
export function tsne(m: Matrix, options: TsneOptions = {}): Matrix {
  const n = m.rows;
  const iterations = options.iterations ?? 750;
  const theta = options.theta ?? 0.5;
  const exaggeration = options.earlyExaggeration ?? 12;
  const exaggerationIterations = options.exaggerationIterations ?? 250;
  const perplexityWanted = options.perplexity ?? 30;
  if (!(perplexityWanted > 0)) throw new Error(`t-SNE perplexity must be positive, got ${perplexityWanted}`);
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`t-SNE iterations must be a positive integer, got ${iterations}`);
  if (!(theta >= 0)) throw new Error(`t-SNE theta must be ≥ 0, got ${theta}`);
  if (options.learningRate !== undefined && !(options.learningRate > 0)) {
    throw new Error(`t-SNE learningRate must be positive, got ${options.learningRate}`);
  }
  assertFinite(m, 't-SNE input');
  const out = createMatrix(n, 2);
  if (n < 2) return out;

  const affinities = affinitiesAt(m, perplexityWanted);
  const y = out.data;
  initialise(m, y, options.init ?? 'pca', options.seed ?? 0);

  const learningRate = options.learningRate ?? Math.max(n / exaggeration / 4, 50);
  const gradient = new Float64Array(2 * n);
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const attraction = new Attraction(affinities);
  const repulsion = new Float64Array(2 * n);
  const tree = new RepulsionTree(n);
  for (let iteration = 0; iteration < iterations; iteration++) {
    if (options.shouldStop?.()) throw new CancelledError('t-SNE');
    const early = iteration < exaggerationIterations;
    computeGradient(y, attraction, tree, theta, early ? exaggeration : 1, repulsion, gradient);
    const momentum = early ? 0.5 : 0.8;
    for (let i = 0; i < 2 * n; i++) {
      const sameDirection = gradient[i] > 0 === update[i] > 0;
      gains[i] = Math.max(0.01, sameDirection ? gains[i] * 0.8 : gains[i] + 0.2);
      update[i] = momentum * update[i] - learningRate * gains[i] * gradient[i];
      y[i] += update[i];
    }
    // The cost is translation-invariant: keep the cloud centred so the quadtree bounds stay tight.
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += y[2 * i];
      my += y[2 * i + 1];
    }
    for (let i = 0; i < n; i++) {
      y[2 * i] -= mx / n;
      y[2 * i + 1] -= my / n;
    }
    options.onProgress?.(iteration + 1, iterations);
  }
  return out;
}

/**
 * The cost t-SNE minimises, KL(P ‖ Q), of `embedding` (n×2) for input `m`: P as tsne() builds it
 * at this perplexity, Q exact over all pairs (O(n²)). For judging a layout's quality, not used
 * while optimising.
 */
export function tsneKlDivergence(m: Matrix, embedding: Matrix, perplexity = 30): number {
  const n = m.rows;
  if (n < 2) return 0;
  const p = affinitiesAt(m, perplexity);
  const y = embedding.data;
  let z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) z += 1 / (1 + (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2);
  }
  z *= 2;
  // Each stored pair stands for p_ij and p_ji.
  let divergence = 0;
  for (let i = 0; i < n; i++) {
    for (let e = p.start[i]; e < p.start[i + 1]; e++) {
      const j = p.columns[e];
      const q = 1 / (1 + (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2) / z;
      if (p.values[e] > 0) divergence += 2 * p.values[e] * Math.log(p.values[e] / q);
    }
  }
  return divergence;
}

/** P for `perplexityWanted`, lowered to (n − 1)/3 for tiny inputs, over the 3·perplexity nearest neighbours. */
function affinitiesAt(m: Matrix, perplexityWanted: number): SparseAffinities {
  const perplexity = Math.min(perplexityWanted, (m.rows - 1) / 3);
  const neighbours = Math.max(1, Math.min(m.rows - 1, Math.floor(3 * perplexity)));
  return jointAffinities(m, neighbours, perplexity);
}

/**
 * Sparse symmetric P, upper triangle only (each pair once, j > i) in compressed rows: columns
 * and values of row i are at start[i] … start[i + 1].
 */
interface SparseAffinities {
  start: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

/** Bisection steps allowed to find each point's β before settling for the last one. */
const BISECTION_STEPS = 200;

/**
 * p_{j|i} ∝ exp(−β_i·|x_i − x_j|²) over the k nearest neighbours, β_i found by bisection so that
 * the entropy equals ln(perplexity); then P = (p_{j|i} + p_{i|j}) / 2n.
 */
function jointAffinities(m: Matrix, k: number, perplexity: number): SparseAffinities {
  const n = m.rows;
  const { indices, distances } = nearestNeighbours(m, k);
  const conditional = new Float64Array(n * k);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let nearest = Infinity;
    for (let t = 0; t < k; t++) nearest = Math.min(nearest, distances[base + t]);
    let beta = 1;
    let lo = 0;
    let hi = Infinity;
    for (let step = 0; step < BISECTION_STEPS; step++) {
      // Distances are shifted by the nearest one: the normalised p is unchanged and exp cannot underflow to 0/0.
      let sum = 0;
      let weighted = 0;
      for (let t = 0; t < k; t++) {
        const shifted = distances[base + t] - nearest;
        const p = Math.exp(-beta * shifted);
        conditional[base + t] = p;
        sum += p;
        weighted += p * shifted;
      }
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      if (Math.abs(entropy - target) < 1e-5 || step === BISECTION_STEPS - 1) {
        for (let t = 0; t < k; t++) conditional[base + t] /= sum;
        break;
      }
      if (entropy > target) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = (beta + lo) / 2;
      }
    }
  }
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      counts[i + 1]++;
      counts[indices[i * k + t] + 1]++;
    }
  }
  for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
  const rawColumns = new Int32Array(counts[n]);
  const rawValues = new Float64Array(counts[n]);
  const fill = counts.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      const p = conditional[i * k + t] / (2 * n);
      rawColumns[fill[i]] = j;
      rawValues[fill[i]++] = p;
      rawColumns[fill[j]] = i;
      rawValues[fill[j]++] = p;
    }
  }
  // Merge the two halves of each symmetric pair into one entry per pair i < j.
  const start = new Int32Array(n + 1);
  const columns = new Int32Array(counts[n]);
  const values = new Float64Array(counts[n]);
  let used = 0;
  for (let i = 0; i < n; i++) {
    start[i] = used;
    const order = Array.from({ length: counts[i + 1] - counts[i] }, (_, t) => counts[i] + t).sort((a, b) => rawColumns[a] - rawColumns[b]);
    for (const e of order) {
      if (rawColumns[e] < i) continue;
      if (used > start[i] && columns[used - 1] === rawColumns[e]) values[used - 1] += rawValues[e];
      else {
        columns[used] = rawColumns[e];
        values[used++] = rawValues[e];
      }
    }
  }
  start[n] = used;
  return { start, columns: columns.slice(0, used), values: values.slice(0, used) };
}

/**
 * Exact k nearest neighbours (squared distances) by brute force, each pair computed once (a row
 * of them at a time in the SIMD kernel) and offered to both points' bounded max-heaps.
 */
function nearestNeighbours(m: Matrix, k: number): { indices: Int32Array; distances: Float64Array } {
  const { rows: n, cols: d, data } = m;
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  const sizes = new Int32Array(n);
  // The largest distance each full heap holds (its root), in one small array: most offers are
  // turned away by it without touching the heap.
  const worst = new Float64Array(n).fill(Infinity);
  const offer = (i: number, j: number, dist: number) => {
    const base = i * k;
    if (sizes[i] < k) {
      let c = sizes[i]++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (distances[base + parent] >= dist) break;
        distances[base + c] = distances[base + parent];
        indices[base + c] = indices[base + parent];
        c = parent;
      }
      distances[base + c] = dist;
      indices[base + c] = j;
      if (sizes[i] === k) worst[i] = distances[base];
      return;
    }
    let c = 0;
    for (;;) {
      const left = 2 * c + 1;
      if (left >= k) break;
      const right = left + 1;
      const larger = right < k && distances[base + right] > distances[base + left] ? right : left;
      if (distances[base + larger] <= dist) break;
      distances[base + c] = distances[base + larger];
      indices[base + c] = indices[base + larger];
      c = larger;
    }
    distances[base + c] = dist;
    indices[base + c] = j;
    worst[i] = distances[base];
  };
  const space = new KernelSpace(n * d + n);
  const rows = space.doubles(n * d);
  rows.set(data);
  const row = space.doubles(n);
  for (let i = 0; i < n - 1; i++) {
    space.squaredDistances(rows, d, i, i + 1, n - i - 1, row);
    for (let j = i + 1; j < n; j++) {
      const dist = row[j - i - 1];
      if (dist < worst[i]) offer(i, j, dist);
      if (dist < worst[j]) offer(j, i, dist);
    }
  }
  return { indices, distances };
}

function initialise(m: Matrix, y: Float64Array, init: 'pca' | 'random', seed: number): void {
  const n = m.rows;
  if (init === 'pca' && m.cols >= 2) {
    const projected = fitPca(m, { components: 2 }).transform(m);
    if (projected.cols === 2) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += projected.data[2 * i];
      mean /= n;
      let variance = 0;
      for (let i = 0; i < n; i++) variance += (projected.data[2 * i] - mean) ** 2;
      const sd = Math.sqrt(variance / n);
      // Scaled to a standard deviation of 1e-4, as scikit-learn does, so that early
      // exaggeration starts from a compact cloud.
      if (sd > 0) {
        for (let i = 0; i < 2 * n; i++) y[i] = (projected.data[i] * 1e-4) / sd;
        return;
      }
    }
  }
  const rng = createRng(seed);
  for (let i = 0; i < 2 * n; i++) y[i] = rng.normal() * 1e-4;
}

/**
 * ∂C/∂y_i = 4·(exaggeration·Σ_j p_ij·q_ij·(y_i − y_j) − Σ_j q_ij²·(y_i − y_j) / Z), with
 * q_ij = 1 / (1 + |y_i − y_j|²) and Z = Σ_{k≠l} q_kl; the second sum comes from the quadtree.
 */
function computeGradient(
  y: Float64Array,
  attraction: Attraction,
  tree: RepulsionTree,
  theta: number,
  exaggeration: number,
  repulsion: Float64Array,
  gradient: Float64Array,
): void {
  const z = tree.repulsion(y, theta, repulsion);
  const scale = z > 0 ? 1 / z : 0;
  const attractive = attraction.forces(y);
  for (let c = 0; c < gradient.length; c++) gradient[c] = 4 * (exaggeration * attractive[c] - repulsion[c] * scale);
}

/** The attractive half of the gradient, Σ_j p_ij·q_ij·(y_i − y_j), with P kept in kernel memory. */
class Attraction {
  private readonly space: KernelSpace;
  private readonly points: Float64Array;
  private readonly start: Int32Array;
  private readonly columns: Int32Array;
  private readonly values: Float64Array;
  private readonly out: Float64Array;

  constructor(p: SparseAffinities) {
    const n = p.start.length - 1;
    const pairs = p.values.length;
    this.space = new KernelSpace(4 * n + KernelSpace.intWords(n + 1) + KernelSpace.intWords(pairs) + pairs);
    this.points = this.space.doubles(2 * n);
    this.out = this.space.doubles(2 * n);
    this.values = this.space.doubles(pairs);
    this.values.set(p.values);
    this.start = this.space.ints(n + 1);
    this.start.set(p.start);
    this.columns = this.space.ints(pairs);
    this.columns.set(p.columns);
  }

  /** The forces on every point of y (x, y pairs), valid until the next call. */
  forces(y: Float64Array): Float64Array {
    this.points.set(y);
    this.space.tsneAttraction(this.points, y.length / 2, this.start, this.columns, this.values, this.out);
    return this.out;
  }
}

/** Past this depth, points closer than the cell size share a leaf; stops runaway splitting of near-duplicates. */
const MAX_DEPTH = 40;
/** Per node in `nodes`: centre of mass x, y, point count, and the squared half width of its cell (−1 for a leaf). */
const NODE_STRIDE = 4;

/**
 * Barnes–Hut repulsion over a point-region quadtree kept in kernel memory, nodes in depth-first
 * order: each node's subtree follows it and `skip` gives the node after that subtree, so the
 * walk needs no stack and reads memory mostly forwards. The tree is rebuilt every iteration by
 * partitioning the points cell by cell (no node for an empty quadrant), centres of mass summed
 * children first; both the build and the walk run in the SIMD kernel.
 */
export class RepulsionTree {
  private space!: KernelSpace;
  /** y, copied into kernel memory. */
  private points!: Float64Array;
  private forces!: Float64Array;
  /** Point indices, grouped by cell as the tree is built; also the order points are repelled in, neighbours after each other. */
  private order!: Int32Array;
  private nodes!: Float64Array;
  private skip!: Int32Array;
  private pending!: Float64Array;

  constructor(private readonly count: number) {
    this.allocate(Math.max(64, 4 * count));
    this.order.forEach((_, t) => (this.order[t] = t));
  }

  /**
   * Builds the tree over y (n points as x, y pairs) and writes Σ_j q_ij²·(y_i − y_j) for every
   * point i into `forces` (cells whose half width / distance < theta taken as one body at their
   * centre of mass); returns Z = Σ_{i≠j} q_ij, approximated the same way.
   */
  repulsion(y: Float64Array, theta: number, forces: Float64Array): number {
    this.points.set(y);
    const size = this.build();
    const z = this.space.tsneRepulsion({ nodes: this.nodes, skip: this.skip, size }, this.points, this.order, theta, this.forces);
    forces.set(this.forces);
    return z;
  }

  /** Lays the tree out over `points`, moving to a larger kernel space while it does not fit; returns its node count. */
  private build(): number {
    const { points } = this;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < this.count; i++) {
      minX = Math.min(minX, points[2 * i]);
      maxX = Math.max(maxX, points[2 * i]);
      minY = Math.min(minY, points[2 * i + 1]);
      maxY = Math.max(maxY, points[2 * i + 1]);
    }
    const half = Math.max(maxX - minX, maxY - minY) / 2;
    for (;;) {
      const size = this.space.buildQuadtree(
        this.points,
        this.order,
        { nodes: this.nodes, skip: this.skip },
        this.pending,
        MAX_DEPTH,
        (minX + maxX) / 2,
        (minY + maxY) / 2,
        half * (1 + 1e-9) + 1e-12,
      );
      if (size >= 0) return size;
      this.allocate(2 * this.skip.length);
    }
  }

  /** Kernel memory for the points and `capacity` nodes, keeping the points and their order (the memory is fixed once made). */
  private allocate(capacity: number): void {
    const n = this.count;
    const pendingWords = KernelSpace.quadtreePendingWords(MAX_DEPTH);
    const space = new KernelSpace(4 * n + KernelSpace.intWords(n) + capacity * NODE_STRIDE + KernelSpace.intWords(capacity) + pendingWords);
    const points = space.doubles(2 * n);
    const order = space.ints(n);
    if (this.space) {
      points.set(this.points);
      order.set(this.order);
    }
    this.space = space;
    this.points = points;
    this.order = order;
    this.forces = space.doubles(2 * n);
    this.nodes = space.doubles(capacity * NODE_STRIDE);
    this.skip = space.ints(capacity);
    this.pending = space.doubles(pendingWords);
  }
}
