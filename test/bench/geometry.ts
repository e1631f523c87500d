// Benchmark: how much identity the 68-point geometry carries once head pose is taken out; prints JSON.
// Usage: npm run bench -- geometry --db CATALOG [--db CATALOG …] [--seeds 5]
// Each catalog must already be scanned; the benchmark tags a temporary copy from folder names. Every candidate is
// clustered with the default k-means at k = number of people and k = 10, over seeds 1…N, and scored by ARI against
// the tags. Candidates learned from tags are cross-validated by person: people in two folds (by name order), each
// transform learned on one fold's faces and scored on the clustering of the other fold's faces only; every other
// feature set is scored on the same fold subsets, so the figures compare like with like.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../src/engine/catalog/catalog.ts';
import { facesToCluster } from '../../src/engine/clustering.ts';
import { alignedLandmarkFeatures, buildFeatureMatrix, landmarkFeatures, procrustesMeanShape, ratioFeatures } from '../../src/core/features.ts';
import { estimateRoll, estimateYaw, eyeFrame, point, type Shape } from '../../src/core/geometry.ts';
import { kmeans } from '../../src/core/kmeans.ts';
import { encodeLabels } from '../../src/core/labels.ts';
import { clusterMeans, createMatrix, matrixFromRows, pickRows, standardiseColumns, type Matrix } from '../../src/core/matrix.ts';
import { computeMetrics } from '../../src/core/metrics.ts';
import { fitPca } from '../../src/core/pca.ts';
import { learnWccn, withinPersonDeviations } from '../../src/core/within-person.ts';
import { catalogArgs, openTaggedCopy } from './helpers/catalog-args.ts';

const { catalogs, seeds } = catalogArgs('geometry');
const round = (x: number) => Math.round(x * 1000) / 1000;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Yaw, pitch and roll proxies from the landmarks alone (pitch: how far down the face the nose tip sits). */
function poseOf(landmarks: Shape): [number, number, number] {
  const yaw = estimateYaw(landmarks);
  const { centre, left, right } = eyeFrame(landmarks);
  const ux = right.x - left.x;
  const uy = right.y - left.y;
  const len = Math.hypot(ux, uy) || 1;
  // Distance below the eye line, perpendicular to it.
  const below = (i: number) => {
    const p = point(landmarks, i);
    return ((p.y - centre.y) * ux - (p.x - centre.x) * uy) / len;
  };
  const chin = below(8);
  const pitch = chin > 0 ? below(30) / chin : 0;
  return [Number.isFinite(yaw) ? yaw / 45 : 0, pitch, estimateRoll(landmarks) / 45];
}

/** Regressors of a pose: linear, or with squares and products (the shape follows the sine of the turn, not the turn). */
function poseTerms(pose: readonly number[], quadratic: boolean): number[] {
  const [y, p, r] = pose;
  return quadratic ? [1, y, p, r, y * y, p * p, r * r, y * p, y * r, p * r] : [1, y, p, r];
}

/** Each column of `m` minus its least-squares fit on the regressors (ridge 1e-9 keeps the normal equations solvable). */
function residualsAfter(m: Matrix, regressors: readonly number[][]): Matrix {
  const q = regressors[0].length;
  const gram = Array.from({ length: q }, () => new Float64Array(q));
  for (const row of regressors) for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) gram[a][b] += row[a] * row[b];
  for (let a = 0; a < q; a++) gram[a][a] += 1e-9 * m.rows;
  const rhs = Array.from({ length: q }, () => new Float64Array(m.cols));
  regressors.forEach((row, i) => {
    for (let a = 0; a < q; a++) for (let j = 0; j < m.cols; j++) rhs[a][j] += row[a] * m.data[i * m.cols + j];
  });
  const beta = solve(gram, rhs);
  const out = createMatrix(m.rows, m.cols);
  regressors.forEach((row, i) => {
    for (let j = 0; j < m.cols; j++) {
      let fit = 0;
      for (let a = 0; a < q; a++) fit += row[a] * beta[a][j];
      out.data[i * m.cols + j] = m.data[i * m.cols + j] - fit;
    }
  });
  return out;
}

/** Gauss–Jordan with partial pivoting on a small system with many right-hand sides. */
function solve(a: Float64Array[], b: Float64Array[]): Float64Array[] {
  const n = a.length;
  const A = a.map((r) => Float64Array.from(r));
  const B = b.map((r) => Float64Array.from(r));
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r][c]) > Math.abs(A[pivot][c])) pivot = r;
    [A[c], A[pivot]] = [A[pivot], A[c]];
    [B[c], B[pivot]] = [B[pivot], B[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[r][k] -= f * A[c][k];
      for (let k = 0; k < B[r].length; k++) B[r][k] -= f * B[c][k];
    }
  }
  return B.map((row, r) => row.map((x) => x / A[r][r]));
}

/** Projects rows (centred on `centre`) onto the given unit rows, each divided by its scale. */
function project(m: Matrix, centre: Float64Array, axes: Matrix, scales: ArrayLike<number>): Matrix {
  const out = createMatrix(m.rows, axes.rows);
  for (let i = 0; i < m.rows; i++) {
    for (let c = 0; c < axes.rows; c++) {
      let dot = 0;
      for (let j = 0; j < m.cols; j++) dot += (m.data[i * m.cols + j] - centre[j]) * axes.data[c * m.cols + j];
      out.data[i * axes.rows + c] = dot / scales[c];
    }
  }
  return out;
}

type Learner = (train: Matrix, people: readonly string[]) => (m: Matrix) => Matrix;

/** WCCN as the app learns it for `landmarks-wccn` (src/core/within-person.ts). */
const wccn: Learner = learnWccn;

/** Nuisance-attribute projection: drop the `r` directions that vary most within a person. */
const nap =
  (r: number): Learner =>
  (train, people) => {
    const within = fitPca(withinPersonDeviations(train, people));
    const kept = createMatrix(train.cols - r, train.cols, within.components.data.slice(r * train.cols));
    const ones = new Float64Array(kept.rows).fill(1);
    return (m) => project(m, new Float64Array(train.cols), kept, ones);
  };

/** LDA: after WCCN, the axes along which the people's means spread (at most people − 1 of them). */
const lda: Learner = (train, people) => {
  const whiten = wccn(train, people);
  const white = whiten(train);
  const { codes, names } = encodeLabels(people);
  const { means } = clusterMeans(white, codes, names.length);
  const between = fitPca(means, { components: Math.max(1, names.length - 1) });
  const ones = new Float64Array(between.components.rows).fill(1);
  return (m) => project(whiten(m), between.mean, between.components, ones);
};

const LEAK = 'landmarks-wccn learned on the people it is scored on (a leak)';

interface Setting {
  scoredOn: string;
  people: number;
  faces: number;
  k: number;
}

const work = mkdtempSync(join(tmpdir(), 'facet-geometry-'));
const results = [];
for (const source of catalogs) {
  const { engine, file } = await openTaggedCopy(source, work);
  await engine.close();
  const catalog = new Catalog(file);
  const { faces, filteredOut } = facesToCluster(catalog, { features: 'landmarks', includeFiltered: false });
  catalog.close();

  // Every matrix is built over the whole library, as a run would; subsets are rows of it.
  const shapes = faces.map((f) => f.landmarks);
  const poses = shapes.map(poseOf);
  const linear = poses.map((p) => poseTerms(p, false));
  const quadratic = poses.map((p) => poseTerms(p, true));
  const meanShape = procrustesMeanShape(shapes);
  const raw = {
    landmarks: matrixFromRows(shapes.map(landmarkFeatures)),
    aligned: matrixFromRows(shapes.map((s) => alignedLandmarkFeatures(s, meanShape))),
    ratios: matrixFromRows(shapes.map(ratioFeatures)),
  };
  const unsupervised: Record<string, Matrix> = {
    landmarks: buildFeatureMatrix(faces, 'landmarks'),
    'landmarks-aligned': buildFeatureMatrix(faces, 'landmarks-aligned'),
    ratios: buildFeatureMatrix(faces, 'ratios'),
    'landmarks − pose (linear)': standardiseColumns(residualsAfter(raw.landmarks, linear)),
    'landmarks − pose (quadratic)': standardiseColumns(residualsAfter(raw.landmarks, quadratic)),
    'landmarks-aligned − pose (linear)': standardiseColumns(residualsAfter(raw.aligned, linear)),
    'landmarks-aligned − pose (quadratic)': standardiseColumns(residualsAfter(raw.aligned, quadratic)),
    'ratios − pose (quadratic)': standardiseColumns(residualsAfter(raw.ratios, quadratic)),
    // How far geometry is from the recognition network, on the same faces.
    descriptor: buildFeatureMatrix(faces, 'descriptor'),
  };
  const learners: Record<string, { base: string; learn: Learner }> = {
    'landmarks-wccn (WCCN on landmarks-aligned)': { base: 'landmarks-aligned', learn: wccn },
    'NAP(10) on landmarks-aligned': { base: 'landmarks-aligned', learn: nap(10) },
    'LDA on landmarks-aligned': { base: 'landmarks-aligned', learn: lda },
    'WCCN on landmarks-aligned − pose': { base: 'landmarks-aligned − pose (quadratic)', learn: wccn },
    'LDA on landmarks-aligned − pose': { base: 'landmarks-aligned − pose (quadratic)', learn: lda },
    'WCCN on ratios': { base: 'ratios', learn: wccn },
    'LDA on ratios': { base: 'ratios', learn: lda },
  };

  const labels = faces.map((f) => f.identity);
  const people = [...new Set(labels.filter((l): l is string => l !== null))].sort();
  /** ARI of the default k-means on `space` over seeds, scored against `scoreLabels`. */
  const ariOver = (space: Matrix, k: number, scoreLabels: readonly (string | null)[]) =>
    seeds.map((seed) => round(computeMetrics({ assignments: kmeans(space, k, { seed }).assignments, labels: scoreLabels }).ari));

  const settings: (Setting & { ari: Record<string, { mean: number; seeds: number[] }> })[] = [];
  const record = (setting: Setting, name: string, ari: number[]) => {
    let entry = settings.find((s) => s.scoredOn === setting.scoredOn && s.k === setting.k);
    if (!entry) settings.push((entry = { ...setting, ari: {} }));
    entry.ari[name] = { mean: round(mean(ari)), seeds: ari };
  };

  // The whole library: unsupervised feature sets only, every face clustered, the tagged ones scored.
  for (const k of new Set([people.length, 10])) {
    const setting = { scoredOn: 'library', people: people.length, faces: faces.length, k };
    for (const [name, space] of Object.entries(unsupervised)) record(setting, name, ariOver(space, k, labels));
  }

  // Two folds by person: learn on one, cluster and score the other's faces.
  const folds = [people.filter((_, i) => i % 2 === 0), people.filter((_, i) => i % 2 === 1)];
  for (const [f, scoreOn] of folds.entries()) {
    const learnOn = new Set(folds[1 - f]);
    const scored = new Set(scoreOn);
    const trainRows = labels.flatMap((l, i) => (l !== null && learnOn.has(l) ? [i] : []));
    const testRows = labels.flatMap((l, i) => (l !== null && scored.has(l) ? [i] : []));
    const testLabels = testRows.map((i) => labels[i]);
    const spaces: Record<string, Matrix> = Object.fromEntries(Object.entries(unsupervised).map(([name, m]) => [name, pickRows(m, testRows)]));
    for (const [name, { base, learn }] of Object.entries(learners)) {
      const transform = learn(
        pickRows(unsupervised[base], trainRows),
        trainRows.map((i) => labels[i]!),
      );
      spaces[name] = transform(pickRows(unsupervised[base], testRows));
    }
    // What a run in the app reports, learned on the very people it is scored on: a leak, shown only to size it.
    const onScored = wccn(
      pickRows(unsupervised['landmarks-aligned'], testRows),
      testLabels.map((l) => l!),
    );
    spaces[LEAK] = onScored(pickRows(unsupervised['landmarks-aligned'], testRows));
    for (const k of new Set([scoreOn.length, 10])) {
      const setting = {
        scoredOn: `fold ${f + 1} (${scoreOn.length} people; learned on the other ${learnOn.size})`,
        people: scoreOn.length,
        faces: testRows.length,
        k,
      };
      for (const [name, space] of Object.entries(spaces)) record(setting, name, ariOver(space, k, testLabels));
    }
  }

  // Beats `ratios` where its mean ARI over the seeds is higher in every setting it was measured in.
  results.push({ catalog: source, faces: faces.length, filteredOut, people: people.length, taggedFaces: labels.filter((l) => l !== null).length, settings });
}

// A candidate beats `ratios` where its mean ARI over the seeds is higher in every setting of every catalog it was measured in.
const settingsMeasured = results.flatMap((r) => r.settings);
const candidates = [...new Set(settingsMeasured.flatMap((s) => Object.keys(s.ari)))].filter((name) => !['ratios', 'descriptor', LEAK].includes(name));
const beatsRatios = candidates.filter((name) => settingsMeasured.every((s) => s.ari[name] === undefined || s.ari[name].mean > s.ari.ratios.mean));
const seedsBeatingRatios = Object.fromEntries(
  candidates.map((name) => {
    const pairs = settingsMeasured.flatMap((s) => (s.ari[name] ? s.ari[name].seeds.map((ari, i) => ari > s.ari.ratios.seeds[i]) : []));
    return [name, `${pairs.filter(Boolean).length} of ${pairs.length}`];
  }),
);
rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify({ benchmark: 'geometry', seeds, beatsRatios, seedsBeatingRatios, results }, null, 2));
