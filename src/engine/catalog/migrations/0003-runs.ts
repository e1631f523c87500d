// Migration 3: clustering runs with their parameters, per-face assignments, metrics and cached 2-D maps.
export default /* sql */ `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  params TEXT NOT NULL,               -- JSON: every parameter, so the run can be recreated
  features TEXT NOT NULL,
  k INTEGER NOT NULL,                 -- clusters found (asked for, or suggested by threshold clustering)
  algorithm TEXT NOT NULL,
  seed INTEGER NOT NULL,
  duration_ms REAL NOT NULL,
  metrics TEXT NOT NULL,              -- JSON: validation metrics against the tags at the time of the run
  details TEXT NOT NULL               -- JSON: PCA curve, inertia, BIC, cluster sizes, pose explanation
);

CREATE TABLE assignments (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  face_id INTEGER NOT NULL REFERENCES faces (id) ON DELETE CASCADE,
  cluster INTEGER NOT NULL,
  distance REAL NOT NULL,             -- to the cluster's centroid, in the run's feature space
  PRIMARY KEY (run_id, face_id)
) WITHOUT ROWID;
CREATE INDEX assignments_face ON assignments (face_id);

CREATE TABLE projections (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  method TEXT NOT NULL,
  face_ids BLOB NOT NULL,             -- int32, the order of the points
  coords BLOB NOT NULL,               -- float32 x, y per point
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (run_id, method)
);
`;
