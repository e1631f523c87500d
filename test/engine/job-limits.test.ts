// Jobs at their limits: a clustering or map that needs more memory or time than one job may take stops with a LimitError that names the limit and what to do, and the engine answers the next call.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/shared/contract.ts';
import { Engine } from '../../src/engine/engine.ts';
import type { JobLimits } from '../../src/engine/job-limits.ts';
import { expectUsageError, runFacet } from '../helpers/cli.ts';
import { copyCatalog } from '../helpers/people-library.ts';
import { buildSyntheticCatalog, type SyntheticPhoto } from '../helpers/synthetic-catalog.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';
import { unitVectorPeople } from '../core/synthetic.ts';

useTempDirs();

/** `people` people of 100 faces, ten faces to a photo, each person in a folder. */
function library(people: number): SyntheticPhoto[] {
  const { matrix, labels } = unitVectorPeople({ sizes: new Array(people).fill(100), dims: 128, seed: 3, noise: 0.3 });
  const photos: SyntheticPhoto[] = [];
  for (let row = 0; row < matrix.rows; row += 10) {
    const faces = Array.from({ length: 10 }, (_, i) => ({
      name: `f${row + i}`,
      x: 10 + 60 * i,
      size: 50,
      descriptor: Float32Array.from(matrix.data.subarray((row + i) * 128, (row + i + 1) * 128)),
    }));
    photos.push({ path: `person-${labels[row]}/${row}.jpg`, width: 700, faces });
  }
  return photos;
}

/** A heap the workers start and run a PCA map or k-means of 4,000 faces in, but not a UMAP map (umap-js keeps its graph in JS arrays). */
const SMALL_HEAP_MB = 24;
const MINUTE = 60_000;

describe('jobs within their limits', () => {
  let catalog: string;
  let root: string;
  const engines: Engine[] = [];

  beforeAll(() => {
    ({ catalog, root } = buildSyntheticCatalog(library(40)));
  });

  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  /** An engine on a copy of the catalog that runs every clustering and grouping in a worker thread (in-process if `inWorkerAbove` says so), within `jobLimits`. */
  async function open(jobLimits: JobLimits, inWorkerAbove = 0): Promise<Engine> {
    const engine = new Engine({ dataDir: tempDir('facet-data-'), clusterInWorkerAbove: inWorkerAbove, jobLimits });
    engines.push(engine);
    await engine.openCatalogFile(copyCatalog(catalog), root);
    return engine;
  }

  it('stops a map that outgrows the worker heap with the limit and the way out, and goes on serving', async () => {
    const engine = await open({ memoryMb: SMALL_HEAP_MB, timeMs: 10 * MINUTE });
    const run = await engine.call('runs/create', { algorithm: 'kmeans', k: 40 });
    const finished: EngineEvent[] = [];
    engine.onEvent((event) => event.type === 'job/finished' && finished.push(event));
    await expect(engine.call('runs/projection', { id: run.id, method: 'umap' })).rejects.toMatchObject({
      name: 'LimitError',
      message: 'the UMAP map needs more than 24 MB of memory, the most one job may take on this machine: choose the PCA map, which needs far less',
    });
    // The engine answers, and starts the next worker under the same limit.
    expect((await engine.call('library/stats', {})).faces).toBe(4000);
    const map = await engine.call('runs/projection', { id: run.id, method: 'pca' });
    expect(map.faceIds).toHaveLength(4000);
    expect(finished[0]).toMatchObject({ kind: 'map', state: 'failed', error: expect.stringMatching(/^the UMAP map needs more than 24 MB/) });
  });

  it('stops a clustering that runs past its time with the limit and the way out, and goes on serving', async () => {
    const engine = await open({ memoryMb: 2048, timeMs: 300 });
    await expect(engine.call('runs/create', { algorithm: 'threshold', threshold: 0.9 })).rejects.toMatchObject({
      name: 'LimitError',
      message:
        'the threshold clustering ran longer than 0.3 seconds, the longest one job may run: choose k-means, which needs less, or mark the faces you do not need to cluster "ignore"',
    });
    expect(await engine.call('runs/list', {})).toEqual([]);
    expect((await engine.call('library/stats', {})).faces).toBe(4000);
  });

  it("groups a large library's unknown people in a worker, as in-process, and stops it at its time limit", async () => {
    const inProcess = await (await open({ memoryMb: 2048, timeMs: 10 * MINUTE }, 4000)).call('suggestions/groups', {});
    const engine = await open({ memoryMb: 2048, timeMs: 10 * MINUTE });
    expect(await engine.call('suggestions/groups', {})).toEqual(inProcess);
    expect(inProcess.groups.length).toBeGreaterThan(1);
    const hurried = await open({ memoryMb: 2048, timeMs: 300 });
    await expect(hurried.call('suggestions/groups', {})).rejects.toMatchObject({
      name: 'LimitError',
      message:
        'the grouping of unknown people ran longer than 0.3 seconds, the longest one job may run: tag some of the untagged faces first, or mark those you do not need "ignore"',
    });
    expect((await hurried.call('library/stats', {})).faces).toBe(4000);
  });

  it('refuses up front a run whose dense matrices would not fit, before any worker starts', async () => {
    const engine = await open({ memoryMb: SMALL_HEAP_MB, timeMs: 10 * MINUTE });
    // 4,000 faces × k = 1,000 bounds alone take 31 MB; k = 40 fits.
    await expect(engine.call('runs/create', { algorithm: 'kmeans', k: 1000 })).rejects.toMatchObject({
      name: 'LimitError',
      message: expect.stringMatching(/^the k-means clustering needs more than 24 MB of memory, .*: choose a smaller k/),
    });
    expect(await engine.call('job/list', {})).toEqual([]);
    expect((await engine.call('runs/create', { algorithm: 'kmeans', k: 40 })).k).toBe(40);
  });
});

describe('facet cluster at the memory limit', () => {
  it('prints the limit and the way out on stderr and exits with 1, storing no run', async () => {
    // 12,000 faces: a mixture with k = 12,000 would hold 2 · 12,000² responsibilities and bounds (2.2 GB) where a job may take at most 2 GB.
    const { catalog, root } = buildSyntheticCatalog(library(120));
    const dataDir = tempDir('facet-data-');
    const run = await runFacet(['cluster', '--library', root, '--db', catalog, '--algorithm', 'gmm', '--k', '12000'], { dataDir });
    expectUsageError(
      run,
      /^facet: the Gaussian-mixture clustering needs more than [\d.]+ [GM]B of memory, .*: choose k-means, which needs far less, or a smaller k$/m,
    );
    const runs = await runFacet(['runs', '--db', catalog, '--json'], { dataDir });
    expect(JSON.parse(runs.stdout)).toEqual([]);
  }, 60_000);
});
