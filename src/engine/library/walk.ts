// Finds the image files under a library root: recursive, hidden entries skipped, symlink loops cut.
import { opendir, stat, realpath } from 'node:fs/promises';
import { join, relative, sep, extname } from 'node:path';

/** Extensions Facet tries to decode: everything sharp reads, plus netpbm, which Facet decodes itself. */
export const IMAGE_EXTENSIONS = new Set([
  '.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif', '.heic', '.heif',
  '.pgm', '.ppm', '.pnm', '.pbm',
]);

export interface FoundFile {
  /** Relative to the root, '/'-separated on every platform so catalogs move between machines. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface WalkProblem {
  path: string;
  reason: string;
}

export function isImagePath(path: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(path).toLowerCase());
}

/** The reason given for a file that was listed but is gone when read. */
export const FILE_GONE = 'file disappeared';

export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'cannot read: permission denied';
    case 'ENOENT':
      return FILE_GONE;
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EISDIR':
      return 'is a folder';
    default:
      return e?.message ?? String(error);
  }
}

/**
 * Walks `root` depth-first. Symbolic links are followed (a library often links in other folders)
 * but every folder is entered once by its real path, so a link loop ends the descent instead of
 * recursing forever. Problems (an unreadable folder, a dangling link) are reported, not thrown.
 */
export async function walkLibrary(
  root: string,
  onFile: (file: FoundFile) => void | Promise<void>,
  onProblem: (problem: WalkProblem) => void,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  const visited = new Set<string>();
  const toPath = (abs: string) => relative(root, abs).split(sep).join('/');

  async function visit(dir: string): Promise<void> {
    const real = await realpath(dir);
    if (visited.has(real)) return;
    visited.add(real);
    const handle = await opendir(dir);
    for await (const entry of handle) {
      if (shouldStop()) return;
      if (entry.name.startsWith('.')) continue;
      const abs = join(dir, entry.name);
      try {
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          const target = await stat(abs);
          isDir = target.isDirectory();
          isFile = target.isFile();
        }
        if (isDir) {
          await visit(abs);
        } else if (isFile && isImagePath(entry.name)) {
          const info = await stat(abs);
          await onFile({ path: toPath(abs), size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
        }
      } catch (error) {
        onProblem({ path: toPath(abs), reason: describeFsError(error) });
      }
    }
  }

  await visit(root);
}
