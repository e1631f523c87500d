// Migration 6: one scan at a time per catalog, across processes — the scan that holds the catalog, in a row of its own.
export default /* sql */ `
-- Taken in a write transaction by the scan that starts, deleted by it when it ends. A row whose
-- process is gone (same host, pid not running) is stale: the next scan takes it over.
CREATE TABLE scan_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  token TEXT NOT NULL,                -- the holding scan's job id: a scan releases only its own lock
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
`;
