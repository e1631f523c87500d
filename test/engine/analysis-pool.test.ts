// Tests how a scan ends when analysis workers fail: a worker that cannot start, one that dies mid-scan and is replaced, one whose replacement cannot start.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/shared/contract.ts';
import { Engine } from '../../src/engine/engine.ts';
import { copyPhotos, photosIn, scanLibrary } from '../helpers/library.ts';
import { describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/** test/helpers/scripted-analysis-worker.ts with a plan of what each start does; starts are counted in a temp file. */
function scriptedWorker(plan: string[]): URL {
  const url = new URL('../helpers/scripted-analysis-worker.ts', import.meta.url);
  url.search = new URLSearchParams({ plan: plan.join(','), count: join(tempDir('facet-worker-'), 'starts') }).toString();
  return url;
}

describeWithData('a scan whose analysis workers fail', () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  /** Two one-face photos, opened in an engine whose workers follow `plan`; finished jobs are collected. */
  async function setUp(plan: string[]) {
    const root = join(tempDir('facet-pool-'), 'photos');
    copyPhotos(root, { 'a/amy1.png': 'faceapi-bbt-cast/amy/amy1.png', 'b/penny1.png': 'faceapi-bbt-cast/penny/penny1.png' });
    const engine = new Engine({ dataDir: tempDir('facet-data-'), analysisWorker: scriptedWorker(plan) });
    engines.push(engine);
    const { catalogFile: catalog } = await engine.call('library/open', { root });
    const finished: EngineEvent[] = [];
    engine.onEvent((event) => event.type === 'job/finished' && finished.push(event));
    return { engine, catalog, finished };
  }

  it('fails the scan with the reason when the workers cannot start, and the next scan starts a fresh pool', async () => {
    const { engine, catalog, finished } = await setUp(['fail', 'real']);
    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({ state: 'failed', analysed: 0, error: expect.stringMatching(/face models failed to load: out of memory/) });
    expect(finished).toMatchObject([{ type: 'job/finished', kind: 'scan', summary: { state: 'failed' } }]);
    expect((await engine.call('job/list', {}))[0].progress.state).toBe('failed');
    expect([...photosIn(catalog).values()].map((p) => p.state)).toEqual(['pending', 'pending']);

    expect(await scanLibrary(engine)).toMatchObject({ state: 'done', analysed: 2, failed: [] });
  });

  it('fails the photo of a worker that dies, replaces the worker and analyses the rest', async () => {
    const { engine, catalog } = await setUp(['die', 'real']);
    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({ state: 'done', analysed: 1, failed: [{ path: 'a/amy1.png', reason: 'analysis crashed (worker exit code 70)' }] });
    expect(photosIn(catalog).get('b/penny1.png')).toMatchObject({ state: 'analysed' });
  });

  it('fails the scan, not hangs, when a dead worker cannot be replaced; the next scan starts a fresh pool', { timeout: 60_000 }, async () => {
    const { engine, catalog, finished } = await setUp(['die', 'fail', 'real']);
    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({
      state: 'failed',
      analysed: 0,
      failed: [{ path: 'a/amy1.png', reason: 'analysis crashed (worker exit code 70)' }],
      error: expect.stringMatching(/could not be restarted: face models failed to load: out of memory .*scan again/),
    });
    expect(finished).toMatchObject([{ summary: { state: 'failed', error: summary.error } }]);
    expect(photosIn(catalog).get('b/penny1.png')).toMatchObject({ state: 'pending' });

    expect(await scanLibrary(engine)).toMatchObject({ state: 'done', analysed: 1 });
    expect(photosIn(catalog).get('b/penny1.png')).toMatchObject({ state: 'analysed' });
  });
});
