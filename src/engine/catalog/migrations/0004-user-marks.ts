// Migration 4: more of what the user says, apart from machine data — marks, rejected suggestions, and faces drawn by hand.
export default /* sql */ `
CREATE TABLE face_marks (
  face_id INTEGER PRIMARY KEY REFERENCES faces (id) ON DELETE CASCADE,
  mark TEXT NOT NULL CHECK (mark IN ('not-a-face', 'ignore')),
  marked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- "This is not X": the pair is never suggested again.
CREATE TABLE rejected_suggestions (
  face_id INTEGER NOT NULL REFERENCES faces (id) ON DELETE CASCADE,
  identity_id INTEGER NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
  rejected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (face_id, identity_id)
) WITHOUT ROWID;
CREATE INDEX rejected_suggestions_identity ON rejected_suggestions (identity_id);

-- 'user': a face the detector missed, drawn by hand; re-analysis never deletes nor excludes it.
ALTER TABLE faces ADD COLUMN source TEXT NOT NULL DEFAULT 'detector' CHECK (source IN ('detector', 'user'));
`;
