// Tests match/photo on real photos: the per-run index, nprobe = all against exhaustive search, the threshold's source, bad photos.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Catalog } from '../../src/engine/catalog/catalog.ts';
import { Engine } from '../../src/engine/engine.ts';
import { MatchIndexCache, matchFaces } from '../../src/engine/matching.ts';
import { getRow } from '../../src/core/matrix.ts';
import { DEFAULT_DESCRIPTOR_THRESHOLD } from '../../src/core/threshold-clustering.ts';
import { copyPhotos, scanLibrary } from '../helpers/library.ts';
import { dataFile, describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

const PEOPLE = ['amy', 'howard', 'leonard', 'penny'];
/** Photos 1–4 of each person are the library; photo 5 is held back as the new photo to name. */
const heldBack = (person: string) => readFileSync(dataFile(`faceapi-bbt-cast/${person}/${person}5.png`)).toString('base64');

describeWithData('match/photo', () => {
  let engine: Engine;
  let catalog: Catalog;

  beforeAll(async () => {
    const dir = tempDir('facet-match-');
    const root = join(dir, 'photos');
    copyPhotos(root, Object.fromEntries(PEOPLE.flatMap((p) => [1, 2, 3, 4].map((i) => [`${p}/${p}${i}.png`, `faceapi-bbt-cast/${p}/${p}${i}.png`]))));
    engine = new Engine({ dataDir: join(dir, 'data') });
    await engine.call('library/open', { root });
    const summary = await scanLibrary(engine, { workers: 1 });
    expect(summary.faces).toBe(16);
    catalog = new Catalog(engine.libraryInfo().catalogFile);
  }, 180_000);

  afterAll(async () => {
    catalog?.close();
    await engine?.close();
  });

  it('answers at once, naming the next step, when the library has no run', async () => {
    await expect(engine.call('match/photo', { image: heldBack('amy') })).rejects.toThrow(/no clustering run yet: run `facet cluster` first/);
  });

  it("names each held-back person from the nearest cluster, with a threshold calibrated on the library's tags", async () => {
    await engine.call('tags/import', { from: 'folders' });
    const run = await engine.call('runs/create', { k: 2 });
    for (const person of PEOPLE) {
      const match = await engine.call('match/photo', { image: heldBack(person) });
      expect(match).toMatchObject({ runId: run.id, space: 'descriptor', note: null, photoInLibrary: null });
      expect(match.threshold).toEqual({
        value: expect.any(Number),
        source: 'tags',
        detail: expect.stringMatching(/24 same-person from 96 other-person pairs among 16 tagged faces/),
      });
      expect(match.faces).toHaveLength(1);
      const [face] = match.faces;
      expect(face.suggestion).toEqual({ identityId: expect.any(Number), name: person, distance: expect.any(Number) });
      expect(face.suggestion!.distance).toBeLessThan(match.threshold.value);
      // The top 5, or all of the probed cluster's faces when it holds fewer.
      expect(face.matches).toHaveLength(Math.min(5, Math.round(face.scanned * 16)));
      expect(face.matches[0]).toMatchObject({ identity: person, photo: expect.stringMatching(new RegExp(`^${person}/`)) });
      expect(face.clusters).toHaveLength(1);
      expect(face.scanned).toBeGreaterThan(0);
      expect(face.scanned).toBeLessThan(1);
      expect(face.ms).toBeGreaterThanOrEqual(0);
    }
  });

  it('searches everything at nprobe ≥ k, giving the same answer at any larger nprobe', async () => {
    const all = await engine.call('match/photo', { image: heldBack('leonard'), nprobe: 2, top: 16 });
    const more = await engine.call('match/photo', { image: heldBack('leonard'), nprobe: 99, top: 16 });
    expect(all.faces[0].scanned).toBe(1);
    expect(all.faces[0].clusters).toHaveLength(2);
    expect(all.faces[0].matches).toHaveLength(16);
    expect(more.faces[0].matches).toEqual(all.faces[0].matches);
  });

  it("the index's search at nprobe = k is the exhaustive nearest-neighbour search, for every library face as query", () => {
    const index = new MatchIndexCache(catalog).get();
    const { descriptors } = index;
    for (let q = 0; q < index.faces.length; q++) {
      const descriptor = Float32Array.from(getRow(descriptors, q));
      const [found] = matchFaces(index, [{ box: { x: 0, y: 0, w: 1, h: 1 }, descriptor } as never], index.buckets.clusters.length, 16);
      const brute = index.faces
        .map((f, i) => ({ faceId: f.id, distance: Math.hypot(...Array.from(getRow(descriptors, i), (v, j) => v - descriptor[j])) }))
        .sort((a, b) => a.distance - b.distance || a.faceId - b.faceId);
      expect(found.matches.map((m) => m.faceId)).toEqual(brute.map((b) => b.faceId));
      found.matches.forEach((m, r) => expect(m.distance).toBeCloseTo(brute[r].distance, 6));
      expect(found.scanned).toBe(1);
    }
  });

  it('keeps one index per run while the catalog is unchanged, and rebuilds it after an edit', async () => {
    const second = await engine.call('runs/create', { k: 4 });
    const cache = new MatchIndexCache(catalog);
    const first = cache.get(1);
    expect(cache.get(1)).toBe(first);
    const latest = cache.get();
    expect(latest.runId).toBe(second.id);
    expect(latest.buckets.clusters).toHaveLength(4);
    expect(first.buckets.clusters).toHaveLength(2);
    // Untagging three people leaves amy's 4 faces: 6 same-person pairs, too few to calibrate on.
    const { ids } = await engine.call('faces/ids', { untagged: false, marked: 'include' });
    const amy = (await engine.call('identities/list', {})).find((i) => i.name === 'amy')!;
    const { faces: amyFaces } = await engine.call('faces/list', { identityId: amy.id });
    await engine.call('faces/untag', { faceIds: ids.filter((id) => !amyFaces.some((f) => f.id === id)) });
    const rebuilt = cache.get(1);
    expect(rebuilt).not.toBe(first);
    expect(rebuilt.threshold).toEqual({
      value: DEFAULT_DESCRIPTOR_THRESHOLD,
      source: 'default',
      detail: expect.stringMatching(/6 same-person and 0 other-person pairs/),
    });
    // Howard is no longer tagged: his nearest tagged face is amy's, beyond the cut, so he is unknown.
    const match = await engine.call('match/photo', { image: heldBack('howard'), runId: 1, nprobe: 2 });
    expect(match.threshold.source).toBe('default');
    expect(match.faces[0].suggestion).toBeNull();
    expect(match.faces[0].matches[0].identity).toBeNull();
    expect((await engine.call('match/photo', { image: heldBack('amy'), runId: 1, nprobe: 2 })).faces[0].suggestion?.name).toBe('amy');
  });

  it('says when the photo is already in the library', async () => {
    const image = readFileSync(dataFile('faceapi-bbt-cast/howard/howard2.png')).toString('base64');
    const match = await engine.call('match/photo', { image, nprobe: 9 });
    expect(match.photoInLibrary).toBe(catalog.photos.all().find((p) => p.path === 'howard/howard2.png')!.id);
    expect(match.faces[0].matches[0]).toMatchObject({ photo: 'howard/howard2.png', distance: expect.closeTo(0, 5) });
  });

  it('matches in descriptor space, with a note, for a run clustered on other features', async () => {
    const run = await engine.call('runs/create', { k: 2, features: 'landmarks', includeFiltered: true });
    const match = await engine.call('match/photo', { image: heldBack('amy'), runId: run.id });
    expect(match.space).toBe('descriptor');
    expect(match.note).toMatch(/clustered landmarks: faces are matched by descriptor/);
    expect(match.faces[0].matches[0].identity).toBe('amy');
  });

  it('refuses photos it cannot match with a reason, and bad requests naming the field', async () => {
    const notImage = Buffer.from('this is not a photo').toString('base64');
    await expect(engine.call('match/photo', { image: notImage })).rejects.toThrow(/cannot read the photo: not an image/);
    const gradient = await sharp(Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i % 192) + 32)), { raw: { width: 64, height: 64, channels: 3 } })
      .png()
      .toBuffer();
    await expect(engine.call('match/photo', { image: gradient.toString('base64') })).rejects.toThrow(/no face found in the photo/);
    await expect(engine.call('match/photo', { image: 'not base64!' })).rejects.toThrow(/match\/photo: image: must be the photo in base64/);
    await expect(engine.call('match/photo', { image: heldBack('amy'), nprobe: 0 })).rejects.toThrow(/nprobe: nprobe must be at least 1/);
    await expect(engine.call('match/photo', { image: heldBack('amy'), top: 51 })).rejects.toThrow(/match\/photo: top/);
    await expect(engine.call('match/photo', { image: heldBack('amy'), runId: 999 })).rejects.toThrow(/no run with id 999/);
  });
});
