// Tests maps and clusterings as jobs on a hand-made catalog: progress events, job/list, cancel, and large clusterings in a worker thread.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import type { EngineEvent, JobInfo } from '../../src/shared/contract.ts';
import { createRng } from '../../src/core/rng.ts';
import { buildSyntheticCatalog, type SyntheticPhoto } from '../helpers/synthetic-catalog.ts';
import { withCatalog } from '../helpers/library.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/** 400 faces of 8 people, descriptors scattered around each person's direction: enough for t-SNE and k-means to take a moment. */
function crowd(): SyntheticPhoto[] {
  const rng = createRng(11);
  const centres = Array.from({ length: 8 }, () => Float32Array.from({ length: 128 }, () => rng.normal()));
  return Array.from({ length: 100 }, (_, p) => ({
    path: `p${p % 8}/${p}.jpg`,
    faces: Array.from({ length: 4 }, (_, f) => ({
      name: `f${p}-${f}`,
      x: 10 + f * 220,
      descriptor: Float32Array.from(centres[(p + f) % 8], (v) => v + rng.normal() * 0.6),
    })),
  }));
}

const countRows = (file: string, sql: string) => withCatalog(file, (db) => (db.prepare(sql).get() as { n: number }).n, { readonly: true });

describe('maps and clusterings as jobs', () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  async function open(options: { clusterInWorkerAbove?: number; catalog?: string } = {}) {
    const built = buildSyntheticCatalog(crowd());
    const catalog = options.catalog ?? built.catalog;
    const engine = new Engine({ dataDir: tempDir('facet-data-'), clusterInWorkerAbove: options.clusterInWorkerAbove });
    engines.push(engine);
    // A catalog given keeps the folder it was made for.
    await engine.openCatalogFile(catalog, options.catalog === undefined ? built.root : undefined);
    await engine.call('tags/import', { from: 'folders' });
    const events: EngineEvent[] = [];
    engine.onEvent((event) => events.push(event));
    return { engine, events, catalog: built.catalog, root: built.root };
  }

  const progressOf = (events: EngineEvent[], kind: string) =>
    events.flatMap((e) => (e.type === 'job/progress' && e.progress.kind === kind ? [e.progress] : []));
  const finishedOf = (events: EngineEvent[], kind: string) => events.filter((e) => e.type === 'job/finished' && e.kind === kind);

  it('computes a map as a job: listed while it runs, progress by iteration, then job/finished', async () => {
    const { engine, events } = await open();
    const run = await engine.call('runs/create', { k: 8 });
    const listed: Promise<JobInfo[]>[] = [];
    const unsubscribe = engine.onEvent((event) => {
      if (event.type === 'job/progress' && event.progress.kind === 'map' && listed.length === 0) listed.push(engine.call('job/list', {}));
    });
    const map = await engine.call('runs/projection', { id: run.id, method: 'tsne' });
    unsubscribe();
    expect(map.faceIds).toHaveLength(400);
    // 400 faces: t-SNE laid out every one itself, no sample.
    expect(map.sample).toBeNull();

    const progress = progressOf(events, 'map');
    const jobId = progress[0].jobId;
    expect(progress.every((p) => p.jobId === jobId)).toBe(true);
    expect(progress[0]).toEqual({
      jobId,
      kind: 'map',
      stage: 'working',
      state: 'running',
      done: 0,
      total: 0,
      faces: 0,
      failures: 0,
      rate: 0,
      secondsLeft: null,
    });
    // t-SNE's 750 iterations, reported now and then (at most ~10 a second), counting up.
    const working = progress.filter((p) => p.done > 0 && p.state === 'running');
    expect(working.length).toBeGreaterThan(0);
    for (const p of working) expect(p.total).toBe(750);
    const dones = progress.map((p) => p.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ state: 'done', stage: 'done' });
    expect(finishedOf(events, 'map')).toEqual([{ type: 'job/finished', jobId, kind: 'map', state: 'done' }]);
    const [during] = await Promise.all(listed);
    expect(during).toContainEqual({ jobId, kind: 'map', progress: expect.objectContaining({ state: 'running' }) });
    expect(await engine.call('job/list', {})).toContainEqual({ jobId, kind: 'map', progress: expect.objectContaining({ state: 'done' }) });
    // A run's clustering is a job too, in-process here (400 faces), and ended before the map began.
    const clusterEnd = events.findIndex((e) => e.type === 'job/finished' && e.kind === 'cluster');
    expect(events[clusterEnd]).toMatchObject({ kind: 'cluster', state: 'done' });
    expect(clusterEnd).toBeLessThan(events.findIndex((e) => e.type === 'job/progress' && e.progress.kind === 'map'));
    expect((await engine.call('job/list', {})).filter((j) => j.kind === 'cluster')).toEqual([
      { jobId: expect.any(String), kind: 'cluster', progress: expect.objectContaining({ state: 'done', done: 12, total: 12 }) },
    ]);

    // Cached: no job the second time.
    const before = events.length;
    expect(await engine.call('runs/projection', { id: run.id, method: 'tsne' })).toEqual(map);
    expect(events.length).toBe(before);
  });

  it('cancels a map: the worker stops, the call rejects, job/finished says cancelled, nothing is cached', async () => {
    const { engine, events, catalog } = await open();
    const run = await engine.call('runs/create', { k: 8 });
    let cancelled: Promise<{ cancelled: boolean }> | undefined;
    engine.onEvent((event) => {
      // Once the worker reports an iteration it is running: cancel then.
      if (event.type === 'job/progress' && event.progress.kind === 'map' && event.progress.done > 0 && !cancelled)
        cancelled = engine.call('job/cancel', { jobId: event.progress.jobId });
    });
    const started = performance.now();
    await expect(engine.call('runs/projection', { id: run.id, method: 'tsne' })).rejects.toMatchObject({
      name: 'JobCancelledError',
      message: 'the t-SNE map was cancelled',
    });
    expect(await cancelled).toEqual({ cancelled: true });
    expect(performance.now() - started).toBeLessThan(10_000);
    const [finished] = finishedOf(events, 'map');
    expect(finished).toMatchObject({ type: 'job/finished', kind: 'map', state: 'cancelled' });
    expect(progressOf(events, 'map').at(-1)).toMatchObject({ state: 'cancelled', stage: 'done' });
    expect(countRows(catalog, 'SELECT count(*) AS n FROM projections')).toBe(0);
    // A finished job cannot be cancelled again.
    expect(await engine.call('job/cancel', { jobId: (finished as { jobId: string }).jobId })).toEqual({ cancelled: false });
  });

  it('clusters a large library in a worker: progress by restart, the engine still answers, the same result as in-process', async () => {
    const { engine, events, root } = await open({ clusterInWorkerAbove: 100 });
    const copy = join(tempDir('facet-copy-'), 'catalog.sqlite');
    // The open catalog's newest pages are still in its WAL: the online backup copies them too.
    await engine.backup(copy);
    const params = { k: 8, restarts: 30, seed: 4 };
    const running = engine.call('runs/create', params);
    let clustered = false;
    void running.then(() => (clustered = true));
    // The clustering runs off the engine's thread: other calls are answered meanwhile (in-process, it would end first).
    expect((await engine.call('library/stats', {})).faces).toBe(400);
    expect(clustered).toBe(false);
    const inWorker = await running;

    const progress = progressOf(events, 'cluster');
    expect(progress[0]).toMatchObject({ state: 'running', stage: 'working', done: 0 });
    // Features, 30 restarts, metrics.
    for (const p of progress.filter((x) => x.done > 0)) expect(p.total).toBe(32);
    expect(progress.at(-1)).toMatchObject({ state: 'done', done: 32, total: 32 });
    expect(finishedOf(events, 'cluster')).toEqual([{ type: 'job/finished', jobId: progress[0].jobId, kind: 'cluster', state: 'done' }]);

    const local = await open({ catalog: copy });
    await local.engine.openCatalogFile(copy, root);
    const inProcess = await local.engine.call('runs/create', params);
    expect(inWorker.metrics).toEqual(inProcess.metrics);
    expect(inWorker.details).toEqual(inProcess.details);
    expect(await engine.call('runs/assignments', { id: inWorker.id })).toEqual(await local.engine.call('runs/assignments', { id: inProcess.id }));
  });

  it('cancels a clustering in the worker: the call rejects and no run is stored', async () => {
    const { engine, events, catalog } = await open({ clusterInWorkerAbove: 100 });
    engine.onEvent((event) => {
      if (event.type === 'job/progress' && event.progress.kind === 'cluster' && event.progress.done > 0 && event.progress.state === 'running')
        void engine.call('job/cancel', { jobId: event.progress.jobId });
    });
    await expect(engine.call('runs/create', { k: 8, restarts: 1000 })).rejects.toMatchObject({
      name: 'JobCancelledError',
      message: 'the clustering was cancelled',
    });
    expect(finishedOf(events, 'cluster')).toMatchObject([{ kind: 'cluster', state: 'cancelled' }]);
    expect(await engine.call('runs/list', {})).toEqual([]);
    expect(countRows(catalog, 'SELECT count(*) AS n FROM assignments')).toBe(0);
    // Bad parameters are refused before any job starts.
    const before = events.length;
    await expect(engine.call('runs/create', { k: 401 })).rejects.toMatchObject({ name: 'ParamError', field: 'k' });
    expect(events.length).toBe(before);
  });
});
