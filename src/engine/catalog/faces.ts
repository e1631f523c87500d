// Faces: what analysis found on each photo (and faces drawn by hand), stored and read back for clustering, the face index and crops.
import type { Box, FaceMark } from '../../shared/contract.ts';
import type { AnalysedFace, PhotoAnalysis } from '../analysis/analysed-face.ts';
import type { FaceRecord } from '../face-record.ts';
import { planReanalysis } from '../reanalysis.ts';
import { float32FromBlob, toBlob } from './blobs.ts';
import type { Db } from './database.ts';
import type { PhotoState } from './photos.ts';
import type { Revisions } from './revisions.ts';

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
  /** Null when not asked for. */
  landmarks: Buffer | null;
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
    landmarks: r.landmarks ? float32FromBlob(r.landmarks) : new Float32Array(0),
    descriptor: float32FromBlob(r.descriptor),
    identityId: r.identity_id,
    identity: r.identity,
    mark: r.mark,
  };
}

/** Landmarks are read only where asked: on a library of 100,000 faces their blobs are a good part of the read. */
const faceSelect = (landmarks: boolean) => `
  SELECT f.id, f.photo_id, p.path, p.width, p.height, f.box_x, f.box_y, f.box_w, f.box_h, f.score, f.size,
         f.yaw, f.roll, f.fit_residual, f.padding, f.missed_at IS NOT NULL AS missed, ${landmarks ? 'f.landmarks' : 'NULL AS landmarks'}, f.descriptor,
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

export class FaceRepository {
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly revisions: Revisions,
  ) {
    this.statements = {
      presentFaces: db.prepare<[], FaceRow>(`${faceSelect(true)} WHERE p.state != 'missing' ORDER BY f.id`),
      presentFacesWithoutLandmarks: db.prepare<[], FaceRow>(`${faceSelect(false)} WHERE p.state != 'missing' ORDER BY f.id`),
      indexRows: db.prepare<[], IndexRow>(
        `SELECT f.id, f.photo_id AS photoId, p.path, p.state AS photoState, p.width AS photoWidth, p.height AS photoHeight,
           f.box_x AS x, f.box_y AS y, f.box_w AS w, f.box_h AS h, f.score, f.size, f.yaw, f.fit_residual AS fitResidual,
           f.source, f.missed_at IS NOT NULL AS missed, f.descriptor
         FROM faces f JOIN photos p ON p.id = f.photo_id ORDER BY f.id`,
      ),
      photoLandmarks: db.prepare<[number], { id: number; landmarks: Buffer }>('SELECT id, landmarks FROM faces WHERE photo_id = ?'),
      faceLocation: db.prepare<
        [number],
        { path: string; width: number; height: number; box_x: number; box_y: number; box_w: number; box_h: number; landmarks: Buffer }
      >(
        `SELECT p.path, p.width, p.height, f.box_x, f.box_y, f.box_w, f.box_h, f.landmarks
         FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.id = ? AND p.state != 'missing'`,
      ),
      oldFaces: db.prepare<[number], { id: number; x: number; y: number; w: number; h: number; source: 'detector' | 'user'; edited: number }>(
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
    };
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

  /** Every face of a photo that is still there, in id order, with its tag. */
  present({ landmarks = true }: { landmarks?: boolean } = {}): FaceRecord[] {
    return (landmarks ? this.statements.presentFaces : this.statements.presentFacesWithoutLandmarks).all().map(faceFromRow);
  }

  /** Where a face's pixels are: its photo's path and size, its box and its landmarks. */
  location(faceId: number): { path: string; width: number; height: number; box: Box; landmarks: Float32Array } | undefined {
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

  /** Every face of every photo, without landmarks, in id order: what the face index is built from. */
  indexRows(): IndexRow[] {
    return this.statements.indexRows.all();
  }

  /** The landmarks of each face of a photo, by face id. */
  landmarksOf(photoId: number): Map<number, Float32Array> {
    return new Map(this.statements.photoLandmarks.all(photoId).map((r) => [r.id, float32FromBlob(r.landmarks)]));
  }
}
