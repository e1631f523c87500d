// Brings the catalog's photo list in line with the files under the root: new, changed, moved, missing.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import type { PhotoRow } from '../catalog/photos.ts';
import { describeFsError, walkLibrary, type FoundFile, type WalkProblem } from './walk.ts';

export interface ReconcileResult {
  seen: number;
  added: number;
  changed: number;
  relinked: number;
  problems: WalkProblem[];
}

export class LibraryUnreachableError extends Error {
  override name = 'LibraryUnreachableError';
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Throws LibraryUnreachableError unless `root` is a folder that can be read right now. */
export async function assertRootReachable(root: string): Promise<void> {
  let info;
  try {
    info = await stat(root);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it was moved or renamed, or its drive is gone' : describeFsError(error);
    throw new LibraryUnreachableError(`library folder ${root} is not reachable (${why})`);
  }
  if (!info.isDirectory()) throw new LibraryUnreachableError(`library folder ${root} is not a folder`);
}

/**
 * Walks the root and records what changed. Unchanged files (same size and mtime) cost one stat;
 * only new or changed files are hashed. A new path whose content matches a photo that is no
 * longer at its old path is the same photo moved: it is re-linked, keeping its faces and tags.
 * Photos not seen are marked missing only if the root is still there at the end, so a drive
 * that goes away mid-scan marks nothing missing.
 */
export async function reconcileLibrary(
  catalog: Catalog,
  root: string,
  onProgress: (seen: number, current: string) => void,
  shouldStop: () => boolean,
): Promise<ReconcileResult> {
  await assertRootReachable(root);
  const known = new Map<string, PhotoRow>(catalog.photos.all().map((p) => [p.path, p]));
  const seenPaths = new Set<string>();
  const fresh: (FoundFile & { hash: string | null; error?: string })[] = [];
  const result: ReconcileResult = { seen: 0, added: 0, changed: 0, relinked: 0, problems: [] };

  const onFile = async (file: FoundFile) => {
    seenPaths.add(file.path);
    result.seen++;
    onProgress(result.seen, file.path);
    const row = known.get(file.path);
    if (row && row.size === file.size && row.mtime_ms === file.mtimeMs && row.hash !== null) {
      if (row.state === 'missing') catalog.photos.markPresent(row.id);
      return;
    }
    let hash: string;
    try {
      hash = await hashFile(join(root, file.path));
    } catch (error) {
      // Recorded as a failed photo so that it is listed with its reason and retried next scan.
      const reason = describeFsError(error);
      if (row) catalog.photos.storeFailure(row.id, reason);
      else fresh.push({ ...file, hash: null, error: reason });
      return;
    }
    if (!row) {
      fresh.push({ ...file, hash });
    } else if (row.hash === hash) {
      catalog.photos.touch(row.id, file.size, file.mtimeMs);
      if (row.state === 'missing') catalog.photos.markPresent(row.id);
    } else {
      catalog.photos.markChanged(row.id, file.size, file.mtimeMs, hash);
      result.changed++;
    }
  };

  await walkLibrary(root, onFile, (problem) => result.problems.push(problem), shouldStop);
  if (shouldStop()) return result;
  await assertRootReachable(root);

  const gone = [...known.values()].filter((p) => !seenPaths.has(p.path));
  const goneByHash = new Map<string, PhotoRow[]>();
  for (const photo of gone) {
    if (photo.hash === null) continue;
    const list = goneByHash.get(photo.hash) ?? [];
    list.push(photo);
    goneByHash.set(photo.hash, list);
  }
  const relinked = new Set<number>();
  catalog.db.transaction(() => {
    for (const file of fresh) {
      if (file.hash === null) {
        catalog.photos.addFailed(file.path, file.size, file.mtimeMs, file.error ?? 'unreadable');
        result.added++;
        continue;
      }
      const previous = goneByHash.get(file.hash)?.shift();
      if (previous) {
        catalog.photos.relink(previous.id, file.path, file.size, file.mtimeMs);
        relinked.add(previous.id);
        result.relinked++;
      } else {
        catalog.photos.add(file.path, file.size, file.mtimeMs, file.hash);
        result.added++;
      }
    }
    catalog.photos.markMissing(gone.filter((p) => !relinked.has(p.id) && p.state !== 'missing').map((p) => p.id));
    catalog.replaceUnusable(result.problems);
  })();
  return result;
}
