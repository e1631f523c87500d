// The library-folder check on every platform: full paths only, ~ expanded, never the disk's root or a system folder.
import { describe, expect, it } from 'vitest';
import { checkLibraryRoot, type RootContext } from '../../src/shared/library-root.ts';

const linux: RootContext = { platform: 'linux', home: '/home/ann' };
const mac: RootContext = { platform: 'darwin', home: '/Users/ann' };
const windows: RootContext = { platform: 'win32', home: 'C:\\Users\\ann' };

const accepted = (input: string, context: RootContext) => {
  const check = checkLibraryRoot(input, context);
  if (!check.ok) throw new Error(`${input} refused: ${check.reason}`);
  return check.root;
};
const reason = (input: string, context: RootContext) => {
  const check = checkLibraryRoot(input, context);
  if (check.ok) throw new Error(`${input} accepted as ${check.root}`);
  return check.reason;
};

describe('checkLibraryRoot', () => {
  it('accepts full paths, normalised, without a trailing separator', () => {
    expect(accepted('/home/ann/Pictures', linux)).toBe('/home/ann/Pictures');
    expect(accepted('/home/ann/Pictures/', linux)).toBe('/home/ann/Pictures');
    expect(accepted('/home/ann/./Pictures//2019/../2020', linux)).toBe('/home/ann/Pictures/2020');
    expect(accepted('/mnt/photos', linux)).toBe('/mnt/photos');
    expect(accepted('/tmp/library', linux)).toBe('/tmp/library');
    expect(accepted('/var/www/photos', linux)).toBe('/var/www/photos');
    expect(accepted('/usrphotos', linux)).toBe('/usrphotos');
    expect(accepted('/Users/ann/Pictures', mac)).toBe('/Users/ann/Pictures');
    expect(accepted('/private/var/folders/xy/T/lib', mac)).toBe('/private/var/folders/xy/T/lib');
    expect(accepted('/Volumes/Photos', mac)).toBe('/Volumes/Photos');
    expect(accepted('D:\\Photos\\', windows)).toBe('D:\\Photos');
    expect(accepted('C:/Users/ann/Pictures', windows)).toBe('C:\\Users\\ann\\Pictures');
    expect(accepted('\\\\nas\\photos', windows)).toBe('\\\\nas\\photos\\');
    expect(accepted('C:\\Windowsphotos', windows)).toBe('C:\\Windowsphotos');
  });

  it('expands a leading ~ to the home folder, and only that', () => {
    expect(accepted('~', linux)).toBe('/home/ann');
    expect(accepted('~/Pictures', linux)).toBe('/home/ann/Pictures');
    expect(accepted('~/Pictures', mac)).toBe('/Users/ann/Pictures');
    expect(accepted('~\\Pictures', windows)).toBe('C:\\Users\\ann\\Pictures');
    expect(accepted('/home/ann/~/Pictures', linux)).toBe('/home/ann/~/Pictures');
    expect(reason('~bob/Pictures', linux)).toMatch(/^~bob\/Pictures: only your own home folder can be written with ~/);
  });

  it('refuses relative and empty paths, saying what a full path looks like', () => {
    for (const input of ['Pictures', './Pictures', '../Pictures', '.', 'photos/2019']) {
      expect(reason(input, linux)).toBe(
        `${JSON.stringify(input)} is not a full path: give the photo folder's full path, such as /home/ann/Pictures or ~/Pictures`,
      );
    }
    for (const input of ['Pictures', '\\Pictures', 'C:Pictures', '/Pictures'])
      expect(reason(input, windows)).toMatch(/is not a full path: .*C:\\Users\\ann\\Pictures/);
    expect(reason('', linux)).toMatch(/^give the photo folder's full path/);
    expect(reason('   ', linux)).toMatch(/^give the photo folder's full path/);
    expect(reason('/home/ann/a\0b', linux)).toMatch(/^give the photo folder's full path/);
  });

  it('refuses the whole disk', () => {
    for (const input of ['/', '//', '/.', '/..', '/home/..', '~/../..'])
      expect(reason(input, linux), input).toMatch(/^\/ is the whole disk, not a photo folder: /);
    expect(reason('/', mac)).toMatch(/whole disk/);
    for (const input of ['C:\\', 'c:/', 'D:\\..']) expect(reason(input, windows), input).toMatch(/^[A-Za-z]:\\ is the whole disk/);
  });

  it('refuses system folders and everything under them, naming the folder', () => {
    const linuxSystem = [
      '/proc',
      '/sys',
      '/dev',
      '/etc',
      '/bin',
      '/sbin',
      '/lib',
      '/lib64',
      '/usr',
      '/boot',
      '/run',
      '/var/lib',
      '/var/log',
      '/var/cache',
      '/snap',
      '/nix',
    ];
    for (const folder of linuxSystem) {
      expect(reason(folder, linux)).toBe(
        `${folder} is inside the system folder ${folder}, which holds no photos: choose the folder that holds your photos, such as /home/ann/Pictures or ~/Pictures`,
      );
      expect(reason(`${folder}/some/thing/`, linux)).toMatch(new RegExp(`^${folder}/some/thing is inside the system folder ${folder},`));
    }
    expect(reason('/usr/share/backgrounds', linux)).toMatch(/system folder \/usr,/);
    expect(reason('/home/../proc/self', linux)).toMatch(/^\/proc\/self is inside the system folder \/proc,/);
    for (const folder of ['/System', '/Library', '/Applications', '/private/etc', '/usr', '/dev'])
      expect(reason(`${folder}/x`, mac)).toContain(`system folder ${folder},`);
    // macOS disks ignore case: /system is /System.
    expect(reason('/system/Library', mac)).toContain('system folder /System,');
    for (const folder of ['Windows', 'Program Files', 'Program Files (x86)', 'ProgramData', '$Recycle.Bin', 'System Volume Information']) {
      expect(reason(`C:\\${folder}\\x`, windows)).toContain(`system folder C:\\${folder},`);
    }
    expect(reason('d:/windows/system32', windows)).toContain('system folder d:\\Windows,');
  });

  it('leaves platform rules to their platform', () => {
    expect(accepted('/Library/photos', linux)).toBe('/Library/photos');
    expect(accepted('/var/lib/photos', mac)).toBe('/var/lib/photos');
  });
});
