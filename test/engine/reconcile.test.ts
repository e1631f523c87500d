// Tests how a scan brings the catalog in line with the files (moved, missing and back, symlink loops, a vanished root) with a stand-in for the face models, so it runs everywhere.
import { existsSync, mkdirSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { JobProgress, ScanSummary } from '../../src/shared/contract.ts';
import type { AnalysisOutcome } from '../../src/engine/analysis/pool.ts';
import { Catalog } from '../../src/engine/catalog/catalog.ts';
import { Engine } from '../../src/engine/engine.ts';
import { describeFsError } from '../../src/engine/library/walk.ts';
import { ScanJob, type ScanPool } from '../../src/engine/scan-job.ts';
import { facesIn, photosIn, sha256, tagFace, tagsIn } from '../helpers/library.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/**
 * Stands in for the face models only: it reads the file as the real worker does (so a file that is gone is reported
 * as gone) and finds one face in it. Everything else — the walk, the hashing, the catalog — is the real thing.
 */
class OneFacePool implements ScanPool {
  readonly size = 1;
  readonly backend = 'one-face stand-in';
  /** Library paths handed to the models, in order. */
  readonly analysed: string[] = [];
  /** Runs as each photo reaches the models, before the file is read: where a test pulls the drive out. */
  beforeRead: (path: string) => void = () => undefined;

  constructor(private readonly root: string) {}

  async analyse(file: string): Promise<AnalysisOutcome> {
    const path = relative(this.root, file);
    this.analysed.push(path);
    this.beforeRead(path);
    try {
      await readFile(file);
    } catch (error) {
      return { ok: false, reason: describeFsError(error) };
    }
    const face = {
      box: { x: 10, y: 20, w: 40, h: 50 },
      score: 0.9,
      landmarks: new Float32Array(136),
      descriptor: new Float32Array(128).fill(1 / Math.sqrt(128)),
      yaw: 0,
      roll: 0,
      fitResidual: 0.05,
      padding: 0,
    };
    return { ok: true, result: { width: 100, height: 120, faces: [face], timings: { decode: 1, detect: 1, landmarks: 1, descriptor: 1 } } };
  }
}

const catalogs: Catalog[] = [];
afterEach(() => {
  for (const catalog of catalogs.splice(0)) catalog.close();
});

interface Library {
  root: string;
  file: string;
  catalog: Catalog;
  pool: OneFacePool;
  /** One scan, as the engine runs it; `onProgress` sees every progress report. */
  scan(onProgress?: (progress: JobProgress) => void): Promise<ScanSummary>;
}

/** Three photos in two folders, each file's bytes its own (the catalog tells photos apart by content). */
const FILES = ['amy/amy1.jpg', 'amy/amy2.jpg', 'penny/penny1.jpg'];

function writePhoto(root: string, path: string, content = `the bytes of ${path}`): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/** A library scanned once: every photo analysed with one face. */
async function scannedLibrary(): Promise<Library> {
  const dir = tempDir('facet-reconcile-');
  const root = join(dir, 'photos');
  for (const path of FILES) writePhoto(root, path);
  const file = join(dir, 'catalog.sqlite');
  const catalog = new Catalog(file);
  catalogs.push(catalog);
  catalog.setRoot(root);
  const pool = new OneFacePool(root);
  let jobs = 0;
  const scan = (onProgress: (progress: JobProgress) => void = () => undefined) =>
    new ScanJob(`job-${++jobs}`, { detector: 'cascade', minScore: 0.5, reanalyse: false }, { catalog, root, pool: async () => pool, emit: onProgress }).run();
  const first = await scan();
  expect(first).toMatchObject({ state: 'done', photos: 3, added: 3, analysed: 3, faces: 3, missing: 0, failed: [] });
  pool.analysed.length = 0;
  return { root, file, catalog, pool, scan };
}

/** Tags the face of one photo by hand, through the contract, in an engine of its own on the same catalog. */
async function tagPhotoFace(library: Library, path: string, name: string): Promise<number> {
  const photo = photosIn(library.file).get(path)!;
  const face = facesIn(library.file).find((f) => f.photo_id === photo.id)!;
  const engine = new Engine({ dataDir: tempDir('facet-data-') });
  try {
    await engine.openCatalogFile(library.file, library.root);
    await tagFace(engine, face.id, name);
  } finally {
    await engine.close();
  }
  return face.id;
}

it('marks a deleted photo missing with its faces and tags, counts it once, and brings it back unanalysed when it returns', async () => {
  const library = await scannedLibrary();
  const before = photosIn(library.file);
  const faceId = await tagPhotoFace(library, 'penny/penny1.jpg', 'Penny');
  const faces = facesIn(library.file);
  // One file is moved out and back (same size and timestamp: one stat tells), the other deleted and written again (hashed).
  const outside = join(tempDir('facet-elsewhere-'), 'penny1.jpg');
  renameSync(join(library.root, 'penny/penny1.jpg'), outside);
  unlinkSync(join(library.root, 'amy/amy1.jpg'));

  expect(await library.scan()).toMatchObject({ state: 'done', photos: 3, added: 0, analysed: 0, missing: 2, failed: [] });
  const gone = photosIn(library.file);
  for (const path of ['penny/penny1.jpg', 'amy/amy1.jpg']) expect(gone.get(path)).toMatchObject({ id: before.get(path)!.id, state: 'missing' });
  expect(facesIn(library.file)).toEqual(faces);
  expect(tagsIn(library.file)).toEqual([{ face_id: faceId, name: 'Penny' }]);
  expect(await library.scan()).toMatchObject({ state: 'done', missing: 2, analysed: 0 });

  renameSync(outside, join(library.root, 'penny/penny1.jpg'));
  writePhoto(library.root, 'amy/amy1.jpg');
  expect(await library.scan()).toMatchObject({ state: 'done', added: 0, changed: 0, relinked: 0, analysed: 0, missing: 0 });
  const back = photosIn(library.file);
  for (const path of ['penny/penny1.jpg', 'amy/amy1.jpg'])
    expect(back.get(path)).toMatchObject({ id: before.get(path)!.id, state: 'analysed', analysed_at: before.get(path)!.analysed_at });
  expect(tagsIn(library.file)).toEqual([{ face_id: faceId, name: 'Penny' }]);
  expect(library.pool.analysed).toEqual([]);
});

it('re-links a moved and renamed photo by its content: same id, faces and tags, nothing analysed again', async () => {
  const library = await scannedLibrary();
  const moving = photosIn(library.file).get('amy/amy2.jpg')!;
  const faceId = await tagPhotoFace(library, 'amy/amy2.jpg', 'Amy');
  const faces = facesIn(library.file);
  mkdirSync(join(library.root, 'archive/2019'), { recursive: true });
  renameSync(join(library.root, 'amy/amy2.jpg'), join(library.root, 'archive/2019/renamed.jpg'));

  expect(await library.scan()).toMatchObject({ state: 'done', photos: 3, added: 0, relinked: 1, analysed: 0, missing: 0, failed: [] });
  const photos = photosIn(library.file);
  expect(photos.has('amy/amy2.jpg')).toBe(false);
  expect(photos.get('archive/2019/renamed.jpg')).toMatchObject({
    id: moving.id,
    state: 'analysed',
    hash: moving.hash,
    analysed_at: moving.analysed_at,
  });
  expect(facesIn(library.file)).toEqual(faces);
  expect(tagsIn(library.file)).toEqual([{ face_id: faceId, name: 'Amy' }]);
  expect(library.pool.analysed).toEqual([]);
});

it('adds a copy of a photo that is still in place as a new photo, and re-analyses a file whose content changed under its id', async () => {
  const library = await scannedLibrary();
  const changed = photosIn(library.file).get('amy/amy1.jpg')!;
  writePhoto(library.root, 'copies/penny1.jpg', 'the bytes of penny/penny1.jpg');
  writePhoto(library.root, 'amy/amy1.jpg', 'other bytes');

  expect(await library.scan()).toMatchObject({ state: 'done', photos: 4, added: 1, changed: 1, relinked: 0, analysed: 2, missing: 0 });
  const photos = photosIn(library.file);
  expect(photos.get('amy/amy1.jpg')).toMatchObject({ id: changed.id, state: 'analysed', hash: sha256(join(library.root, 'amy/amy1.jpg')) });
  expect(photos.get('copies/penny1.jpg')!.hash).toBe(photos.get('penny/penny1.jpg')!.hash);
  expect(library.pool.analysed.sort()).toEqual(['amy/amy1.jpg', 'copies/penny1.jpg']);
});

it('finishes a walk through symbolic link loops, listing each photo once and each looping link as a failure', async () => {
  const library = await scannedLibrary();
  symlinkSync('..', join(library.root, 'amy/loop'));
  symlinkSync('.', join(library.root, 'penny/self'));
  // Two file links that point at each other: a loop that ends in no file at all.
  symlinkSync('b.jpg', join(library.root, 'penny/a.jpg'));
  symlinkSync('a.jpg', join(library.root, 'penny/b.jpg'));

  const summary = await library.scan();
  expect(summary).toMatchObject({ state: 'done', photos: 3, added: 0, analysed: 0, missing: 0 });
  expect([...photosIn(library.file).keys()]).toEqual(FILES);
  expect([...summary.failed].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
    { path: 'penny/a.jpg', reason: 'symbolic link loop' },
    { path: 'penny/b.jpg', reason: 'symbolic link loop' },
  ]);
});

it('marks nothing missing when the whole library vanishes during the walk, and scans it once it is back', async () => {
  const library = await scannedLibrary();
  const away = `${library.root}-unplugged`;
  const summary = await library.scan((progress) => {
    if (progress.stage === 'walking' && existsSync(library.root)) renameSync(library.root, away);
  });
  expect(existsSync(away)).toBe(true);
  expect(summary).toMatchObject({ state: 'failed', missing: 0, error: expect.stringMatching(/not reachable/) });
  expect([...photosIn(library.file).values()].map((p) => p.state)).toEqual(['analysed', 'analysed', 'analysed']);

  renameSync(away, library.root);
  expect(await library.scan()).toMatchObject({ state: 'done', photos: 3, added: 0, analysed: 0, missing: 0 });
});

it('marks nothing missing when the library vanishes during analysis, and resumes where it stopped once it is back', async () => {
  const library = await scannedLibrary();
  const added = ['raj/raj1.jpg', 'raj/raj2.jpg', 'stuart/stuart1.jpg'];
  for (const path of added) writePhoto(library.root, path);
  const away = `${library.root}-unplugged`;
  // Progress reports are throttled, and these photos take no time: the drive goes when the second photo is read.
  library.pool.beforeRead = (path) => {
    if (path === added[1]) renameSync(library.root, away);
  };
  const summary = await library.scan();

  expect(existsSync(away)).toBe(true);
  expect(summary).toMatchObject({ state: 'failed', missing: 0, error: expect.stringMatching(/nothing was marked missing/) });
  const photos = photosIn(library.file);
  expect([...photos.values()].filter((p) => p.state === 'missing' || p.state === 'failed')).toEqual([]);
  const states = added.map((path) => photos.get(path)!.state);
  expect(states).toEqual(['analysed', 'pending', 'pending']);

  renameSync(away, library.root);
  library.pool.beforeRead = () => undefined;
  library.pool.analysed.length = 0;
  const resumed = await library.scan();
  expect(resumed).toMatchObject({ state: 'done', photos: 6, added: 0, missing: 0, failed: [] });
  expect(library.pool.analysed).toEqual(added.filter((_, i) => states[i] === 'pending'));
  expect([...photosIn(library.file).values()].every((p) => p.state === 'analysed')).toBe(true);
});
