// Tests the library scanner through the engine on temp copies of real photos: incremental, changed, missing, moved, hidden, symlink loops, bad roots.
import { cpSync, existsSync, mkdirSync, realpathSync, renameSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { EngineEvent, ScanSummary } from '../../src/shared/contract.ts';
import { Engine, EngineError } from '../../src/engine/engine.ts';
import {
  copyPhotos,
  facesIn,
  photosIn,
  scanLibrary,
  sha256,
  tagFace,
  tagsIn,
  type PhotoRecord,
} from '../helpers/library.ts';
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

  it('marks a deleted photo missing, keeps its faces and tags, and brings it back when it returns', async () => {
    const { root, catalog, engine } = await cloneBase();
    const gone = base.photos.get('penny/penny1.png')!;
    const face = facesIn(catalog).find((f) => f.photo_id === gone.id)!;
    tagFace(catalog, face.id, 'Penny');
    unlinkSync(join(root, 'penny/penny1.png'));

    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({ state: 'done', photos: 3, added: 0, analysed: 0, missing: 1, failed: [] });
    expect(photosIn(catalog).get('penny/penny1.png')).toMatchObject({ id: gone.id, state: 'missing' });
    expect(facesIn(catalog).find((f) => f.id === face.id)).toEqual(face);
    expect(tagsIn(catalog)).toEqual([{ face_id: face.id, name: 'Penny' }]);
    expect(await engine.call('library/stats', {})).toMatchObject({ missing: 1, taggedFaces: 1 });

    // Scanning again does not count it twice, and putting the file back restores it without re-analysis.
    expect(await scanLibrary(engine)).toMatchObject({ missing: 1, analysed: 0 });
    cpSync(dataFile('faceapi-bbt-cast/penny/penny1.png'), join(root, 'penny/penny1.png'));
    const back = await scanLibrary(engine);
    expect(back).toMatchObject({ state: 'done', added: 0, changed: 0, analysed: 0, missing: 0 });
    expect(photosIn(catalog).get('penny/penny1.png')).toMatchObject({ id: gone.id, state: 'analysed', analysed_at: gone.analysed_at });
    expect(tagsIn(catalog)).toEqual([{ face_id: face.id, name: 'Penny' }]);
  });

  it('re-links a moved and renamed photo by its content: same id, faces and tags, not missing', async () => {
    const { root, catalog, engine } = await cloneBase();
    const moving = base.photos.get('amy/amy2.png')!;
    const faces = facesIn(catalog).filter((f) => f.photo_id === moving.id);
    expect(faces.length).toBeGreaterThan(0);
    tagFace(catalog, faces[0].id, 'Amy');
    mkdirSync(join(root, 'archive/2019'), { recursive: true });
    renameSync(join(root, 'amy/amy2.png'), join(root, 'archive/2019/renamed.png'));

    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({ state: 'done', photos: 3, added: 0, relinked: 1, analysed: 0, missing: 0, failed: [] });
    const photos = photosIn(catalog);
    expect(photos.has('amy/amy2.png')).toBe(false);
    expect(photos.get('archive/2019/renamed.png')).toMatchObject({
      id: moving.id,
      state: 'analysed',
      hash: moving.hash,
      analysed_at: moving.analysed_at,
    });
    expect(facesIn(catalog).filter((f) => f.photo_id === moving.id)).toEqual(faces);
    expect(tagsIn(catalog)).toEqual([{ face_id: faces[0].id, name: 'Amy' }]);
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

  it('finishes a scan through a symbolic link loop, listing each photo once', { timeout: 60_000 }, async () => {
    const { root, catalog, engine } = await cloneBase();
    symlinkSync('..', join(root, 'amy/loop'));
    symlinkSync('.', join(root, 'penny/self'));
    // Two file links pointing at each other: a loop that ends in no file at all.
    symlinkSync('b.jpg', join(root, 'penny/a.jpg'));
    symlinkSync('a.jpg', join(root, 'penny/b.jpg'));

    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({ state: 'done', photos: 3, added: 0, analysed: 0, missing: 0 });
    expect([...photosIn(catalog).keys()]).toEqual([...base.photos.keys()]);
    expect(summary.failed).toEqual(
      expect.arrayContaining([
        { path: 'penny/a.jpg', reason: expect.stringMatching(/loop/) },
        { path: 'penny/b.jpg', reason: expect.stringMatching(/loop/) },
      ]),
    );
    expect(summary.failed).toHaveLength(2);
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

  it('marks nothing missing when the whole library vanishes during the walk, and scans it once it is back', async () => {
    const { root, catalog, engine } = await cloneBase();
    const away = `${root}-unplugged`;
    const unsubscribe = engine.onEvent((event: EngineEvent) => {
      if (event.type === 'job/progress' && event.progress.stage === 'walking' && existsSync(root)) renameSync(root, away);
    });
    const summary = await scanLibrary(engine);
    unsubscribe();
    expect(existsSync(away)).toBe(true);
    expect(summary.state).toBe('failed');
    expect(summary.error).toMatch(/not reachable|unreachable/);
    expect(summary.missing).toBe(0);
    expect([...photosIn(catalog).values()].map((p) => p.state)).toEqual(['analysed', 'analysed', 'analysed']);
    const [job] = await engine.call('job/list', {});
    expect(job.progress.state).toBe('failed');

    renameSync(away, root);
    expect(await scanLibrary(engine)).toMatchObject({ state: 'done', photos: 3, added: 0, analysed: 0, missing: 0 });
  });

  it('marks nothing missing when the library vanishes during analysis, and resumes once it is back', async () => {
    const { root, catalog, engine } = await cloneBase();
    const added = copyPhotos(root, {
      'raj/raj1.png': 'faceapi-bbt-cast/raj/raj1.png',
      'raj/raj2.png': 'faceapi-bbt-cast/raj/raj2.png',
      'stuart/stuart1.png': 'faceapi-bbt-cast/stuart/stuart1.png',
    });
    const away = `${root}-unplugged`;
    const unsubscribe = engine.onEvent((event: EngineEvent) => {
      const p = event.type === 'job/progress' ? event.progress : undefined;
      if (p && p.stage === 'analysing' && p.done >= 1 && existsSync(root)) renameSync(root, away);
    });
    const summary = await scanLibrary(engine);
    unsubscribe();

    expect(existsSync(away)).toBe(true);
    expect(summary.state).toBe('failed');
    expect(summary.error).toMatch(/not reachable|unreachable/);
    expect(summary.error).toMatch(/nothing was marked missing/);
    expect(summary.missing).toBe(0);
    const photos = photosIn(catalog);
    expect([...photos.values()].filter((p) => p.state === 'missing' || p.state === 'failed')).toEqual([]);
    const newStates = added.map((path) => photos.get(path)!.state);
    // At least one photo was analysed before the root went away and at least one was still to do.
    expect(newStates).toContain('analysed');
    expect(newStates).toContain('pending');
    const [job] = await engine.call('job/list', {});
    expect(job.progress.state).toBe('failed');

    renameSync(away, root);
    const resumed = await scanLibrary(engine);
    expect(resumed).toMatchObject({ state: 'done', photos: 6, added: 0, missing: 0, failed: [] });
    expect(resumed.analysed).toBe(newStates.filter((s) => s === 'pending').length);
    expect([...photosIn(catalog).values()].every((p) => p.state === 'analysed')).toBe(true);
  });

  it('keeps the catalog in the data folder, and fails the scan of a library folder removed since', async () => {
    const dir = tempDir('facet-scan-');
    const root = join(dir, 'photos');
    mkdirSync(root);
    const dataDir = join(dir, 'data');
    const engine = new Engine({ dataDir });
    engines.push(engine);
    const info = await engine.call('library/open', { root });
    expect(info.catalog.startsWith(join(dataDir, 'catalogs'))).toBe(true);
    expect(existsSync(info.catalog)).toBe(true);
    rmSync(root, { recursive: true });
    await expect(scanLibrary(engine)).resolves.toMatchObject({ state: 'failed', error: expect.stringMatching(/not reachable/) });
  });
});
