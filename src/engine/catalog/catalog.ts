// The catalog repository: every SQL statement the engine runs, prepared once per connection.
import type { Box, FaceMark, Failure, LibraryStats } from '../../shared/contract.ts';
import { openDatabase, type Db, type OpenOptions } from './database.ts';
import { IdentityRepository } from './identities.ts';
import { FaceEditRepository } from './edits.ts';
import { float32FromBlob, toBlob } from './blobs.ts';
import { RunRepository } from './runs.ts';
import { ScanLockRepository } from './scan-lock.ts';
import type { Revisions } from './revisions.ts';
import { planReanalysis } from '../reanalysis.ts';
import type { AnalysedFace, PhotoAnalysis } from '../analysis/analysed-face.ts';
import type { FaceRecord } from '../face-record.ts';

export type PhotoState = 'pending' | 'analysed' | 'failed' | 'missing';

export interface PhotoRow {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  hash: string | null;
  state: PhotoState;
}

interface FaceRow {
  id: number;
  photo_id: number;
  path: string;
  width: number;
  height: number;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  score: number;
  size: number;
  yaw: number | null;
  roll: number | null;
  fit_residual: number | null;
  padding: number;
  missed: number;
  landmarks: Buffer;
  descriptor: Buffer;
  identity_id: number | null;
  identity: string | null;
  mark: FaceMark | null;
}

/** A face as the face index holds it: no landmarks, its photo's place and state. */
export interface IndexRow {
  id: number;
  photoId: number;
  path: string;
  photoState: PhotoState;
  photoWidth: number | null;
  photoHeight: number | null;
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
  size: number;
  yaw: number | null;
  fitResidual: number | null;
  source: 'detector' | 'user';
  missed: number;
  descriptor: Buffer;
}

export interface PhotoInfo {
  id: number;
  path: string;
  width: number | null;
  height: number | null;
  state: PhotoState;
}

function faceFromRow(r: FaceRow): FaceRecord {
  return {
    id: r.id,
    photoId: r.photo_id,
    path: r.path,
    photoWidth: r.width,
    photoHeight: r.height,
    box: { x: r.box_x, y: r.box_y, w: r.box_w, h: r.box_h },
    score: r.score,
    size: r.size,
    yaw: r.yaw,
    roll: r.roll,
    fitResidual: r.fit_residual,
    padding: r.padding,
    missed: r.missed === 1,
    landmarks: float32FromBlob(r.landmarks),
    descriptor: float32FromBlob(r.descriptor),
    identityId: r.identity_id,
    identity: r.identity,
    mark: r.mark,
  };
}

const FACE_SELECT = `
  SELECT f.id, f.photo_id, p.path, p.width, p.height, f.box_x, f.box_y, f.box_w, f.box_h, f.score, f.size,
         f.yaw, f.roll, f.fit_residual, f.padding, f.missed_at IS NOT NULL AS missed, f.landmarks, f.descriptor,
         fi.identity_id, i.name AS identity, m.mark
  FROM faces f JOIN photos p ON p.id = f.photo_id
  LEFT JOIN face_identities fi ON fi.face_id = f.id
  LEFT JOIN identities i ON i.id = fi.identity_id
  LEFT JOIN face_marks m ON m.face_id = f.id`;

function faceRow(photoId: number, face: AnalysedFace) {
  return {
    photo: photoId,
    ...face.box,
    score: face.score,
    landmarks: toBlob(face.landmarks),
    descriptor: toBlob(face.descriptor),
    size: Math.min(face.box.w, face.box.h),
    yaw: face.yaw,
    roll: face.roll,
    fitResidual: face.fitResidual,
    padding: face.padding,
  };
}

export class Catalog {
  readonly db: Db;
  readonly identities: IdentityRepository;
  readonly runs: RunRepository;
  readonly edits: FaceEditRepository;
  readonly scanLock: ScanLockRepository;
  /** Bumped by every write, so the face index knows when to rebuild. */
  readonly revisions: Revisions = { machine: 0, edits: 0 };
  private readonly statements;

  constructor(
    readonly file: string,
    options: OpenOptions = {},
  ) {
    this.db = openDatabase(file, undefined, options);
    const db = this.db;
    this.identities = new IdentityRepository(db, this.revisions);
    this.edits = new FaceEditRepository(db, this.revisions, this.identities);
    this.runs = new RunRepository(db);
    this.scanLock = new ScanLockRepository(db);
    this.statements = {
      presentFaces: db.prepare<[], FaceRow>(`${FACE_SELECT} WHERE p.state != 'missing' ORDER BY f.id`),
      indexRows: db.prepare<[], IndexRow>(
        `SELECT f.id, f.photo_id AS photoId, p.path, p.state AS photoState, p.width AS photoWidth, p.height AS photoHeight,
           f.box_x AS x, f.box_y AS y, f.box_w AS w, f.box_h AS h, f.score, f.size, f.yaw, f.fit_residual AS fitResidual,
           f.source, f.missed_at IS NOT NULL AS missed, f.descriptor
         FROM faces f JOIN photos p ON p.id = f.photo_id ORDER BY f.id`,
      ),
      dataVersion: db.prepare<[], { data_version: number }>('PRAGMA data_version'),
      photo: db.prepare<[number], PhotoInfo>('SELECT id, path, width, height, state FROM photos WHERE id = ?'),
      photoLandmarks: db.prepare<[number], { id: number; landmarks: Buffer }>('SELECT id, landmarks FROM faces WHERE photo_id = ?'),
      previousPhoto: db.prepare<[string], { id: number }>(
        "SELECT id FROM photos WHERE state != 'missing' AND path < ? ORDER BY path DESC LIMIT 1",
      ),
      nextPhoto: db.prepare<[string], { id: number }>("SELECT id FROM photos WHERE state != 'missing' AND path > ? ORDER BY path LIMIT 1"),
      photoByPath: db.prepare<[string], { id: number }>('SELECT id FROM photos WHERE path = ?'),
      faceLocation: db.prepare<
        [number],
        { path: string; width: number; height: number; box_x: number; box_y: number; box_w: number; box_h: number; landmarks: Buffer }
      >(
        `SELECT p.path, p.width, p.height, f.box_x, f.box_y, f.box_w, f.box_h, f.landmarks
         FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.id = ? AND p.state != 'missing'`,
      ),
      photoLocation: db.prepare<[number], { path: string; width: number | null; height: number | null }>(
        "SELECT path, width, height FROM photos WHERE id = ? AND state != 'missing'",
      ),
      root: db.prepare<[], { root: string }>('SELECT root FROM library WHERE id = 1'),
      setRoot: db.prepare(
        'INSERT INTO library (id, root) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET root = excluded.root',
      ),
      photos: db.prepare<[], PhotoRow>('SELECT id, path, size, mtime_ms, hash, state FROM photos'),
      insertPhoto: db.prepare(
        "INSERT INTO photos (path, size, mtime_ms, hash, state) VALUES (?, ?, ?, ?, 'pending')",
      ),
      insertFailedPhoto: db.prepare(
        "INSERT INTO photos (path, size, mtime_ms, state, error) VALUES (?, ?, ?, 'failed', ?)",
      ),
      contentChanged: db.prepare(
        "UPDATE photos SET size = ?, mtime_ms = ?, hash = ?, state = 'pending', error = NULL WHERE id = ?",
      ),
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
      toAnalyse: db.prepare<[], { id: number; path: string }>(
        "SELECT id, path FROM photos WHERE state = 'pending' ORDER BY path",
      ),
      toReanalyse: db.prepare<[], { id: number; path: string }>(
        "SELECT id, path FROM photos WHERE state IN ('pending', 'analysed', 'failed') ORDER BY path",
      ),
      oldFaces: db.prepare<
        [number],
        { id: number; x: number; y: number; w: number; h: number; source: 'detector' | 'user'; edited: number }
      >(
        `SELECT f.id, f.box_x AS x, f.box_y AS y, f.box_w AS w, f.box_h AS h, f.source,
           (EXISTS (SELECT 1 FROM face_identities WHERE face_id = f.id) OR EXISTS (SELECT 1 FROM face_marks WHERE face_id = f.id)
            OR EXISTS (SELECT 1 FROM rejected_suggestions WHERE face_id = f.id)) AS edited
         FROM faces f WHERE f.photo_id = ? ORDER BY f.id`,
      ),
      insertFace: db.prepare(
        `INSERT INTO faces (photo_id, box_x, box_y, box_w, box_h, score, landmarks, descriptor, size, yaw, roll, fit_residual, padding, source)
         VALUES (@photo, @x, @y, @w, @h, @score, @landmarks, @descriptor, @size, @yaw, @roll, @fitResidual, @padding, @source)`,
      ),
      // A face found again is no longer "not found by the latest analysis".
      updateFace: db.prepare(
        `UPDATE faces SET box_x = @x, box_y = @y, box_w = @w, box_h = @h, score = @score, landmarks = @landmarks,
           descriptor = @descriptor, size = @size, yaw = @yaw, roll = @roll, fit_residual = @fitResidual, padding = @padding,
           missed_at = NULL
         WHERE id = @id`,
      ),
      deleteFace: db.prepare('DELETE FROM faces WHERE id = ?'),
      // The first analysis that missed it is kept: a face missed again and again was missed since then.
      missFace: db.prepare("UPDATE faces SET missed_at = coalesce(missed_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) WHERE id = ?"),
      analysed: db.prepare(
        `UPDATE photos SET state = 'analysed', error = NULL, width = ?, height = ?, analysis = ?,
           analysed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
      ),
      failed: db.prepare("UPDATE photos SET state = 'failed', error = ? WHERE id = ?"),
      failures: db.prepare<[number], Failure>(
        `SELECT path, error AS reason FROM photos WHERE state = 'failed'
         UNION ALL SELECT path, reason FROM unusable_files ORDER BY path LIMIT ?`,
      ),
      clearUnusable: db.prepare('DELETE FROM unusable_files'),
      addUnusable: db.prepare('INSERT OR REPLACE INTO unusable_files (path, reason) VALUES (?, ?)'),
      stats: db.prepare<[], LibraryStats>(
        `SELECT
           (SELECT count(*) FROM photos) AS photos,
           (SELECT count(*) FROM photos WHERE state = 'pending') AS pending,
           (SELECT count(*) FROM photos WHERE state = 'analysed') AS analysed,
           (SELECT count(*) FROM photos WHERE state = 'failed') + (SELECT count(*) FROM unusable_files) AS failed,
           (SELECT count(*) FROM photos WHERE state = 'missing') AS missing,
           (SELECT count(*) FROM faces) AS faces,
           (SELECT count(*) FROM faces WHERE padding > 0) AS paddedFaces,
           (SELECT count(*) FROM photos p WHERE p.state = 'analysed'
              AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.photo_id = p.id)) AS photosWithoutFaces,
           (SELECT count(*) FROM identities) AS identities,
           (SELECT count(*) FROM face_identities) AS taggedFaces,
           (SELECT count(*) FROM face_marks) AS markedFaces`,
      ),
    };
  }

  /** Moves the WAL into the .db file first, so a copy of the closed .db alone holds everything. */
  close(): void {
    if (!this.db.readonly) this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  /** A consistent copy made with SQLite's online backup: safe while this or another process writes. */
  async backup(destination: string): Promise<void> {
    await this.db.backup(destination);
  }

  root(): string | undefined {
    return this.statements.root.get()?.root;
  }

  setRoot(root: string): void {
    this.statements.setRoot.run(root);
  }

  photos(): PhotoRow[] {
    return this.statements.photos.all();
  }

  addPhoto(path: string, size: number, mtimeMs: number, hash: string): void {
    this.statements.insertPhoto.run(path, size, mtimeMs, hash);
    this.revisions.machine++;
  }

  addFailedPhoto(path: string, size: number, mtimeMs: number, reason: string): void {
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

  photosToAnalyse(reanalyse: boolean): { id: number; path: string }[] {
    return (reanalyse ? this.statements.toReanalyse : this.statements.toAnalyse).all();
  }

  /**
   * Stores a photo's faces and stamps it analysed in one transaction, so an interrupted scan
   * leaves every photo either fully stored or still pending. Which old faces keep their ids, are
   * kept as missed or go is planned by planReanalysis; here the plan is written.
   */
  storeAnalysis(photoId: number, result: PhotoAnalysis): void {
    this.db.transaction(() => {
      const old = this.statements.oldFaces.all(photoId).map(({ id, x, y, w, h, source, edited }) => ({
        id,
        box: { x, y, w, h },
        source,
        edited: edited === 1,
      }));
      const plan = planReanalysis(
        old,
        result.faces.map((f) => f.box),
      );
      for (const { found, id } of plan.update) this.statements.updateFace.run({ ...faceRow(photoId, result.faces[found]), id });
      for (const found of plan.insert) this.statements.insertFace.run({ ...faceRow(photoId, result.faces[found]), source: 'detector' });
      for (const id of plan.missed) this.statements.missFace.run(id);
      for (const id of plan.delete) this.statements.deleteFace.run(id);
      this.statements.analysed.run(result.width, result.height, JSON.stringify(result.analysis), photoId);
    })();
    this.revisions.machine++;
  }

  /** Stores a face the user drew (its landmarks and descriptor computed inside the box); returns its id. */
  addUserFace(photoId: number, face: AnalysedFace): number {
    const id = Number(this.statements.insertFace.run({ ...faceRow(photoId, face), source: 'user' }).lastInsertRowid);
    this.revisions.machine++;
    return id;
  }

  storeFailure(photoId: number, reason: string): void {
    this.statements.failed.run(reason, photoId);
    this.revisions.machine++;
  }

  /** Every face of a photo that is still there, in id order, with its tag. */
  presentFaces(): FaceRecord[] {
    return this.statements.presentFaces.all().map(faceFromRow);
  }

  /** Where a face's pixels are: its photo's path and size, its box and its landmarks. */
  faceLocation(faceId: number): { path: string; width: number; height: number; box: Box; landmarks: Float32Array } | undefined {
    const r = this.statements.faceLocation.get(faceId);
    return (
      r && {
        path: r.path,
        width: r.width,
        height: r.height,
        box: { x: r.box_x, y: r.box_y, w: r.box_w, h: r.box_h },
        landmarks: float32FromBlob(r.landmarks),
      }
    );
  }

  photoLocation(photoId: number): { path: string; width: number; height: number; box?: undefined; landmarks?: undefined } | undefined {
    const r = this.statements.photoLocation.get(photoId);
    return r && { path: r.path, width: r.width ?? 0, height: r.height ?? 0 };
  }

  /** Every face of every photo, without landmarks, in id order: what the face index is built from. */
  indexRows(): IndexRow[] {
    return this.statements.indexRows.all();
  }

  /** Changes when another connection (another Facet process) commits to this catalog. */
  dataVersion(): number {
    return this.statements.dataVersion.get()!.data_version;
  }

  photo(photoId: number): PhotoInfo | undefined {
    return this.statements.photo.get(photoId);
  }

  /** The landmarks of each face of a photo, by face id. */
  photoLandmarks(photoId: number): Map<number, Float32Array> {
    return new Map(this.statements.photoLandmarks.all(photoId).map((r) => [r.id, float32FromBlob(r.landmarks)]));
  }

  /** The present photos just before and after `path` in path order. */
  photoNeighbours(path: string): { previousId: number | null; nextId: number | null } {
    return { previousId: this.statements.previousPhoto.get(path)?.id ?? null, nextId: this.statements.nextPhoto.get(path)?.id ?? null };
  }

  photoIdByPath(path: string): number | undefined {
    return this.statements.photoByPath.get(path)?.id;
  }

  /** What the latest complete walk of the library could not use, in place of what the one before found. */
  replaceUnusable(files: readonly Failure[]): void {
    this.db.transaction(() => {
      this.statements.clearUnusable.run();
      for (const f of files) this.statements.addUnusable.run(f.path, f.reason);
    })();
    this.revisions.machine++;
  }

  /** Photos that failed and files the walk could not use, by path. */
  failures(limit = 1000): Failure[] {
    return this.statements.failures.all(limit);
  }

  stats(): LibraryStats {
    return this.statements.stats.get() as LibraryStats;
  }
}
