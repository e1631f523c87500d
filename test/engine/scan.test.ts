// Tests the library scanner through the engine on temp copies of real photos: first scan, incremental, changed, hidden, bad roots
// (moved, missing, symlink loops and a vanished root need no face models: reconcile.test.ts).
import { cpSync, existsSync, mkdirSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { ScanSummary } from '../../src/shared/contract.ts';
import { Engine, EngineError } from '../../src/engine/engine.ts';
import { copyPhotos, facesIn, photosIn, scanLibrary, sha256, type PhotoRecord } from '../helpers/library.ts';
import { dataFile, describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/** Three one-face crops in two folders: analysed once, then every test works on its own copy. */
const BASE_PHOTOS = {
  'amy/amy1.png': 'faceapi-bbt-cast/amy/amy1.png',
  'amy/amy2.png': 'faceapi-bbt-cast/amy/amy2.png',
  'penny/penny1.png': 'faceapi-bbt-cast/penny/penny1.png',
};

describeWithData('scanning a library', () => {
  let base: { root: string; catalog: string; summary: ScanSummary; photos: Map<string, PhotoRecord> };
  const engines: Engine[] = [];

  function newEngine(): Engine {
    const engine = new Engine({ dataDir: tempDir('facet-data-') });
    engines.push(engine);
    return engine;
  }

  beforeAll(async () => {
    const dir = tempDir('facet-scan-base-');
    const root = join(dir, 'photos');
    // Whole-second timestamps survive the copies below exactly (sub-millisecond ones are rounded).
    const taken = new Date(Date.UTC(2021, 5, 1, 12, 0, 0));
    for (const path of copyPhotos(root, BASE_PHOTOS)) utimesSync(join(root, path), taken, taken);
    const catalog = join(dir, 'catalog.sqlite');
    const engine = new Engine({ dataDir: tempDir('facet-data-') });
    await engine.openCatalogFile(catalog, root);
    const summary = await scanLibrary(engine);
    // Closing checkpoints the WAL into the file, so the catalog can be copied on its own.
    await engine.close();
    base = { root, catalog, summary, photos: photosIn(catalog) };
  });

  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  /** A copy of the analysed base library and its catalog (timestamps kept), opened in a new engine. */
  async function cloneBase(): Promise<{ root: string; catalog: string; engine: Engine }> {
    const dir = tempDir('facet-scan-');
    const root = join(dir, 'photos');
    cpSync(base.root, root, { recursive: true, preserveTimestamps: true });
    const catalog = join(dir, 'catalog.sqlite');
    cpSync(base.catalog, catalog);
    const engine = newEngine();
    // To the catalog, the copy is its library moved to a new folder.
    const info = await engine.openCatalogFile(catalog, root, true);
    expect(info.root).toBe(realpathSync(root));
    return { root, catalog, engine };
  }

  it('adds and analyses every photo on the first scan', () => {
    expect(base.summary).toMatchObject({ state: 'done', photos: 3, added: 3, changed: 0, relinked: 0, analysed: 3, missing: 0, failed: [] });
    expect(base.summary.faces).toBeGreaterThanOrEqual(3);
    expect([...base.photos.keys()]).toEqual(Object.keys(BASE_PHOTOS).sort());
    for (const [path, photo] of base.photos) {
      expect(photo).toMatchObject({ state: 'analysed', width: 150, height: 150, error: null });
      expect(photo.hash).toBe(sha256(join(base.root, path)));
      expect(photo.analysed_at).not.toBeNull();
    }
  });

  it('does nothing on a second scan of an unchanged library', async () => {
    const { catalog, engine } = await cloneBase();
    const faces = facesIn(catalog);
    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({ state: 'done', photos: 3, added: 0, changed: 0, relinked: 0, analysed: 0, missing: 0, failed: [] });
    expect(photosIn(catalog)).toEqual(base.photos);
    expect(facesIn(catalog)).toEqual(faces);
  });

  it('does not re-analyse a file whose timestamp changed but whose content did not', async () => {
    const { root, catalog, engine } = await cloneBase();
    const touched = new Date(Date.UTC(2020, 0, 2, 3, 4, 5));
    utimesSync(join(root, 'amy/amy2.png'), touched, touched);
    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({ state: 'done', added: 0, changed: 0, analysed: 0 });
    const photo = photosIn(catalog).get('amy/amy2.png')!;
    expect(photo.mtime_ms).toBe(touched.getTime());
    expect(photo.analysed_at).toBe(base.photos.get('amy/amy2.png')!.analysed_at);
  });

  it('re-analyses a file whose content changed, under the same photo id', async () => {
    const { root, catalog, engine } = await cloneBase();
    const file = join(root, 'amy/amy1.png');
    cpSync(dataFile('faceapi-bbt-cast/sheldon/sheldon2.png'), file);
    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({ state: 'done', added: 0, changed: 1, relinked: 0, analysed: 1, missing: 0, failed: [] });
    const photos = photosIn(catalog);
    const before = base.photos.get('amy/amy1.png')!;
    const after = photos.get('amy/amy1.png')!;
    expect(after.id).toBe(before.id);
    expect(after.hash).toBe(sha256(file));
    expect(after.hash).not.toBe(before.hash);
    expect(after.state).toBe('analysed');
    expect(after.analysed_at).not.toBe(before.analysed_at);
    // The others were left alone.
    for (const path of ['amy/amy2.png', 'penny/penny1.png']) expect(photos.get(path)).toEqual(base.photos.get(path));
    expect(facesIn(catalog).filter((f) => f.photo_id === after.id)).toHaveLength(1);
  });

  it('skips hidden files and hidden folders', async () => {
    const { root, catalog, engine } = await cloneBase();
    // Copies of a known photo: if they were walked they would be added as new photos.
    copyPhotos(root, {
      '.hidden-copy.png': 'faceapi-bbt-cast/amy/amy1.png',
      '.thumbnails/amy1.png': 'faceapi-bbt-cast/amy/amy1.png',
      'amy/.cache/deep/amy1.png': 'faceapi-bbt-cast/amy/amy1.png',
    });
    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({ state: 'done', photos: 3, added: 0, analysed: 0, failed: [] });
    expect([...photosIn(catalog).keys()]).toEqual([...base.photos.keys()]);
  });

  it('rejects a library folder that does not exist, or is a file, with a clear error', async () => {
    const engine = newEngine();
    const nowhere = join(tempDir('facet-scan-'), 'no', 'such', 'folder');
    await expect(engine.call('library/open', { root: nowhere })).rejects.toThrow(EngineError);
    await expect(engine.call('library/open', { root: nowhere })).rejects.toThrow(/does not exist/);
    const file = join(tempDir('facet-scan-'), 'photo.jpg');
    writeFileSync(file, 'x');
    await expect(engine.call('library/open', { root: file })).rejects.toThrow(/not a folder/);
    // Nothing is open, so a scan is refused too.
    await expect(engine.call('library/scan', {})).rejects.toThrow(/no library is open/);
  });

  it('keeps the catalog in the data folder, and fails the scan of a library folder removed since', async () => {
    const dir = tempDir('facet-scan-');
    const root = join(dir, 'photos');
    mkdirSync(root);
    const dataDir = join(dir, 'data');
    const engine = new Engine({ dataDir });
    engines.push(engine);
    const info = await engine.call('library/open', { root });
    expect(info.catalogFile.startsWith(join(dataDir, 'catalogs'))).toBe(true);
    expect(existsSync(info.catalogFile)).toBe(true);
    rmSync(root, { recursive: true });
    await expect(scanLibrary(engine)).resolves.toMatchObject({ state: 'failed', error: expect.stringMatching(/not reachable/) });
  });
});
