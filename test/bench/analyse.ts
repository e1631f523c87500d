// Benchmark: scan the whole of ../shared/data/lfw-dev into a fresh catalog with each detector; prints JSON.
// Usage: npm run bench -- analyse [--detector ssd|tiny] [--limit N] [--workers N]
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../../src/engine/engine.ts';

const { values } = parseArgs({ options: { detector: { type: 'string' }, limit: { type: 'string' }, workers: { type: 'string' } } });
const dataSet = new URL('../../../shared/data/lfw-dev/', import.meta.url).pathname;
if (!existsSync(dataSet)) {
  console.error(`benchmark needs ${dataSet}`);
  process.exit(1);
}
const detectors = values.detector ? [values.detector as 'ssd' | 'tiny'] : (['ssd', 'tiny'] as const);
const workers = values.workers ? Number(values.workers) : undefined;
const work = mkdtempSync(join(tmpdir(), 'facet-bench-'));

// A limited run copies the first N photos (by person, then name) so the library holds just those.
let library = dataSet;
if (values.limit) {
  library = join(work, 'library');
  let left = Number(values.limit);
  for (const person of readdirSync(dataSet, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of readdirSync(join(dataSet, person.name)).sort()) {
      if (left-- <= 0) break;
      cpSync(join(dataSet, person.name, file), join(library, person.name, file));
    }
  }
}

const runs = [];
for (const detector of detectors) {
  const engine = new Engine({ dataDir: join(work, `data-${detector}`) });
  await engine.call('library/open', { root: library });
  const { jobId } = await engine.call('library/scan', { detector, workers });
  const summary = await engine.waitForJob(jobId);
  await engine.close();
  const seconds = summary.elapsedMs / 1000;
  runs.push({
    detector,
    backend: summary.backend,
    photos: summary.analysed,
    failed: summary.failed.length,
    faces: summary.faces,
    paddedFaces: summary.paddedFaces,
    seconds: Math.round(seconds * 10) / 10,
    imagesPerSecond: Math.round((summary.analysed / seconds) * 100) / 100,
    facesPerSecond: Math.round((summary.faces / seconds) * 100) / 100,
    stageMedianMs: summary.stageMedianMs,
  });
}
rmSync(work, { recursive: true, force: true });
console.log(
  JSON.stringify(
    { benchmark: 'analyse', dataSet, workers: workers ?? 'one per core', runs, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) },
    null,
    2,
  ),
);
