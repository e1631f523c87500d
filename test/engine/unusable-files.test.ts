// Tests that files a scan cannot use are stored and listed with true reasons: a name that is not UTF-8, a symbolic link loop, a path too long for the system.
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { escapeFileName } from '../../src/engine/library/walk.ts';
import { scanLibrary } from '../helpers/library.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/** `dir`/`name` as a Buffer path, for names that are not UTF-8. */
const bytePath = (dir: string, ...name: number[][]) => Buffer.concat([Buffer.from(`${dir}/`), ...name.map((part) => Buffer.from(part))]);
const ascii = (text: string) => [...Buffer.from(text)];

/**
 * A photo whose full path is longer than PATH_MAX (4096 on Linux) while its folder's is not: the
 * folders are made through a shortcut link, as the system refuses such a path in one call.
 * Returns the photo's path relative to `root` and a function that removes it again.
 */
function tooLongPath(root: string): { path: string; remove: () => void } {
  const parts: string[] = [];
  let here = root;
  let length = root.length;
  while (length < 3800) {
    const part = 'd'.repeat(Math.min(250, 3900 - length));
    mkdirSync(join(here, part));
    parts.push(part);
    length += part.length + 1;
    // A link to the folder made last keeps the path handed to mkdir short.
    const hop = join(tempDir('facet-hop-'), 'hop');
    symlinkSync(join(here, part), hop);
    here = hop;
  }
  const name = `${'p'.repeat(240)}.jpg`;
  writeFileSync(join(here, name), 'not read');
  return { path: [...parts, name].join('/'), remove: () => unlinkSync(join(here, name)) };
}

describe('files a scan cannot use', () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  it('are stored with true reasons, listed by library/failures and counted by the stats, scan after scan', async () => {
    const dataDir = tempDir('facet-data-');
    const root = join(tempDir('facet-unusable-'), 'photos');
    mkdirSync(root);
    // Latin-1 names, as an old camera or a Windows copy leaves them: "café.jpg", and a folder "été" with a photo in it.
    writeFileSync(bytePath(root, ascii('caf'), [0xe9], ascii('.jpg')), 'not read');
    mkdirSync(bytePath(root, [0xe9], ascii('t'), [0xe9]));
    writeFileSync(bytePath(root, [0xe9], ascii('t'), [0xe9], ascii('/beach.jpg')), 'not read');
    // Not an image by its name: not a photo, not a failure.
    writeFileSync(bytePath(root, ascii('notes-'), [0xff], ascii('.txt')), 'not read');
    symlinkSync('b.jpg', join(root, 'a.jpg'));
    symlinkSync('a.jpg', join(root, 'b.jpg'));
    const long = tooLongPath(root);

    const expected = [
      { path: '%E9t%E9', reason: 'folder name is not valid UTF-8: rename it to scan the photos in it' },
      { path: 'a.jpg', reason: 'symbolic link loop' },
      { path: 'b.jpg', reason: 'symbolic link loop' },
      { path: 'caf%E9.jpg', reason: 'name is not valid UTF-8' },
      { path: long.path, reason: 'path is longer than the system allows' },
    ].sort((x, y) => (x.path < y.path ? -1 : 1));

    const engine = new Engine({ dataDir });
    engines.push(engine);
    await engine.call('library/open', { root });
    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({ state: 'done', photos: 0 });
    expect([...summary.failed].sort((x, y) => (x.path < y.path ? -1 : 1))).toEqual(expected);
    expect(await engine.call('library/failures', { limit: 1000 })).toEqual(expected);
    expect(await engine.call('library/stats', {})).toMatchObject({ photos: 0, failed: expected.length });

    // Stored, not only reported: another engine on the catalog lists them before any scan; a second scan lists each once.
    const reopened = new Engine({ dataDir });
    engines.push(reopened);
    await reopened.call('library/open', { root });
    expect(await reopened.call('library/failures', { limit: 1000 })).toEqual(expected);
    await engine.close();
    expect((await scanLibrary(reopened)).failed).toHaveLength(expected.length);
    expect(await reopened.call('library/failures', { limit: 1000 })).toEqual(expected);

    // Fixed on disk, they leave the list at the next scan.
    unlinkSync(join(root, 'a.jpg'));
    unlinkSync(join(root, 'b.jpg'));
    long.remove();
    rmSync(bytePath(root, [0xe9], ascii('t'), [0xe9]), { recursive: true });
    await scanLibrary(reopened);
    expect(await reopened.call('library/failures', { limit: 1000 })).toEqual([{ path: 'caf%E9.jpg', reason: 'name is not valid UTF-8' }]);
    expect(await reopened.call('library/stats', {})).toMatchObject({ failed: 1 });
  });

  it('escapes exactly the bytes that are not UTF-8, and the escape character itself', () => {
    expect(escapeFileName(Buffer.from('Zoë 100%.jpg'))).toBe('Zoë 100%25.jpg');
    expect(escapeFileName(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x6a, 0x70, 0x67]))).toBe('caf%E9.jpg');
    // A lead byte without its continuation, an overlong form, a lone continuation byte.
    expect(escapeFileName(Buffer.from([0xe2, 0x82, 0x41, 0xc0, 0xaf, 0x80]))).toBe('%E2%82A%C0%AF%80');
  });
});
