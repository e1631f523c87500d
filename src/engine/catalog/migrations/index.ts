// The ordered list of migrations; index + 1 is the user_version a migration brings the catalog to.
// Shipped migrations are never edited: a change to the schema is a new file appended here.
import photosAndFaces from './0001-photos-and-faces.ts';
import identities from './0002-identities.ts';
import runs from './0003-runs.ts';
import userMarks from './0004-user-marks.ts';
import runIdsNeverReused from './0005-run-ids-never-reused.ts';
import scanLock from './0006-scan-lock.ts';
import faceMissed from './0007-face-missed.ts';
import unusableFiles from './0008-unusable-files.ts';

export const migrations: readonly string[] = [photosAndFaces, identities, runs, userMarks, runIdsNeverReused, scanLock, faceMissed, unusableFiles];
