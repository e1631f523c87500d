// Where Facet keeps its catalogs: the user's data folder, one file per library root.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

/** FACET_DATA_DIR overrides the platform's data folder (tests, portable installs). */
export function defaultDataDir(): string {
  if (process.env.FACET_DATA_DIR) return process.env.FACET_DATA_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Facet');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Facet');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'facet');
}

/** A readable, collision-free file name per library: the folder's name plus a hash of its real path. */
export function catalogPathFor(realRoot: string, dataDir = defaultDataDir()): string {
  const digest = createHash('sha256').update(realRoot).digest('hex').slice(0, 12);
  const name =
    basename(realRoot)
      .replace(/[^\w.-]+/g, '_')
      .slice(0, 40) || 'library';
  return join(dataDir, 'catalogs', `${name}-${digest}.sqlite`);
}
