// Tests that a scan killed with SIGKILL resumes without duplicates, and that SIGINT cancels it cleanly (exit code 2).
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { ScanSummary } from '../../src/shared/contract.ts';
import { runFacet, startFacet, type FacetProcess } from '../helpers/cli.ts';
import { copyPhotos, facesIn, photosIn, sameLayout, withCatalog } from '../helpers/library.ts';
import { describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/** Ten LFW photos with exactly one face each (checked), so "one face per photo" is exact. */
const TEN = sameLayout(
  ...['Ariel_Sharon_0001', 'Ariel_Sharon_0002', 'Ariel_Sharon_0003'].map((n) => `lfw-dev/Ariel_Sharon/${n}.jpg`),
  ...['Colin_Powell_0001', 'Colin_Powell_0002', 'Colin_Powell_0003'].map((n) => `lfw-dev/Colin_Powell/${n}.jpg`),
  ...['Donald_Rumsfeld_0001', 'Donald_Rumsfeld_0002', 'Donald_Rumsfeld_0003'].map((n) => `lfw-dev/Donald_Rumsfeld/${n}.jpg`),
  'lfw-dev/George_W_Bush/George_W_Bush_0001.jpg',
);

/** Photos analysed so far, read through a connection of our own while the scan writes (WAL lets both). */
function analysedCount(catalog: string): number {
  if (!existsSync(catalog)) return 0;
  try {
    const db = new Database(catalog, { readonly: true, fileMustExist: true });
    try {
      return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM photos WHERE state = 'analysed'").get()!.n;
    } finally {
      db.close();
    }
  } catch {
    // Created but not migrated yet, or busy for a moment: try again on the next poll.
    return 0;
  }
}

/** Resolves once `count` photos are analysed; rejects if the process ends first. */
async function waitForAnalysed(run: FacetProcess, catalog: string, count: number): Promise<number> {
  let exited = false;
  void run.done.then(() => (exited = true));
  for (;;) {
    const n = analysedCount(catalog);
    if (n >= count) return n;
    if (exited) throw new Error(`facet ended before ${count} photos were analysed:\n${run.output.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeWithData('an interrupted scan', () => {
  const running: FacetProcess[] = [];

  afterEach(() => {
    for (const run of running.splice(0)) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  });

  it('resumes after kill -9 with every photo once, one face each, and nothing analysed twice', async () => {
    const dir = tempDir('facet-resume-');
    const root = join(dir, 'photos');
    const paths = copyPhotos(root, TEN);
    const catalog = join(dir, 'catalog.sqlite');
    const dataDir = join(dir, 'data');
    const args = ['scan', root, '--db', catalog, '--workers', '1', '--json'];

    const first = startFacet(args, { dataDir });
    running.push(first);
    await waitForAnalysed(first, catalog, 2);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toBe('');

    // What the killed scan left: every photo listed once, some analysed, the rest still pending.
    const before = photosIn(catalog);
    expect([...before.keys()]).toEqual(paths);
    const analysedBefore = [...before.values()].filter((p) => p.state === 'analysed');
    expect(analysedBefore.length).toBeGreaterThanOrEqual(2);
    expect(analysedBefore.length).toBeLessThan(paths.length);
    expect(new Set([...before.values()].map((p) => p.state))).toEqual(new Set(['analysed', 'pending']));
    const facesBefore = facesIn(catalog);
    // Each analysed photo was stored whole, in one transaction: its face is there, no half-written photo.
    expect(facesBefore.map((f) => f.photo_id).sort()).toEqual(analysedBefore.map((p) => p.id).sort());

    const second = await runFacet(args, { dataDir });
    expect(second.code, second.stderr).toBe(0);
    const summary = JSON.parse(second.stdout) as ScanSummary;
    expect(summary).toMatchObject({ state: 'done', photos: paths.length, added: 0, changed: 0, missing: 0, failed: [] });
    expect(summary.analysed).toBe(paths.length - analysedBefore.length);

    const after = photosIn(catalog);
    expect([...after.keys()]).toEqual(paths);
    for (const photo of after.values()) expect(photo.state, photo.path).toBe('analysed');
    // The photos done before the kill were not analysed again: same stamp, same face row.
    for (const photo of analysedBefore) expect(after.get(photo.path)).toEqual(photo);
    const faces = facesIn(catalog);
    expect(faces.map((f) => f.photo_id).sort((a, b) => a - b)).toEqual([...after.values()].map((p) => p.id).sort((a, b) => a - b));
    for (const face of facesBefore) expect(faces.find((f) => f.id === face.id)).toEqual(face);
    withCatalog(catalog, (db) => expect(db.pragma('integrity_check', { simple: true })).toBe('ok'), { readonly: true });
  });

  it('stops on SIGINT with exit code 2 and state cancelled, keeping what was analysed', async () => {
    const dir = tempDir('facet-sigint-');
    const root = join(dir, 'photos');
    const paths = copyPhotos(
      root,
      sameLayout(
        'lfw-dev/Jean_Chretien/Jean_Chretien_0001.jpg',
        'lfw-dev/Jean_Chretien/Jean_Chretien_0002.jpg',
        'lfw-dev/Jean_Chretien/Jean_Chretien_0003.jpg',
        'lfw-dev/Junichiro_Koizumi/Junichiro_Koizumi_0001.jpg',
      ),
    );
    const catalog = join(dir, 'catalog.sqlite');
    const run = startFacet(['scan', root, '--db', catalog, '--workers', '1', '--json'], { dataDir: join(dir, 'data') });
    running.push(run);
    await waitForAnalysed(run, catalog, 1);
    run.child.kill('SIGINT');
    const result = await run.done;

    expect(result.code, result.stderr).toBe(2);
    const summary = JSON.parse(result.stdout) as ScanSummary;
    expect(summary.state).toBe('cancelled');
    expect(summary.analysed).toBeGreaterThanOrEqual(1);
    expect(summary.analysed).toBeLessThan(paths.length);
    const photos = photosIn(catalog);
    expect([...photos.keys()]).toEqual(paths);
    const states = [...photos.values()].map((p) => p.state);
    expect(states.filter((s) => s === 'analysed')).toHaveLength(summary.analysed);
    expect(states.filter((s) => s === 'pending')).toHaveLength(paths.length - summary.analysed);
  });
});
