// A small library of four LFW people (four photos each) plus one composite photo with a bystander, for the tagging and clustering tests.
import { copyFileSync, existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { Engine } from '../../src/engine/engine.ts';
import { copyPhotos, scanLibrary, withCatalog } from './library.ts';
import { dataFile } from './shared-data.ts';
import { tempDir } from './temp.ts';

/** People with clearly different faces: the descriptor separates them without a single mistake. */
export const PEOPLE = ['Colin_Powell', 'George_W_Bush', 'Hugo_Chavez', 'Junichiro_Koizumi'] as const;

/**
 * A 600×400 grey canvas with a 250 px LFW photo of the subject at its centre and a photo of
 * someone else, shrunk to 120 px, in the bottom-right corner: two faces, one label (its folder).
 * Neither source photo is among the library's other photos.
 */
export const COMPOSITE = {
  path: 'George_W_Bush/George_W_Bush_group.jpg',
  width: 600,
  height: 400,
  subject: 'lfw-dev/George_W_Bush/George_W_Bush_0005.jpg',
  bystander: 'lfw-dev/Colin_Powell/Colin_Powell_0005.jpg',
} as const;

/** Every photo path of the library, sorted: 4 × 4 LFW photos and the composite. */
export const PEOPLE_PHOTOS = [...PEOPLE.flatMap((person) => [1, 2, 3, 4].map((i) => `${person}/${person}_000${i}.jpg`)), COMPOSITE.path].sort();

/** Builds the library under `root` (photos copied from the read-only datasets); returns its photo paths. */
export async function buildPeopleLibrary(root: string): Promise<string[]> {
  copyPhotos(root, Object.fromEntries(PEOPLE_PHOTOS.filter((p) => p !== COMPOSITE.path).map((p) => [p, `lfw-dev/${p}`])));
  const bystander = await sharp(dataFile(COMPOSITE.bystander)).resize(120, 120).toBuffer();
  await sharp({ create: { width: COMPOSITE.width, height: COMPOSITE.height, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .composite([
      { input: dataFile(COMPOSITE.subject), left: (COMPOSITE.width - 250) / 2, top: (COMPOSITE.height - 250) / 2 },
      { input: bystander, left: COMPOSITE.width - 130, top: COMPOSITE.height - 130 },
    ])
    .jpeg({ quality: 92 })
    .toFile(join(root, COMPOSITE.path));
  // Whole-second timestamps survive copies with preserved timestamps exactly.
  const taken = new Date(Date.UTC(2021, 5, 1, 12, 0, 0));
  for (const path of PEOPLE_PHOTOS) utimesSync(join(root, path), taken, taken);
  return PEOPLE_PHOTOS;
}

/**
 * Builds the library in a temp folder and scans it once (one worker) into `catalog.sqlite`,
 * optionally importing the folder names as tags. The engine is closed afterwards, which
 * checkpoints the WAL into the file, so the catalog can be copied on its own.
 */
export async function scanPeopleLibrary(options: { tagFromFolders?: boolean } = {}): Promise<{ root: string; catalog: string }> {
  const dir = tempDir('facet-people-');
  const root = join(dir, 'photos');
  await buildPeopleLibrary(root);
  const catalog = join(dir, 'catalog.sqlite');
  const engine = new Engine({ dataDir: tempDir('facet-data-') });
  try {
    await engine.openCatalogFile(catalog, root);
    const summary = await scanLibrary(engine);
    if (summary.state !== 'done' || summary.failed.length > 0) throw new Error(`scan of the people library: ${JSON.stringify(summary)}`);
    if (options.tagFromFolders) await engine.call('tags/import', { from: 'folders' });
  } finally {
    await engine.close();
  }
  return { root, catalog };
}

/** A copy of a closed catalog file (with its WAL, if one was left) in a fresh temp folder. */
export function copyCatalog(file: string): string {
  const copy = join(tempDir('facet-catalog-copy-'), 'catalog.sqlite');
  copyFileSync(file, copy);
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) copyFileSync(file + suffix, copy + suffix);
  return copy;
}

/** Distance from a face box's centre to the photo's centre. */
export function offCentre(box: { x: number; y: number; w: number; h: number }, width: number, height: number): number {
  return Math.hypot(box.x + box.w / 2 - width / 2, box.y + box.h / 2 - height / 2);
}

export interface FaceAt {
  id: number;
  path: string;
  box: { x: number; y: number; w: number; h: number };
  /** Not found by the latest analysis (faces.missed_at set). */
  missed: boolean;
}

/** Every face in the catalog with its photo's path, in id order. */
export function facesWithPaths(file: string): FaceAt[] {
  return withCatalog(
    file,
    (db) =>
      db
        .prepare<[], { id: number; path: string; x: number; y: number; w: number; h: number; missed: number }>(
          `SELECT f.id, p.path, f.box_x AS x, f.box_y AS y, f.box_w AS w, f.box_h AS h, f.missed_at IS NOT NULL AS missed
           FROM faces f JOIN photos p ON p.id = f.photo_id ORDER BY f.id`,
        )
        .all()
        .map(({ id, path, x, y, w, h, missed }) => ({ id, path, box: { x, y, w, h }, missed: missed === 1 })),
    { readonly: true },
  );
}

export interface TagRow {
  faceId: number;
  path: string;
  identity: string;
  source: 'user' | 'import';
}

/** Every tag with its face's photo and where it came from, in face order. */
export function tagRows(file: string): TagRow[] {
  return withCatalog(
    file,
    (db) =>
      db
        .prepare<[], TagRow>(
          `SELECT fi.face_id AS faceId, p.path, i.name AS identity, fi.source
           FROM face_identities fi JOIN identities i ON i.id = fi.identity_id
           JOIN faces f ON f.id = fi.face_id JOIN photos p ON p.id = f.photo_id ORDER BY fi.face_id`,
        )
        .all(),
    { readonly: true },
  );
}
