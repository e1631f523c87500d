// Matching benchmark (npm run bench -- match [--db FILE] [--k 10] [--queries 2000] [--synthetic 100000]): for nprobe = 1..k, recall@1 against exhaustive search, suggestion accuracy, share scanned, queries per second; prints one JSON object.
//
// --db FILE is a scanned catalog, e.g. of lfw-dev with its distractors:
//   facet scan ../shared/data/lfw-dev --db /tmp/lfw.db && facet tag --from-folders --db /tmp/lfw.db
//   (distractors: copy lfw-dev and lfw-dev-distractors into one folder and scan that instead; ~8 minutes on 2 cores)
// Faces are clustered here by k-means on descriptors (k = --k, seed 1), as `facet cluster --k 10` does by default.
import { cpus, loadavg } from 'node:os';
import { kmeans } from '../../src/core/kmeans.ts';
import { buildBucketIndex, search } from '../../src/core/matcher.ts';
import { clusterMeans, createMatrix, getRow, l2NormaliseInto, type Matrix } from '../../src/core/matrix.ts';
import { descriptorThreshold } from '../../src/core/threshold-calibration.ts';
import { Catalog } from '../../src/engine/catalog/catalog.ts';
import { facesToCluster } from '../../src/engine/clustering.ts';
import { gaussianBlobs } from '../core/synthetic.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
};
const K = Number(arg('k') ?? 10);
const QUERIES = Number(arg('queries') ?? 2000);
const SYNTHETIC = Number(arg('synthetic') ?? 100_000);

interface Library {
  name: string;
  descriptors: Matrix;
  /** Identity per face, −1 untagged. */
  labels: Int32Array;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Every `step`-th face is a query, left out of the index it searches (exclude): recall@1 is the share whose
 * nearest face at this nprobe is the exhaustive nearest; a tagged query's suggestion (the nearest tagged face,
 * under the threshold) is right when it names the query's own person.
 */
function measure(library: Library) {
  const started = performance.now();
  const clustering = kmeans(library.descriptors, K, { seed: 1, restarts: 3 });
  const clusterSeconds = (performance.now() - started) / 1000;
  // Rows in cluster order, as the engine's index keeps them: each cluster's faces are one contiguous block of memory.
  const order = Int32Array.from({ length: library.descriptors.rows }, (_, i) => i).sort(
    (a, b) => clustering.assignments[a] - clustering.assignments[b] || a - b,
  );
  const descriptors = createMatrix(order.length, library.descriptors.cols);
  order.forEach((from, to) => descriptors.data.set(getRow(library.descriptors, from), to * descriptors.cols));
  const labels = Int32Array.from(order, (from) => library.labels[from]);
  const assignments = Int32Array.from(order, (from) => clustering.assignments[from]);
  const index = buildBucketIndex(assignments, clusterMeans(descriptors, assignments, K).means);
  const threshold = descriptorThreshold(descriptors, labels);
  const step = Math.max(1, Math.floor(descriptors.rows / QUERIES));
  const queries = Array.from({ length: Math.floor(descriptors.rows / step) }, (_, j) => j * step);
  const tagged = (i: number) => labels[i] >= 0;
  const ask = (q: number, nprobe: number) => search(index, descriptors, { descriptor: getRow(descriptors, q), exclude: q, where: tagged }, nprobe);
  const exhaustive = queries.map((q) => ask(q, index.clusters.length));
  const curve = [];
  for (let nprobe = 1; nprobe <= index.clusters.length; nprobe++) {
    let found = 0;
    let scanned = 0;
    let suggested = 0;
    let right = 0;
    let taggedQueries = 0;
    const start = performance.now();
    const results = queries.map((q) => ask(q, nprobe));
    const seconds = (performance.now() - start) / 1000;
    results.forEach((result, j) => {
      const q = queries[j];
      if (result.neighbours[0]?.face === exhaustive[j].neighbours[0]?.face) found++;
      scanned += result.scanned / (descriptors.rows - 1);
      if (!tagged(q)) return;
      taggedQueries++;
      const nearest = result.nearestWhere;
      if (nearest && nearest.distance < threshold.value) {
        suggested++;
        if (labels[nearest.face] === labels[q]) right++;
      }
    });
    curve.push({
      nprobe,
      recallAt1: round(found / queries.length),
      scanned: round(scanned / queries.length),
      suggestionAccuracy: taggedQueries ? round(right / taggedQueries) : null,
      suggestedShare: taggedQueries ? round(suggested / taggedQueries) : null,
      queriesPerSecond: Math.round(queries.length / seconds),
      msPerQuery: round((1000 * seconds) / queries.length, 3),
    });
  }
  return {
    library: library.name,
    faces: descriptors.rows,
    taggedFaces: labels.filter((l) => l >= 0).length,
    k: K,
    clusterSeconds: round(clusterSeconds, 2),
    queries: queries.length,
    threshold,
    curve,
  };
}

function fromCatalog(file: string): Library {
  const catalog = new Catalog(file);
  try {
    const { faces } = facesToCluster(catalog, { features: 'descriptor', includeFiltered: false });
    const descriptors = createMatrix(faces.length, faces[0]?.descriptor.length ?? 128);
    faces.forEach((f, i) => descriptors.data.set(f.descriptor, i * descriptors.cols));
    return { name: file, descriptors, labels: Int32Array.from(faces, (f) => f.identityId ?? -1) };
  } finally {
    catalog.close();
  }
}

/**
 * 100,000 unit-length 128-D descriptors of 2,000 "people" (50 faces each), every tenth person tagged:
 * people ~1.4 apart and faces of one person ~0.5 apart, as with face-api descriptors.
 */
function synthetic(n: number): Library {
  const people = n / 50;
  const blobs = gaussianBlobs({ sizes: new Array(people).fill(50), dims: 128, seed: 7, spread: 0.03, separation: 0.0884 });
  const descriptors = blobs.matrix;
  for (let i = 0; i < descriptors.rows; i++) l2NormaliseInto(getRow(descriptors, i), descriptors.data, i * descriptors.cols);
  return { name: `synthetic ${n}`, descriptors, labels: Int32Array.from(blobs.labels, (l) => (l % 10 === 0 ? l : -1)) };
}

const db = arg('db');
const results = [];
if (db) results.push(measure(fromCatalog(db)));
if (SYNTHETIC > 0) results.push(measure(synthetic(SYNTHETIC)));
console.log(JSON.stringify({ machine: { cpus: cpus().length, load: loadavg().map((l) => round(l, 2)) }, results }, null, 2));
