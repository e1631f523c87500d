// The one trusted check of a library folder given over the contract: a full path (a leading ~ is the home folder), never the filesystem root or a system folder.
import { posix, win32 } from 'node:path';

/** The machine the path is for: passed in, so the check is pure and every platform's rules can be tested anywhere. */
export interface RootContext {
  platform: NodeJS.Platform;
  home: string;
}

export type RootCheck = { ok: true; root: string } | { ok: false; reason: string };

/** Folders that hold the system, not photos; scanning them reads device files (/proc, /dev) or the whole system. Refused with everything under them. */
const POSIX_SYSTEM = ['/proc', '/sys', '/dev', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/usr', '/boot', '/run', '/snap', '/nix'];
const LINUX_SYSTEM = ['/var/lib', '/var/log', '/var/cache', '/var/run', '/var/spool', '/var/mail'];
// macOS keeps /etc and /var under /private; its temporary folders (/private/var/folders, /private/tmp) stay allowed.
const DARWIN_SYSTEM = [
  '/System',
  '/Library',
  '/Applications',
  '/cores',
  '/private/etc',
  '/private/var/db',
  '/private/var/log',
  '/private/var/root',
  '/private/var/vm',
];
/** On any drive, not only C:. */
const WINDOWS_SYSTEM = ['Windows', 'Program Files', 'Program Files (x86)', 'ProgramData', '$Recycle.Bin', 'System Volume Information', 'Recovery', 'Boot'];

const EXAMPLE: Partial<Record<NodeJS.Platform, string>> = { win32: 'C:\\Users\\ann\\Pictures', darwin: '/Users/ann/Pictures' };

/**
 * The library folder as a normalised absolute path, or why it cannot be one. A leading `~` (alone, or
 * before a separator) is the home folder; `~user` and relative paths are refused, since a server has no
 * meaningful current folder. Symbolic links are not followed here: check the real path again once it is known.
 */
export function checkLibraryRoot(input: string, { platform, home }: RootContext): RootCheck {
  const windows = platform === 'win32';
  const path = windows ? win32 : posix;
  const example = `${EXAMPLE[platform] ?? '/home/ann/Pictures'} or ~${path.sep}Pictures`;
  if (input.trim() === '' || input.includes('\0')) return { ok: false, reason: `give the photo folder's full path, such as ${example}` };
  let expanded = input;
  if (input === '~' || input.startsWith('~/') || (windows && input.startsWith('~\\'))) expanded = home + input.slice(1);
  else if (input.startsWith('~'))
    return { ok: false, reason: `${input}: only your own home folder can be written with ~; give the full path, such as ${example}` };
  // On Windows "\photos" and "C:photos" depend on the current drive or folder: only "C:\…" and "\\server\share\…" are full paths.
  const absolute = windows ? /^(?:[A-Za-z]:[\\/]|[\\/]{2}[^\\/])/.test(expanded) : path.isAbsolute(expanded);
  if (!absolute) return { ok: false, reason: `${JSON.stringify(input)} is not a full path: give the photo folder's full path, such as ${example}` };
  const normalised = path.normalize(expanded);
  const root = normalised.length > path.parse(normalised).root.length ? normalised.replace(/[\\/]+$/, '') : normalised;
  if (root === path.parse(root).root && !/^[\\/]{2}[^\\/]/.test(root)) {
    return { ok: false, reason: `${root} is the whole disk, not a photo folder: choose the folder that holds your photos, such as ${example}` };
  }
  const system = systemFolder(root, platform);
  if (system)
    return {
      ok: false,
      reason: `${root} is inside the system folder ${system}, which holds no photos: choose the folder that holds your photos, such as ${example}`,
    };
  return { ok: true, root };
}

/** The system folder `root` is or lies under, if any; macOS and Windows compare names without case, as their disks do. */
function systemFolder(root: string, platform: NodeJS.Platform): string | undefined {
  if (platform === 'win32') {
    const drive = /^[A-Za-z]:\\/.exec(root)?.[0];
    return drive && WINDOWS_SYSTEM.map((name) => drive + name).find((folder) => isWithin(root.toLowerCase(), folder.toLowerCase(), '\\'));
  }
  const folders = [...POSIX_SYSTEM, ...(platform === 'darwin' ? DARWIN_SYSTEM : LINUX_SYSTEM)];
  const fold = (p: string) => (platform === 'darwin' ? p.toLowerCase() : p);
  return folders.find((folder) => isWithin(fold(root), fold(folder), '/'));
}

function isWithin(path: string, folder: string, sep: string): boolean {
  return path === folder || path.startsWith(folder + sep);
}
