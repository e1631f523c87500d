// Photos: what the library walk found, each photo's state and place, and where it lies among the others.
import type { Db } from './database.ts';
import type { Revisions } from './revisions.ts';

export type PhotoState = 'pending' | 'analysed' | 'failed' | 'missing';

export interface PhotoRow {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  hash: string | null;
  state: PhotoState;
}

export interface PhotoInfo {
  id: number;
  path: string;
  width: number | null;
  height: number | null;
  state: PhotoState;
}

export class PhotoRepository {
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly revisions: Revisions,
  ) {
    this.statements = {
      photo: db.prepare<[number], PhotoInfo>('SELECT id, path, width, height, state FROM photos WHERE id = ?'),
      previousPhoto: db.prepare<[string], { id: number }>("SELECT id FROM photos WHERE state != 'missing' AND path < ? ORDER BY path DESC LIMIT 1"),
      nextPhoto: db.prepare<[string], { id: number }>("SELECT id FROM photos WHERE state != 'missing' AND path > ? ORDER BY path LIMIT 1"),
      photoByPath: db.prepare<[string], { id: number }>('SELECT id FROM photos WHERE path = ?'),
      photoLocation: db.prepare<[number], { path: string; width: number | null; height: number | null }>(
        "SELECT path, width, height FROM photos WHERE id = ? AND state != 'missing'",
      ),
      photos: db.prepare<[], PhotoRow>('SELECT id, path, size, mtime_ms, hash, state FROM photos'),
      insertPhoto: db.prepare("INSERT INTO photos (path, size, mtime_ms, hash, state) VALUES (?, ?, ?, ?, 'pending')"),
      insertFailedPhoto: db.prepare("INSERT INTO photos (path, size, mtime_ms, state, error) VALUES (?, ?, ?, 'failed', ?)"),
      contentChanged: db.prepare("UPDATE photos SET size = ?, mtime_ms = ?, hash = ?, state = 'pending', error = NULL WHERE id = ?"),
      touch: db.prepare('UPDATE photos SET size = ?, mtime_ms = ? WHERE id = ?'),
      relink: db.prepare(
        `UPDATE photos SET path = ?, size = ?, mtime_ms = ?,
           state = CASE WHEN analysed_at IS NOT NULL THEN 'analysed' ELSE 'pending' END
         WHERE id = ?`,
      ),
      reappeared: db.prepare(
        `UPDATE photos SET state = CASE WHEN analysed_at IS NOT NULL THEN 'analysed' ELSE 'pending' END
         WHERE id = ? AND state = 'missing'`,
      ),
      markMissing: db.prepare("UPDATE photos SET state = 'missing' WHERE id = ?"),
      toAnalyse: db.prepare<[], { id: number; path: string }>("SELECT id, path FROM photos WHERE state = 'pending' ORDER BY path"),
      toReanalyse: db.prepare<[], { id: number; path: string }>("SELECT id, path FROM photos WHERE state IN ('pending', 'analysed', 'failed') ORDER BY path"),
      failed: db.prepare("UPDATE photos SET state = 'failed', error = ? WHERE id = ?"),
    };
  }

  all(): PhotoRow[] {
    return this.statements.photos.all();
  }

  add(path: string, size: number, mtimeMs: number, hash: string): void {
    this.statements.insertPhoto.run(path, size, mtimeMs, hash);
    this.revisions.machine++;
  }

  addFailed(path: string, size: number, mtimeMs: number, reason: string): void {
    this.statements.insertFailedPhoto.run(path, size, mtimeMs, reason);
    this.revisions.machine++;
  }

  /** The content changed: analyse again (faces are matched to the old ones when it is stored). */
  markChanged(id: number, size: number, mtimeMs: number, hash: string): void {
    this.statements.contentChanged.run(size, mtimeMs, hash, id);
    this.revisions.machine++;
  }

  /** Same content, new timestamps (a copy, a touch): nothing to redo. */
  touch(id: number, size: number, mtimeMs: number): void {
    this.statements.touch.run(size, mtimeMs, id);
  }

  relink(id: number, path: string, size: number, mtimeMs: number): void {
    this.statements.relink.run(path, size, mtimeMs, id);
    this.revisions.machine++;
  }

  markPresent(id: number): void {
    this.statements.reappeared.run(id);
    this.revisions.machine++;
  }

  markMissing(ids: readonly number[]): void {
    this.db.transaction(() => {
      for (const id of ids) this.statements.markMissing.run(id);
    })();
    this.revisions.machine++;
  }

  toAnalyse(reanalyse: boolean): { id: number; path: string }[] {
    return (reanalyse ? this.statements.toReanalyse : this.statements.toAnalyse).all();
  }

  storeFailure(photoId: number, reason: string): void {
    this.statements.failed.run(reason, photoId);
    this.revisions.machine++;
  }

  get(photoId: number): PhotoInfo | undefined {
    return this.statements.photo.get(photoId);
  }

  /** The present photos just before and after `path` in path order. */
  neighbours(path: string): { previousId: number | null; nextId: number | null } {
    return { previousId: this.statements.previousPhoto.get(path)?.id ?? null, nextId: this.statements.nextPhoto.get(path)?.id ?? null };
  }

  idByPath(path: string): number | undefined {
    return this.statements.photoByPath.get(path)?.id;
  }

  location(photoId: number): { path: string; width: number; height: number; box?: undefined; landmarks?: undefined } | undefined {
    const r = this.statements.photoLocation.get(photoId);
    return r && { path: r.path, width: r.width ?? 0, height: r.height ?? 0 };
  }
}
