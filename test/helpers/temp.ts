// Temporary folders for tests, removed when the file's tests end; FACET_DATA_DIR points into one of them.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

const created: string[] = [];

/** A fresh folder under the OS temp folder, deleted after the test file (see useTempDirs). */
export function tempDir(prefix = 'facet-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Gives back read/write permission everywhere below `dir`, so a test that removed it can still clean up. */
function restorePermissions(dir: string): void {
  try {
    chmodSync(dir, 0o755);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) restorePermissions(path);
      else if (entry.isFile()) chmodSync(path, 0o644);
    }
  } catch {
    // Best effort: rmSync below reports what it cannot remove.
  }
}

/**
 * Registers the clean-up of every temp folder and sends the engine's default data folder into a
 * temp folder, so nothing a test does lands in the user's home. Both happen in hooks, so a file
 * whose tests are all skipped creates nothing.
 */
export function useTempDirs(): void {
  let previous: string | undefined;
  beforeAll(() => {
    previous = process.env.FACET_DATA_DIR;
    process.env.FACET_DATA_DIR = tempDir('facet-data-');
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.FACET_DATA_DIR;
    else process.env.FACET_DATA_DIR = previous;
    for (const dir of created.splice(0)) {
      restorePermissions(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
