// The catalog: one SQLite file's connection, its repositories (photos, faces, identities, edits, runs, the scan lock) and the library-wide facts.
import type { Failure, LibraryStats } from '../../shared/contract.ts';
import { openDatabase, type Db, type OpenOptions } from './database.ts';
import { IdentityRepository } from './identities.ts';
import { FaceEditRepository } from './edits.ts';
import { RunRepository } from './runs.ts';
import { ScanLockRepository } from './scan-lock.ts';
import type { Revisions } from './revisions.ts';
import { FaceRepository } from './faces.ts';
import { PhotoRepository } from './photos.ts';

export class Catalog {
  readonly db: Db;
  readonly identities: IdentityRepository;
  readonly runs: RunRepository;
  readonly edits: FaceEditRepository;
  readonly scanLock: ScanLockRepository;
  readonly photos: PhotoRepository;
  readonly faces: FaceRepository;
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
    this.photos = new PhotoRepository(db, this.revisions);
    this.faces = new FaceRepository(db, this.revisions);
    this.statements = {
      dataVersion: db.prepare<[], { data_version: number }>('PRAGMA data_version'),
      root: db.prepare<[], { root: string }>('SELECT root FROM library WHERE id = 1'),
      setRoot: db.prepare('INSERT INTO library (id, root) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET root = excluded.root'),
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

  /** Changes when another connection (another Facet process) commits to this catalog. */
  dataVersion(): number {
    return this.statements.dataVersion.get()!.data_version;
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
