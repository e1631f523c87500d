// The log file: lines appended in the data folder, rotated at its size limit, three files at most, and what the engine writes there.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOG_FILES_KEPT, LOG_MAX_BYTES, Log, logFileIn } from '../../src/engine/log.ts';
import { tempDir } from '../helpers/temp.ts';
import { buildSyntheticCatalog } from '../helpers/synthetic-catalog.ts';
import { Engine } from '../../src/engine/engine.ts';

describe('Log', () => {
  it('writes one line per event under <data>/logs, with a time and a level', () => {
    const data = tempDir('facet-log-');
    const log = new Log(logFileIn(data));
    log.info('engine started');
    log.error('scan failed: disk\nunplugged');
    const lines = readFileSync(join(data, 'logs', 'facet.log'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z info engine started$/);
    expect(lines[1]).toMatch(/ error scan failed: disk unplugged$/);
  });

  it('rotates at about 1 MB and keeps three files', () => {
    expect([LOG_MAX_BYTES, LOG_FILES_KEPT]).toEqual([1024 * 1024, 3]);
    const data = tempDir('facet-log-');
    const file = logFileIn(data);
    const log = new Log(file, 1000);
    for (let i = 0; i < 100; i++) log.info(`event ${i} ${'x'.repeat(80)}`);
    expect(readdirSync(join(data, 'logs')).sort()).toEqual(['facet.log', 'facet.log.1', 'facet.log.2']);
    for (const name of ['facet.log', 'facet.log.1', 'facet.log.2']) expect(readFileSync(join(data, 'logs', name)).length).toBeLessThanOrEqual(1000);
    expect(readFileSync(file, 'utf8')).toContain('event 99 ');
    expect(readFileSync(`${file}.1`, 'utf8')).toMatch(/event 9\d /);
    expect(existsSync(`${file}.3`)).toBe(false);
  });

  it('never throws, even where it cannot write', () => {
    const data = tempDir('facet-log-');
    writeFileSync(join(data, 'logs'), 'a file where the folder should be');
    const log = new Log(logFileIn(data));
    expect(() => log.error('lost')).not.toThrow();
  });
});

describe("the engine's log", () => {
  it('records its start and exit, media errors and a failed scan, in its data folder', async () => {
    const built = buildSyntheticCatalog([{ path: 'gone.jpg', faces: [{ name: 'ann', x: 100, descriptor: 0 }] }]);
    const data = tempDir('facet-log-data-');
    const engine = new Engine({ dataDir: data });
    await engine.openCatalogFile(built.catalog, built.root);
    await expect(engine.media({ kind: 'photo', id: built.photoIds['gone.jpg'] })).rejects.toThrow();
    await expect(engine.media({ kind: 'face', id: 999 })).rejects.toThrow(/no face 999/);
    // The library folder goes away: the scan stops with a reason.
    rmSync(built.root, { recursive: true });
    const { jobId } = await engine.call('library/scan', { workers: 1 });
    const summary = await engine.waitForJob(jobId);
    expect(summary.error).toBeTruthy();
    await engine.close();
    const lines = readFileSync(logFileIn(data), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(/ info engine started \(process \d+, Node [\d.]+, \w+\)$/);
    expect(lines.some((l) => new RegExp(`error media photo/${built.photoIds['gone.jpg']}: `).test(l))).toBe(true);
    // An unknown id is the caller's mistake, not worth a line.
    expect(lines.some((l) => l.includes('face/999'))).toBe(false);
    expect(lines.some((l) => l.includes(` error scan ${jobId} of ${built.root} `) && l.includes(summary.error!))).toBe(true);
    expect(lines.at(-1)).toMatch(/ info engine closed$/);
  });
});
