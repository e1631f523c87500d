// Identities and tags: what the user says about faces, stored apart from what the machine found.
import type { Identity, TagSource } from '../../shared/contract.ts';
import type { Db } from './database.ts';
import { EngineError, NotFoundError } from '../errors.ts';

export class IdentityRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      list: db.prepare<[], Identity>(
        `SELECT i.id, i.name, count(fi.face_id) AS faces FROM identities i
         LEFT JOIN face_identities fi ON fi.identity_id = i.id GROUP BY i.id ORDER BY i.name`,
      ),
      byId: db.prepare<[number], { id: number; name: string }>('SELECT id, name FROM identities WHERE id = ?'),
      byName: db.prepare<[string], { id: number }>('SELECT id FROM identities WHERE name = ?'),
      insert: db.prepare('INSERT INTO identities (name) VALUES (?)'),
      rename: db.prepare('UPDATE identities SET name = ? WHERE id = ?'),
      moveTags: db.prepare('UPDATE face_identities SET identity_id = ? WHERE identity_id = ?'),
      delete: db.prepare('DELETE FROM identities WHERE id = ?'),
      tag: db.prepare(
        `INSERT INTO face_identities (face_id, identity_id, source) VALUES (?, ?, ?)
         ON CONFLICT (face_id) DO UPDATE SET identity_id = excluded.identity_id, source = excluded.source,
           tagged_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
      ),
      // An import never overrides what the user tagged by hand.
      tagIfNotUser: db.prepare(
        `INSERT INTO face_identities (face_id, identity_id, source) VALUES (?, ?, 'import')
         ON CONFLICT (face_id) DO UPDATE SET identity_id = excluded.identity_id
         WHERE face_identities.source = 'import'`,
      ),
      untag: db.prepare('DELETE FROM face_identities WHERE face_id = ?'),
      taggedByUser: db.prepare<[number], { face_id: number }>("SELECT face_id FROM face_identities WHERE face_id = ? AND source = 'user'"),
      faceExists: db.prepare<[number], { id: number }>('SELECT id FROM faces WHERE id = ?'),
    };
  }

  list(): Identity[] {
    return this.statements.list.all();
  }

  private require(id: number): { id: number; name: string } {
    const row = this.statements.byId.get(id);
    if (!row) throw new NotFoundError(`no identity with id ${id}`);
    return row;
  }

  /** Returns the identity with this name (names are case-insensitive), creating it if needed. */
  ensure(name: string): number {
    const trimmed = name.trim();
    return this.statements.byName.get(trimmed)?.id ?? Number(this.statements.insert.run(trimmed).lastInsertRowid);
  }

  create(name: string): Identity {
    const trimmed = name.trim();
    if (this.statements.byName.get(trimmed)) throw new EngineError(`an identity named ${JSON.stringify(trimmed)} exists already`);
    const id = Number(this.statements.insert.run(trimmed).lastInsertRowid);
    return { id, name: trimmed, faces: 0 };
  }

  rename(id: number, name: string): void {
    this.require(id);
    const other = this.statements.byName.get(name.trim());
    if (other && other.id !== id) throw new EngineError(`an identity named ${JSON.stringify(name.trim())} exists already: merge instead`);
    this.statements.rename.run(name.trim(), id);
  }

  /** Moves every tag of `from` to `into` and deletes `from`. */
  merge(from: number, into: number): void {
    this.require(from);
    this.require(into);
    if (from === into) return;
    this.db.transaction(() => {
      this.statements.moveTags.run(into, from);
      this.statements.delete.run(from);
    })();
  }

  delete(id: number): void {
    this.require(id);
    this.statements.delete.run(id);
  }

  tag(faceIds: readonly number[], identityId: number, source: TagSource = 'user'): void {
    this.require(identityId);
    this.db.transaction(() => {
      for (const faceId of faceIds) {
        if (!this.statements.faceExists.get(faceId)) throw new NotFoundError(`no face with id ${faceId}`);
        this.statements.tag.run(faceId, identityId, source);
      }
    })();
  }

  /** Removes the tags of these faces; returns how many faces had one. */
  untag(faceIds: readonly number[]): number {
    return this.db.transaction(() => faceIds.reduce((removed, faceId) => removed + this.statements.untag.run(faceId).changes, 0))();
  }

  /**
   * Tags from an import (folder names, CSV): one transaction, user tags left as they are. An
   * identity is created only for a tag that is written, so a label whose only face the user has
   * tagged otherwise leaves no empty identity behind.
   */
  importTags(tags: readonly { faceId: number; name: string }[]): { tagged: number; identities: number } {
    let changed = 0;
    const ids = new Map<string, number>();
    this.db.transaction(() => {
      for (const { faceId, name } of tags) {
        if (this.statements.taggedByUser.get(faceId)) continue;
        const key = name.trim().toLowerCase();
        let identityId = ids.get(key);
        if (identityId === undefined) {
          identityId = this.ensure(name);
          ids.set(key, identityId);
        }
        changed += this.statements.tagIfNotUser.run(faceId, identityId).changes;
      }
    })();
    return { tagged: changed, identities: ids.size };
  }
}
