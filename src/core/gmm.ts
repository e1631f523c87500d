// Gaussian mixture with diagonal covariances, fitted by EM from a k-means start; reports likelihood, BIC and AIC.

import { kmeans, type KmeansOptions } from './kmeans.ts';
import { columnMeans, createMatrix, type Matrix } from './matrix.ts';

export interface GmmOptions {
  seed?: number;
  /** EM iterations. Default 100. */
  maxIterations?: number;
  /** Stop when the mean log-likelihood per point changes by less than this. Default 1e-3 (as scikit-learn). */
  tolerance?: number;
  /**
   * Smallest variance any component may have, as a share of the data's mean column variance.
   * Default 1e-3. Without a floor a component can collapse onto a few identical points and its
   * likelihood goes to infinity.
   */
  varianceFloor?: number;
  /** Options of the k-means run that seeds EM (its seed is `seed`). */
  kmeans?: Omit<KmeansOptions, 'seed'>;
}

export interface GmmResult {
  /** Most probable component of each point. */
  assignments: Int32Array;
  /** n×k posterior probabilities; each row sums to 1. */
  responsibilities: Matrix;
  /** Each point's largest responsibility: how sure the assignment is. */
  maxProbability: Float64Array;
  means: Matrix;
  /** k×d diagonal variances. */
  variances: Matrix;
  weights: Float64Array;
  /** Total log-likelihood of the data under the final parameters (natural log). */
  logLikelihood: number;
  /** −2·logL + p·ln n, with p = 2kd + k − 1 free parameters; lower is better. */
  bic: number;
  /** −2·logL + 2p. */
  aic: number;
  iterations: number;
  converged: boolean;
}

export function fitGmm(m: Matrix, k: number, options: GmmOptions = {}): GmmResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-3;
  const varianceFloor = options.varianceFloor ?? 1e-3;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new Error(`GMM maxIterations must be a positive integer, got ${maxIterations}`);
  }
  if (!(tolerance >= 0)) throw new Error(`GMM tolerance must be ≥ 0, got ${tolerance}`);
  if (!(varianceFloor > 0)) throw new Error(`GMM varianceFloor must be > 0, got ${varianceFloor}`);
  const start = kmeans(m, k, { ...options.kmeans, seed: options.seed });
  // k-means has validated k and the data's finiteness.
  const { rows: n, cols: d, data } = m;

  const globalMean = columnMeans(m);
  let meanVariance = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) meanVariance += (data[i * d + j] - globalMean[j]) ** 2;
  }
  meanVariance /= n * d;
  const floor = Math.max(varianceFloor * meanVariance, 1e-12);

  const means = createMatrix(k, d, start.centroids.data.slice());
  const variances = createMatrix(k, d);
  const weights = new Float64Array(k);
  const resp = createMatrix(n, k);
  for (let i = 0; i < n; i++) resp.data[i * k + start.assignments[i]] = 1;
  maximise(m, resp, means, variances, weights, floor);

  let logLikelihood = -Infinity;
  let iterations = 0;
  let converged = false;
  for (;;) {
    const next = expect(m, means, variances, weights, resp);
    const change = Math.abs(next - logLikelihood) / n;
    logLikelihood = next;
    if (change < tolerance) {
      converged = true;
      break;
    }
    if (iterations === maxIterations) break;
    iterations++;
    maximise(m, resp, means, variances, weights, floor);
  }

  const { assignments, maxProbability } = mostProbable(resp);
  const parameters = 2 * k * d + k - 1;
  return {
    assignments,
    responsibilities: resp,
    maxProbability,
    means,
    variances,
    weights,
    logLikelihood,
    bic: -2 * logLikelihood + parameters * Math.log(n),
    aic: -2 * logLikelihood + 2 * parameters,
    iterations,
    converged,
  };
}

/** The most probable component of each row of `m` under a fitted mixture, for points that did not shape it. */
export function mostProbableComponents(model: Pick<GmmResult, 'means' | 'variances' | 'weights'>, m: Matrix): Int32Array {
  const resp = createMatrix(m.rows, model.weights.length);
  expect(m, model.means, model.variances, model.weights, resp);
  return mostProbable(resp).assignments;
}

function mostProbable(resp: Matrix): Pick<GmmResult, 'assignments' | 'maxProbability'> {
  const { rows: n, cols: k } = resp;
  const assignments = new Int32Array(n);
  const maxProbability = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (resp.data[i * k + c] > resp.data[i * k + best]) best = c;
    assignments[i] = best;
    maxProbability[i] = resp.data[i * k + best];
  }
  return { assignments, maxProbability };
}

/** E-step: fills the responsibilities and returns the total log-likelihood (log-sum-exp per point). */
function expect(m: Matrix, means: Matrix, variances: Matrix, weights: Float64Array, resp: Matrix): number {
  const { rows: n, cols: d, data } = m;
  const k = weights.length;
  const constant = new Float64Array(k);
  const precision = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    let logDet = 0;
    for (let j = 0; j < d; j++) {
      logDet += Math.log(2 * Math.PI * variances.data[c * d + j]);
      precision[c * d + j] = 1 / variances.data[c * d + j];
    }
    constant[c] = Math.log(weights[c]) - logDet / 2;
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let largest = -Infinity;
    for (let c = 0; c < k; c++) {
      let quad = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[row + j] - means.data[c * d + j];
        quad += diff * diff * precision[c * d + j];
      }
      const value = constant[c] - quad / 2;
      resp.data[i * k + c] = value;
      if (value > largest) largest = value;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(resp.data[i * k + c] - largest);
    const logSum = largest + Math.log(sum);
    for (let c = 0; c < k; c++) resp.data[i * k + c] = Math.exp(resp.data[i * k + c] - logSum);
    total += logSum;
  }
  return total;
}

/**
 * M-step: weights, means and variances from the responsibilities. A component that has lost
 * (almost) all its points keeps its mean and gets the floor variance instead of dividing by zero.
 */
function maximise(m: Matrix, resp: Matrix, means: Matrix, variances: Matrix, weights: Float64Array, floor: number): void {
  const { rows: n, cols: d, data } = m;
  const k = weights.length;
  const mass = new Float64Array(k);
  const sums = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp.data[i * k + c];
      if (r === 0) continue;
      mass[c] += r;
      for (let j = 0; j < d; j++) sums[c * d + j] += r * data[i * d + j];
    }
  }
  const tiny = 10 * Number.EPSILON;
  for (let c = 0; c < k; c++) {
    weights[c] = (mass[c] + tiny) / (n + k * tiny);
    if (mass[c] > tiny) for (let j = 0; j < d; j++) means.data[c * d + j] = sums[c * d + j] / mass[c];
  }
  sums.fill(0);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp.data[i * k + c];
      if (r === 0) continue;
      for (let j = 0; j < d; j++) {
        const diff = data[i * d + j] - means.data[c * d + j];
        sums[c * d + j] += r * diff * diff;
      }
    }
  }
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      variances.data[c * d + j] = Math.max(floor, mass[c] > tiny ? sums[c * d + j] / mass[c] : floor);
    }
  }
}
