// Finds the image files under a library root: recursive, hidden entries skipped, symlink loops cut, names that are not UTF-8 reported.
import { isUtf8 } from 'node:buffer';
import { opendir, stat, realpath } from 'node:fs/promises';
import { join, relative, sep, extname } from 'node:path';

/** Extensions Facet tries to decode: everything sharp reads, plus netpbm, which Facet decodes itself. */
const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.jpe',
  '.jfif',
  '.png',
  '.webp',
  '.tif',
  '.tiff',
  '.gif',
  '.avif',
  '.heic',
  '.heif',
  '.pgm',
  '.ppm',
  '.pnm',
  '.pbm',
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

function isImagePath(path: string): boolean {
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
    case 'ENAMETOOLONG':
      return 'path is longer than the system allows';
    default:
      return e?.message ?? String(error);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The byte length of the UTF-8 sequence a lead byte starts (0 for a byte that cannot start one). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * A file name's bytes as text that names them exactly: valid UTF-8 as it is, every other byte
 * (and '%' itself) percent-encoded, e.g. caf%E9.jpg for a Latin-1 "café.jpg".
 */
export function escapeFileName(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes[i]);
    if (n > 0 && bytes[i] !== 0x25 && i + n <= bytes.length) {
      try {
        out += strictUtf8.decode(bytes.subarray(i, i + n));
        i += n;
        continue;
      } catch {
        // Not a valid sequence: the lead byte is escaped below and the rest looked at again.
      }
    }
    out += `%${bytes[i].toString(16).toUpperCase().padStart(2, '0')}`;
    i++;
  }
  return out;
}

/**
 * Walks `root` depth-first. Symbolic links are followed (a library often links in other folders)
 * but every folder is entered once by its real path, so a link loop ends the descent instead of
 * recursing forever. Problems (an unreadable folder, a dangling link) are reported, not thrown.
 * Names are read as bytes: one that is not UTF-8 cannot be a catalog path nor opened by the
 * decoders, so an image or folder so named is reported (escaped, see escapeFileName) instead.
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
    // Node reads names as bytes with encoding 'buffer'; @types/node types only text encodings here.
    const handle = await opendir(dir, { encoding: 'buffer' as BufferEncoding });
    for await (const entry of handle) {
      if (shouldStop()) return;
      const bytes = entry.name as unknown as Buffer;
      if (bytes[0] === 0x2e) continue;
      if (!isUtf8(bytes)) {
        await reportUnreadableName(dir, bytes, entry);
        continue;
      }
      const name = bytes.toString('utf8');
      const abs = join(dir, name);
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
        } else if (isFile && isImagePath(name)) {
          const info = await stat(abs);
          await onFile({ path: toPath(abs), size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
        }
      } catch (error) {
        onProblem({ path: toPath(abs), reason: describeFsError(error) });
      }
    }
  }

  async function reportUnreadableName(dir: string, bytes: Buffer, entry: { isDirectory(): boolean; isSymbolicLink(): boolean }): Promise<void> {
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      try {
        isDir = (await stat(Buffer.concat([Buffer.from(`${dir}${sep}`), bytes]))).isDirectory();
      } catch {
        // A dangling link with such a name: reported below like a file, if it looks like an image.
      }
    }
    const name = escapeFileName(bytes);
    if (!isDir && !isImagePath(name)) return;
    const reason = isDir ? 'folder name is not valid UTF-8: rename it to scan the photos in it' : 'name is not valid UTF-8';
    onProblem({ path: toPath(join(dir, name)), reason });
  }

  await visit(root);
}
