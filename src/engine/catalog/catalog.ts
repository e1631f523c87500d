// The catalog repository: every SQL statement the engine runs, prepared once per connection.
import type { FaceSummary, Failure, LibraryStats } from '../../shared/contract.ts';
import { openDatabase, type Db } from './database.ts';
import { IdentityRepository } from './identities.ts';
import { float32FromBlob, toBlob } from './blobs.ts';
import { RunRepository } from './runs.ts';

export type PhotoState = 'pending' | 'analysed' | 'failed' | 'missing';

export interface PhotoRow {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  hash: string | null;
  state: PhotoState;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface AnalysedFace {
  box: Box;
  score: number;
  landmarks: Float32Array;
  descriptor: Float32Array;
  yaw: number;
  roll: number;
  fitResidual: number;
  padding: number;
}

export interface PhotoAnalysis {
  width: number;
  height: number;
  faces: AnalysedFace[];
  /** What produced it (detector, threshold, backend), stored as JSON with the photo. */
  analysis: Record<string, unknown>;
}

/** A face with its photo and its tag, as clustering, import and the views need it. */
export interface FaceRecord {
  id: number;
  photoId: number;
  path: string;
  photoWidth: number;
  photoHeight: number;
  box: Box;
  score: number;
  size: number;
  yaw: number | null;
  roll: number | null;
  fitResidual: number | null;
  padding: number;
  excluded: boolean;
  landmarks: Float32Array;
  descriptor: Float32Array;
  identityId: number | null;
  identity: string | null;
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
  excluded: number;
  landmarks: Buffer;
  descriptor: Buffer;
  identity_id: number | null;
  identity: string | null;
}

interface FaceListRow {
  id: number;
  photo_id: number;
  path: string;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  score: number;
  identity_id: number | null;
  identity: string | null;
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
    excluded: r.excluded === 1,
    landmarks: float32FromBlob(r.landmarks),
    descriptor: float32FromBlob(r.descriptor),
    identityId: r.identity_id,
    identity: r.identity,
  };
}

const FACE_SELECT = `
  SELECT f.id, f.photo_id, p.path, p.width, p.height, f.box_x, f.box_y, f.box_w, f.box_h, f.score, f.size,
         f.yaw, f.roll, f.fit_residual, f.padding, f.excluded, f.landmarks, f.descriptor,
         fi.identity_id, i.name AS identity
  FROM faces f JOIN photos p ON p.id = f.photo_id
  LEFT JOIN face_identities fi ON fi.face_id = f.id
  LEFT JOIN identities i ON i.id = fi.identity_id`;

/** Faces of a re-analysed photo are matched to the old ones by box overlap to keep ids (and tags). */
const SAME_FACE_IOU = 0.5;

export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

export class Catalog {
  readonly db: Db;
  readonly identities: IdentityRepository;
  readonly runs: RunRepository;
  private readonly statements;

  constructor(readonly file: string) {
    this.db = openDatabase(file);
    const db = this.db;
    this.identities = new IdentityRepository(db);
    this.runs = new RunRepository(db);
    this.statements = {
      presentFaces: db.prepare<[], FaceRow>(`${FACE_SELECT} WHERE p.state != 'missing' ORDER BY f.id`),
      listFaces: db.prepare<{ order: string; identity: number | null; limit: number; offset: number }, FaceListRow>(
        `SELECT f.id, f.photo_id, p.path, f.box_x, f.box_y, f.box_w, f.box_h, f.score, fi.identity_id, i.name AS identity
         FROM faces f JOIN photos p ON p.id = f.photo_id
         LEFT JOIN face_identities fi ON fi.face_id = f.id LEFT JOIN identities i ON i.id = fi.identity_id
         WHERE p.state != 'missing' AND (@identity IS NULL OR fi.identity_id = @identity)
         ORDER BY CASE WHEN @order = 'newest' THEN -f.id ELSE f.id END LIMIT @limit OFFSET @offset`,
      ),
      countFaces: db.prepare<{ identity: number | null }, { total: number }>(
        `SELECT count(*) AS total FROM faces f JOIN photos p ON p.id = f.photo_id
         LEFT JOIN face_identities fi ON fi.face_id = f.id
         WHERE p.state != 'missing' AND (@identity IS NULL OR fi.identity_id = @identity)`,
      ),
      photoByPath: db.prepare<[string], { id: number }>('SELECT id FROM photos WHERE path = ?'),
      faceLocation: db.prepare<[number], { path: string; width: number; height: number; box_x: number; box_y: number; box_w: number; box_h: number }>(
        `SELECT p.path, p.width, p.height, f.box_x, f.box_y, f.box_w, f.box_h
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
      oldFaces: db.prepare<[number], { id: number; box_x: number; box_y: number; box_w: number; box_h: number; tagged: number }>(
        `SELECT f.id, f.box_x, f.box_y, f.box_w, f.box_h, (fi.face_id IS NOT NULL) AS tagged
         FROM faces f LEFT JOIN face_identities fi ON fi.face_id = f.id WHERE f.photo_id = ?`,
      ),
      insertFace: db.prepare(
        `INSERT INTO faces (photo_id, box_x, box_y, box_w, box_h, score, landmarks, descriptor, size, yaw, roll, fit_residual, padding)
         VALUES (@photo, @x, @y, @w, @h, @score, @landmarks, @descriptor, @size, @yaw, @roll, @fitResidual, @padding)`,
      ),
      updateFace: db.prepare(
        `UPDATE faces SET box_x = @x, box_y = @y, box_w = @w, box_h = @h, score = @score, landmarks = @landmarks,
           descriptor = @descriptor, size = @size, yaw = @yaw, roll = @roll, fit_residual = @fitResidual, padding = @padding
         WHERE id = @id`,
      ),
      deleteFace: db.prepare('DELETE FROM faces WHERE id = ?'),
      excludeFace: db.prepare('UPDATE faces SET excluded = 1 WHERE id = ?'),
      analysed: db.prepare(
        `UPDATE photos SET state = 'analysed', error = NULL, width = ?, height = ?, analysis = ?,
           analysed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
      ),
      failed: db.prepare("UPDATE photos SET state = 'failed', error = ? WHERE id = ?"),
      failures: db.prepare<[number], Failure>(
        "SELECT path, error AS reason FROM photos WHERE state = 'failed' ORDER BY path LIMIT ?",
      ),
      stats: db.prepare<[], LibraryStats>(
        `SELECT
           (SELECT count(*) FROM photos) AS photos,
           (SELECT count(*) FROM photos WHERE state = 'pending') AS pending,
           (SELECT count(*) FROM photos WHERE state = 'analysed') AS analysed,
           (SELECT count(*) FROM photos WHERE state = 'failed') AS failed,
           (SELECT count(*) FROM photos WHERE state = 'missing') AS missing,
           (SELECT count(*) FROM faces) AS faces,
           (SELECT count(*) FROM faces WHERE padding > 0) AS paddedFaces,
           (SELECT count(*) FROM photos p WHERE p.state = 'analysed'
              AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.photo_id = p.id)) AS photosWithoutFaces,
           (SELECT count(*) FROM identities) AS identities,
           (SELECT count(*) FROM face_identities) AS taggedFaces`,
      ),
    };
  }

  close(): void {
    this.db.close();
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
  }

  addFailedPhoto(path: string, size: number, mtimeMs: number, reason: string): void {
    this.statements.insertFailedPhoto.run(path, size, mtimeMs, reason);
  }

  /** The content changed: analyse again (faces are matched to the old ones when it is stored). */
  markChanged(id: number, size: number, mtimeMs: number, hash: string): void {
    this.statements.contentChanged.run(size, mtimeMs, hash, id);
  }

  /** Same content, new timestamps (a copy, a touch): nothing to redo. */
  touch(id: number, size: number, mtimeMs: number): void {
    this.statements.touch.run(size, mtimeMs, id);
  }

  relink(id: number, path: string, size: number, mtimeMs: number): void {
    this.statements.relink.run(path, size, mtimeMs, id);
  }

  markPresent(id: number): void {
    this.statements.reappeared.run(id);
  }

  markMissing(ids: readonly number[]): void {
    this.db.transaction(() => {
      for (const id of ids) this.statements.markMissing.run(id);
    })();
  }

  photosToAnalyse(reanalyse: boolean): { id: number; path: string }[] {
    return (reanalyse ? this.statements.toReanalyse : this.statements.toAnalyse).all();
  }

  /**
   * Stores a photo's faces and stamps it analysed in one transaction, so an interrupted scan
   * leaves every photo either fully stored or still pending. A face that overlaps one stored
   * before keeps its id, and so its tags; an old face that was not found again is deleted unless
   * the user tagged it, in which case it stays, excluded, so the tag is never lost.
   */
  storeAnalysis(photoId: number, result: PhotoAnalysis): void {
    this.db.transaction(() => {
      const old = this.statements.oldFaces.all(photoId);
      const kept = new Set<number>();
      for (const face of result.faces) {
        const row = {
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
        const match = old.find(
          (o) => !kept.has(o.id) && iou(face.box, { x: o.box_x, y: o.box_y, w: o.box_w, h: o.box_h }) >= SAME_FACE_IOU,
        );
        if (match) {
          kept.add(match.id);
          this.statements.updateFace.run({ ...row, id: match.id });
        } else {
          this.statements.insertFace.run(row);
        }
      }
      for (const o of old) {
        if (kept.has(o.id)) continue;
        if (o.tagged) this.statements.excludeFace.run(o.id);
        else this.statements.deleteFace.run(o.id);
      }
      this.statements.analysed.run(result.width, result.height, JSON.stringify(result.analysis), photoId);
    })();
  }

  storeFailure(photoId: number, reason: string): void {
    this.statements.failed.run(reason, photoId);
  }

  /** Every face of a photo that is still there, in id order, with its tag. */
  presentFaces(): FaceRecord[] {
    return this.statements.presentFaces.all().map(faceFromRow);
  }

  /** Where a face's pixels are: its photo's path and size, and its box. */
  faceLocation(faceId: number): { path: string; width: number; height: number; box: Box } | undefined {
    const r = this.statements.faceLocation.get(faceId);
    return r && { path: r.path, width: r.width, height: r.height, box: { x: r.box_x, y: r.box_y, w: r.box_w, h: r.box_h } };
  }

  photoLocation(photoId: number): { path: string; width: number; height: number; box?: undefined } | undefined {
    const r = this.statements.photoLocation.get(photoId);
    return r && { path: r.path, width: r.width ?? 0, height: r.height ?? 0 };
  }

  /** A page of faces without their landmark and descriptor blobs, for the views. */
  listFaces(query: { order: 'newest' | 'oldest'; identityId?: number; limit: number; offset: number }): { total: number; faces: FaceSummary[] } {
    const identity = query.identityId ?? null;
    const rows = this.statements.listFaces.all({ order: query.order, identity, limit: query.limit, offset: query.offset });
    return {
      total: this.statements.countFaces.get({ identity })!.total,
      faces: rows.map((r) => ({
        id: r.id,
        photoId: r.photo_id,
        photo: r.path,
        box: { x: r.box_x, y: r.box_y, w: r.box_w, h: r.box_h },
        score: r.score,
        identityId: r.identity_id,
        identity: r.identity,
      })),
    };
  }

  photoIdByPath(path: string): number | undefined {
    return this.statements.photoByPath.get(path)?.id;
  }

  failures(limit = 1000): Failure[] {
    return this.statements.failures.all(limit);
  }

  stats(): LibraryStats {
    return this.statements.stats.get() as LibraryStats;
  }
}
