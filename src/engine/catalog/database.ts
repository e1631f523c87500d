// Opens a catalog file with the settings every connection needs and brings its schema up to date; refuses files that are not catalogs.
import Database from 'better-sqlite3';
import {
  accessSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CatalogError, CatalogVersionError } from '../errors.ts';
import { migrations as allMigrations } from './migrations/index.ts';

export type Db = Database.Database;

/** Every catalog carries this `PRAGMA application_id`: ASCII "FACE". */
export const FACET_APPLICATION_ID = 0x46414345;

/** Catalogs made before the mark existed stopped at schema version 4 at most: such a file may be a Facet catalog without it. */
const UNMARKED_VERSIONS = 4;

export interface OpenOptions {
  /** Commands that only read open the catalog read-only: nothing is created, migrated or written. */
  readOnly?: boolean;
  /** Refuse to create a new catalog: the caller has no folder to give it, so a mistyped path would leave an empty catalog behind. */
  mustExist?: boolean;
}

/**
 * Opens the catalog at `file`: WAL so readers never block the writer, foreign keys on, and every
 * pending migration applied in its own transaction together with the user_version bump, so a
 * crash leaves the catalog at one version or the next, never between. A missing or empty file
 * becomes a new catalog (write mode only); any other file must be a Facet catalog, checked before
 * SQLite opens it, so a foreign file is left byte for byte as it was.
 */
export function openDatabase(file: string, migrations: readonly string[] = allMigrations, { readOnly = false, mustExist = false }: OpenOptions = {}): Db {
  const kind = catalogKind(file);
  if (kind === 'new' && (readOnly || mustExist)) {
    throw new CatalogError(
      `no Facet catalog at ${file} yet: check the path, or scan the photo folder first (facet scan <folder>, with --db if you name the catalog)`,
    );
  }
  if (readOnly) {
    const db = canReadInPlace(file) ? new Database(file, { readonly: true, fileMustExist: true }) : readIntoMemory(file);
    try {
      db.pragma('busy_timeout = 5000');
      const version = checkVersion(db, file, migrations);
      if (version < migrations.length) {
        throw new CatalogError(`catalog ${file} was made by an older Facet: run a command that writes to it (facet scan) once to upgrade it`);
      }
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  }
  if (kind === 'new') mkdirSync(dirname(file), { recursive: true });
  else checkWritable(file);
  const db = new Database(file);
  try {
    // Marked before anything else is written, so a catalog interrupted while being created is still recognised.
    if (db.pragma('application_id', { simple: true }) !== FACET_APPLICATION_ID) db.pragma(`application_id = ${FACET_APPLICATION_ID}`);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    // Every commit survives a power cut, not only a crash of the process: what the user did by hand
    // above all. Its cost on a scan's writes is small (measured in the README, "Where things are kept").
    db.pragma('synchronous = FULL');
    checkVersion(db, file, migrations);
    migrate(db, migrations);
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * 'new' for a missing or empty file, 'catalog' for a Facet catalog; throws for anything else.
 * Reads the SQLite header with plain file reads: SQLite itself would create -wal and -shm files
 * next to a WAL-mode database even when opening it read-only.
 */
function catalogKind(file: string): 'new' | 'catalog' {
  let size: number;
  try {
    const info = statSync(file);
    if (!info.isFile()) throw new CatalogError(`${file} is not a file: give a catalog file (--db FILE)`);
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'new';
    throw error;
  }
  if (size === 0) return 'new';
  const header = Buffer.alloc(100);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new CatalogError(`cannot read catalog ${file} (${(error as NodeJS.ErrnoException).code}): check its permissions`);
  }
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
    throw new CatalogError(`${file} is not a Facet catalog (not an SQLite database): give the catalog's path, or a new file name`);
  }
  const applicationId = header.readUInt32BE(68);
  if (applicationId === FACET_APPLICATION_ID) return 'catalog';
  const notOurs = new CatalogError(
    `${file} is an SQLite database of another program, not a Facet catalog: it was left untouched; give a catalog, or a new file name`,
  );
  if (applicationId !== 0) throw notOurs;
  // Unmarked catalogs were always in WAL mode (header byte 18 is 2); the header's
  // user_version can lag behind a -wal file that was never checkpointed.
  const userVersion = header.readUInt32BE(60);
  const wal = header[18] === 2;
  if (!wal || !((userVersion >= 1 && userVersion <= UNMARKED_VERSIONS) || existsSync(`${file}-wal`))) throw notOurs;
  if (!isUnmarkedCatalog(file)) throw notOurs;
  return 'catalog';
}

/** Looks for the first migration's tables in a copy of the file, so the original and its -wal stay untouched. */
function isUnmarkedCatalog(file: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'facet-check-'));
  try {
    const copy = join(dir, basename(file));
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    const db = new Database(copy, { readonly: true });
    try {
      const version = schemaVersion(db);
      const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('library', 'photos', 'faces')").pluck().all();
      return version >= 1 && version <= UNMARKED_VERSIONS && tables.length === 3;
    } finally {
      db.close();
    }
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * SQLite reads a WAL-mode file only with its -wal and -shm files next to it, existing or created:
 * in a read-only folder without them it cannot open the catalog even read-only.
 */
function canReadInPlace(file: string): boolean {
  if (existsSync(`${file}-wal`) && existsSync(`${file}-shm`)) return true;
  try {
    accessSync(dirname(file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A read-only in-memory copy of the catalog, marked as a rollback-journal database (header bytes 18–19) since memory has no WAL. */
function readIntoMemory(file: string): Db {
  const image = readFileSync(file);
  image[18] = 1;
  image[19] = 1;
  return new Database(image, { readonly: true });
}

/** SQLite would open a read-only file read-only without a word and fail at the first write: say so up front. */
function checkWritable(file: string): void {
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new CatalogError(
      `catalog ${file} is read-only: make it writable (chmod u+w), or use a command that only reads (stats, report, runs, export, compare)`,
    );
  }
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch {
    throw new CatalogError(
      `the folder of catalog ${file} is read-only, and SQLite keeps its journal there: make the folder writable, or use a command that only reads`,
    );
  }
}

function checkVersion(db: Db, file: string, migrations: readonly string[]): number {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new CatalogVersionError(`catalog ${file} has schema version ${current}, newer than this Facet (${migrations.length}): update Facet`);
  }
  return current;
}

/**
 * Foreign keys are off while migrations run (SQLite ignores that switch inside a transaction),
 * so a migration may rebuild a table that others refer to; each transaction checks them before
 * it commits.
 */
function migrate(db: Db, migrations: readonly string[]): void {
  db.pragma('foreign_keys = OFF');
  for (let version = schemaVersion(db); version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0)
        throw new CatalogError(
          `catalog ${db.name}: upgrading to schema version ${version + 1} broke ${broken.length} references; the catalog was left at version ${version}`,
        );
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
