// Tests two real `facet scan` processes on one catalog: the second is refused naming the first, the first finishes alone; a stale lock is taken over.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type { ScanSummary } from '../../src/shared/contract.ts';
import { catalogPathFor } from '../../src/engine/paths.ts';
import { runFacet, startFacet } from '../helpers/cli.ts';
import { copyPhotos, withCatalog } from '../helpers/library.ts';
import { describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/** The pid in the catalog's scan lock, once a scan has taken it. */
async function lockHolder(catalog: string): Promise<number> {
  for (;;) {
    if (existsSync(catalog)) {
      try {
        const row = withCatalog(catalog, (db) => db.prepare<[], { pid: number }>('SELECT pid FROM scan_lock').get(), { readonly: true });
        if (row) return row.pid;
      } catch {
        // The catalog is still being created by the first scan.
      }
    }
    await sleep(50);
  }
}

describeWithData('two facet scans of one catalog', () => {
  it('refuses the second with one line naming the first, which finishes alone', async () => {
    const dir = tempDir('facet-lock-cli-');
    const root = join(dir, 'photos');
    copyPhotos(root, {
      'amy/amy1.png': 'faceapi-bbt-cast/amy/amy1.png',
      'penny/penny1.png': 'faceapi-bbt-cast/penny/penny1.png',
      'raj/raj1.png': 'faceapi-bbt-cast/raj/raj1.png',
    });
    const dataDir = join(dir, 'data');
    const catalog = catalogPathFor(realpathSync(root), dataDir);

    const first = startFacet(['scan', root, '--workers', '1', '--json'], { dataDir });
    expect(await lockHolder(catalog)).toBe(first.child.pid);
    const second = await runFacet(['scan', root, '--workers', '1', '--json'], { dataDir });
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(new RegExp(`^facet: catalog .+ is being scanned by process ${first.child.pid} since \\d{4}-\\d\\d-\\d\\dT[^\\n]+\\n$`));

    const done = await first.done;
    expect(done.code, done.stderr).toBe(0);
    const summary = JSON.parse(done.stdout) as ScanSummary;
    expect(summary).toMatchObject({ state: 'done', photos: 3, added: 3, analysed: 3, failed: [] });
    withCatalog(
      catalog,
      (db) => {
        expect(db.prepare('SELECT count(*) AS n FROM photos').get()).toEqual({ n: 3 });
        expect(db.prepare('SELECT count(*) AS n FROM faces').get()).toEqual({ n: summary.faces });
        // Each face stored once: no two rows of one photo at one box.
        expect(db.prepare('SELECT photo_id, box_x, box_y FROM faces GROUP BY photo_id, box_x, box_y HAVING count(*) > 1').all()).toEqual([]);
        expect(db.prepare('SELECT * FROM scan_lock').all()).toEqual([]);
      },
      { readonly: true },
    );
  });

  it('takes over the lock of a scan whose process died', async () => {
    const dir = tempDir('facet-lock-cli-');
    const root = join(dir, 'photos');
    copyPhotos(root, { 'amy/amy1.png': 'faceapi-bbt-cast/amy/amy1.png' });
    const dataDir = join(dir, 'data');
    const catalog = catalogPathFor(realpathSync(root), dataDir);
    // A first scan creates the catalog; then a crashed scan's lock is left in it.
    expect((await runFacet(['scan', root, '--workers', '1'], { dataDir })).code).toBe(0);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    withCatalog(catalog, (db) => db.prepare('INSERT INTO scan_lock (id, pid, host, token) VALUES (1, ?, ?, ?)').run(dead, hostname(), 'crashed'));

    const scan = await runFacet(['scan', root, '--json'], { dataDir });
    expect(scan.code, scan.stderr).toBe(0);
    expect(JSON.parse(scan.stdout)).toMatchObject({ state: 'done', photos: 1 });
    expect(withCatalog(catalog, (db) => db.prepare('SELECT * FROM scan_lock').all(), { readonly: true })).toEqual([]);
  });
});
