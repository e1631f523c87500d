// Tests that a scan never writes to the photo library: every file byte-identical with the same mtime, nothing added or removed.
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { copyPhotos, scanLibrary, snapshotTree } from '../helpers/library.ts';
import { describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

describeWithData('the photo library during a scan', () => {
  const engines: Engine[] = [];

  afterAll(async () => {
    for (const engine of engines) await engine.close();
  });

  it('is left exactly as it was: same files, bytes, sizes, modes and mtimes', async () => {
    const root = join(tempDir('facet-originals-'), 'photos');
    copyPhotos(root, {
      'cast/amy1.png': 'faceapi-bbt-cast/amy/amy1.png',
      'orl/s2/1.pgm': 'orl-att-faces-pgm/s2/1.pgm',
    });
    // What a real library also holds: a broken photo, a non-image, hidden files, a link, an old timestamp.
    writeFileSync(join(root, 'cast/broken.jpg'), 'not really a jpeg');
    writeFileSync(join(root, 'notes.txt'), 'holiday 2019');
    mkdirSync(join(root, '.thumbnails'));
    writeFileSync(join(root, '.thumbnails/amy1.png'), 'thumb');
    symlinkSync('cast', join(root, 'favourites'));
    const old = new Date(Date.UTC(2009, 6, 14, 10, 30, 0));
    utimesSync(join(root, 'cast/amy1.png'), old, old);
    const before = snapshotTree(root);

    const engine = new Engine({ dataDir: tempDir('facet-data-') });
    engines.push(engine);
    // No db given: the catalog goes to the data folder, never next to the photos.
    const info = await engine.call('library/open', { root });
    expect(info.catalogFile.startsWith(root)).toBe(false);
    const first = await scanLibrary(engine, { workers: 1 });
    expect(first).toMatchObject({ state: 'done', photos: 3, analysed: 2 });
    // Listed under cast/ or favourites/, whichever the walk meets first: each folder is entered once.
    expect(first.failed).toEqual([{ path: expect.stringMatching(/\/broken\.jpg$/), reason: expect.any(String) }]);
    expect(await scanLibrary(engine, { workers: 1 })).toMatchObject({ state: 'done', analysed: 0 });
    await engine.close();

    const after = snapshotTree(root);
    expect([...after.keys()]).toEqual([...before.keys()]);
    expect(after).toEqual(before);
  });
});
