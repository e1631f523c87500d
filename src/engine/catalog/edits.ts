// What the user says about faces by hand — tags, marks, rejected suggestions — each change durable and undoable.
import type { FaceEditUndo, FaceMark, TagSource } from '../../shared/contract.ts';
import type { Db } from './database.ts';
import { NotFoundError } from '../errors.ts';
import type { Revisions } from './revisions.ts';
import type { IdentityRepository } from './identities.ts';

type Previous = FaceEditUndo['previous'];

/** The user's edits as the face index reads them. */
export interface FaceEdits {
  tags: { faceId: number; identityId: number; identity: string; source: TagSource }[];
  marks: { faceId: number; mark: FaceMark }[];
  rejections: { faceId: number; identityId: number }[];
}

export class FaceEditRepository {
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly revisions: Revisions,
    private readonly identities: IdentityRepository,
  ) {
    this.statements = {
      state: db.prepare<[number], { id: number; identity_id: number | null; mark: FaceMark | null }>(
        `SELECT f.id, fi.identity_id, m.mark FROM faces f
         LEFT JOIN face_identities fi ON fi.face_id = f.id LEFT JOIN face_marks m ON m.face_id = f.id WHERE f.id = ?`,
      ),
      tag: db.prepare(
        `INSERT INTO face_identities (face_id, identity_id, source) VALUES (?, ?, 'user')
         ON CONFLICT (face_id) DO UPDATE SET identity_id = excluded.identity_id, source = excluded.source,
           tagged_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE face_identities.identity_id != excluded.identity_id OR face_identities.source != excluded.source`,
      ),
      untag: db.prepare('DELETE FROM face_identities WHERE face_id = ?'),
      mark: db.prepare(
        `INSERT INTO face_marks (face_id, mark) VALUES (?, ?)
         ON CONFLICT (face_id) DO UPDATE SET mark = excluded.mark, marked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE face_marks.mark != excluded.mark`,
      ),
      unmark: db.prepare('DELETE FROM face_marks WHERE face_id = ?'),
      reject: db.prepare('INSERT OR IGNORE INTO rejected_suggestions (face_id, identity_id) VALUES (?, ?)'),
      tags: db.prepare<[], { faceId: number; identityId: number; identity: string; source: TagSource }>(
        `SELECT fi.face_id AS faceId, fi.identity_id AS identityId, i.name AS identity, fi.source
         FROM face_identities fi JOIN identities i ON i.id = fi.identity_id`,
      ),
      marks: db.prepare<[], { faceId: number; mark: FaceMark }>('SELECT face_id AS faceId, mark FROM face_marks'),
      rejections: db.prepare<[], { faceId: number; identityId: number }>('SELECT face_id AS faceId, identity_id AS identityId FROM rejected_suggestions'),
    };
  }

  /**
   * Runs one edit over distinct faces in one durable transaction: every face must exist (else
   * nothing is written), and each face's tag and mark before the change are returned for undo.
   * `changed` counts the faces the edit changed: one already so is not written again.
   */
  private edit(faceIds: readonly number[], write: (faceId: number) => number): { changed: number; previous: Previous } {
    const result = this.db.transaction(() => {
      const previous: Previous = [...new Set(faceIds)].map((faceId) => {
        const row = this.statements.state.get(faceId);
        if (!row) throw new NotFoundError(`no face with id ${faceId}: it may have been deleted by a re-analysis; reload the faces`);
        return { faceId, identityId: row.identity_id, mark: row.mark };
      });
      const changed = previous.reduce((sum, { faceId }) => sum + write(faceId), 0);
      return { changed, previous };
    })();
    this.revisions.edits++;
    return result;
  }

  /** Tags faces by hand. A tagged face is one worth sorting, so a mark on it is lifted. */
  tag(faceIds: readonly number[], identityId: number): { tagged: number; previous: Previous } {
    this.identities.get(identityId);
    const { changed, previous } = this.edit(faceIds, (faceId) => {
      this.statements.unmark.run(faceId);
      return this.statements.tag.run(faceId, identityId).changes;
    });
    return { tagged: changed, previous };
  }

  untag(faceIds: readonly number[]): { untagged: number; previous: Previous } {
    const { changed, previous } = this.edit(faceIds, (faceId) => this.statements.untag.run(faceId).changes);
    return { untagged: changed, previous };
  }

  /** Marks faces; their tags stay (a marked face is left out of runs and suggestions all the same). */
  mark(faceIds: readonly number[], mark: FaceMark): { marked: number; previous: Previous } {
    const { changed, previous } = this.edit(faceIds, (faceId) => this.statements.mark.run(faceId, mark).changes);
    return { marked: changed, previous };
  }

  unmark(faceIds: readonly number[]): { unmarked: number; previous: Previous } {
    const { changed, previous } = this.edit(faceIds, (faceId) => this.statements.unmark.run(faceId).changes);
    return { unmarked: changed, previous };
  }

  /** Stores "face is not this person" pairs; returns how many were new. */
  reject(faceIds: readonly number[], identityId: number): number {
    this.identities.get(identityId);
    return this.edit(faceIds, (faceId) => this.statements.reject.run(faceId, identityId).changes).changed;
  }

  all(): FaceEdits {
    return { tags: this.statements.tags.all(), marks: this.statements.marks.all(), rejections: this.statements.rejections.all() };
  }
}
