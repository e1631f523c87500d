// Tests that the catalog touches only its own files: foreign and non-SQLite files refused unchanged, unmarked old catalogs adopted, read-only opens, run ids never reused, a complete .db after close.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/engine/catalog/catalog.ts';
import { FACET_APPLICATION_ID, openDatabase } from '../../src/engine/catalog/database.ts';
import { CatalogError, UnreadableRunError } from '../../src/engine/errors.ts';
import { computeMetrics } from '../../src/core/metrics.ts';
import { clusterParamsSchema } from '../../src/shared/contract.ts';
import { migrations } from '../../src/engine/catalog/migrations/index.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

function catalogFile(): string {
  return join(tempDir('facet-safety-'), 'library.sqlite');
}

/** Another program's database: a table of its own, in rollback or WAL journal mode. */
function foreignDatabase(journal: 'delete' | 'wal'): string {
  const file = join(tempDir('facet-foreign-'), 'other-app.db');
  const db = new Database(file);
  db.pragma(`journal_mode = ${journal}`);
  db.pragma('user_version = 3');
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')");
  db.close();
  return file;
}

function expectUntouched(file: string, before: Buffer): void {
  expect(Buffer.compare(readFileSync(file), before)).toBe(0);
  expect(existsSync(`${file}-wal`)).toBe(false);
  expect(existsSync(`${file}-shm`)).toBe(false);
  expect(existsSync(`${file}-journal`)).toBe(false);
}

/** A run of no faces: the smallest a catalog stores and reads back. */
function storeRun(catalog: Catalog): number {
  const nothing = { faces: 0, byCluster: 0, byIdentity: 0 };
  const details = { faces: 0, filteredOut: 0, markedOut: 0, dimensions: 128, pca: null, clusters: [], pose: { yaw: nothing, roll: nothing } };
  const metrics = computeMetrics({ assignments: new Int32Array(0), labels: [] });
  return catalog.runs.insert(
    { params: clusterParamsSchema.parse({}), features: 'descriptor', k: 1, algorithm: 'kmeans', seed: 1, durationMs: 1, metrics, details },
    { faceIds: [], clusters: [], distances: [] },
  );
}

describe('a file that is not a Facet catalog', () => {
  for (const journal of ['delete', 'wal'] as const) {
    it(`is refused, naming it, and left byte for byte as it was (${journal} journal), for writing and for reading`, () => {
      const file = foreignDatabase(journal);
      const before = readFileSync(file);
      for (const readOnly of [false, true]) {
        expect(() => new Catalog(file, { readOnly })).toThrow(CatalogError);
        expect(() => new Catalog(file, { readOnly })).toThrow(`${file} is an SQLite database of another program`);
        expectUntouched(file, before);
      }
    });
  }

  it('refuses a file of random bytes as not SQLite, naming it', () => {
    const file = join(tempDir('facet-foreign-'), 'noise.sqlite');
    writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
    const before = readFileSync(file);
    expect(() => new Catalog(file)).toThrow(`${file} is not a Facet catalog (not an SQLite database)`);
    expectUntouched(file, before);
  });
});

describe('marking catalogs', () => {
  it('marks a new catalog with the application id', () => {
    const file = catalogFile();
    new Catalog(file).close();
    expect(readFileSync(file).readUInt32BE(68)).toBe(FACET_APPLICATION_ID);
  });

  it('adopts a catalog made before the mark, at its first write open, keeping its data', () => {
    const file = catalogFile();
    const old = openDatabase(file, migrations.slice(0, 4));
    old.pragma('application_id = 0');
    old.prepare("INSERT INTO library (id, root) VALUES (1, '/photos')").run();
    old.close();
    expect(readFileSync(file).readUInt32BE(68)).toBe(0);

    const catalog = new Catalog(file);
    try {
      expect(catalog.db.pragma('application_id', { simple: true })).toBe(FACET_APPLICATION_ID);
      expect(catalog.root()).toBe('/photos');
    } finally {
      catalog.close();
    }
  });
});

describe('opening read-only', () => {
  it('creates nothing for a missing file, and writes nothing to an existing catalog', () => {
    const missing = catalogFile();
    expect(() => new Catalog(missing, { readOnly: true })).toThrow(`no Facet catalog at ${missing} yet`);
    expect(existsSync(missing)).toBe(false);

    const file = catalogFile();
    const writer = new Catalog(file);
    writer.setRoot('/photos');
    writer.close();
    const before = readFileSync(file);
    const reader = new Catalog(file, { readOnly: true });
    try {
      expect(reader.root()).toBe('/photos');
      expect(() => reader.setRoot('/elsewhere')).toThrow(/readonly/);
    } finally {
      reader.close();
    }
    expect(Buffer.compare(readFileSync(file), before)).toBe(0);
  });

  it('does not create a catalog when told it must exist', () => {
    const missing = catalogFile();
    expect(() => new Catalog(missing, { mustExist: true })).toThrow(/check the path/);
    expect(existsSync(missing)).toBe(false);
  });
});

describe('run ids', () => {
  it('are never reused after a run is deleted', () => {
    const catalog = new Catalog(catalogFile());
    try {
      expect([storeRun(catalog), storeRun(catalog)]).toEqual([1, 2]);
      catalog.runs.delete(2);
      expect(storeRun(catalog)).toBe(3);
    } finally {
      catalog.close();
    }
  });

  it('keep counting after the upgrade that brings AUTOINCREMENT, with runs and assignments kept', () => {
    const file = catalogFile();
    const old = openDatabase(file, migrations.slice(0, 4));
    old.prepare("INSERT INTO photos (id, path, size, mtime_ms, state) VALUES (1, 'p.jpg', 1, 1, 'analysed')").run();
    old
      .prepare(
        `INSERT INTO faces (id, photo_id, box_x, box_y, box_w, box_h, score, landmarks, descriptor, size)
         VALUES (5, 1, 0, 0, 50, 50, 0.9, zeroblob(544), zeroblob(512), 50)`,
      )
      .run();
    old
      .prepare(
        "INSERT INTO runs (id, params, features, k, algorithm, seed, duration_ms, metrics, details) VALUES (?, '{}', 'descriptor', 1, 'kmeans', 1, 1, '{}', '{}')",
      )
      .run(4);
    old.prepare('INSERT INTO assignments (run_id, face_id, cluster, distance) VALUES (4, 5, 0, 0.5)').run();
    old.close();

    const catalog = new Catalog(file);
    try {
      expect(catalog.runs.assignments(4)).toEqual([{ faceId: 5, cluster: 0, distance: 0.5 }]);
      catalog.runs.delete(4);
      expect(storeRun(catalog)).toBe(5);
      expect(catalog.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      catalog.close();
    }
  });
});

describe('a stored run this Facet cannot read', () => {
  it('is refused by id, naming it and what to do; left out of the list and of "the latest run"; and can be deleted', () => {
    const catalog = new Catalog(catalogFile());
    try {
      for (let i = 0; i < 3; i++) storeRun(catalog);
      // As another version of Facet might have stored them: a metric of another kind, and JSON cut short.
      catalog.db.prepare('UPDATE runs SET metrics = ? WHERE id = 1').run(JSON.stringify({ ari: 'high' }));
      catalog.db.prepare('UPDATE runs SET details = ? WHERE id = 3').run('{"faces": 1');
      expect(catalog.runs.list().map((r) => r.id)).toEqual([2]);
      expect(catalog.runs.get().id).toBe(2);
      for (const id of [1, 3]) {
        expect(() => catalog.runs.get(id)).toThrow(UnreadableRunError);
        expect(() => catalog.runs.get(id)).toThrow(
          `run ${id} was stored by a version of Facet that this one cannot read: delete it (facet delete-run ${id}) and cluster again`,
        );
      }
      catalog.runs.delete(1);
      expect(() => catalog.runs.get(1)).toThrow('no run with id 1');
      expect(catalog.runs.get(2).params).toEqual(clusterParamsSchema.parse({}));
    } finally {
      catalog.close();
    }
  });
});

describe('closing a catalog', () => {
  it('moves the WAL into the .db, so a copy of the .db alone is complete while another process still has it open', () => {
    const file = catalogFile();
    const catalog = new Catalog(file);
    // Another reader (one that has read, so it holds the WAL index) keeps SQLite from checkpointing by itself when this connection closes.
    const other = new Database(file, { readonly: true });
    other.pragma('user_version');
    try {
      catalog.setRoot('/photos');
      storeRun(catalog);
      catalog.close();
      const copy = join(tempDir('facet-copy-'), 'copy.sqlite');
      copyFileSync(file, copy);
      const copied = new Catalog(copy, { readOnly: true });
      try {
        expect(copied.root()).toBe('/photos');
        expect(copied.runs.list().map((r) => r.id)).toEqual([1]);
      } finally {
        copied.close();
      }
    } finally {
      other.close();
    }
  });
});
