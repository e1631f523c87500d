// Tests through the real bin that facet leaves files that are not its catalogs alone, reads read-only catalogs, keeps a catalog to its folder, and backs up.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LibraryInfo, ScanSummary } from '../../src/shared/contract.ts';
import { Catalog } from '../../src/engine/catalog/catalog.ts';
import { Engine } from '../../src/engine/engine.ts';
import { expectUsageError, facetBin, repoRoot, runFacet, type FacetRun } from '../helpers/cli.ts';
import { buildSyntheticCatalog } from '../helpers/synthetic-catalog.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/** The unprivileged user of Debian and most Linux systems: root ignores file modes, so as root the CLI runs as this user. */
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** `facet ...args` as a user the file modes apply to (nobody when the tests run as root). */
function runAsUser(args: string[], dataDir: string): FacetRun {
  const result = spawnSync(process.execPath, [facetBin, ...args], {
    cwd: repoRoot,
    env: { ...process.env, HOME: dataDir, FACET_DATA_DIR: dataDir },
    encoding: 'utf8',
    ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** A folder anyone may enter (temp folders are private to their owner), for the runs as nobody. */
function openDir(prefix: string): string {
  const dir = tempDir(prefix);
  chmodSync(dir, 0o777);
  return dir;
}

/** A catalog of four faces in two photos, its library folder, and two clustering runs made by the engine. */
async function catalogWithRuns(): Promise<{ catalog: string; root: string }> {
  const built = buildSyntheticCatalog([
    {
      path: 'a.jpg',
      faces: [
        { name: 'a1', x: 10, descriptor: 0 },
        { name: 'a2', x: 300, descriptor: 90 },
      ],
    },
    {
      path: 'b.jpg',
      faces: [
        { name: 'b1', x: 10, descriptor: 5 },
        { name: 'b2', x: 300, descriptor: 95 },
      ],
    },
  ]);
  const engine = new Engine({ dataDir: tempDir('facet-safety-data-') });
  try {
    await engine.openCatalogFile(built.catalog, built.root);
    for (const seed of [1, 2]) await engine.call('runs/create', { k: 2, seed });
  } finally {
    await engine.close();
  }
  return { catalog: built.catalog, root: built.root };
}

function expectUntouched(file: string, before: Buffer): void {
  expect(Buffer.compare(readFileSync(file), before)).toBe(0);
  for (const suffix of ['-wal', '-shm', '-journal']) expect(existsSync(`${file}${suffix}`)).toBe(false);
}

describe('facet and files that are not its catalogs', () => {
  let dataDir: string;
  let folder: string;

  beforeAll(() => {
    dataDir = tempDir('facet-safety-data-');
    folder = tempDir('facet-safety-photos-');
  });

  it("refuses another program's SQLite file, naming it, and leaves it byte for byte as it was", async () => {
    const file = join(tempDir('facet-foreign-'), 'other-app.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')");
    db.close();
    const before = readFileSync(file);
    expectUsageError(await runFacet(['stats', '--db', file], { dataDir }), new RegExp(`${file} is an SQLite database of another program`));
    expectUntouched(file, before);
    expectUsageError(await runFacet(['scan', folder, '--db', file], { dataDir }), /another program/);
    expectUntouched(file, before);
  });

  it('refuses a file that is not SQLite at all, in one line naming it', async () => {
    const file = join(tempDir('facet-foreign-'), 'photos.sqlite');
    writeFileSync(file, Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 131 + 7) % 256)));
    const before = readFileSync(file);
    const run = await runFacet(['stats', '--db', file], { dataDir });
    expectUsageError(run, new RegExp(`${file} is not a Facet catalog \\(not an SQLite database\\)`));
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expectUntouched(file, before);
  });

  it('leaves no catalog behind for a mistyped --db, whatever the command', async () => {
    const dir = tempDir('facet-typo-');
    const typo = join(dir, 'no-such-folder', 'catalgo.sqlite');
    for (const args of [['stats'], ['runs'], ['tag', '--from-folders'], ['cluster'], ['delete-run', '1']]) {
      expectUsageError(await runFacet([...args, '--db', typo], { dataDir }), new RegExp(`no Facet catalog at ${typo} yet`));
    }
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    expectUsageError(await runFacet(['stats', '--db', empty], { dataDir }), /no Facet catalog/);
    expect(readFileSync(empty)).toHaveLength(0);
  });
});

describe('a read-only catalog', () => {
  let catalog: string;
  let root: string;
  let dataDir: string;

  beforeAll(async () => {
    const built = await catalogWithRuns();
    catalog = built.catalog;
    root = built.root;
    dataDir = openDir('facet-ro-data-');
    // The catalog and its folder read-only; the folders above it open to the user the CLI runs as.
    const folder = join(catalog, '..');
    chmodSync(join(folder, '..'), 0o755);
    chmodSync(catalog, 0o444);
    chmodSync(folder, 0o555);
  });

  it('is read by every command that only reads, in a read-only folder', () => {
    const stats = runAsUser(['stats', '--db', catalog, '--json'], dataDir);
    expect(stats.code, stats.stderr).toBe(0);
    expect((JSON.parse(stats.stdout) as LibraryInfo).stats).toMatchObject({ photos: 2, faces: 4 });
    const runs = runAsUser(['runs', '--db', catalog, '--json'], dataDir);
    expect(runs.code, runs.stderr).toBe(0);
    expect((JSON.parse(runs.stdout) as { id: number }[]).map((r) => r.id)).toEqual([1, 2]);
    for (const args of [
      ['report', '--run', '1'],
      ['compare', '1', '2'],
      ['export', '--run', '2', '--format', 'json'],
    ]) {
      const run = runAsUser([...args, '--db', catalog, '--json'], dataDir);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    }
    const backup = join(dataDir, 'backup.sqlite');
    const run = runAsUser(['backup', backup, '--db', catalog], dataDir);
    expect(run.code, run.stderr).toBe(0);
  });

  it('refuses a command that writes, in one line naming the file and what to do', () => {
    for (const args of [
      ['scan', root],
      ['cluster', '--k', '2'],
    ]) {
      const run = runAsUser([...args, '--db', catalog], dataDir);
      expectUsageError(run, new RegExp(`catalog ${catalog} is read-only: make it writable`));
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('a catalog and its library folder', () => {
  let dataDir: string;
  let oldRoot: string;
  let newRoot: string;
  let catalog: string;

  beforeAll(() => {
    const dir = tempDir('facet-moved-');
    dataDir = join(dir, 'data');
    oldRoot = join(dir, 'old');
    newRoot = join(dir, 'new');
    mkdirSync(join(newRoot, 'renamed'), { recursive: true });
    mkdirSync(oldRoot);
    // Not an image, but stored as analysed: the scan re-links it by hash and has nothing to analyse, so it needs no face models.
    const content = 'the bytes of a photo';
    writeFileSync(join(newRoot, 'renamed', 'photo.jpg'), content);
    catalog = join(dir, 'catalog.sqlite');
    const c = new Catalog(catalog);
    try {
      c.setRoot(realpathSync(oldRoot));
      c.photos.add('photo.jpg', content.length, 1_700_000_000_000, createHash('sha256').update(content).digest('hex'));
      c.faces.storeAnalysis(c.photos.idByPath('photo.jpg')!, { width: 10, height: 10, faces: [], analysis: {} });
    } finally {
      c.close();
    }
  });

  it("refuses a scan of another folder, naming the catalog's, and changes nothing", async () => {
    expectUsageError(
      await runFacet(['scan', newRoot, '--db', catalog], { dataDir }),
      new RegExp(`belongs to the library in ${realpathSync(oldRoot)}.*--moved-from`),
    );
    expectUsageError(await runFacet(['scan', newRoot, '--db', catalog, '--moved-from', newRoot], { dataDir }), /--moved-from .*belongs to the library in/);
    const stats = await runFacet(['stats', '--db', catalog, '--json'], { dataDir });
    expect(JSON.parse(stats.stdout)).toMatchObject({ root: realpathSync(oldRoot), stats: { photos: 1, analysed: 1, missing: 0 } });
  });

  it('asks for the catalog when --moved-from comes without --db', async () => {
    expectUsageError(
      await runFacet(['scan', newRoot, '--moved-from', oldRoot], { dataDir }),
      /--moved-from needs the catalog too: the catalog of .* is .*--db FILE/,
    );
  });

  it('follows the library with --moved-from, re-linking its photos by hash', async () => {
    const scan = await runFacet(['scan', newRoot, '--db', catalog, '--moved-from', oldRoot, '--json'], { dataDir });
    expect(scan.code, scan.stderr).toBe(0);
    expect(JSON.parse(scan.stdout) as ScanSummary).toMatchObject({ state: 'done', photos: 1, relinked: 1, missing: 0, added: 0 });
    const stats = await runFacet(['stats', '--db', catalog, '--json'], { dataDir });
    expect(JSON.parse(stats.stdout)).toMatchObject({ root: realpathSync(newRoot), stats: { photos: 1, analysed: 1, missing: 0 } });
  });
});

describe('facet backup', () => {
  it('writes a copy that opens as a catalog with the same counts, and replaces a file only with --force', async () => {
    const { catalog } = await catalogWithRuns();
    const dataDir = tempDir('facet-backup-data-');
    const backup = join(tempDir('facet-backup-'), 'library-backup.sqlite');
    const run = await runFacet(['backup', backup, '--db', catalog], { dataDir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(backup);

    const original = new Catalog(catalog, { readOnly: true });
    const copy = new Catalog(backup, { readOnly: true });
    try {
      expect(copy.stats()).toEqual(original.stats());
      expect(copy.root()).toBe(original.root());
      expect(copy.runs.list()).toEqual(original.runs.list());
      expect(copy.runs.assignments(2)).toEqual(original.runs.assignments(2));
    } finally {
      original.close();
      copy.close();
    }

    expectUsageError(await runFacet(['backup', backup, '--db', catalog], { dataDir }), new RegExp(`${backup} exists already: .*--force`));
    const forced = await runFacet(['backup', backup, '--db', catalog, '--force'], { dataDir });
    expect(forced.code, forced.stderr).toBe(0);
  });
});
