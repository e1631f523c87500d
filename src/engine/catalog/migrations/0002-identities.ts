// Migration 2: what the user says — identities and the faces tagged with them, apart from machine data.
export default /* sql */ `
CREATE TABLE identities (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE face_identities (
  face_id INTEGER PRIMARY KEY REFERENCES faces (id) ON DELETE CASCADE,
  identity_id INTEGER NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
  source TEXT NOT NULL CHECK (source IN ('user', 'import')),
  tagged_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX face_identities_identity ON face_identities (identity_id);
`;
