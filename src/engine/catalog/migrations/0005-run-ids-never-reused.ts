// Migration 5: run ids are never reused after a run is deleted (AUTOINCREMENT), so "run 3" in a saved report always means one run.
// SQLite cannot add AUTOINCREMENT to a table: it is rebuilt, with foreign keys off while migrations run (see migrate).
export default /* sql */ `
CREATE TABLE runs_autoincrement (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO runs_autoincrement (id, created_at, params, features, k, algorithm, seed, duration_ms, metrics, details)
  SELECT id, created_at, params, features, k, algorithm, seed, duration_ms, metrics, details FROM runs;
DROP TABLE runs;
ALTER TABLE runs_autoincrement RENAME TO runs;
`;
