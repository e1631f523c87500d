// Tests the `facet` command line through the real bin/facet.js: scan and stats output, exit codes and messages for bad usage.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LibraryInfo, ScanSummary } from '../../src/shared/contract.ts';
import { FACET_APPLICATION_ID } from '../../src/engine/catalog/database.ts';
import { migrations } from '../../src/engine/catalog/migrations/index.ts';
import { catalogPathFor } from '../../src/engine/paths.ts';
import { expectUsageError, runFacet, type FacetRun } from '../helpers/cli.ts';
import { copyPhotos } from '../helpers/library.ts';
import { describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

describeWithData('facet scan and facet stats', () => {
  let dir: string;
  let root: string;
  let catalog: string;
  let dataDir: string;
  let scan: FacetRun;

  beforeAll(async () => {
    dir = tempDir('facet-cli-');
    root = join(dir, 'photos');
    copyPhotos(root, { 'cast/raj2.png': 'faceapi-bbt-cast/raj/raj2.png' });
    writeFileSync(join(root, 'cast/letter.jpg'), 'Dear Raj,\n');
    catalog = join(dir, 'catalog.sqlite');
    dataDir = join(dir, 'data');
    scan = await runFacet(['scan', root, '--db', catalog, '--workers', '1', '--json'], { dataDir });
  });

  it('prints the scan summary as JSON and exits 0', () => {
    expect(scan.code, scan.stderr).toBe(0);
    const summary = JSON.parse(scan.stdout) as ScanSummary;
    expect(summary).toMatchObject({
      state: 'done',
      photos: 2,
      analysed: 1,
      missing: 0,
      faces: 1,
      failed: [{ path: 'cast/letter.jpg', reason: expect.stringMatching(/not an image/) }],
    });
    expect(summary.elapsedMs).toBeGreaterThan(0);
    expect(['wasm', 'tensorflow']).toContain(summary.backend);
    for (const key of ['photos', 'analysed', 'failed', 'missing', 'faces', 'elapsedMs', 'backend']) expect(summary).toHaveProperty(key);
    // --db was given: nothing went to the data folder.
    expect(existsSync(join(dataDir, 'catalogs'))).toBe(false);
  });

  it('says on stderr that the face models are loading before the first photo, then how analysis goes', () => {
    const lines = scan.stderr.split('\n');
    const loading = lines.findIndex((line) => line === 'loading face models… 2 photos to analyse');
    expect(loading, scan.stderr).toBeGreaterThanOrEqual(0);
    expect(
      lines.slice(loading + 1).some((line) => line.includes('2/2 photos')),
      scan.stderr,
    ).toBe(true);
  });

  it('prints the library stats as JSON', async () => {
    const run = await runFacet(['stats', '--db', catalog, '--json'], { dataDir });
    expect(run.code, run.stderr).toBe(0);
    const info = JSON.parse(run.stdout) as LibraryInfo;
    expect(info.root).toBe(realpathSync(root));
    expect(info.catalogFile).toBe(catalog);
    expect(info.stats).toMatchObject({ photos: 2, analysed: 1, failed: 1, pending: 0, missing: 0, faces: 1, photosWithoutFaces: 0 });
  });

  it('prints readable text without --json', async () => {
    const run = await runFacet(['stats', '--db', catalog], { dataDir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/photos\s+2 \(1 analysed, 0 pending, 1 failed, 0 missing\)/);
    expect(() => JSON.parse(run.stdout)).toThrow();
  });
});

describeWithData('facet run without --tags-from-folders', () => {
  it('tags nothing, says in one line how to tag, and takes --no-tags as a deprecated no-op', async () => {
    const dir = tempDir('facet-cli-');
    const root = join(dir, 'photos');
    // Event folders: tagging by folder name would make "2019 Paris" a person.
    copyPhotos(root, { '2019 Paris/amy1.png': 'faceapi-bbt-cast/amy/amy1.png', 'group/penny1.png': 'faceapi-bbt-cast/penny/penny1.png' });
    const catalog = join(dir, 'catalog.sqlite');
    const dataDir = join(dir, 'data');

    const run = await runFacet(['run', root, '--db', catalog, '--k', '1', '--workers', '1', '--json'], { dataDir });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).metrics.taggedFaces).toBe(0);
    const hint = run.stderr.split('\n').filter((line) => line.includes('--tags-from-folders'));
    expect(hint).toHaveLength(1);
    expect(hint[0]).toMatch(/facet tag --csv/);
    expect(hint[0]).toMatch(/the app/);
    const stats = await runFacet(['stats', '--db', catalog, '--json'], { dataDir });
    expect(JSON.parse(stats.stdout).stats).toMatchObject({ identities: 0, taggedFaces: 0 });

    const old = await runFacet(['run', root, '--db', catalog, '--k', '1', '--no-tags', '--json'], { dataDir });
    expect(old.code, old.stderr).toBe(0);
    expect(old.stderr).toMatch(/--no-tags is no longer needed/);
    expect(JSON.parse(old.stdout).metrics.taggedFaces).toBe(0);
  });
});

describe('facet with no --db', () => {
  it('keeps the catalog under FACET_DATA_DIR, named after the library, and finds it again', async () => {
    const dir = tempDir('facet-cli-');
    const root = join(dir, 'My Photos');
    mkdirSync(root);
    // Not a photo: nothing to analyse, so this scan needs no face models.
    writeFileSync(join(root, 'notes.txt'), 'to do: sort the photos');
    const dataDir = join(dir, 'data');

    const scan = await runFacet(['scan', root, '--json'], { dataDir });
    expect(scan.code, scan.stderr).toBe(0);
    expect(JSON.parse(scan.stdout)).toMatchObject({ state: 'done', photos: 0, analysed: 0, failed: [] });
    const expected = catalogPathFor(realpathSync(root), dataDir);
    expect(expected.startsWith(join(dataDir, 'catalogs'))).toBe(true);
    expect(existsSync(expected)).toBe(true);
    // The library folder holds only what was put there.
    expect(readdirSync(root)).toEqual(['notes.txt']);

    const stats = await runFacet(['stats', '--library', root, '--json'], { dataDir });
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ root: realpathSync(root), catalogFile: expected, stats: { photos: 0 } });
  });
});

describe('facet on bad usage', () => {
  let dataDir: string;
  let folder: string;

  beforeAll(() => {
    dataDir = tempDir('facet-cli-data-');
    folder = tempDir('facet-cli-empty-');
  });

  it('rejects an unknown command', async () => {
    const run = await runFacet(['frobnicate'], { dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unknown command "frobnicate"/);
    expect(run.stderr).toMatch(/usage: facet/);
  });

  it('rejects an unknown option, showing the usage', async () => {
    expectUsageError(await runFacet(['scan', folder, '--frobnicate'], { dataDir }), /--frobnicate[\s\S]*usage: facet scan/);
  });

  it('rejects an unknown detector, naming the field', async () => {
    expectUsageError(await runFacet(['scan', folder, '--detector', 'foo'], { dataDir }), /detector/);
  });

  it('rejects a minimum score outside (0, 1) and one that is not a number', async () => {
    expectUsageError(await runFacet(['scan', folder, '--min-score', '2'], { dataDir }), /minScore|min-score/);
    expectUsageError(await runFacet(['scan', folder, '--min-score', 'high'], { dataDir }), /--min-score takes a number/);
  });

  it('rejects a folder that does not exist', async () => {
    const missing = join(folder, 'no', 'such', 'folder');
    expectUsageError(await runFacet(['scan', missing], { dataDir }), /does not exist/);
    expect(existsSync(join(folder, 'no'))).toBe(false);
  });

  it('rejects a scan without exactly one folder, and stats without a library', async () => {
    expectUsageError(await runFacet(['scan'], { dataDir }), /exactly one folder/);
    expectUsageError(await runFacet(['scan', folder, folder], { dataDir }), /exactly one folder/);
    expectUsageError(await runFacet(['stats'], { dataDir }), /--library|--db/);
  });

  it('rejects a catalog made by a newer Facet', async () => {
    const file = join(tempDir('facet-cli-'), 'future.sqlite');
    const db = new Database(file);
    db.pragma(`application_id = ${FACET_APPLICATION_ID}`);
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    expectUsageError(await runFacet(['stats', '--db', file], { dataDir }), /newer than this Facet/);
  });
});
