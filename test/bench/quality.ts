// Benchmark: clustering quality on a scanned, folder-tagged library (LFW by default); prints JSON.
// Usage: npm run bench -- quality --db CATALOG [--distractors CATALOG]
// Each catalog must already be scanned (facet scan <folder> --db CATALOG); the benchmark works on a
// temporary copy, tags it from folder names and runs every setting through the engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request, RunReport } from '../../src/shared/contract.ts';
import { Catalog } from '../../src/engine/catalog/catalog.ts';
import { facesToCluster } from '../../src/engine/clustering.ts';
import { buildFeatureMatrix } from '../../src/core/features.ts';
import { kmeans } from '../../src/core/kmeans.ts';
import { computeMetrics } from '../../src/core/metrics.ts';
import { encodeLabels } from '../../src/core/labels.ts';
import { clusteringThreshold, descriptorThreshold, taggedPairDistances } from '../../src/core/threshold-calibration.ts';
import { DEFAULT_DESCRIPTOR_THRESHOLD, suggestIdentities, suggestionMethod } from '../../src/core/threshold-clustering.ts';
import { catalogArgs, openTaggedCopy } from './helpers/catalog-args.ts';

const { catalogs, seeds } = catalogArgs('quality');

const headline = (r: RunReport) => ({
  cohesion: round(r.metrics.cohesion.weighted),
  cohesionMean: round(r.metrics.cohesion.mean),
  pairwiseF1: round(r.metrics.pairwise.f1),
  nmi: round(r.metrics.nmi),
  ari: round(r.metrics.ari),
  speedup: round(r.metrics.speedup),
  matchingRecallNprobe1: round(r.metrics.matchingRecall[0]?.recall ?? 0),
  ms: Math.round(r.durationMs),
});
function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const work = mkdtempSync(join(tmpdir(), 'facet-quality-'));
const results = [];
for (const source of catalogs) {
  const { engine, file, tagged } = await openTaggedCopy(source, work);
  const run = (params: Request<'runs/create'>) => engine.call('runs/create', params);

  const featureSets = ['landmarks', 'landmarks-aligned', 'ratios', 'descriptor', 'descriptor:1,landmarks-aligned:0.5'];
  const byFeatures = [];
  for (const features of featureSets) {
    const r = await run({ features });
    // The gates depend on the features: landmark sets apply every gate, the descriptor alone only the detection score.
    const { faces, filteredOut, filteredOutBy, placedOnly } = r.details;
    byFeatures.push({ features, faces, filteredOut, filteredOutBy, placedOnly, ...headline(r) });
  }

  const pcaSettings: Request<'runs/create'>['pca'][] = [
    { components: 10 },
    { components: 16 },
    { components: 32 },
    { components: 64 },
    { varianceShare: 0.95 },
    undefined,
  ];
  const robustness = [];
  for (const pca of pcaSettings) {
    for (const seed of seeds) {
      const r = await run({ features: 'descriptor', pca, seed });
      robustness.push({ pca: pca ?? 'none', seed, ...headline(r) });
    }
  }
  const worst = {
    cohesion: Math.min(...robustness.map((r) => r.cohesion)),
    ari: Math.min(...robustness.map((r) => r.ari)),
  };

  // Textbook k-means (no split/merge step), for comparison with the default.
  await engine.close();
  const catalog = new Catalog(file);
  const { faces } = facesToCluster(catalog, { features: 'descriptor', includeFiltered: false });
  const descriptors = buildFeatureMatrix(faces, 'descriptor');
  const plainKmeans = seeds.map((seed) => {
    const result = kmeans(descriptors, 10, { seed, restarts: 10, refine: 'none' });
    const m = computeMetrics({ assignments: result.assignments, labels: faces.map((f) => f.identity) });
    return { seed, cohesion: round(m.cohesion.weighted), ari: round(m.ari) };
  });

  // Threshold clustering around the default cut, and the cut calibrated on half of the people scored on the others.
  const labels = faces.map((f) => f.identity);
  const clusteredAt = (cut: number) => suggestIdentities(descriptors, { threshold: cut, seed: 1 });
  const scored = (cut: number, scoreLabels: (string | null)[]) => {
    const result = clusteredAt(cut);
    const m = computeMetrics({ assignments: result.assignments, labels: scoreLabels });
    return { cut: round(cut), clusters: result.clusters, ari: round(m.ari), pairwiseF1: round(m.pairwise.f1) };
  };
  const cuts = (from: number, to: number) => Array.from({ length: Math.round((to - from) / 0.01) + 1 }, (_, i) => from + i * 0.01);
  const thresholdSweep = cuts(DEFAULT_DESCRIPTOR_THRESHOLD - 0.05, DEFAULT_DESCRIPTOR_THRESHOLD + 0.05).map((cut) => scored(cut, labels));
  const people = [...new Set(labels.filter((l): l is string => l !== null))].sort();
  const folds = [people.filter((_, i) => i % 2 === 0), people.filter((_, i) => i % 2 === 1)];
  const calibratedCut = folds.map((calibrateOn, f) => {
    const scoreOn = new Set(folds[1 - f]);
    const calibrationCodes = encodeLabels(labels.map((l) => (l !== null && calibrateOn.includes(l) ? l : null))).codes;
    const calibration = clusteringThreshold(descriptors, calibrationCodes, suggestionMethod(descriptors.rows));
    const scoreLabels = labels.map((l) => (l !== null && scoreOn.has(l) ? l : null));
    const atCalibrated = scored(calibration.value, scoreLabels);
    const best = cuts(0.3, 0.6)
      .map((cut) => scored(cut, scoreLabels))
      .reduce((a, b) => (b.ari > a.ari ? b : a));
    // The cut that best separates pairs (what matching decides by), for comparison: the calibration before this one.
    const atPairCut = scored(descriptorThreshold(descriptors, calibrationCodes).value, scoreLabels);
    return {
      calibratedOn: calibrateOn.length,
      scoredOn: scoreOn.size,
      source: calibration.source,
      ...atCalibrated,
      bestCutOnScored: best,
      gap: round(best.ari - atCalibrated.ari),
      pairSeparatingCut: { ...atPairCut, gap: round(best.ari - atPairCut.ari) },
    };
  });
  // Unknown number of people: the default cut against the best one, the worst within ±0.05 of it, and the algorithms
  // that were candidates for the default, swept over the cuts where any of them does well.
  const bestCut = cuts(0.3, 0.6)
    .map((cut) => scored(cut, labels))
    .reduce((a, b) => (b.ari > a.ari ? b : a));
  const atDefault = scored(DEFAULT_DESCRIPTOR_THRESHOLD, labels);
  const worstNearDefault = thresholdSweep.reduce((a, b) => (b.ari < a.ari ? b : a));
  const studyCuts = Array.from({ length: 13 }, (_, i) => 0.3 + i * 0.025);
  const candidates = {
    average: (cut: number) => suggestIdentities(descriptors, { threshold: cut, method: 'agglomerative' }),
    complete: (cut: number) => suggestIdentities(descriptors, { threshold: cut, method: 'agglomerative', linkage: 'complete' }),
    chineseWhispers: (cut: number) => suggestIdentities(descriptors, { threshold: cut, method: 'chinese-whispers', seed: 1 }),
  };
  const algorithmSweep = Object.entries(candidates).map(([algorithm, cluster]) => ({
    algorithm,
    byCut: studyCuts.map((cut) => {
      const m = computeMetrics({ assignments: cluster(cut).assignments, labels });
      return { cut: round(cut), ari: round(m.ari), pairwiseF1: round(m.pairwise.f1) };
    }),
  }));
  const pairs = taggedPairDistances(descriptors, encodeLabels(labels).codes);
  const quantile = (values: Float64Array, q: number) => round(Float64Array.from(values).sort()[Math.floor(q * (values.length - 1))]);
  const pairDistances = {
    same: { pairs: pairs.same.length, median: quantile(pairs.same, 0.5), q95: quantile(pairs.same, 0.95), q99: quantile(pairs.same, 0.99) },
    other: { pairs: pairs.other.length, q001: quantile(pairs.other, 0.001), q01: quantile(pairs.other, 0.01), median: quantile(pairs.other, 0.5) },
  };
  const unknownK = {
    pairDistances,
    defaultCut: atDefault,
    bestCut,
    gapToBest: round(bestCut.ari - atDefault.ari),
    worstWithin005: worstNearDefault,
    algorithmSweep,
  };
  catalog.close();
  await engine.openCatalogFile(file);

  const baseline = await run({ features: 'landmarks' });
  const gmm = await run({ features: 'descriptor', pca: { components: 32 }, algorithm: 'gmm' });
  const threshold = await run({ features: 'descriptor', algorithm: 'threshold' });
  results.push({
    catalog: source,
    faces: baseline.details.faces,
    filteredOut: baseline.details.filteredOut,
    taggedFaces: baseline.metrics.taggedFaces,
    identities: baseline.metrics.identities,
    tagsImported: tagged,
    byFeatures,
    defaultDescriptorRobustness: { worst, runs: robustness },
    plainKmeansNoPca: plainKmeans,
    gmm: { ...headline(gmm), bic: gmm.details.bic },
    threshold: { clusters: threshold.k, cut: threshold.cut, ...headline(threshold), note: 'the cut calibrated on every tagged face, the ones scored included' },
    thresholdSweep,
    calibratedCut: {
      note: 'people split in two folds by name order; the cut calibrated on one fold, the clustering of every face scored on the other fold only',
      folds: calibratedCut,
    },
    unknownK,
    baselinePose: baseline.details.pose,
    featureSignals: await engine.call('features/identity-signal', {}),
  });
  await engine.close();
}
rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify({ benchmark: 'quality', results }, null, 2));
