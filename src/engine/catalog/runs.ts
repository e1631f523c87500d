// Clustering runs: parameters, per-face assignments, metrics and cached 2-D projections.
import type { Db } from './database.ts';
import { NotFoundError } from '../errors.ts';
import { float32FromBlob, int32FromBlob, toBlob } from './blobs.ts';

export interface StoredRun {
  id: number;
  createdAt: string;
  params: Record<string, unknown>;
  features: string;
  k: number;
  algorithm: string;
  seed: number;
  durationMs: number;
  metrics: Record<string, unknown>;
  details: Record<string, unknown>;
}

interface RunRow {
  id: number;
  created_at: string;
  params: string;
  features: string;
  k: number;
  algorithm: string;
  seed: number;
  duration_ms: number;
  metrics: string;
  details: string;
}


function fromRow(row: RunRow): StoredRun {
  return {
    id: row.id,
    createdAt: row.created_at,
    params: JSON.parse(row.params),
    features: row.features,
    k: row.k,
    algorithm: row.algorithm,
    seed: row.seed,
    durationMs: row.duration_ms,
    metrics: JSON.parse(row.metrics),
    details: JSON.parse(row.details),
  };
}

export class RunRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO runs (params, features, k, algorithm, seed, duration_ms, metrics, details)
         VALUES (@params, @features, @k, @algorithm, @seed, @durationMs, @metrics, @details)`,
      ),
      assign: db.prepare('INSERT INTO assignments (run_id, face_id, cluster, distance) VALUES (?, ?, ?, ?)'),
      list: db.prepare<[], RunRow>('SELECT * FROM runs ORDER BY id'),
      get: db.prepare<[number], RunRow>('SELECT * FROM runs WHERE id = ?'),
      latest: db.prepare<[], RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT 1'),
      delete: db.prepare('DELETE FROM runs WHERE id = ?'),
      assignments: db.prepare<[number], { face_id: number; cluster: number; distance: number }>(
        'SELECT face_id, cluster, distance FROM assignments WHERE run_id = ? ORDER BY face_id',
      ),
      projection: db.prepare<[number, string], { face_ids: Buffer; coords: Buffer }>(
        'SELECT face_ids, coords FROM projections WHERE run_id = ? AND method = ?',
      ),
      saveProjection: db.prepare(
        'INSERT OR REPLACE INTO projections (run_id, method, face_ids, coords) VALUES (?, ?, ?, ?)',
      ),
    };
  }

  /** Stores a run and its assignments in one transaction; returns the new run's id. */
  insert(
    run: Omit<StoredRun, 'id' | 'createdAt'>,
    assignments: { faceIds: ArrayLike<number>; clusters: ArrayLike<number>; distances: ArrayLike<number> },
  ): number {
    return this.db.transaction(() => {
      const id = Number(
        this.statements.insert.run({
          ...run,
          params: JSON.stringify(run.params),
          metrics: JSON.stringify(run.metrics),
          details: JSON.stringify(run.details),
        }).lastInsertRowid,
      );
      for (let i = 0; i < assignments.faceIds.length; i++) {
        this.statements.assign.run(id, assignments.faceIds[i], assignments.clusters[i], assignments.distances[i]);
      }
      return id;
    })();
  }

  list(): StoredRun[] {
    return this.statements.list.all().map(fromRow);
  }

  /** The run with this id, or the latest run when no id is given. */
  get(id?: number): StoredRun {
    const row = id === undefined ? this.statements.latest.get() : this.statements.get.get(id);
    if (!row) throw new NotFoundError(id === undefined ? 'no clustering run yet: run `facet cluster` first' : `no run with id ${id}`);
    return fromRow(row);
  }

  delete(id: number): void {
    if (this.statements.delete.run(id).changes === 0) throw new NotFoundError(`no run with id ${id}`);
  }

  assignments(runId: number): { faceId: number; cluster: number; distance: number }[] {
    return this.statements.assignments.all(runId).map((r) => ({ faceId: r.face_id, cluster: r.cluster, distance: r.distance }));
  }

  projection(runId: number, method: string): { faceIds: Int32Array; coords: Float32Array } | undefined {
    const row = this.statements.projection.get(runId, method);
    if (!row) return undefined;
    return { faceIds: int32FromBlob(row.face_ids), coords: float32FromBlob(row.coords) };
  }

  saveProjection(runId: number, method: string, faceIds: Int32Array, coords: Float32Array): void {
    this.statements.saveProjection.run(
      runId,
      method,
      toBlob(faceIds),
      toBlob(coords),
    );
  }
}
