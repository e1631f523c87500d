// Tests identities and tags through the engine on a scanned LFW library: tags from folder names and CSV, create/rename/merge/delete, tagging by hand, tags kept through re-analysis.
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContractError } from '../../src/shared/contract.ts';
import { Engine, EngineError } from '../../src/engine/engine.ts';
import { scanLibrary, withCatalog } from '../helpers/library.ts';
import {
  COMPOSITE,
  copyCatalog,
  facesWithPaths,
  offCentre,
  PEOPLE,
  PEOPLE_PHOTOS,
  scanPeopleLibrary,
  tagRows,
  type FaceAt,
} from '../helpers/people-library.ts';
import { describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

const folderOf = (path: string) => path.split('/')[0];

function counts(file: string): { faces: number; identities: number; tags: number } {
  return withCatalog(
    file,
    (db) =>
      db
        .prepare<[], { faces: number; identities: number; tags: number }>(
          `SELECT (SELECT count(*) FROM faces) AS faces, (SELECT count(*) FROM identities) AS identities,
                  (SELECT count(*) FROM face_identities) AS tags`,
        )
        .get()!,
    { readonly: true },
  );
}

describeWithData('identities and tags', () => {
  /** The library scanned once, untagged; every test works on its own copy of the catalog. */
  let base: { root: string; catalog: string };
  let faces: FaceAt[];
  const engines: Engine[] = [];

  beforeAll(async () => {
    base = await scanPeopleLibrary();
    faces = facesWithPaths(base.catalog);
  });

  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  async function openCopy(root?: string): Promise<{ engine: Engine; catalog: string }> {
    const catalog = copyCatalog(base.catalog);
    const engine = new Engine({ dataDir: tempDir('facet-data-') });
    engines.push(engine);
    // A folder given is a new home for the library (a subset of its photos): the catalog follows it.
    await engine.openCatalogFile(catalog, root, root !== undefined);
    return { engine, catalog };
  }

  /** The one face of a single-face photo. */
  function faceOf(path: string): number {
    const found = faces.filter((f) => f.path === path);
    expect(found, path).toHaveLength(1);
    return found[0].id;
  }

  /** The composite's two faces: the one nearest the canvas centre, and the other. */
  function compositeFaces(): { subject: FaceAt; bystander: FaceAt } {
    const found = faces.filter((f) => f.path === COMPOSITE.path);
    expect(found, 'faces found in the composite').toHaveLength(2);
    const [subject, bystander] = found.sort(
      (a, b) => offCentre(a.box, COMPOSITE.width, COMPOSITE.height) - offCentre(b.box, COMPOSITE.width, COMPOSITE.height),
    );
    return { subject, bystander };
  }

  it('found one face in every photo and two in the composite, the subject at its centre', () => {
    expect([...new Set(faces.map((f) => f.path))].sort()).toEqual(PEOPLE_PHOTOS);
    for (const path of PEOPLE_PHOTOS) if (path !== COMPOSITE.path) faceOf(path);
    const { subject, bystander } = compositeFaces();
    // The subject's face is in the middle of the 250 px photo placed at the centre; the bystander sits in a corner.
    expect(offCentre(subject.box, COMPOSITE.width, COMPOSITE.height)).toBeLessThan(50);
    expect(offCentre(bystander.box, COMPOSITE.width, COMPOSITE.height)).toBeGreaterThan(150);
    expect(bystander.box.w).toBeLessThan(subject.box.w);
  });

  describe('importing tags from folder names', () => {
    it("tags exactly one face per photo, the composite's subject and not its bystander", async () => {
      const { engine, catalog } = await openCopy();
      const result = await engine.call('tags/import', { from: 'folders' });
      expect(result).toEqual({ labels: PEOPLE_PHOTOS.length, tagged: PEOPLE_PHOTOS.length, identities: 4, skipped: [] });

      const tags = tagRows(catalog);
      expect(tags.map((t) => t.path)).toEqual(expect.arrayContaining(PEOPLE_PHOTOS));
      expect(tags).toHaveLength(PEOPLE_PHOTOS.length);
      for (const tag of tags) expect(tag, tag.path).toMatchObject({ identity: folderOf(tag.path), source: 'import' });
      const { subject, bystander } = compositeFaces();
      expect(tags.filter((t) => t.path === COMPOSITE.path).map((t) => t.faceId)).toEqual([subject.id]);
      expect(tags.find((t) => t.faceId === bystander.id)).toBeUndefined();

      const identities = await engine.call('identities/list', {});
      expect(identities.map(({ name, faces }) => ({ name, faces }))).toEqual(PEOPLE.map((name) => ({ name, faces: name === 'George_W_Bush' ? 5 : 4 })));
      expect(await engine.call('library/stats', {})).toMatchObject({ identities: 4, taggedFaces: PEOPLE_PHOTOS.length });
    });

    it('changes nothing when imported again', async () => {
      const { engine, catalog } = await openCopy();
      const first = await engine.call('tags/import', { from: 'folders' });
      const tags = tagRows(catalog);
      const identities = await engine.call('identities/list', {});
      const again = await engine.call('tags/import', { from: 'folders' });
      expect(again).toMatchObject({ labels: first.labels, identities: first.identities, skipped: [] });
      expect(tagRows(catalog)).toEqual(tags);
      expect(await engine.call('identities/list', {})).toEqual(identities);
    });

    it('never overrides a tag the user gave by hand', async () => {
      const { engine, catalog } = await openCopy();
      const face = faceOf('Hugo_Chavez/Hugo_Chavez_0001.jpg');
      const someone = await engine.call('identities/create', { name: 'Somebody Else' });
      expect(await engine.call('faces/tag', { faceIds: [face], identityId: someone.id })).toEqual({
        tagged: 1,
        previous: [{ faceId: face, identityId: null, mark: null }],
      });

      const result = await engine.call('tags/import', { from: 'folders' });
      // The label for that photo was read but wrote nothing.
      expect(result).toMatchObject({ labels: PEOPLE_PHOTOS.length, tagged: PEOPLE_PHOTOS.length - 1 });
      const mine = { faceId: face, path: 'Hugo_Chavez/Hugo_Chavez_0001.jpg', identity: 'Somebody Else', source: 'user' };
      expect(tagRows(catalog)).toContainEqual(mine);
      await engine.call('tags/import', { from: 'folders' });
      expect(tagRows(catalog)).toContainEqual(mine);
      expect(tagRows(catalog).filter((t) => t.source === 'user')).toEqual([mine]);
    });

    it('creates no identity for a label whose only face the user tagged otherwise', async () => {
      const { engine } = await openCopy();
      const face = faceOf('Hugo_Chavez/Hugo_Chavez_0001.jpg');
      const someone = await engine.call('identities/create', { name: 'Somebody Else' });
      await engine.call('faces/tag', { faceIds: [face], identityId: someone.id });
      const result = await engine.call('tags/import', { from: 'csv', csv: 'Hugo_Chavez/Hugo_Chavez_0001.jpg,Hugo Chávez\n' });
      expect(result).toMatchObject({ labels: 1, tagged: 0, identities: 0 });
      expect(await engine.call('identities/list', {})).toEqual([{ id: someone.id, name: 'Somebody Else', faces: 1, coverFaceId: face }]);
    });
  });

  describe('importing tags from CSV', () => {
    it('reads a header, quoted fields, Windows paths and ./ prefixes, and reports the rows it cannot use', async () => {
      const { engine, catalog } = await openCopy();
      const csv = [
        'path,identity',
        'Colin_Powell/Colin_Powell_0001.jpg,Colin Powell',
        '"Hugo_Chavez/Hugo_Chavez_0001.jpg","Chávez, Hugo"',
        'George_W_Bush\\George_W_Bush_0001.jpg,George W. Bush',
        './Junichiro_Koizumi/Junichiro_Koizumi_0001.jpg,Junichiro Koizumi',
        'nobody/nowhere.jpg,Nobody',
        'a line without an identity',
        '',
      ].join('\r\n');
      const result = await engine.call('tags/import', { from: 'csv', csv });
      expect(result).toMatchObject({ labels: 5, tagged: 4, identities: 4 });
      expect(result.skipped).toHaveLength(2);
      expect(result.skipped).toContainEqual({ path: 'nobody/nowhere.jpg', reason: 'not in the library' });
      // Counted as the file's lines, the header included, so the user finds the row.
      expect(result.skipped).toContainEqual({ path: 'a line without an identity', reason: 'line 7: expected path,identity' });

      expect(tagRows(catalog).map(({ faceId, identity, source }) => ({ faceId, identity, source }))).toEqual(
        [
          { faceId: faceOf('Colin_Powell/Colin_Powell_0001.jpg'), identity: 'Colin Powell', source: 'import' },
          { faceId: faceOf('Hugo_Chavez/Hugo_Chavez_0001.jpg'), identity: 'Chávez, Hugo', source: 'import' },
          { faceId: faceOf('George_W_Bush/George_W_Bush_0001.jpg'), identity: 'George W. Bush', source: 'import' },
          { faceId: faceOf('Junichiro_Koizumi/Junichiro_Koizumi_0001.jpg'), identity: 'Junichiro Koizumi', source: 'import' },
        ].sort((a, b) => a.faceId - b.faceId),
      );
      expect((await engine.call('identities/list', {})).map((i) => i.name)).not.toContain('Nobody');

      // Without a header the first line is a row like any other.
      const headless = await engine.call('tags/import', {
        from: 'csv',
        csv: 'Colin_Powell/Colin_Powell_0002.jpg\nColin_Powell/Colin_Powell_0002.jpg,Colin Powell\n',
      });
      expect(headless).toEqual({
        labels: 1,
        tagged: 1,
        identities: 1,
        skipped: [{ path: 'Colin_Powell/Colin_Powell_0002.jpg', reason: 'line 1: expected path,identity' }],
      });
    });

    it('rejects a CSV with no usable row, naming the csv field, and writes nothing', async () => {
      const { engine, catalog } = await openCopy();
      const before = counts(catalog);
      const csv = 'path,identity\nonly-a-path\n,Nobody\n';
      await expect(engine.call('tags/import', { from: 'csv', csv })).rejects.toMatchObject({ name: 'ParamError', field: 'csv' });
      expect(counts(catalog)).toEqual(before);
    });
  });

  describe('identities', () => {
    it('are created once per name, whatever its case', async () => {
      const { engine } = await openCopy();
      const ada = await engine.call('identities/create', { name: '  Ada Lovelace ' });
      expect(ada).toMatchObject({ name: 'Ada Lovelace', faces: 0 });
      await expect(engine.call('identities/create', { name: 'ada lovelace' })).rejects.toThrow(EngineError);
      await expect(engine.call('identities/create', { name: 'ADA LOVELACE' })).rejects.toThrow(/exists already/);
      await expect(engine.call('identities/create', { name: '   ' })).rejects.toThrow(ContractError);
      expect(await engine.call('identities/list', {})).toEqual([{ id: ada.id, name: 'Ada Lovelace', faces: 0, coverFaceId: null }]);
    });

    it('are renamed, but not to the name of another one', async () => {
      const { engine } = await openCopy();
      const ada = await engine.call('identities/create', { name: 'Ada' });
      const grace = await engine.call('identities/create', { name: 'Grace' });
      expect(await engine.call('identities/rename', { id: ada.id, name: 'Ada Lovelace' })).toEqual([
        { id: ada.id, name: 'Ada Lovelace', faces: 0, coverFaceId: null },
        { id: grace.id, name: 'Grace', faces: 0, coverFaceId: null },
      ]);
      // A change of case of its own name is a rename, not a clash.
      await engine.call('identities/rename', { id: grace.id, name: 'GRACE' });
      await expect(engine.call('identities/rename', { id: grace.id, name: 'ada lovelace' })).rejects.toThrow(/exists already/);
      await expect(engine.call('identities/rename', { id: 9999, name: 'Nobody' })).rejects.toThrow(/no identity with id 9999/);
      expect((await engine.call('identities/list', {})).map((i) => i.name)).toEqual(['Ada Lovelace', 'GRACE']);
    });

    it('merge: every tag moves to the target and the source is deleted', async () => {
      const { engine, catalog } = await openCopy();
      await engine.call('tags/import', { from: 'folders' });
      const byName = new Map((await engine.call('identities/list', {})).map((i) => [i.name, i]));
      const powell = byName.get('Colin_Powell')!;
      const bush = byName.get('George_W_Bush')!;
      const powellFaces = tagRows(catalog)
        .filter((t) => t.identity === 'Colin_Powell')
        .map((t) => t.faceId);

      const after = await engine.call('identities/merge', { from: powell.id, into: bush.id });
      expect(after.map((i) => i.name)).toEqual(['George_W_Bush', 'Hugo_Chavez', 'Junichiro_Koizumi']);
      expect(after.find((i) => i.id === bush.id)!.faces).toBe(bush.faces + powell.faces);
      for (const faceId of powellFaces) expect(tagRows(catalog).find((t) => t.faceId === faceId)).toMatchObject({ identity: 'George_W_Bush' });
      expect(counts(catalog)).toMatchObject({ identities: 3, tags: PEOPLE_PHOTOS.length });
      await expect(engine.call('identities/merge', { from: powell.id, into: bush.id })).rejects.toThrow(/no identity/);
    });

    it('delete: its tags go, the faces stay', async () => {
      const { engine, catalog } = await openCopy();
      await engine.call('tags/import', { from: 'folders' });
      const before = counts(catalog);
      const chavez = (await engine.call('identities/list', {})).find((i) => i.name === 'Hugo_Chavez')!;
      const list = await engine.call('identities/delete', { id: chavez.id });
      expect(list.map((i) => i.name)).toEqual(['Colin_Powell', 'George_W_Bush', 'Junichiro_Koizumi']);
      expect(counts(catalog)).toEqual({ faces: before.faces, identities: 3, tags: before.tags - chavez.faces });
      expect(tagRows(catalog).filter((t) => folderOf(t.path) === 'Hugo_Chavez')).toEqual([]);
      await expect(engine.call('identities/delete', { id: chavez.id })).rejects.toThrow(/no identity/);
    });

    it('tagging an unknown face fails as a whole: nothing is written', async () => {
      const { engine, catalog } = await openCopy();
      const ada = await engine.call('identities/create', { name: 'Ada' });
      const known = faceOf('Colin_Powell/Colin_Powell_0002.jpg');
      const unknown = Math.max(...faces.map((f) => f.id)) + 100;
      await expect(engine.call('faces/tag', { faceIds: [known, unknown], identityId: ada.id })).rejects.toThrow(new RegExp(`no face with id ${unknown}`));
      expect(tagRows(catalog)).toEqual([]);
      await expect(engine.call('faces/tag', { faceIds: [known], identityId: ada.id + 100 })).rejects.toThrow(/no identity/);
      await expect(engine.call('faces/tag', { faceIds: [], identityId: ada.id })).rejects.toThrow(ContractError);
      expect(tagRows(catalog)).toEqual([]);
    });

    it('tags and untags faces by hand, moving a tag from one identity to another', async () => {
      const { engine, catalog } = await openCopy();
      const ada = await engine.call('identities/create', { name: 'Ada' });
      const grace = await engine.call('identities/create', { name: 'Grace' });
      const [a, b] = [faceOf('Colin_Powell/Colin_Powell_0002.jpg'), faceOf('Colin_Powell/Colin_Powell_0003.jpg')];
      await engine.call('faces/tag', { faceIds: [a, b], identityId: ada.id });
      await engine.call('faces/tag', { faceIds: [b], identityId: grace.id });
      expect(tagRows(catalog).map(({ faceId, identity, source }) => ({ faceId, identity, source }))).toEqual([
        { faceId: a, identity: 'Ada', source: 'user' },
        { faceId: b, identity: 'Grace', source: 'user' },
      ]);
      await engine.call('faces/untag', { faceIds: [a] });
      expect(tagRows(catalog).map((t) => t.faceId)).toEqual([b]);
      expect((await engine.call('identities/list', {})).map(({ name, faces }) => ({ name, faces }))).toEqual([
        { name: 'Ada', faces: 0 },
        { name: 'Grace', faces: 1 },
      ]);
    });
  });

  it('keeps every tag on the same face ids when the photos are analysed again', async () => {
    // Analysis is the slow part, so only three photos (the composite among them) are re-analysed:
    // the library is reopened at a folder holding just those, and the other photos go missing,
    // which must not cost them their tags either.
    const again = [COMPOSITE.path, 'Colin_Powell/Colin_Powell_0001.jpg', 'Hugo_Chavez/Hugo_Chavez_0002.jpg'];
    const root = join(tempDir('facet-reanalyse-'), 'photos');
    for (const path of again) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      cpSync(join(base.root, path), join(root, path), { preserveTimestamps: true });
    }
    const { engine, catalog } = await openCopy(root);
    await engine.call('tags/import', { from: 'folders' });
    const { bystander } = compositeFaces();
    const powell = (await engine.call('identities/list', {})).find((i) => i.name === 'Colin_Powell')!;
    await engine.call('faces/tag', { faceIds: [bystander.id], identityId: powell.id });
    const tags = tagRows(catalog);
    expect(tags).toHaveLength(PEOPLE_PHOTOS.length + 1);
    const facesBefore = facesWithPaths(catalog);

    const summary = await scanLibrary(engine, { reanalyse: true });
    expect(summary).toMatchObject({ state: 'done', analysed: again.length, missing: PEOPLE_PHOTOS.length - again.length, failed: [] });
    expect(tagRows(catalog)).toEqual(tags);
    // Found again at the same places: same ids, none set aside as missed, none added.
    expect(facesWithPaths(catalog).map(({ id, path, missed }) => ({ id, path, missed }))).toEqual(
      facesBefore.map(({ id, path, missed }) => ({ id, path, missed })),
    );
    expect(await engine.call('library/stats', {})).toMatchObject({ taggedFaces: PEOPLE_PHOTOS.length + 1, identities: 4 });
  });
});
