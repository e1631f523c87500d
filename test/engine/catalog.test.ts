// Tests the catalog on real SQLite files: fresh and upgraded schemas, a too-new catalog, and how re-analysis keeps faces and tags.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalysedFace } from '../../src/engine/analysis/analysed-face.ts';
import { Catalog } from '../../src/engine/catalog/catalog.ts';
import type { Box } from '../../src/shared/contract.ts';
import { iou } from '../../src/engine/analysis/boxes.ts';
import { facesToCluster } from '../../src/engine/clustering.ts';
import { openDatabase, schemaVersion } from '../../src/engine/catalog/database.ts';
import { CatalogVersionError } from '../../src/engine/errors.ts';
import { migrations } from '../../src/engine/catalog/migrations/index.ts';
import faceMissed from '../../src/engine/catalog/migrations/0007-face-missed.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

function catalogFile(): string {
  return join(tempDir('facet-catalog-'), 'library.sqlite');
}

function pragmas(db: Database.Database) {
  return {
    version: db.pragma('user_version', { simple: true }) as number,
    journal: db.pragma('journal_mode', { simple: true }) as string,
    foreignKeys: db.pragma('foreign_keys', { simple: true }) as number,
    integrity: db.pragma('integrity_check', { simple: true }) as string,
  };
}

/** A machine-found face with recognisable (not all-zero) landmarks and descriptor. */
function face(box: Box, seed = 1): AnalysedFace {
  const landmarks = Float32Array.from({ length: 136 }, (_, i) => (i % 2 === 0 ? box.x : box.y) + ((i * seed) % 17));
  const descriptor = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i + seed));
  return { box, score: 0.9, landmarks, descriptor, yaw: 0, roll: 0, fitResidual: 0.01, padding: 0 };
}

function addPhoto(catalog: Catalog, path: string): number {
  catalog.photos.add(path, 1000, 1_700_000_000_000, `hash-of-${path}`);
  return catalog.photos.all().find((p) => p.path === path)!.id;
}

function facesOf(catalog: Catalog, photoId: number) {
  return catalog.db
    .prepare<[number], { id: number; box_x: number; box_y: number; missed: number; descriptor: Buffer }>(
      'SELECT id, box_x, box_y, missed_at IS NOT NULL AS missed, descriptor FROM faces WHERE photo_id = ? ORDER BY id',
    )
    .all(photoId);
}

function tagBySql(catalog: Catalog, faceId: number, name: string): void {
  const identity = catalog.db.prepare('INSERT INTO identities (name) VALUES (?)').run(name).lastInsertRowid;
  catalog.db.prepare("INSERT INTO face_identities (face_id, identity_id, source) VALUES (?, ?, 'user')").run(faceId, identity);
}

describe('a fresh catalog', () => {
  it('is at the latest schema version, in WAL mode, with foreign keys on and no integrity problem', () => {
    const file = catalogFile();
    const catalog = new Catalog(file);
    try {
      expect(migrations.length).toBeGreaterThanOrEqual(2);
      expect(pragmas(catalog.db)).toEqual({ version: migrations.length, journal: 'wal', foreignKeys: 1, integrity: 'ok' });
      expect(catalog.stats()).toMatchObject({ photos: 0, faces: 0, identities: 0, taggedFaces: 0 });
    } finally {
      catalog.close();
    }
    // WAL is a property of the file: a plain connection opened afterwards sees it too.
    const plain = new Database(file, { readonly: true });
    try {
      expect(plain.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(schemaVersion(plain)).toBe(migrations.length);
    } finally {
      plain.close();
    }
  });

  it('enforces foreign keys on the catalog connection', () => {
    const catalog = new Catalog(catalogFile());
    try {
      expect(() => catalog.faces.storeAnalysis(4242, { width: 10, height: 10, faces: [face({ x: 0, y: 0, w: 5, h: 5 })], analysis: {} })).toThrow(
        /FOREIGN KEY/,
      );
      expect(catalog.stats().faces).toBe(0);
    } finally {
      catalog.close();
    }
  });

  it('creates the folder it lives in', () => {
    const file = join(tempDir('facet-catalog-'), 'deep', 'er', 'library.sqlite');
    new Catalog(file).close();
    expect(existsSync(file)).toBe(true);
  });
});

describe('upgrading a catalog', () => {
  it('applies the later migrations to a catalog made by the first one, keeping its photos and faces', () => {
    const file = catalogFile();
    const landmarks = Float32Array.from({ length: 136 }, (_, i) => i / 3);
    const descriptor = Float32Array.from({ length: 128 }, (_, i) => Math.cos(i));
    const old = openDatabase(file, migrations.slice(0, 1));
    try {
      expect(schemaVersion(old)).toBe(1);
      // Tables of later migrations are not there yet.
      expect(old.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'identities'").get()).toEqual({ n: 0 });
      old.prepare('INSERT INTO library (id, root) VALUES (1, ?)').run('/photos');
      old
        .prepare(
          "INSERT INTO photos (id, path, size, mtime_ms, hash, width, height, state, analysed_at) VALUES (7, 'a/b.jpg', 123, 456, 'h', 640, 480, 'analysed', '2024-01-01T00:00:00.000Z')",
        )
        .run();
      old
        .prepare(
          `INSERT INTO faces (id, photo_id, box_x, box_y, box_w, box_h, score, landmarks, descriptor, size, padding)
           VALUES (11, 7, 10, 20, 30, 40, 0.875, ?, ?, 30, 0.5)`,
        )
        .run(Buffer.from(landmarks.buffer), Buffer.from(descriptor.buffer));
    } finally {
      old.close();
    }

    const catalog = new Catalog(file);
    try {
      expect(pragmas(catalog.db)).toEqual({ version: migrations.length, journal: 'wal', foreignKeys: 1, integrity: 'ok' });
      expect(catalog.root()).toBe('/photos');
      expect(catalog.photos.all()).toEqual([{ id: 7, path: 'a/b.jpg', size: 123, mtime_ms: 456, hash: 'h', state: 'analysed' }]);
      const stored = catalog.db
        .prepare<[], { id: number; photo_id: number; score: number; padding: number; landmarks: Buffer; descriptor: Buffer }>(
          'SELECT id, photo_id, score, padding, landmarks, descriptor FROM faces',
        )
        .all();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ id: 11, photo_id: 7, score: 0.875, padding: 0.5 });
      expect(Buffer.compare(stored[0].landmarks, Buffer.from(landmarks.buffer))).toBe(0);
      expect(Buffer.compare(stored[0].descriptor, Buffer.from(descriptor.buffer))).toBe(0);
      // The new tables work with the old rows.
      tagBySql(catalog, 11, 'Ada');
      expect(catalog.stats()).toMatchObject({ photos: 1, analysed: 1, faces: 1, paddedFaces: 1, identities: 1, taggedFaces: 1 });
    } finally {
      catalog.close();
    }
  });

  it('brings a version 3 catalog to version 4: its faces become detector faces, tags and runs stay, marks work', () => {
    const file = catalogFile();
    const old = openDatabase(file, migrations.slice(0, 3));
    try {
      old.prepare("INSERT INTO photos (id, path, size, mtime_ms, state) VALUES (1, 'p.jpg', 1, 1, 'analysed')").run();
      old
        .prepare(
          `INSERT INTO faces (id, photo_id, box_x, box_y, box_w, box_h, score, landmarks, descriptor, size)
           VALUES (5, 1, 0, 0, 50, 50, 0.9, zeroblob(544), zeroblob(512), 50)`,
        )
        .run();
      old.prepare("INSERT INTO identities (id, name) VALUES (2, 'Ada')").run();
      old.prepare("INSERT INTO face_identities (face_id, identity_id, source) VALUES (5, 2, 'user')").run();
      old
        .prepare(
          "INSERT INTO runs (id, params, features, k, algorithm, seed, duration_ms, metrics, details) VALUES (3, '{}', 'descriptor', 1, 'kmeans', 1, 1, '{}', '{}')",
        )
        .run();
      old.prepare('INSERT INTO assignments (run_id, face_id, cluster, distance) VALUES (3, 5, 0, 0.5)').run();
    } finally {
      old.close();
    }

    const catalog = new Catalog(file);
    try {
      expect(pragmas(catalog.db)).toEqual({ version: migrations.length, journal: 'wal', foreignKeys: 1, integrity: 'ok' });
      expect(catalog.db.prepare('SELECT id, source, missed_at FROM faces').all()).toEqual([{ id: 5, source: 'detector', missed_at: null }]);
      expect(catalog.runs.assignments(3)).toEqual([{ faceId: 5, cluster: 0, distance: 0.5 }]);
      expect(catalog.stats()).toMatchObject({ faces: 1, taggedFaces: 1, markedFaces: 0 });
      catalog.edits.mark([5], 'ignore');
      catalog.edits.reject([5], 2);
      expect(catalog.stats()).toMatchObject({ markedFaces: 1 });
      // Every commit, edits above all, is made with synchronous=FULL.
      expect(catalog.db.pragma('synchronous', { simple: true })).toBe(2);
      expect(() => catalog.db.prepare("UPDATE face_marks SET mark = 'blurry'").run()).toThrow(/CHECK/);
      expect(() => catalog.db.prepare("UPDATE faces SET source = 'guess'").run()).toThrow(/CHECK/);
      // Marks and rejections go with their face.
      catalog.db.prepare('DELETE FROM faces WHERE id = 5').run();
      expect(catalog.edits.all()).toEqual({ tags: [], marks: [], rejections: [] });
    } finally {
      catalog.close();
    }
  });

  it('upgrades faces the analysis had set aside as "excluded" to missed, apart from the user\'s marks', () => {
    const file = catalogFile();
    const old = openDatabase(file, migrations.slice(0, migrations.indexOf(faceMissed)));
    try {
      old.prepare("INSERT INTO photos (id, path, size, mtime_ms, state) VALUES (1, 'p.jpg', 1, 1, 'analysed')").run();
      const insert = old.prepare(
        `INSERT INTO faces (id, photo_id, box_x, box_y, box_w, box_h, score, landmarks, descriptor, size, excluded)
         VALUES (?, 1, 0, 0, 50, 50, 0.9, zeroblob(544), zeroblob(512), 50, ?)`,
      );
      insert.run(5, 1);
      insert.run(6, 0);
      old.prepare("INSERT INTO identities (id, name) VALUES (2, 'Ada')").run();
      old.prepare("INSERT INTO face_identities (face_id, identity_id, source) VALUES (5, 2, 'user')").run();
    } finally {
      old.close();
    }

    const catalog = new Catalog(file);
    try {
      expect(pragmas(catalog.db)).toEqual({ version: migrations.length, journal: 'wal', foreignKeys: 1, integrity: 'ok' });
      const columns = catalog.db
        .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('faces')")
        .all()
        .map((c) => c.name);
      expect(columns).toContain('missed_at');
      expect(columns).not.toContain('excluded');
      expect(catalog.faces.present().map(({ id, missed, identity, mark }) => ({ id, missed, identity, mark }))).toEqual([
        { id: 5, missed: true, identity: 'Ada', mark: null },
        { id: 6, missed: false, identity: null, mark: null },
      ]);
      expect(facesToCluster(catalog, { features: 'descriptor', includeFiltered: true }).faces.map((f) => f.id)).toEqual([6]);
      // A descriptor run reads no landmarks; one that clusters on them gets them whole.
      expect(facesToCluster(catalog, { features: 'descriptor', includeFiltered: true }).faces[0].landmarks).toHaveLength(0);
      expect(facesToCluster(catalog, { features: 'descriptor,ratios', includeFiltered: true }).faces[0].landmarks).toHaveLength(136);
    } finally {
      catalog.close();
    }
  });

  it('leaves a catalog at its old version when a migration fails, and the data usable', () => {
    const file = catalogFile();
    new Catalog(file).close();
    const broken = [...migrations, 'CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);'];
    expect(() => openDatabase(file, broken)).toThrow(/no_such_table/);
    const db = new Database(file, { readonly: true });
    try {
      expect(schemaVersion(db)).toBe(migrations.length);
      // The statement before the failing one was rolled back with it.
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()).toEqual({ n: 0 });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('refuses a catalog made by a newer Facet, without touching it', () => {
    const file = catalogFile();
    new Catalog(file).close();
    const newer = migrations.length + 3;
    const raw = new Database(file);
    raw.pragma(`user_version = ${newer}`);
    raw.close();

    expect(() => openDatabase(file)).toThrow(CatalogVersionError);
    expect(() => new Catalog(file)).toThrow(/newer than this Facet/);
    const check = new Database(file, { readonly: true });
    try {
      expect(schemaVersion(check)).toBe(newer);
    } finally {
      check.close();
    }
  });
});

describe('storing a re-analysed photo', () => {
  it('keeps the id of a face found again at an overlapping box, with its new measurements', () => {
    const catalog = new Catalog(catalogFile());
    try {
      const photo = addPhoto(catalog, 'p.jpg');
      catalog.faces.storeAnalysis(photo, { width: 400, height: 300, faces: [face({ x: 100, y: 50, w: 80, h: 100 }, 1)], analysis: { detector: 'ssd' } });
      const [first] = facesOf(catalog, photo);
      tagBySql(catalog, first.id, 'Grace');

      const moved = { x: 106, y: 54, w: 80, h: 96 };
      expect(iou(moved, { x: 100, y: 50, w: 80, h: 100 })).toBeGreaterThan(0.5);
      catalog.faces.storeAnalysis(photo, { width: 400, height: 300, faces: [face(moved, 2)], analysis: { detector: 'tiny' } });

      const after = facesOf(catalog, photo);
      expect(after.map((f) => f.id)).toEqual([first.id]);
      expect(after[0]).toMatchObject({ box_x: 106, box_y: 54, missed: 0 });
      expect(Buffer.compare(after[0].descriptor, first.descriptor)).not.toBe(0);
      expect(catalog.stats()).toMatchObject({ faces: 1, taggedFaces: 1 });
      const row = catalog.db.prepare<[number], { state: string; analysis: string }>('SELECT state, analysis FROM photos WHERE id = ?').get(photo)!;
      expect(row.state).toBe('analysed');
      expect(JSON.parse(row.analysis)).toEqual({ detector: 'tiny' });
    } finally {
      catalog.close();
    }
  });

  it('keeps a tagged face that was not found again, as missed, and drops an untagged one', () => {
    const catalog = new Catalog(catalogFile());
    try {
      const photo = addPhoto(catalog, 'group.jpg');
      catalog.faces.storeAnalysis(photo, {
        width: 1000,
        height: 600,
        faces: [face({ x: 50, y: 50, w: 100, h: 100 }, 1), face({ x: 600, y: 80, w: 90, h: 90 }, 2)],
        analysis: {},
      });
      const [tagged, untagged] = facesOf(catalog, photo);
      tagBySql(catalog, tagged.id, 'Linus');

      // Neither face is found again; a third one appears elsewhere.
      catalog.faces.storeAnalysis(photo, { width: 1000, height: 600, faces: [face({ x: 300, y: 300, w: 100, h: 100 }, 3)], analysis: {} });

      const after = facesOf(catalog, photo);
      expect(after.find((f) => f.id === untagged.id)).toBeUndefined();
      expect(after.find((f) => f.id === tagged.id)).toMatchObject({ missed: 1, box_x: 50 });
      const fresh = after.filter((f) => f.id !== tagged.id);
      expect(fresh).toHaveLength(1);
      expect(fresh[0]).toMatchObject({ box_x: 300, missed: 0 });
      expect(catalog.db.prepare('SELECT fi.face_id, i.name FROM face_identities fi JOIN identities i ON i.id = fi.identity_id').all()).toEqual([
        { face_id: tagged.id, name: 'Linus' },
      ]);
    } finally {
      catalog.close();
    }
  });

  it('keeps marked and rejected faces that were not found again, as missed, and never touches a face the user drew', () => {
    const catalog = new Catalog(catalogFile());
    try {
      const photo = addPhoto(catalog, 'crowd.jpg');
      const boxes = [0, 1, 2, 3].map((i) => ({ x: 10 + 200 * i, y: 50, w: 100, h: 100 }));
      catalog.faces.storeAnalysis(photo, { width: 1000, height: 600, faces: boxes.slice(0, 3).map((box, i) => face(box, i + 1)), analysis: {} });
      const [marked, rejected, plain] = facesOf(catalog, photo);
      catalog.edits.mark([marked.id], 'not-a-face');
      const identity = Number(catalog.db.prepare("INSERT INTO identities (name) VALUES ('Ada')").run().lastInsertRowid);
      catalog.edits.reject([rejected.id], identity);
      const drawn = catalog.faces.addUserFace(photo, face(boxes[3], 9));

      // None of the detector's faces is found again; a new one appears over the drawn face, another elsewhere.
      const overDrawn = { ...boxes[3], x: boxes[3].x + 5 };
      catalog.faces.storeAnalysis(photo, { width: 1000, height: 600, faces: [face(overDrawn, 4), face({ x: 300, y: 400, w: 90, h: 90 }, 5)], analysis: {} });

      const after = catalog.db
        .prepare<[number], { id: number; box_x: number; missed: number; source: string }>(
          'SELECT id, box_x, missed_at IS NOT NULL AS missed, source FROM faces WHERE photo_id = ? ORDER BY id',
        )
        .all(photo);
      expect(after.find((f) => f.id === plain.id)).toBeUndefined();
      expect(after.filter((f) => f.id !== plain.id).map(({ id, box_x, missed, source }) => ({ id, box_x, missed, source }))).toEqual([
        { id: marked.id, box_x: 10, missed: 1, source: 'detector' },
        { id: rejected.id, box_x: 210, missed: 1, source: 'detector' },
        { id: drawn, box_x: 610, missed: 0, source: 'user' },
        { id: expect.any(Number), box_x: 300, missed: 0, source: 'detector' },
      ]);
      expect(catalog.edits.all()).toMatchObject({
        marks: [{ faceId: marked.id, mark: 'not-a-face' }],
        rejections: [{ faceId: rejected.id, identityId: identity }],
      });
    } finally {
      catalog.close();
    }
  });

  it('leaves a missed tagged face out of clustering with its tag, and takes it back when an analysis finds it again', () => {
    const catalog = new Catalog(catalogFile());
    try {
      const photo = addPhoto(catalog, 'back.jpg');
      const box = { x: 100, y: 100, w: 100, h: 100 };
      catalog.faces.storeAnalysis(photo, { width: 500, height: 500, faces: [face(box)], analysis: {} });
      const [only] = facesOf(catalog, photo);
      tagBySql(catalog, only.id, 'Grace');
      const clustered = () => facesToCluster(catalog, { features: 'descriptor', includeFiltered: true }).faces.map((f) => f.id);
      expect(clustered()).toEqual([only.id]);

      catalog.faces.storeAnalysis(photo, { width: 500, height: 500, faces: [], analysis: {} });
      expect(facesOf(catalog, photo)).toMatchObject([{ id: only.id, missed: 1 }]);
      expect(clustered()).toEqual([]);
      expect(catalog.faces.present()).toMatchObject([{ id: only.id, missed: true, identity: 'Grace', mark: null }]);
      // Missing it is the machine's state, not a mark of the user's.
      expect(catalog.stats()).toMatchObject({ taggedFaces: 1, markedFaces: 0 });
      const since = catalog.db.prepare<[number], { missed_at: string }>('SELECT missed_at FROM faces WHERE id = ?').get(only.id)!.missed_at;
      catalog.faces.storeAnalysis(photo, { width: 500, height: 500, faces: [], analysis: {} });
      expect(catalog.db.prepare('SELECT missed_at FROM faces WHERE id = ?').get(only.id)).toEqual({ missed_at: since });

      catalog.faces.storeAnalysis(photo, { width: 500, height: 500, faces: [face(box)], analysis: {} });
      expect(facesOf(catalog, photo)).toMatchObject([{ id: only.id, missed: 0 }]);
      expect(clustered()).toEqual([only.id]);
      expect(catalog.faces.present()).toMatchObject([{ id: only.id, missed: false, identity: 'Grace' }]);
    } finally {
      catalog.close();
    }
  });

  it('gives each old face to at most one new face', () => {
    const catalog = new Catalog(catalogFile());
    try {
      const photo = addPhoto(catalog, 'twins.jpg');
      catalog.faces.storeAnalysis(photo, { width: 500, height: 500, faces: [face({ x: 100, y: 100, w: 100, h: 100 })], analysis: {} });
      const [only] = facesOf(catalog, photo);
      // Two new faces both overlap the old one: the first keeps its id, the second is new.
      catalog.faces.storeAnalysis(photo, {
        width: 500,
        height: 500,
        faces: [face({ x: 102, y: 100, w: 100, h: 100 }), face({ x: 98, y: 102, w: 100, h: 100 })],
        analysis: {},
      });
      const after = facesOf(catalog, photo);
      expect(after).toHaveLength(2);
      expect(after[0]).toMatchObject({ id: only.id, box_x: 102 });
      expect(after[1].id).not.toBe(only.id);
    } finally {
      catalog.close();
    }
  });
});
