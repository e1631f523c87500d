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
  const attraction = new Float64Array(2 * n);
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const tree = new QuadTree(n);
  for (let iteration = 0; iteration < iterations; iteration++) {
    if (options.shouldStop?.()) throw new CancelledError('t-SNE');
    const early = iteration < exaggerationIterations;
    computeGradient(y, affinities, tree, theta, early ? exaggeration : 1, attraction, gradient);
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
    for (let step = 0; step < 200; step++) {
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
      for (let t = 0; t < k; t++) conditional[base + t] /= sum;
      if (Math.abs(entropy - target) < 1e-5) break;
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
    const order = Array.from({ length: counts[i + 1] - counts[i] }, (_, t) => counts[i] + t).sort(
      (a, b) => rawColumns[a] - rawColumns[b],
    );
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
      return;
    }
    if (dist >= distances[base]) return;
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
  };
  const space = new KernelSpace(n * d + n);
  const rows = space.doubles(n * d);
  rows.set(data);
  const row = space.doubles(n);
  for (let i = 0; i < n - 1; i++) {
    space.squaredDistances(rows, d, i, i + 1, n - i - 1, row);
    for (let j = i + 1; j < n; j++) {
      const dist = row[j - i - 1];
      offer(i, j, dist);
      offer(j, i, dist);
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
  p: SparseAffinities,
  tree: QuadTree,
  theta: number,
  exaggeration: number,
  attraction: Float64Array,
  gradient: Float64Array,
): void {
  const n = y.length / 2;
  tree.build(y);
  let z = 0;
  const repulsion = tree.repulsion;
  for (let i = 0; i < n; i++) z += tree.repel(y[2 * i], y[2 * i + 1], theta, 2 * i);
  const scale = z > 0 ? 1 / z : 0;
  attraction.fill(0);
  for (let i = 0; i < n; i++) {
    const xi = y[2 * i];
    const yi = y[2 * i + 1];
    for (let e = p.start[i]; e < p.start[i + 1]; e++) {
      const j = p.columns[e];
      const dx = xi - y[2 * j];
      const dy = yi - y[2 * j + 1];
      const f = p.values[e] / (1 + dx * dx + dy * dy);
      attraction[2 * i] += f * dx;
      attraction[2 * i + 1] += f * dy;
      attraction[2 * j] -= f * dx;
      attraction[2 * j + 1] -= f * dy;
    }
  }
  for (let c = 0; c < 2 * n; c++) gradient[c] = 4 * (exaggeration * attraction[c] - repulsion[c] * scale);
}

/** Past this depth, points closer than the cell size share a leaf; stops runaway splitting of near-duplicates. */
const MAX_DEPTH = 40;
/** Per node in `mass`: centre of mass x, y, point count, squared cell width (what repel() reads, kept together for the cache). */
const MASS_STRIDE = 4;
/** Per node in `cells`: cell centre x, y and half width (only needed while building). */
const CELL_STRIDE = 3;

/**
 * Point-region quadtree over flat typed arrays (no per-node objects: the tree is rebuilt every
 * iteration). Each node has its cell, its mass, and either four children or, for a leaf, one
 * of the points it holds (to spot duplicates).
 */
class QuadTree {
  /** Σ_j q_ij²·(y_i − y_j) per point, filled by repel(). */
  readonly repulsion: Float64Array;
  private capacity = 0;
  private size = 0;
  private mass = new Float64Array(0);
  private cells = new Float64Array(0);
  private firstChild = new Int32Array(0);
  private holds = new Int32Array(0);
  private readonly stack = new Int32Array(4 * MAX_DEPTH + 8);

  constructor(points: number) {
    this.repulsion = new Float64Array(2 * points);
    this.grow(Math.max(64, 4 * points));
  }

  build(y: Float64Array): void {
    const n = y.length / 2;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, y[2 * i]);
      maxX = Math.max(maxX, y[2 * i]);
      minY = Math.min(minY, y[2 * i + 1]);
      maxY = Math.max(maxY, y[2 * i + 1]);
    }
    this.size = 0;
    const half = Math.max(maxX - minX, maxY - minY) / 2;
    this.addNode((minX + maxX) / 2, (minY + maxY) / 2, half * (1 + 1e-9) + 1e-12);
    for (let i = 0; i < n; i++) this.insert(y, i);
    const { mass } = this;
    for (let node = 0; node < this.size; node++) {
      const count = mass[node * MASS_STRIDE + 2];
      if (count > 0) {
        mass[node * MASS_STRIDE] /= count;
        mass[node * MASS_STRIDE + 1] /= count;
      }
    }
  }

  /** Accumulates the repulsion on point i into `repulsion[slot], [slot + 1]`; returns its Σ_j q_ij. */
  repel(x: number, y: number, theta: number, slot: number): number {
    const { stack, mass, firstChild } = this;
    const theta2 = theta * theta;
    let top = 0;
    stack[top++] = 0;
    let sumQ = 0;
    let fx = 0;
    let fy = 0;
    while (top > 0) {
      const node = stack[--top];
      const base = node * MASS_STRIDE;
      const dx = x - mass[base];
      const dy = y - mass[base + 1];
      const d2 = dx * dx + dy * dy;
      const child = firstChild[node];
      if (child < 0 || mass[base + 3] < theta2 * d2) {
        const count = mass[base + 2];
        if (d2 === 0) {
          // Point i's own leaf (with any exact duplicates of it): they add q = 1 but no force.
          sumQ += count - 1;
          continue;
        }
        const q = 1 / (1 + d2);
        const mq = count * q;
        sumQ += mq;
        fx += mq * q * dx;
        fy += mq * q * dy;
      } else {
        // Empty children are never pushed, so every popped node has mass.
        for (let c = child; c < child + 4; c++) if (mass[c * MASS_STRIDE + 2] > 0) stack[top++] = c;
      }
    }
    this.repulsion[slot] = fx;
    this.repulsion[slot + 1] = fy;
    return sumQ;
  }

  private insert(points: Float64Array, index: number): void {
    const x = points[2 * index];
    const y = points[2 * index + 1];
    const { cells } = this;
    let node = 0;
    let depth = 0;
    for (;;) {
      const base = node * MASS_STRIDE;
      if (this.firstChild[node] >= 0) {
        this.addMass(node, x, y);
        node = this.firstChild[node] + this.quadrant(node, x, y);
        depth++;
        continue;
      }
      if (this.mass[base + 2] === 0) {
        this.addMass(node, x, y);
        this.holds[node] = index;
        return;
      }
      const held = this.holds[node];
      if ((points[2 * held] === x && points[2 * held + 1] === y) || depth >= MAX_DEPTH) {
        this.addMass(node, x, y);
        return;
      }
      // Subdivide: the leaf's mass (one point, or several at one spot) moves down to a child.
      const cx = cells[node * CELL_STRIDE];
      const cy = cells[node * CELL_STRIDE + 1];
      const h = cells[node * CELL_STRIDE + 2] / 2;
      const first = this.size;
      this.addNode(cx - h, cy - h, h);
      this.addNode(cx + h, cy - h, h);
      this.addNode(cx - h, cy + h, h);
      this.addNode(cx + h, cy + h, h);
      this.firstChild[node] = first;
      const { mass } = this;
      const count = mass[base + 2];
      const child = first + this.quadrant(node, mass[base] / count, mass[base + 1] / count);
      const target = child * MASS_STRIDE;
      mass[target] = mass[base];
      mass[target + 1] = mass[base + 1];
      mass[target + 2] = count;
      this.holds[child] = held;
    }
  }

  private quadrant(node: number, x: number, y: number): number {
    return (x >= this.cells[node * CELL_STRIDE] ? 1 : 0) + (y >= this.cells[node * CELL_STRIDE + 1] ? 2 : 0);
  }

  private addMass(node: number, x: number, y: number): void {
    const base = node * MASS_STRIDE;
    this.mass[base] += x;
    this.mass[base + 1] += y;
    this.mass[base + 2]++;
  }

  private addNode(cx: number, cy: number, half: number): void {
    if (this.size === this.capacity) this.grow(this.capacity * 2);
    const node = this.size++;
    const { cells, mass } = this;
    cells[node * CELL_STRIDE] = cx;
    cells[node * CELL_STRIDE + 1] = cy;
    cells[node * CELL_STRIDE + 2] = half;
    mass[node * MASS_STRIDE] = 0;
    mass[node * MASS_STRIDE + 1] = 0;
    mass[node * MASS_STRIDE + 2] = 0;
    mass[node * MASS_STRIDE + 3] = half * half;
    this.firstChild[node] = -1;
  }

  private grow(capacity: number): void {
    const widen = <T extends Float64Array | Int32Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.mass = widen(this.mass, new Float64Array(capacity * MASS_STRIDE));
    this.cells = widen(this.cells, new Float64Array(capacity * CELL_STRIDE));
    this.firstChild = widen(this.firstChild, new Int32Array(capacity));
    this.holds = widen(this.holds, new Int32Array(capacity));
    this.capacity = capacity;
  }
}

