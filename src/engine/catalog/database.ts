// Opens a catalog file with the settings every connection needs and brings its schema up to date.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations as allMigrations } from './migrations/index.ts';

export type Db = Database.Database;

export class CatalogVersionError extends Error {
  override name = 'CatalogVersionError';
}

/**
 * Opens (creating if needed) the catalog at `file`: WAL so readers never block the writer,
 * foreign keys on, and every pending migration applied in its own transaction together with the
 * user_version bump, so a crash leaves the catalog at one version or the next, never between.
 */
export function openDatabase(file: string, migrations: readonly string[] = allMigrations): Db {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // WAL with NORMAL sync is durable against process crashes, the case that matters for resume.
    db.pragma('synchronous = NORMAL');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Runs `work` in one transaction committed with synchronous=FULL: what the user did by hand
 * (tags, marks, rejections) must survive a power cut too, not only a crash of the process.
 */
export function durableTransaction<T>(db: Db, work: () => T): T {
  db.pragma('synchronous = FULL');
  try {
    return db.transaction(work)();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, migrations: readonly string[]): void {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new CatalogVersionError(
      `catalog ${db.name} has schema version ${current}, newer than this Facet (${migrations.length}); update Facet`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
