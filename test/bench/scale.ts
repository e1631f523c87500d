// Benchmark: every job of the engine on a catalog of 100,000 faces made from real ones; prints JSON.
// Usage: npm run bench -- scale [--faces N] [--people N] [--real CATALOG] [--skip-tsne]
// Jobs: open, stats, faces/list pages, unknown groups (every face untagged), tag import, k-means, GMM and threshold runs, the
// identity signal (every face tagged), PCA and t-SNE maps, export, match/photo; each within the engine's job limits, which it prints.
// The real faces come from --real, a catalog scanned before, or from scanning every 4th photo of lfw-dev and all of its
// distractors (about a minute), after which the benchmark runs again in a fresh process with --real, so that the
// scan's workers do not count in the peak RSS of the jobs.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Engine } from '../../src/engine/engine.ts';
import { jobLimits } from '../../src/engine/job-limits.ts';
import { sharedDataDir } from '../helpers/shared-data.ts';
import { buildScaleLibrary, realFacesOf } from './helpers/scale-library.ts';

const { values } = parseArgs({
  options: {
    faces: { type: 'string', default: '100000' },
    people: { type: 'string', default: '5000' },
    real: { type: 'string' },
    'skip-tsne': { type: 'boolean', default: false },
  },
});
const TARGETS = { thresholdSeconds: 60, kmeansSeconds: 10, mapSeconds: 30, pageMs: 50, rssMb: 2048 };

const work = mkdtempSync(join(tmpdir(), 'facet-bench-scale-'));
const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Scans every 4th photo of lfw-dev (its ten people, for the spread within a person) and all of its distractors (258 people). */
async function scanRealFaces(): Promise<string> {
  const root = join(work, 'real');
  for (const set of ['lfw-dev', 'lfw-dev-distractors']) {
    const base = join(sharedDataDir, set);
    if (!existsSync(base)) throw new Error(`the scale benchmark needs ${base}`);
    for (const person of readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const files = readdirSync(join(base, person.name)).sort();
      files.forEach((file, i) => {
        if (set === 'lfw-dev-distractors' || i % 4 === 0) cpSync(join(base, person.name, file), join(root, person.name, file));
      });
    }
  }
  const engine = new Engine({ dataDir: join(work, 'real-data') });
  try {
    await engine.call('library/open', { root });
    const { jobId } = await engine.call('library/scan', {});
    await engine.waitForJob(jobId);
    return (await engine.call('library/current', {}))!.catalogFile;
  } finally {
    await engine.close();
  }
}

interface Measure {
  ms: number;
  peakRssMb: number;
  [key: string]: unknown;
}

const measures: Record<string, Measure | { skipped: string }> = {};
/** Times one job; the peak RSS is the process's so far (it only grows), so a job that raised it shows it first. */
async function measure<T>(name: string, job: () => Promise<T>, detail: (result: T) => Record<string, unknown> = () => ({})): Promise<T> {
  const started = performance.now();
  const result = await job();
  measures[name] = { ms: Math.round(performance.now() - started), peakRssMb: mb(), ...detail(result) };
  console.error(`${name}: ${measures[name].ms} ms, peak RSS ${mb()} MB`);
  return result;
}

if (!values.real) {
  try {
    const catalog = await scanRealFaces();
    const again = spawnSync(
      process.execPath,
      [fileURLToPath(new URL('../../bin/bench.js', import.meta.url)), 'scale', ...process.argv.slice(2), '--real', catalog],
      { stdio: 'inherit' },
    );
    process.exitCode = again.status ?? 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
} else {
  await measureAll(values.real);
}

async function measureAll(realCatalog: string): Promise<void> {
  try {
    const realStarted = performance.now();
    const real = realFacesOf(realCatalog);
    const realSeconds = round((performance.now() - realStarted) / 1000);
    const library = buildScaleLibrary(work, real, { faces: Number(values.faces), people: Number(values.people), exponent: 1.1, seed: 1 });
    console.error(`scale library: ${library.faces} faces of ${library.people} people in ${library.seconds} s`);

    const engine = new Engine({ dataDir: join(work, 'data') });
    try {
      await measure('open', () => engine.openCatalogFile(library.catalogFile));
      await measure(
        'stats',
        () => engine.call('library/stats', {}),
        (s) => ({ faces: s.faces }),
      );
      await measure(
        'facesListFirstCall',
        () => engine.call('faces/list', { limit: 200 }),
        (r) => ({ total: r.total, note: 'builds the face index' }),
      );
      await measure('facesListFirstPage', () => engine.call('faces/list', { limit: 200 }));
      await measure(
        'facesListDeepPage',
        () => engine.call('faces/list', { limit: 200, offset: library.faces - 200 }),
        (r) => ({ faces: r.faces.length }),
      );
      await measure('facesListDeepPageByPhoto', () => engine.call('faces/list', { limit: 200, offset: library.faces - 200, order: 'photo' }));
      await measure(
        'unknownGroups',
        () => engine.call('suggestions/groups', {}),
        (r) => ({ untagged: r.untagged, groups: r.groups.length }),
      );
      await measure(
        'tagImportFromFolders',
        () => engine.call('tags/import', { from: 'folders' }),
        (r) => ({ ...r }),
      );
      const kmeansRun = await measure(
        'kmeans',
        () => engine.call('runs/create', { k: 10 }),
        (r) => ({ faces: r.faces, clusters: r.k, ari: round(r.metrics.ari, 3) }),
      );
      await measure(
        'gmm',
        () => engine.call('runs/create', { k: 10, algorithm: 'gmm' }),
        (r) => ({ faces: r.faces, ari: round(r.metrics.ari, 3) }),
      );
      await measure(
        'threshold',
        () => engine.call('runs/create', { algorithm: 'threshold' }),
        (r) => ({ faces: r.faces, clusters: r.k, ari: round(r.metrics.ari, 3), cohesion: round(r.metrics.cohesion.weighted, 3) }),
      );
      await measure(
        'identitySignal',
        () => engine.call('features/identity-signal', {}),
        (signals) => ({
          nearestSameIdentity: Object.fromEntries(signals.map((s) => [s.feature, round(s.nearestSameIdentity, 3)])),
        }),
      );
      await measure(
        'mapPca',
        () => engine.call('runs/projection', { id: kmeansRun.id, method: 'pca' }),
        (p) => ({ points: p.faceIds.length }),
      );
      if (values['skip-tsne']) measures.mapTsne = { skipped: '--skip-tsne' };
      else
        await measure(
          'mapTsne',
          () => engine.call('runs/projection', { id: kmeansRun.id, method: 'tsne' }),
          (p) => ({ points: p.faceIds.length }),
        );
      await measure(
        'export',
        () => engine.call('runs/export', { id: kmeansRun.id }),
        (rows) => ({ rows: rows.length }),
      );
      // A real photo to name against the k-means run: the first call starts an analysis worker and builds the run's index.
      const image = readFileSync(join(sharedDataDir, 'lfw-dev/George_W_Bush/George_W_Bush_0001.jpg')).toString('base64');
      const matched = (m: { faces: { scanned: number }[] }) => ({ faces: m.faces.length, scanned: round(m.faces[0]?.scanned ?? 0, 3) });
      await measure(
        'matchFirst',
        () => engine.call('match/photo', { image, runId: kmeansRun.id }),
        (m) => ({ ...matched(m), note: 'loads the face models and builds the index' }),
      );
      await measure('match', () => engine.call('match/photo', { image, runId: kmeansRun.id }), matched);
    } finally {
      await engine.close();
    }

    const value = (name: string) => (measures[name] && 'ms' in measures[name] ? (measures[name] as Measure).ms : null);
    console.log(
      JSON.stringify(
        {
          benchmark: 'scale',
          library: { ...library, realCatalog, realSeconds },
          jobLimits: jobLimits(),
          measures,
          targets: {
            threshold: { target: `≤ ${TARGETS.thresholdSeconds} s`, met: (value('threshold') ?? Infinity) <= TARGETS.thresholdSeconds * 1000 },
            kmeans: { target: `≤ ${TARGETS.kmeansSeconds} s end to end in the engine`, met: (value('kmeans') ?? Infinity) <= TARGETS.kmeansSeconds * 1000 },
            map: {
              target: `≤ ${TARGETS.mapSeconds} s`,
              pcaMet: (value('mapPca') ?? Infinity) <= TARGETS.mapSeconds * 1000,
              tsneMet: (value('mapTsne') ?? Infinity) <= TARGETS.mapSeconds * 1000,
            },
            pages: {
              target: `≤ ${TARGETS.pageMs} ms`,
              met: ['facesListFirstPage', 'facesListDeepPage', 'facesListDeepPageByPhoto'].every((n) => (value(n) ?? Infinity) <= TARGETS.pageMs),
            },
            peakRss: { target: `≤ ${TARGETS.rssMb} MB`, mb: mb(), met: mb() <= TARGETS.rssMb },
          },
        },
        null,
        2,
      ),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
