// Migration 8: files the walk found but could not use (a link loop, a path too long, a name that is not UTF-8), kept so every view lists them.
export default /* sql */ `
-- Rewritten by every scan whose walk of the library ends: what that walk could not use.
-- They never became photos (no size, no content), so they are not rows of photos.
CREATE TABLE unusable_files (
  path TEXT PRIMARY KEY,              -- relative to the library root, '/'-separated; bytes that are not UTF-8 as %XX
  reason TEXT NOT NULL,
  seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
`;
