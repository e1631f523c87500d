// Identities and imported tags: what the user says about faces, stored apart from what the machine found.
import type { Identity } from '../../shared/contract.ts';
import type { Db } from './database.ts';
import { EngineError, NotFoundError } from '../errors.ts';
import type { Revisions } from './revisions.ts';

/** An identity as stored; the engine adds its cover face, which needs the descriptors. */
export type StoredIdentity = Omit<Identity, 'coverFaceId'>;

export class IdentityRepository {
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly revisions: Revisions,
  ) {
    this.statements = {
      list: db.prepare<[], StoredIdentity>(
        `SELECT i.id, i.name, count(fi.face_id) AS faces FROM identities i
         LEFT JOIN face_identities fi ON fi.identity_id = i.id GROUP BY i.id ORDER BY i.name`,
      ),
      byId: db.prepare<[number], { id: number; name: string }>('SELECT id, name FROM identities WHERE id = ?'),
      byName: db.prepare<[string], { id: number }>('SELECT id FROM identities WHERE name = ?'),
      insert: db.prepare('INSERT INTO identities (name) VALUES (?)'),
      rename: db.prepare('UPDATE identities SET name = ? WHERE id = ?'),
      moveTags: db.prepare('UPDATE face_identities SET identity_id = ? WHERE identity_id = ?'),
      // A suggestion rejected for either person stays rejected for the merged one.
      moveRejections: db.prepare(
        'INSERT OR IGNORE INTO rejected_suggestions (face_id, identity_id, rejected_at) SELECT face_id, ?, rejected_at FROM rejected_suggestions WHERE identity_id = ?',
      ),
      delete: db.prepare('DELETE FROM identities WHERE id = ?'),
      // An import never overrides what the user tagged by hand.
      tagIfNotUser: db.prepare(
        `INSERT INTO face_identities (face_id, identity_id, source) VALUES (?, ?, 'import')
         ON CONFLICT (face_id) DO UPDATE SET identity_id = excluded.identity_id
         WHERE face_identities.source = 'import'`,
      ),
    };
  }

  list(): StoredIdentity[] {
    return this.statements.list.all();
  }

  /** The identity with this id; NotFoundError when there is none. */
  get(id: number): { id: number; name: string } {
    const row = this.statements.byId.get(id);
    if (!row) throw new NotFoundError(`no identity with id ${id}: reload the people list`);
    return row;
  }

  /** The identity with this name (names are case-insensitive), if there is one. */
  idByName(name: string): number | undefined {
    return this.statements.byName.get(name.trim())?.id;
  }

  /** Returns the identity with this name, creating it if needed. */
  private ensure(name: string): number {
    return this.idByName(name) ?? Number(this.statements.insert.run(name.trim()).lastInsertRowid);
  }

  create(name: string): StoredIdentity {
    const trimmed = name.trim();
    if (this.statements.byName.get(trimmed)) throw new EngineError(`an identity named ${JSON.stringify(trimmed)} exists already`);
    const id = Number(this.statements.insert.run(trimmed).lastInsertRowid);
    this.revisions.edits++;
    return { id, name: trimmed, faces: 0 };
  }

  rename(id: number, name: string): void {
    this.get(id);
    const other = this.statements.byName.get(name.trim());
    if (other && other.id !== id) throw new EngineError(`an identity named ${JSON.stringify(name.trim())} exists already: merge instead`);
    this.statements.rename.run(name.trim(), id);
    this.revisions.edits++;
  }

  /** Moves every tag and rejected suggestion of `from` to `into` and deletes `from`. */
  merge(from: number, into: number): void {
    this.get(from);
    this.get(into);
    if (from === into) return;
    this.db.transaction(() => {
      this.statements.moveTags.run(into, from);
      this.statements.moveRejections.run(into, from);
      this.statements.delete.run(from);
    })();
    this.revisions.edits++;
  }

  delete(id: number): void {
    this.get(id);
    this.statements.delete.run(id);
    this.revisions.edits++;
  }

  /**
   * Writes an import's planned tags in one durable transaction, user tags left as they are. An
   * identity is created only for a tag that is written. Returns the tags written and the
   * identities they went to.
   */
  importTags(tags: readonly { faceId: number; name: string }[]): { tagged: number; identities: number } {
    let changed = 0;
    const ids = new Map<string, number>();
    this.db.transaction(() => {
      for (const { faceId, name } of tags) {
        const key = name.trim().toLowerCase();
        const identityId = ids.get(key) ?? this.ensure(name);
        const written = this.statements.tagIfNotUser.run(faceId, identityId).changes;
        if (written > 0) ids.set(key, identityId);
        changed += written;
      }
    })();
    this.revisions.edits++;
    return { tagged: changed, identities: ids.size };
  }
}
