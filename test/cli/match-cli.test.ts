// Tests `facet match` and `facet export --format parquet` of the real bin on a small TV-cast library, with one photo per person held back.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import type { ExportRow } from '../../src/shared/contract.ts';
import { expectUsageError, runFacet, type FacetRun } from '../helpers/cli.ts';
import { copyPhotos, sha256 } from '../helpers/library.ts';
import { dataFile, describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

const PEOPLE = ['amy', 'howard', 'leonard', 'penny'];

function expectDone(run: FacetRun): void {
  expect(run.code, run.stderr).toBe(0);
}

describeWithData('facet match', () => {
  let dir: string;
  let catalog: string;
  let gradient: string;
  const facet = (...args: string[]) => runFacet(args, { dataDir: join(dir, 'data') });
  const held = (person: string) => dataFile(`faceapi-bbt-cast/${person}/${person}5.png`);

  beforeAll(async () => {
    dir = tempDir('facet-match-cli-');
    const root = join(dir, 'photos');
    copyPhotos(root, Object.fromEntries(PEOPLE.flatMap((p) => [1, 2, 3, 4].map((i) => [`${p}/${p}${i}.png`, `faceapi-bbt-cast/${p}/${p}${i}.png`]))));
    catalog = join(dir, 'catalog.sqlite');
    expectDone(await facet('scan', root, '--db', catalog, '--workers', '1'));
    expectDone(await facet('tag', '--from-folders', '--db', catalog));
    // A photo with no face: a smooth colour gradient.
    gradient = join(dir, 'gradient.png');
    const pixels = Buffer.from(Array.from({ length: 96 * 64 * 3 }, (_, i) => Math.floor(i / 3 / 96) * 3 + (i % 3) * 40));
    await sharp(pixels, { raw: { width: 96, height: 64, channels: 3 } })
      .png()
      .toFile(gradient);
  }, 240_000);

  it('without a run, one line says how to make one', async () => {
    expectUsageError(await facet('match', held('penny'), '--db', catalog), /no clustering run yet: run `facet cluster` first/);
  });

  it('names the held-back person, as JSON and as text', async () => {
    expectDone(await facet('cluster', '--db', catalog, '--k', '2'));
    const json = await facet('match', held('penny'), '--db', catalog, '--json');
    expectDone(json);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ image: held('penny'), runId: 1, space: 'descriptor', note: null, threshold: { source: 'tags' }, photoInLibrary: null });
    expect(result.faces).toHaveLength(1);
    const [face] = result.faces;
    expect(face).toEqual({
      box: { x: expect.any(Number), y: expect.any(Number), w: expect.any(Number), h: expect.any(Number) },
      matches: expect.any(Array),
      suggestion: 'penny',
      clusters: [expect.any(Number)],
      scanned: expect.any(Number),
      ms: expect.any(Number),
    });
    expect(face.matches[0]).toEqual({ faceId: expect.any(Number), photo: expect.stringMatching(/^penny\//), identity: 'penny', distance: expect.any(Number) });
    expect(face.scanned).toBeLessThan(1);

    const text = await facet('match', held('howard'), '--db', catalog, '--nprobe', '2', '--top', '3');
    expectDone(text);
    expect(text.stdout).toMatch(/howard5\.png: 1 face, run 1, cut 0\.\d{3} \(tags: /);
    expect(text.stdout).toMatch(/face 1 at \d+,\d+ \d+×\d+: howard \(0\.\d{3}\) — scanned 100 % of the library \(cluster \d, \d\) in \d+\.\d\d ms/);
    expect(text.stdout.split('\n').filter((l) => /^ {2}0\.\d{3} {2}/.test(l))).toHaveLength(3);
  });

  it('matches several photos into { images }, and a photo with no face or no image is one line and exit 1, changing nothing', async () => {
    const before = sha256(catalog);
    const both = await facet('match', held('amy'), held('leonard'), '--db', catalog, '--json');
    expectDone(both);
    const { images } = JSON.parse(both.stdout);
    expect(images.map((i: { image: string; faces: { suggestion: string }[] }) => [i.image, i.faces[0].suggestion])).toEqual([
      [held('amy'), 'amy'],
      [held('leonard'), 'leonard'],
    ]);

    expectUsageError(await facet('match', gradient, '--db', catalog), /^facet: .*gradient\.png: no face found in the photo: try one where the face is larger/);
    const notImage = join(dir, 'notes.png');
    writeFileSync(notImage, 'not a photo at all');
    expectUsageError(await facet('match', notImage, '--db', catalog), /notes\.png: cannot read the photo: not an image/);
    expectUsageError(await facet('match', join(dir, 'nowhere.jpg'), '--db', catalog), /cannot read .*nowhere\.jpg/);
    expectUsageError(await facet('match', held('amy'), '--db', catalog, '--nprobe', '0'), /^facet: --nprobe must be at least 1$/m);

    // One bad photo among good ones: the good ones are answered, the bad one named, exit 1.
    const mixed = await facet('match', held('amy'), gradient, '--db', catalog, '--json');
    expect(mixed.code).toBe(1);
    expect(JSON.parse(mixed.stdout).images[1]).toEqual({ image: gradient, error: expect.stringMatching(/no face found/) });
    expect(sha256(catalog)).toBe(before);
  });

  it('matches by descriptor, with a note, against a run clustered on landmarks', async () => {
    expectDone(await facet('cluster', '--db', catalog, '--k', '2', '--features', 'landmarks', '--include-filtered'));
    const run = await facet('match', held('amy'), '--db', catalog);
    expectDone(run);
    expect(run.stdout).toMatch(/note: run 2 clustered landmarks: faces are matched by descriptor/);
    expect(run.stdout).toMatch(/: amy \(/);
  });

  it('exports a run as Parquet that reads back with the same rows and values', async () => {
    const out = join(dir, 'faces.parquet');
    const exported = await facet('export', '--run', '1', '--format', 'parquet', '--out', out, '--db', catalog);
    expectDone(exported);
    expect(exported.stderr).toMatch(/16 faces of run 1 written to .*faces\.parquet/);
    const json = await facet('export', '--run', '1', '--format', 'json', '--db', catalog);
    expectDone(json);
    const expected = JSON.parse(json.stdout) as ExportRow[];
    const bytes = readFileSync(out);
    const rows = (await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) })) as Record<string, unknown>[];
    expect(rows).toHaveLength(16);
    expect(Object.keys(rows[0])).toEqual(['face_id', 'photo', 'box_x', 'box_y', 'box_w', 'box_h', 'person', 'cluster', 'distance', 'descriptor', 'landmarks']);
    rows.forEach((row, i) => {
      const want = expected[i];
      expect(row).toMatchObject({ face_id: want.faceId, photo: want.photo, person: want.identity, cluster: want.cluster, distance: want.distance });
      [row.box_x, row.box_y, row.box_w, row.box_h].forEach((v, j) => expect(v).toBeCloseTo(want.box[j], 0));
      const descriptor = row.descriptor as number[];
      expect(descriptor).toHaveLength(128);
      expect(Math.hypot(...descriptor)).toBeCloseTo(1, 5);
      expect(row.landmarks as number[]).toHaveLength(136);
    });
    expectUsageError(await facet('export', '--run', '1', '--format', 'parquet', '--db', catalog), /--format parquet writes a file: give it with --out FILE/);
  });
});
