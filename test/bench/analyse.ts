// Benchmark: scans photo sets into fresh catalogs with each detector and prints JSON: photos/s, faces found against
// the true count where it is known, faces found on a padded retry, false faces, time per stage and peak RSS.
// Usage: npm run bench -- analyse [--detector cascade|ssd|tiny ...] [--set NAME ...] [--sample N] [--workers N] [--keep DIR]
// --keep DIR copies each scanned catalog to DIR/<detector>-<set>.sqlite (for `npm run bench -- quality --db ...`).
// Sets: the mixed library by default (lfw-sample, no-face, group-photos, composites); lfw-dev, orl and bbt-cast on request.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { Engine } from '../../src/engine/engine.ts';
import { Catalog } from '../../src/engine/catalog/catalog.ts';
import type { Detector, ScanSummary } from '../../src/shared/contract.ts';
import { sharedDataDir } from '../helpers/shared-data.ts';

const { values } = parseArgs({
  options: {
    detector: { type: 'string', multiple: true },
    set: { type: 'string', multiple: true },
    sample: { type: 'string', default: '200' },
    workers: { type: 'string' },
    keep: { type: 'string' },
  },
});
const MIXED = ['lfw-sample', 'no-face', 'group-photos', 'composites'];
const detectors = (values.detector ?? ['cascade', 'ssd']) as Detector[];
const sets = values.set ?? MIXED;
const workers = values.workers ? Number(values.workers) : undefined;
const sampleSize = Number(values.sample);
if (!existsSync(join(sharedDataDir, 'lfw-dev'))) {
  console.error(`the analysis benchmark needs the shared datasets at ${sharedDataDir}`);
  process.exit(1);
}

const photoFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? photoFiles(join(dir, entry.name)) : /\.(jpe?g|png|pgm)$/i.test(entry.name) ? [join(dir, entry.name)] : []))
    .sort();
/** Every `n`-th of the list, spread over all of it, `count` in all. */
const spread = (list: string[], count: number) => list.filter((_, i) => i % Math.max(1, Math.floor(list.length / count)) === 0).slice(0, count);

interface PhotoSet {
  what: string;
  /** Relative path → the true number of faces, where it is known. */
  truth?: Map<string, number>;
  /** Builds the set's folder (a copy or generated photos). */
  build(dir: string): Promise<void>;
}

const copyInto = (dir: string, base: string, files: string[]) => files.forEach((file) => cpSync(file, join(dir, relative(base, file))));

/** Close-up group photos: 2 to 4 LFW faces (the 150-pixel centre of each photo, enlarged to 250) side by side, as frame-filling faces. */
async function buildComposites(dir: string, truth: Map<string, number>): Promise<void> {
  const faces = spread(photoFiles(join(sharedDataDir, 'lfw-dev')), 36);
  const TILE = 250;
  mkdirSync(dir, { recursive: true });
  for (let i = 0, used = 0; i < 12; i++) {
    const count = 2 + (i % 3);
    const columns = count === 4 ? 2 : count;
    const rows = count === 4 ? 2 : 1;
    const tiles = await Promise.all(
      faces.slice(used, used + count).map((file) => sharp(file).extract({ left: 50, top: 50, width: 150, height: 150 }).resize(TILE, TILE).toBuffer()),
    );
    used += count;
    // Three in a row sit on a 750 × 500 canvas, as in the photo that first showed the problem.
    const height = count === 3 ? 500 : rows * TILE;
    const top = (height - rows * TILE) / 2;
    const name = `composite-${String(i + 1).padStart(2, '0')}-${count}-faces.jpg`;
    await sharp({ create: { width: columns * TILE, height, channels: 3, background: '#7f7f7f' } })
      .composite(tiles.map((input, j) => ({ input, left: (j % columns) * TILE, top: top + Math.floor(j / columns) * TILE })))
      .jpeg({ quality: 90 })
      .toFile(join(dir, name));
    truth.set(name, count);
  }
}

function setNamed(name: string): PhotoSet {
  const data = (folder: string) => join(sharedDataDir, folder);
  switch (name) {
    case 'lfw-sample':
      return {
        what: `${sampleSize} photos spread over lfw-dev (250 px, one main face each)`,
        build: async (dir) => copyInto(dir, data('lfw-dev'), spread(photoFiles(data('lfw-dev')), sampleSize)),
      };
    case 'lfw-dev':
      return { what: 'all of lfw-dev', build: async (dir) => copyInto(dir, data('lfw-dev'), photoFiles(data('lfw-dev'))) };
    case 'orl':
      return {
        what: 'all of orl-att-faces (92 × 112 grey, the face fills the frame)',
        build: async (dir) => copyInto(dir, data('orl-att-faces'), photoFiles(data('orl-att-faces'))),
      };
    case 'bbt-cast':
      return {
        what: 'all of faceapi-bbt-cast (tight crops of one face)',
        build: async (dir) => copyInto(dir, data('faceapi-bbt-cast'), photoFiles(data('faceapi-bbt-cast'))),
      };
    case 'no-face': {
      const truth = new Map(photoFiles(data('no-face-photos')).map((file) => [relative(data('no-face-photos'), file), 0]));
      return {
        what: 'no-face-photos: 26 large photographs and illustrations without a face',
        truth,
        build: async (dir) => copyInto(dir, data('no-face-photos'), photoFiles(data('no-face-photos'))),
      };
    }
    case 'group-photos': {
      const rows = readFileSync(join(data('faceapi-examples'), 'faces.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1);
      const truth = new Map(rows.map((row) => row.split(',')).map(([file, faces]) => [file, Number(faces)]));
      return {
        what: 'faceapi-examples: 5 group photos and 7 single faces, counted by eye',
        truth,
        build: async (dir) => copyInto(dir, data('faceapi-examples'), photoFiles(data('faceapi-examples'))),
      };
    }
    case 'composites': {
      const truth = new Map<string, number>();
      return { what: 'close-up composites of 2 to 4 LFW faces (250 px each)', truth, build: (dir) => buildComposites(dir, truth) };
    }
    default:
      console.error(`unknown set "${name}": one of ${[...MIXED, 'lfw-dev', 'orl', 'bbt-cast'].join(', ')}`);
      process.exit(1);
  }
}

/** Faces per photo as stored by the scan. */
function facesPerPhoto(catalogFile: string): Map<string, number> {
  const catalog = new Catalog(catalogFile, { readOnly: true });
  try {
    const rows = catalog.db
      .prepare<[], { path: string; faces: number }>(
        "SELECT p.path, COUNT(f.id) AS faces FROM photos p LEFT JOIN faces f ON f.photo_id = p.id AND f.source = 'detector' GROUP BY p.id",
      )
      .all();
    return new Map(rows.map((row) => [row.path, row.faces]));
  } finally {
    catalog.close();
  }
}

function againstTruth(found: Map<string, number>, truth: Map<string, number> | undefined) {
  if (!truth || truth.size === 0) return {};
  let trueFaces = 0;
  let matched = 0;
  let extra = 0;
  const wrong: Record<string, string> = {};
  for (const [path, expected] of truth) {
    const got = found.get(path) ?? 0;
    trueFaces += expected;
    matched += Math.min(got, expected);
    extra += Math.max(0, got - expected);
    if (got !== expected) wrong[path] = `${got} of ${expected}`;
  }
  return { trueFaces, foundOfTrue: matched, extraFaces: extra, photosMiscounted: wrong };
}

const work = mkdtempSync(join(tmpdir(), 'facet-bench-analyse-'));
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const results: Record<string, unknown>[] = [];
try {
  const built = new Map<string, { dir: string; set: PhotoSet }>();
  for (const name of sets) {
    const set = setNamed(name);
    const dir = join(work, 'sets', name);
    mkdirSync(dir, { recursive: true });
    await set.build(dir);
    built.set(name, { dir, set });
  }
  const warmUp = join(work, 'warm-up');
  mkdirSync(warmUp);
  writeFileSync(
    join(warmUp, 'grey.png'),
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } })
      .png()
      .toBuffer(),
  );

  for (const detector of detectors) {
    const engine = new Engine({ dataDir: join(work, `data-${detector}`) });
    const catalogs = new Map<string, string>();
    try {
      const scan = async (root: string): Promise<ScanSummary> => {
        await engine.call('library/open', { root });
        const { jobId } = await engine.call('library/scan', { detector, workers });
        return engine.waitForJob(jobId);
      };
      // The workers load their models once, here, so that no set's rate carries that start-up.
      const warm = await scan(warmUp);
      const sets: Record<string, unknown> = {};
      let photos = 0;
      let seconds = 0;
      for (const [name, { dir, set }] of built) {
        const summary = await scan(dir);
        const info = await engine.call('library/current', {});
        const found = facesPerPhoto(info!.catalogFile);
        catalogs.set(name, info!.catalogFile);
        const setSeconds = summary.elapsedMs / 1000;
        photos += summary.analysed;
        seconds += setSeconds;
        sets[name] = {
          what: set.what,
          photos: summary.analysed,
          failed: summary.failed.length,
          seconds: round(setSeconds),
          photosPerSecond: round(summary.analysed / setSeconds, 2),
          faces: summary.faces,
          facesOnRetry: summary.paddedFaces,
          ...againstTruth(found, set.truth),
          stageMedianMs: summary.stageMedianMs,
        };
      }
      results.push({ detector, backend: warm.backend, sets, all: { photos, seconds: round(seconds), photosPerSecond: round(photos / seconds, 2) } });
    } finally {
      await engine.close();
    }
    // Closed, so each catalog is whole in its one file.
    if (values.keep) {
      mkdirSync(values.keep, { recursive: true });
      for (const [name, file] of catalogs) cpSync(file, join(values.keep, `${detector}-${name}.sqlite`));
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(
  JSON.stringify(
    {
      benchmark: 'analyse',
      data: sharedDataDir,
      workers: workers ?? 'one per core',
      note: "each set is scanned into a fresh catalog by an engine whose workers have loaded their models already; seconds are the scan job's (walk, analysis, writes)",
      runs: results,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    null,
    2,
  ),
);
