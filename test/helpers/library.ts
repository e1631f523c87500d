// Builds temporary photo libraries from the shared datasets and reads back what a scan stored in the catalog.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, lstatSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Params, ScanSummary } from '../../src/shared/contract.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { dataFile } from './shared-data.ts';

/**
 * Copies dataset files into `root`. Each entry maps a path in the library to a path in the
 * datasets, e.g. { 'amy/amy1.png': 'faceapi-bbt-cast/amy/amy1.png' }. Returns the library paths.
 */
export function copyPhotos(root: string, files: Record<string, string>): string[] {
  for (const [to, from] of Object.entries(files)) {
    const target = join(root, to);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(dataFile(from), target);
  }
  return Object.keys(files).sort();
}

/** Dataset paths mapped to the same layout in the library, without the dataset's folder name. */
export function sameLayout(...fromData: string[]): Record<string, string> {
  return Object.fromEntries(fromData.map((from) => [from.split('/').slice(1).join('/'), from]));
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export interface EntrySnapshot {
  type: 'file' | 'dir' | 'link';
  size: number;
  mtimeMs: number;
  mode: number;
  /** sha256 of a file's bytes, a link's target, nothing for a folder. */
  content?: string;
}

/** Every entry under `root` (hidden ones too), with what would show that it was written, moved or touched. */
export function snapshotTree(root: string): Map<string, EntrySnapshot> {
  const out = new Map<string, EntrySnapshot>();
  const visit = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      const info = lstatSync(abs);
      if (info.isSymbolicLink()) {
        out.set(rel, { type: 'link', size: info.size, mtimeMs: info.mtimeMs, mode: info.mode, content: readlinkSync(abs) });
      } else if (info.isDirectory()) {
        out.set(rel, { type: 'dir', size: 0, mtimeMs: info.mtimeMs, mode: info.mode });
        visit(abs, rel);
      } else {
        out.set(rel, { type: 'file', size: info.size, mtimeMs: info.mtimeMs, mode: info.mode, content: sha256(abs) });
      }
    }
  };
  visit(root, '');
  return out;
}

/** Starts a scan through the contract and waits for its summary. */
export async function scanLibrary(engine: Engine, params: Partial<Params<'library/scan'>> = {}): Promise<ScanSummary> {
  const { jobId } = await engine.call('library/scan', { workers: 1, ...params });
  return engine.waitForJob(jobId);
}

export interface PhotoRecord {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  hash: string | null;
  width: number | null;
  height: number | null;
  state: 'pending' | 'analysed' | 'failed' | 'missing';
  error: string | null;
  analysed_at: string | null;
}

export interface FaceRecord {
  id: number;
  photo_id: number;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  score: number;
  padding: number;
  missed_at: string | null;
}

/** A connection of the test's own to a catalog file, opened and closed around each use. */
export function withCatalog<T>(file: string, use: (db: Database.Database) => T, options: { readonly?: boolean } = {}): T {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return use(db);
  } finally {
    db.close();
  }
}

export function photosIn(file: string): Map<string, PhotoRecord> {
  return withCatalog(
    file,
    (db) =>
      new Map(
        db
          .prepare<[], PhotoRecord>('SELECT id, path, size, mtime_ms, hash, width, height, state, error, analysed_at FROM photos ORDER BY path')
          .all()
          .map((p) => [p.path, p]),
      ),
    { readonly: true },
  );
}

export function facesIn(file: string): FaceRecord[] {
  return withCatalog(
    file,
    (db) => db.prepare<[], FaceRecord>('SELECT id, photo_id, box_x, box_y, box_w, box_h, score, padding, missed_at FROM faces ORDER BY id').all(),
    { readonly: true },
  );
}

/** Tags a face by hand through the contract, as the People view does: the person is made on first use. */
export async function tagFace(engine: Engine, faceId: number, name: string): Promise<void> {
  const known = (await engine.call('identities/list', {})).find((person) => person.name === name);
  const { id } = known ?? (await engine.call('identities/create', { name }));
  await engine.call('faces/tag', { faceIds: [faceId], identityId: id });
}

export function tagsIn(file: string): { face_id: number; name: string }[] {
  return withCatalog(
    file,
    (db) =>
      db
        .prepare<[], { face_id: number; name: string }>(
          'SELECT fi.face_id, i.name FROM face_identities fi JOIN identities i ON i.id = fi.identity_id ORDER BY fi.face_id',
        )
        .all(),
    { readonly: true },
  );
}
