// Migration 1: the machine's data — photos found under the library root and the faces found in them.
export default /* sql */ `
CREATE TABLE library (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  root TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE photos (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,          -- relative to the library root, '/'-separated
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  hash TEXT,                          -- sha256 of the content
  width INTEGER,
  height INTEGER,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'analysed', 'failed', 'missing')),
  error TEXT,
  analysed_at TEXT,
  analysis TEXT                       -- JSON: detector, min score, backend of the last analysis
);
CREATE INDEX photos_hash ON photos (hash);
CREATE INDEX photos_state ON photos (state);

CREATE TABLE faces (
  id INTEGER PRIMARY KEY,
  photo_id INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  box_x REAL NOT NULL,
  box_y REAL NOT NULL,
  box_w REAL NOT NULL,
  box_h REAL NOT NULL,
  score REAL NOT NULL,
  landmarks BLOB NOT NULL,            -- 68 × (x, y) float32, image coordinates
  descriptor BLOB NOT NULL,           -- 128 float32, L2-normalised
  size REAL NOT NULL,                 -- shorter side of the box, pixels
  yaw REAL,                           -- degrees, from the landmarks
  roll REAL,                          -- degrees, from the landmarks
  fit_residual REAL,                  -- landmark distance to the mean shape after alignment
  padding REAL NOT NULL DEFAULT 0,    -- border added (share of each side) before this face was found
  excluded INTEGER NOT NULL DEFAULT 0 -- set by the user
);
CREATE INDEX faces_photo ON faces (photo_id);
`;
