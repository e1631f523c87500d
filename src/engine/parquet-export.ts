// A run's faces as a Parquet file (descriptor, landmarks, box, person, cluster, distance), for DuckDB, Spark or a vector database's bulk import.
import { writeFile } from 'node:fs/promises';
import { parquetWriteBuffer, type SchemaElement } from 'hyparquet-writer';
import type { Catalog } from './catalog/catalog.ts';
import { EngineError } from './errors.ts';

/** The file's columns, in order; a list column holds float32 values, as the catalog stores them. */
const PARQUET_COLUMNS = ['face_id', 'photo', 'box_x', 'box_y', 'box_w', 'box_h', 'person', 'cluster', 'distance', 'descriptor', 'landmarks'] as const;

const floatList = (name: string): SchemaElement[] => [
  { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
];

/** Standard three-level LIST columns, so every reader (DuckDB, pyarrow, Spark) sees list<float>. */
const SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: PARQUET_COLUMNS.length },
  { name: 'face_id', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'photo', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  ...['box_x', 'box_y', 'box_w', 'box_h'].map((name): SchemaElement => ({ name, type: 'DOUBLE', repetition_type: 'REQUIRED' })),
  { name: 'person', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'cluster', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'distance', type: 'DOUBLE', repetition_type: 'REQUIRED' },
  ...floatList('descriptor'),
  ...floatList('landmarks'),
];

/**
 * Writes every face of the run still in the library, one row each, with its tag as it is now
 * (null when untagged); returns the number of rows. The whole file is built in memory first:
 * about 1 KB a face, so 100,000 faces take ~100 MB.
 */
export async function writeRunParquet(catalog: Catalog, runId: number, file: string): Promise<number> {
  const assignments = catalog.runs.assignments(runId);
  const faces = new Map(catalog.faces.present().map((f) => [f.id, f]));
  const rows = assignments.flatMap((a) => {
    const face = faces.get(a.faceId);
    return face ? [{ ...a, face }] : [];
  });
  const column = <T>(name: (typeof PARQUET_COLUMNS)[number], value: (row: (typeof rows)[number]) => T) => ({ name, data: rows.map(value) });
  const buffer = parquetWriteBuffer({
    columnData: [
      column('face_id', (r) => r.faceId),
      column('photo', (r) => r.face.path),
      column('box_x', (r) => r.face.box.x),
      column('box_y', (r) => r.face.box.y),
      column('box_w', (r) => r.face.box.w),
      column('box_h', (r) => r.face.box.h),
      column('person', (r) => r.face.identity),
      column('cluster', (r) => r.cluster),
      column('distance', (r) => r.distance),
      column('descriptor', (r) => Array.from(r.face.descriptor)),
      column('landmarks', (r) => Array.from(r.face.landmarks)),
    ],
    schema: SCHEMA,
  });
  try {
    await writeFile(file, new Uint8Array(buffer));
  } catch (error) {
    throw new EngineError(`cannot write ${file}: ${(error as Error).message}`);
  }
  return rows.length;
}
