// Clustering runs: parameters, per-face assignments, metrics and cached 2-D projections.
import { z } from 'zod';
import {
  clusterParamsSchema,
  runDetailsSchema,
  validationMetricsSchema,
  type ClusterParams,
  type RunDetails,
  type ValidationMetrics,
} from '../../shared/contract.ts';
import type { Db } from './database.ts';
import { NotFoundError, UnreadableRunError } from '../errors.ts';
import { float32FromBlob, int32FromBlob, toBlob } from './blobs.ts';

export interface StoredRun {
  id: number;
  createdAt: string;
  params: ClusterParams;
  features: string;
  k: number;
  algorithm: string;
  seed: number;
  durationMs: number;
  metrics: ValidationMetrics;
  details: RunDetails;
}

/** A run's JSON columns as they are read back: what a run from another version of Facet must still have. */
const storedColumnsSchema = z.object({ params: clusterParamsSchema, metrics: validationMetricsSchema, details: runDetailsSchema });

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

/** The stored run, its JSON checked against the contract; a run that does not fit is refused, never half-read. */
function fromRow(row: RunRow): StoredRun {
  const columns = storedColumnsSchema.safeParse(parseColumns(row));
  if (!columns.success) {
    throw new UnreadableRunError(
      `run ${row.id} was stored by a version of Facet that this one cannot read: delete it (facet delete-run ${row.id}) and cluster again`,
    );
  }
  return {
    id: row.id,
    createdAt: row.created_at,
    features: row.features,
    k: row.k,
    algorithm: row.algorithm,
    seed: row.seed,
    durationMs: row.duration_ms,
    ...columns.data,
  };
}

function parseColumns(row: RunRow): unknown {
  try {
    return { params: JSON.parse(row.params), metrics: JSON.parse(row.metrics), details: JSON.parse(row.details) };
  } catch {
    return undefined;
  }
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
      delete: db.prepare('DELETE FROM runs WHERE id = ?'),
      exists: db.prepare<[number], { id: number }>('SELECT id FROM runs WHERE id = ?'),
      assignments: db.prepare<[number], { face_id: number; cluster: number; distance: number }>(
        'SELECT face_id, cluster, distance FROM assignments WHERE run_id = ? ORDER BY face_id',
      ),
      projection: db.prepare<[number, string], { face_ids: Buffer; coords: Buffer }>(
        'SELECT face_ids, coords FROM projections WHERE run_id = ? AND method = ?',
      ),
      saveProjection: db.prepare('INSERT OR REPLACE INTO projections (run_id, method, face_ids, coords) VALUES (?, ?, ?, ?)'),
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

  /** Every run this Facet can read, oldest first; one it cannot is left out here and refused by get. */
  list(): StoredRun[] {
    return this.statements.list.all().flatMap((row) => {
      try {
        return [fromRow(row)];
      } catch (error) {
        if (error instanceof UnreadableRunError) return [];
        throw error;
      }
    });
  }

  /** The run with this id, or the latest run this Facet can read when no id is given. */
  get(id?: number): StoredRun {
    if (id === undefined) {
      const latest = this.list().at(-1);
      if (!latest) throw new NotFoundError('no clustering run yet: run `facet cluster` first');
      return latest;
    }
    const row = this.statements.get.get(id);
    if (!row) throw new NotFoundError(`no run with id ${id}`);
    return fromRow(row);
  }

  delete(id: number): void {
    if (this.statements.delete.run(id).changes === 0) throw new NotFoundError(`no run with id ${id}`);
  }

  /** Each face's cluster and distance in the run (NotFoundError for no such run), without reading its metrics. */
  assignments(runId: number): { faceId: number; cluster: number; distance: number }[] {
    if (!this.statements.exists.get(runId)) throw new NotFoundError(`no run with id ${runId}`);
    return this.statements.assignments.all(runId).map((r) => ({ faceId: r.face_id, cluster: r.cluster, distance: r.distance }));
  }

  projection(runId: number, method: string): { faceIds: Int32Array; coords: Float32Array } | undefined {
    const row = this.statements.projection.get(runId, method);
    if (!row) return undefined;
    return { faceIds: int32FromBlob(row.face_ids), coords: float32FromBlob(row.coords) };
  }

  saveProjection(runId: number, method: string, faceIds: Int32Array, coords: Float32Array): void {
    this.statements.saveProjection.run(runId, method, toBlob(faceIds), toBlob(coords));
  }
}
