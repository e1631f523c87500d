// Tests the clustering commands of the real `facet` bin (run, cluster, runs, report, compare, delete-run, export, tag) on a small LFW library.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { ExportRow, RunReport, RunSummary } from '../../src/shared/contract.ts';
import { DEFAULT_DESCRIPTOR_THRESHOLD } from '../../src/core/threshold-clustering.ts';
import { expectUsageError, runFacet, type FacetRun } from '../helpers/cli.ts';
import { withCatalog } from '../helpers/library.ts';
import { buildPeopleLibrary, copyCatalog, PEOPLE_PHOTOS } from '../helpers/people-library.ts';
import { describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

function expectDone(run: FacetRun): void {
  expect(run.code, run.stderr).toBe(0);
}

const number = expect.any(Number);

describeWithData('facet clustering commands', () => {
  let dataDir: string;
  /** The catalog `facet run` made: scanned, tagged from the folders, with run 1. Tests that change it use a copy. */
  let catalog: string;
  let run: FacetRun;

  beforeAll(async () => {
    const dir = tempDir('facet-cluster-cli-');
    const root = join(dir, 'photos');
    await buildPeopleLibrary(root);
    catalog = join(dir, 'catalog.sqlite');
    dataDir = join(dir, 'data');
    run = await runFacet(['run', root, '--tags-from-folders', '--db', catalog, '--k', '4', '--workers', '1', '--json'], { dataDir });
  });

  const facet = (...args: string[]) => runFacet(args, { dataDir });

  async function runCount(file: string): Promise<number> {
    const list = await facet('runs', '--db', file, '--json');
    expectDone(list);
    return (JSON.parse(list.stdout) as RunSummary[]).length;
  }

  it('facet run scans, tags from the folders, clusters and prints the report as JSON', () => {
    expectDone(run);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      run: { id: 1, params: { k: 4, features: 'descriptor', algorithm: 'kmeans', seed: 1 }, durationMs: number },
      metrics: {
        taggedFaces: number,
        identities: 4,
        cohesion: { weighted: number, mean: number, perIdentity: expect.any(Array) },
        pairwise: { precision: number, recall: number, f1: number },
        bcubed: { precision: number, recall: number, f1: number },
        purity: number,
        inversePurity: number,
        nmi: number,
        ari: number,
        searchCost: number,
        speedup: number,
        matchingRecall: expect.any(Array),
      },
    });
    expect(report.clusters).toHaveLength(4);
    for (const c of report.clusters) expect(c).toEqual({ cluster: number, size: number });
    expect(report.clusters.reduce((sum: number, c: { size: number }) => sum + c.size, 0)).toBe(report.details.faces);
    expect(report.metrics.cohesion.perIdentity).toHaveLength(4);
    for (const p of report.metrics.cohesion.perIdentity) expect(p).toEqual({ identity: expect.any(String), faces: number, cluster: number, share: number });
    expect(report.metrics.matchingRecall.length).toBeGreaterThan(0);
    for (const m of report.metrics.matchingRecall) expect(m).toEqual({ nprobe: number, recall: number, scanned: number });
    // Every photo but the composite's bystander is tagged, and the descriptor run clusters every face the detector is sure of.
    expect(report.metrics.taggedFaces).toBeLessThanOrEqual(PEOPLE_PHOTOS.length);
    expect(report.metrics.taggedFaces).toBeGreaterThanOrEqual(report.details.faces - 1);
    expect(report.metrics.cohesion.weighted).toBe(1);
    expect(report.metrics.ari).toBeCloseTo(1, 12);
    // --db was given: nothing went to the data folder.
    expect(existsSync(join(dataDir, 'catalogs'))).toBe(false);
  });

  it('refuses k above the number of faces, storing no run', async () => {
    const file = copyCatalog(catalog);
    expectUsageError(await facet('cluster', '--db', file, '--k', '99999'), /k: 99999 clusters asked for, but only \d+ faces/);
    expect(await runCount(file)).toBe(1);
  });

  it('refuses a variance share above 1 and an unknown feature, storing no run', async () => {
    const file = copyCatalog(catalog);
    expectUsageError(await facet('cluster', '--db', file, '--pca', '1.5'), /--pca 1\.5: a variance share must be in \(0, 1\]/);
    expectUsageError(await facet('cluster', '--db', file, '--features', 'nose'), /features: unknown feature "nose"/);
    expectUsageError(await facet('cluster', '--db', file, '--k', '0'), /^facet: --k must be at least 1$/m);
    expect(await runCount(file)).toBe(1);
  });

  it('exports a run as CSV and as JSON, one row per clustered face', async () => {
    const report = JSON.parse(run.stdout);
    const csv = await facet('export', '--db', catalog, '--run', '1', '--format', 'csv');
    expectDone(csv);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('face_id,photo,box,identity,cluster,distance');
    expect(lines).toHaveLength(1 + report.details.faces);
    for (const line of lines.slice(1)) {
      // No field here needs quoting: paths without commas, the box as four numbers apart.
      const [faceId, photo, box, identity, cluster, distance] = line.split(',');
      expect(line.split(','), line).toHaveLength(6);
      expect(Number.isInteger(Number(faceId))).toBe(true);
      expect(PEOPLE_PHOTOS).toContain(photo);
      expect(box.split(' ').map(Number).every(Number.isFinite) && box.split(' ').length === 4, box).toBe(true);
      expect(['', photo.split('/')[0]]).toContain(identity);
      expect(Number(cluster) >= 0 && Number(cluster) < 4, line).toBe(true);
      expect(Number.isFinite(Number(distance))).toBe(true);
    }

    const json = await facet('export', '--db', catalog, '--run', '1', '--format', 'json');
    expectDone(json);
    const rows = JSON.parse(json.stdout) as ExportRow[];
    expect(rows).toHaveLength(report.details.faces);
    expect(rows.map((r) => String(r.faceId))).toEqual(lines.slice(1).map((l) => l.split(',')[0]));
    expect(rows.filter((r) => r.identity === null)).toHaveLength(report.details.faces - report.metrics.taggedFaces);

    const out = join(tempDir('facet-export-'), 'run-1.csv');
    const written = await facet('export', '--db', catalog, '--run', '1', '--out', out);
    expectDone(written);
    expect(written.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(csv.stdout);
    expectUsageError(await facet('export', '--db', catalog, '--run', '1', '--format', 'xml'), /--format takes csv, json or parquet/);
    expectUsageError(await facet('export', '--db', catalog, '--run', '7'), /no run with id 7/);
  });

  it('prints a readable report with cohesion, speed-up and which features carry identity', async () => {
    const report = await facet('report', '--db', catalog);
    expectDone(report);
    expect(report.stdout).toMatch(/^Run 1 · descriptor/);
    expect(report.stdout).toMatch(/same-person cohesion \(face-weighted\)\s+1\.000/);
    expect(report.stdout).toMatch(/speed-up over exhaustive search\s+\d+\.\d\d×/);
    expect(report.stdout).toMatch(/Cohesion and speed-up belong together/);
    // Four people, each whole in a cluster of their own: one count per row, every cluster shown (it fits in 100 columns).
    const table = report.stdout.split('Tagged faces per person and cluster\n')[1].split('\n\n')[0].split('\n');
    expect(table[0]).toMatch(/^person\s+0\s+1\s+2\s+3$/);
    expect(table.slice(2)).toHaveLength(4);
    for (const row of table.slice(2)) expect(row.match(/\s(\d+)(?=\s|$)/g), row).toHaveLength(1);
    expect(report.stdout).not.toMatch(/left out to fit/);
    expect(report.stdout).toMatch(/Which features carry identity in this library\n[\s\S]*descriptor\s+100\.0%\s+\d+\.\d%\s+carries identity/);
    expect(() => JSON.parse(report.stdout)).toThrow();
  });

  it('clusters by a distance cut, keeping it in params.threshold, and says where it came from: too few tags here, so the default', async () => {
    const file = copyCatalog(catalog);
    // Two people's tags taken away: the other two give fewer same-person pairs than the 20 calibration needs.
    withCatalog(file, (db) =>
      db
        .prepare(
          `DELETE FROM face_identities WHERE face_id IN (SELECT f.id FROM faces f JOIN photos p ON p.id = f.photo_id
             WHERE p.path LIKE 'Colin_Powell/%' OR p.path LIKE 'Hugo_Chavez/%')`,
        )
        .run(),
    );
    const json = await facet('cluster', '--db', file, '--algorithm', 'threshold', '--json');
    expectDone(json);
    const { run: report } = JSON.parse(json.stdout) as { run: Pick<RunReport, 'params' | 'cut'> };
    expect(report.cut).toEqual({
      value: DEFAULT_DESCRIPTOR_THRESHOLD,
      source: 'default',
      detail: expect.stringMatching(/the tagged faces give 1\d same-person and \d+ other-person pairs, and calibrating needs 20 of each \(tag more faces\)$/),
    });
    expect(report.params.threshold).toBe(DEFAULT_DESCRIPTOR_THRESHOLD);
    const text = await facet('report', '--db', file);
    expectDone(text);
    const shown = DEFAULT_DESCRIPTOR_THRESHOLD.toFixed(3);
    expect(text.stdout).toContain(`· threshold ${shown} (the default) ·`);
    expect(text.stdout).toContain(`Distance cut ${shown}: the default cut for unit-length face-api descriptors`);
  });

  it('compares runs side by side and deletes one', async () => {
    const file = copyCatalog(catalog);
    const second = await facet('cluster', '--db', file, '--k', '2', '--seed', '5', '--json');
    expectDone(second);
    expect(JSON.parse(second.stdout)).toMatchObject({ run: { id: 2, params: { k: 2, seed: 5 } }, clusters: [{ size: number }, { size: number }] });

    const compare = await facet('compare', '1', '2', '--db', file);
    expectDone(compare);
    expect(compare.stdout).toMatch(/run 1\s+run 2/);
    expect(compare.stdout).toMatch(/kmeans k=4, 10 restarts · seed 1\s+.*kmeans k=2, 10 restarts · seed 5/);
    expect(compare.stdout).toMatch(/^clusters\s+4\s+2$/m);
    expect(compare.stdout).toMatch(/^cohesion \(face-weighted\)\s+1\.000\s+\d\.\d{3}$/m);

    const deleted = await facet('delete-run', '2', '--db', file);
    expectDone(deleted);
    expect(deleted.stdout).toMatch(/run 2 deleted/);
    const runs = await facet('runs', '--db', file, '--json');
    expectDone(runs);
    expect((JSON.parse(runs.stdout) as RunSummary[]).map((r) => r.id)).toEqual([1]);
    expectUsageError(await facet('compare', '1', '2', '--db', file), /no run with id 2/);
    expectUsageError(await facet('delete-run', '2', '--db', file), /no run with id 2/);
  });

  it('tags from a CSV file, and refuses one that is not there', async () => {
    const file = copyCatalog(catalog);
    const dir = tempDir('facet-tags-');
    expectUsageError(await facet('tag', '--db', file, '--csv', join(dir, 'missing.csv')), /cannot read .*missing\.csv/);
    const csv = join(dir, 'tags.csv');
    writeFileSync(csv, 'path,identity\nColin_Powell/Colin_Powell_0001.jpg,Colin Powell\nno/such.jpg,Nobody\n');
    const tagged = await facet('tag', '--db', file, '--csv', csv, '--json');
    expectDone(tagged);
    expect(JSON.parse(tagged.stdout)).toEqual({ labels: 2, tagged: 1, identities: 1, skipped: [{ path: 'no/such.jpg', reason: 'not in the library' }] });
    expectUsageError(await facet('tag', '--db', file), /give either --from-folders or --csv FILE/);
  });
});
