// Migration 7: the machine's "not found by the latest analysis" becomes its own column, apart from what the user says.
// `faces.excluded` was written only by re-analysis though its comment said "set by the user"; its faces carry over.
export default /* sql */ `
-- When the latest analysis of the photo did not find this face again; NULL while it is found.
-- Set and cleared by the machine only (what the user says lives in face_marks, face_identities and
-- rejected_suggestions): a missed face is kept for its tag, mark or rejection, and left out of
-- clustering runs and suggestions until an analysis finds it again.
ALTER TABLE faces ADD COLUMN missed_at TEXT;
UPDATE faces SET missed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE excluded = 1;
ALTER TABLE faces DROP COLUMN excluded;
`;
