// Which folders the Electron window may open: the pure predicate over offered roots, and the recent list's rules.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOfferedRoot, parseRecent, RECENT_MAX, withRecent } from '../../src/main/library-roots.ts';

const linux = { platform: 'linux' as const, home: '/home/ann' };
const windows = { platform: 'win32' as const, home: 'C:\\Users\\ann' };

describe('checkOfferedRoot', () => {
  it('accepts an offered folder, however it is spelled', () => {
    const offered = ['/home/ann/Pictures'];
    expect(checkOfferedRoot('/home/ann/Pictures', offered, linux)).toEqual({ ok: true, root: '/home/ann/Pictures' });
    expect(checkOfferedRoot('/home/ann/Pictures/', offered, linux).ok).toBe(true);
    expect(checkOfferedRoot('/home/ann/./Pictures', offered, linux).ok).toBe(true);
    expect(checkOfferedRoot('~/Pictures', offered, linux).ok).toBe(true);
    expect(checkOfferedRoot('C:\\Users\\ann\\Pictures\\', ['C:\\Users\\ann\\Pictures'], windows).ok).toBe(true);
  });

  it('refuses folders not offered: beside, inside, above, or climbing out of one', () => {
    const offered = ['/home/ann/Pictures'];
    for (const root of ['/home/ann/Documents', '/home/ann/Pictures/private', '/home/ann', '/home/ann/Pictures/../.ssh', '/home/ann/Pictures2']) {
      const check = checkOfferedRoot(root, offered, linux);
      expect(check.ok, root).toBe(false);
      expect(!check.ok && check.reason).toMatch(/choose the folder with Open folder…/);
    }
    expect(checkOfferedRoot('/home/ann/Pictures', [], linux).ok).toBe(false);
    // Case matters on Linux, where these are two folders.
    expect(checkOfferedRoot('/home/ann/pictures', offered, linux).ok).toBe(false);
  });

  it("refuses what is no library folder even when offered, with checkLibraryRoot's reason", () => {
    expect(checkOfferedRoot('/', ['/'], linux)).toMatchObject({ ok: false, reason: expect.stringMatching(/whole disk/) });
    expect(checkOfferedRoot('/etc/x', ['/etc/x'], linux)).toMatchObject({ ok: false, reason: expect.stringMatching(/system folder/) });
    expect(checkOfferedRoot('Pictures', ['Pictures'], linux)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a full path/) });
    expect(checkOfferedRoot('', [''], linux).ok).toBe(false);
  });

  it('ignores offered entries that are themselves invalid', () => {
    expect(checkOfferedRoot('/home/ann/Pictures', ['relative', '/', '/home/ann/Pictures'], linux).ok).toBe(true);
  });
});

describe('the recent list', () => {
  it('puts the newest first without repeats, at most ten', () => {
    expect(withRecent(['/a/x', '/a/y'], '/a/y')).toEqual(['/a/y', '/a/x']);
    const many = Array.from({ length: 12 }, (_, i) => `/a/${i}`);
    const list = many.reduce<string[]>((acc, root) => withRecent(acc, root), []);
    expect(list).toHaveLength(RECENT_MAX);
    expect(list[0]).toBe('/a/11');
    expect(list.at(-1)).toBe('/a/2');
  });

  it('reads back only valid, normalised, distinct roots from the stored JSON', () => {
    expect(parseRecent('["/home/ann/Pictures/", "/home/ann/Pictures", 3, "/", "/proc/1", "rel", "/home/ann/B"]', linux)).toEqual([
      '/home/ann/Pictures',
      '/home/ann/B',
    ]);
    expect(parseRecent(JSON.stringify(Array.from({ length: 15 }, (_, i) => `/a/${i}`)), linux)).toHaveLength(RECENT_MAX);
    expect(parseRecent('not json', linux)).toEqual([]);
    expect(parseRecent('{"root":"/home/ann"}', linux)).toEqual([]);
    expect(parseRecent('', linux)).toEqual([]);
  });
});

describe('OfferedRoots', () => {
  it('keeps a folder it could not save for this session, without failing the open', async () => {
    const { OfferedRoots } = await import('../../src/main/library-roots.ts');
    // A file where its folder should be: the list can be neither read nor written.
    const blocker = join(mkdtempSync(join(tmpdir(), 'facet-roots-')), 'file');
    writeFileSync(blocker, '');
    const roots = new OfferedRoots(join(blocker, 'recent-libraries.json'), linux);
    roots.addOpened('/home/ann/Pictures');
    expect(roots.recent).toEqual(['/home/ann/Pictures']);
    expect(roots.check('/home/ann/Pictures').ok).toBe(true);
  });
});
