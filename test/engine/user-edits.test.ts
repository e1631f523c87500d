// Tests user edits on real photos with the real face models: a face drawn by hand, marks, rejections and drawn faces through a re-analysis, and aligned face crops.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { estimateRoll } from '../../src/core/geometry.ts';
import { copyPhotos, scanLibrary, withCatalog } from '../helpers/library.ts';
import { dataFile, describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

const AMY = 'amy/amy1.png';
const POWELL = 'Colin_Powell/Colin_Powell_0001.jpg';
const BUSH = 'George_W_Bush/George_W_Bush_0001.jpg';
/** Colin Powell's photo turned by 25°: a face with strong roll. */
const TILTED = 'tilted/powell.jpg';
const TILT = 25;

interface StoredFace {
  id: number;
  path: string;
  source: string;
  missed_at: string | null;
  descriptor: Float32Array;
  landmarks: Float32Array;
}

function storedFaces(file: string): StoredFace[] {
  return withCatalog(
    file,
    (db) =>
      db
        .prepare<[], { id: number; path: string; source: string; missed_at: string | null; descriptor: Buffer; landmarks: Buffer }>(
          'SELECT f.id, p.path, f.source, f.missed_at, f.descriptor, f.landmarks FROM faces f JOIN photos p ON p.id = f.photo_id ORDER BY f.id',
        )
        .all()
        .map((r) => ({
          ...r,
          descriptor: new Float32Array(new Uint8Array(r.descriptor).buffer),
          landmarks: new Float32Array(new Uint8Array(r.landmarks).buffer),
        })),
    { readonly: true },
  );
}

const distance = (a: Float32Array, b: Float32Array) => Math.hypot(...Array.from(a, (v, i) => v - b[i]));

describeWithData('user edits on real photos', () => {
  let engine: Engine;
  let root: string;
  let catalog: string;

  beforeAll(async () => {
    const dir = tempDir('facet-user-edits-');
    root = join(dir, 'photos');
    catalog = join(dir, 'catalog.sqlite');
    copyPhotos(root, { [AMY]: `faceapi-bbt-cast/${AMY}`, [POWELL]: `lfw-dev/${POWELL}`, [BUSH]: `lfw-dev/${BUSH}` });
    mkdirSync(join(root, 'tilted'));
    await sharp(dataFile('lfw-dev/Colin_Powell/Colin_Powell_0002.jpg'))
      .rotate(TILT, { background: '#808080' })
      .jpeg({ quality: 92 })
      .toFile(join(root, TILTED));
    engine = new Engine({ dataDir: tempDir('facet-data-') });
    await engine.openCatalogFile(catalog, root);
    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({ state: 'done', analysed: 4, failed: [] });
  });

  afterAll(async () => {
    await engine?.close();
  });

  const onlyFace = (path: string) => {
    const found = storedFaces(catalog).filter((f) => f.path === path);
    expect(found, path).toHaveLength(1);
    return found[0];
  };

  it('describes a face drawn where the detector found one as the detector did, and refuses a box outside the photo', async () => {
    const detected = onlyFace(AMY);
    const page = await engine.call('faces/list', { folder: 'amy' });
    const { box, photoId } = page.faces[0];
    withCatalog(catalog, (db) => db.prepare('DELETE FROM faces WHERE id = ?').run(detected.id));
    expect((await engine.call('faces/list', { folder: 'amy' })).total).toBe(0);

    const photo = await engine.call('photos/get', { id: photoId });
    await expect(engine.call('faces/add', { photoId, box: { ...box, x: photo.width - box.w / 2 } })).rejects.toMatchObject({
      name: 'ParamError',
      field: 'box',
    });
    expect(storedFaces(catalog).filter((f) => f.path === AMY)).toEqual([]);

    const added = await engine.call('faces/add', { photoId, box });
    expect(added).toMatchObject({ photoId, photo: AMY, box, score: 1, source: 'user', identityId: null, mark: null });
    expect(added.landmarks).toHaveLength(136);
    const stored = onlyFace(AMY);
    expect(stored).toMatchObject({ id: added.id, source: 'user', missed_at: null });
    expect(stored.descriptor).toHaveLength(128);
    expect(Math.hypot(...stored.descriptor)).toBeCloseTo(1, 5);
    expect(distance(stored.descriptor, detected.descriptor)).toBeLessThan(0.3);
    // Landmarks found inside the drawn box land where the detector's landmarks were.
    expect(Math.max(...Array.from(stored.landmarks, (v, i) => Math.abs(v - detected.landmarks[i])))).toBeLessThan(box.w * 0.1);
    await expect(engine.call('faces/add', { photoId: 9999, box })).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('keeps marks, rejections and drawn faces, on the same ids, through a re-analysis', async () => {
    const powell = onlyFace(POWELL);
    const bush = onlyFace(BUSH);
    const drawn = onlyFace(AMY);
    expect(drawn.source).toBe('user');
    const ada = await engine.call('identities/create', { name: 'Ada' });
    await engine.call('faces/mark', { faceIds: [powell.id], mark: 'ignore' });
    await engine.call('suggestions/reject', { faceIds: [bush.id], identityId: ada.id });
    const before = storedFaces(catalog).map(({ id, path, source, missed_at }) => ({ id, path, source, missed_at }));

    const summary = await scanLibrary(engine, { reanalyse: true });
    expect(summary).toMatchObject({ state: 'done', analysed: 4, failed: [] });
    // The detector finds Amy's face again, over the drawn one: the drawn face stands, no second face appears.
    expect(storedFaces(catalog).map(({ id, path, source, missed_at }) => ({ id, path, source, missed_at }))).toEqual(before);
    expect((await engine.call('faces/list', { marked: 'only' })).faces.map((f) => [f.id, f.mark])).toEqual([[powell.id, 'ignore']]);
    withCatalog(
      catalog,
      (db) => expect(db.prepare('SELECT face_id, identity_id FROM rejected_suggestions').all()).toEqual([{ face_id: bush.id, identity_id: ada.id }]),
      { readonly: true },
    );
  });

  it('turns a face crop so its eyes are level', async () => {
    const tilted = onlyFace(TILTED);
    expect(Math.abs(estimateRoll(tilted.landmarks) - TILT)).toBeLessThan(5);
    const crop = await engine.media({ kind: 'face', id: tilted.id });
    expect(crop.contentType).toBe('image/jpeg');
    expect(await sharp(crop.body).metadata()).toMatchObject({ width: 192, height: 192 });

    // The crop, analysed as a photo of its own, shows a level face.
    mkdirSync(join(root, 'crops'));
    await sharp(crop.body).toFile(join(root, 'crops/powell-crop.jpg'));
    const summary = await scanLibrary(engine);
    expect(summary).toMatchObject({ analysed: 1, failed: [] });
    const level = storedFaces(catalog).filter((f) => f.path === 'crops/powell-crop.jpg');
    expect(level).toHaveLength(1);
    // Landmarks found afresh on the crop carry a degree or two of noise.
    expect(Math.abs(estimateRoll(level[0].landmarks))).toBeLessThan(3);
    // Same face, same geometry: served from the cache, byte for byte.
    expect((await engine.media({ kind: 'face', id: tilted.id })).body.equals(crop.body)).toBe(true);
  });
});
