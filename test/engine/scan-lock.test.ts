// Tests the catalog's scan lock through the engine: a second scan of one catalog is refused naming the holder, a stale lock is taken over.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, EngineError } from '../../src/engine/engine.ts';
import { holderIsAlive } from '../../src/engine/scan-lock.ts';
import { scanLibrary, withCatalog } from '../helpers/library.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/** A library with nothing to analyse, so a scan needs no face models; engines with its data folder share its catalog. */
function emptyLibrary(): { root: string; dataDir: string } {
  const dir = tempDir('facet-lock-');
  const root = join(dir, 'photos');
  mkdirSync(root);
  writeFileSync(join(root, 'notes.txt'), 'no photos yet');
  return { root, dataDir: join(dir, 'data') };
}

function lockRows(catalog: string) {
  return withCatalog(catalog, (db) => db.prepare('SELECT pid, host FROM scan_lock').all(), { readonly: true });
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('the scan lock', () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  async function open(library: { root: string; dataDir: string }): Promise<{ engine: Engine; catalog: string }> {
    const engine = new Engine({ dataDir: library.dataDir });
    engines.push(engine);
    const { catalogFile: catalog } = await engine.call('library/open', { root: library.root });
    return { engine, catalog };
  }

  it('refuses a second scan of the catalog while one runs, naming the process and since when, and lets it scan after', async () => {
    const library = emptyLibrary();
    const { engine: first, catalog } = await open(library);
    const { engine: second } = await open(library);
    const { jobId } = await first.call('library/scan', { workers: 1 });
    const refusal = second.call('library/scan', { workers: 1 });
    await expect(refusal).rejects.toThrow(EngineError);
    await expect(refusal).rejects.toThrow(new RegExp(`is being scanned by process ${process.pid} since \\d{4}-\\d\\d-\\d\\dT`));
    expect(await first.waitForJob(jobId)).toMatchObject({ state: 'done' });
    expect(lockRows(catalog)).toEqual([]);
    expect(await scanLibrary(second)).toMatchObject({ state: 'done' });
  });

  it('takes over a lock whose process is gone', async () => {
    const library = emptyLibrary();
    const { engine, catalog } = await open(library);
    const pid = deadPid();
    withCatalog(catalog, (db) => db.prepare('INSERT INTO scan_lock (id, pid, host, token) VALUES (1, ?, ?, ?)').run(pid, hostname(), 'crashed'));
    expect(await scanLibrary(engine)).toMatchObject({ state: 'done' });
    expect(lockRows(catalog)).toEqual([]);
  });

  it('keeps a lock held on another machine, since its process cannot be checked from here', async () => {
    const library = emptyLibrary();
    const { engine, catalog } = await open(library);
    withCatalog(catalog, (db) => db.prepare('INSERT INTO scan_lock (id, pid, host, token) VALUES (1, ?, ?, ?)').run(deadPid(), 'nas-box', 'remote'));
    await expect(engine.call('library/scan', {})).rejects.toThrow(/scanned by process \d+ on nas-box since/);
    expect(lockRows(catalog)).toHaveLength(1);
  });

  it('decides who holds the lock from host and pid', () => {
    const holder = { pid: 42, host: 'here', startedAt: '2024-01-01T00:00:00.000Z' };
    expect(holderIsAlive(holder, 'here', () => true)).toBe(true);
    expect(holderIsAlive(holder, 'here', () => false)).toBe(false);
    expect(holderIsAlive(holder, 'there', () => false)).toBe(true);
  });
});
