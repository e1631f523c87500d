// Tests the analysis reads of runs on a hand-made catalog: map colouring arrays, cluster summaries, two runs compared, and the PCA curve before a run.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { buildSyntheticCatalog, type SyntheticPhoto } from '../helpers/synthetic-catalog.ts';
import { withCatalog } from '../helpers/library.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/**
 * Three groups of descriptors far apart: around 0° (a1–a4 and the untagged u1), around 120° (b1–b3, plus
 * a5, Ada's face that looks like Bob), around 240° (c1, c2, and g1, whose detection score fails the gate every
 * run applies). Ada is tagged on a1–a3 and a5, Bob on b1–b3; c1 is on a photo that later goes missing.
 */
const PHOTOS: SyntheticPhoto[] = [
  {
    path: 'ada/1.jpg',
    faces: [
      { name: 'a1', x: 10, descriptor: 0, yaw: 5 },
      { name: 'u1', x: 300, descriptor: 5, yaw: -12 },
    ],
  },
  {
    path: 'ada/2.jpg',
    faces: [
      { name: 'a2', x: 10, descriptor: 2 },
      { name: 'a3', x: 300, descriptor: -2 },
    ],
  },
  {
    path: 'ada/3.jpg',
    faces: [
      { name: 'a4', x: 10, descriptor: 1 },
      { name: 'a5', x: 300, descriptor: 121 },
    ],
  },
  {
    path: 'bob/1.jpg',
    faces: [
      { name: 'b1', x: 10, descriptor: 120 },
      { name: 'b2', x: 300, descriptor: 118 },
    ],
  },
  { path: 'bob/2.jpg', faces: [{ name: 'b3', x: 10, descriptor: 123 }] },
  {
    path: 'other/1.jpg',
    faces: [
      { name: 'c2', x: 10, descriptor: 241 },
      { name: 'g1', x: 300, descriptor: 238, score: 0.3 },
    ],
  },
  { path: 'other/2.jpg', faces: [{ name: 'c1', x: 10, descriptor: 240 }] },
];

describe('run analysis', () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  async function open() {
    const built = buildSyntheticCatalog(PHOTOS);
    const engine = new Engine({ dataDir: tempDir('facet-data-') });
    engines.push(engine);
    await engine.openCatalogFile(built.catalog, built.root);
    const id = built.faceIds;
    const ada = await engine.call('identities/create', { name: 'Ada' });
    const bob = await engine.call('identities/create', { name: 'Bob' });
    await engine.call('faces/tag', { faceIds: [id.a1, id.a2, id.a3, id.a5], identityId: ada.id });
    await engine.call('faces/tag', { faceIds: [id.b1, id.b2, id.b3], identityId: bob.id });
    return { engine, id, ada, bob, catalog: built.catalog };
  }

  async function clusterOf(engine: Engine, runId: number) {
    const assignments = await engine.call('runs/assignments', { id: runId });
    return (faceId: number) => assignments.find((a) => a.faceId === faceId)!.cluster;
  }

  it('colours a map: cluster, tag as it is now, yaw and first failing gate, in the order of faceIds', async () => {
    const { engine, id, ada, catalog } = await open();
    const run = await engine.call('runs/create', { k: 3, includeFiltered: true });
    const cluster = await clusterOf(engine, run.id);
    const map = await engine.call('runs/projection', { id: run.id, method: 'pca' });
    expect([...map.faceIds].sort((a, b) => a - b)).toEqual(Object.values(id).sort((a, b) => a - b));
    for (const array of [map.clusters, map.identityIds, map.yaw, map.gates]) expect(array).toHaveLength(map.faceIds.length);
    expect(map.coords).toHaveLength(2 * map.faceIds.length);
    const at = (name: string) => map.faceIds.indexOf(id[name]);
    map.faceIds.forEach((faceId, i) => expect(map.clusters[i]).toBe(cluster(faceId)));
    expect(map.identityIds[at('a1')]).toBe(ada.id);
    expect(map.identityIds[at('u1')]).toBeNull();
    expect(map.yaw[at('a1')]).toBe(5);
    expect(map.yaw[at('u1')]).toBe(-12);
    expect(map.gates[at('g1')]).toBe('score');
    expect(map.gates[at('a1')]).toBeNull();

    // Cached coordinates, fresh colours: a new tag shows at once; a face whose photo went missing is left out.
    await engine.call('faces/tag', { faceIds: [id.u1], identityId: ada.id });
    const photoOf = (await engine.call('faces/list', { limit: 1000 })).faces.find((f) => f.id === id.c1)!.photoId;
    withCatalog(catalog, (db) => db.prepare("UPDATE photos SET state = 'missing' WHERE id = ?").run(photoOf));
    const again = await engine.call('runs/projection', { id: run.id, method: 'pca' });
    expect(again.identityIds[again.faceIds.indexOf(id.u1)]).toBe(ada.id);
    expect(again.faceIds).not.toContain(id.c1);
    const kept = map.faceIds.map((f, i) => [f, i] as const).filter(([f]) => f !== id.c1);
    expect(again.coords).toEqual(kept.flatMap(([, i]) => [map.coords[2 * i], map.coords[2 * i + 1]]));
  });

  it('summarises each cluster: size, people, majority, purity, mixing and sample faces', async () => {
    const { engine, id, ada, bob, catalog } = await open();
    const run = await engine.call('runs/create', { k: 3 });
    const cluster = await clusterOf(engine, run.id);
    const summaries = await engine.call('runs/clusters', { id: run.id, samples: 2 });
    expect(summaries.map((s) => s.cluster)).toEqual([0, 1, 2]);
    const of = (face: string) => summaries.find((s) => s.cluster === cluster(id[face]))!;
    // Around 0°: a1–a4 (Ada, three tagged) and u1; the centre is at 1.2°: a4 (1°) and a2 (2°) nearest, u1 (5°) and a3 (−2°) farthest.
    expect(of('a1')).toEqual({
      cluster: cluster(id.a1),
      size: 5,
      tagged: 3,
      identities: 1,
      majority: { identityId: ada.id, name: 'Ada', faces: 3 },
      purity: 1,
      mixing: 0,
      nearest: [id.a4, id.a2],
      farthest: [id.u1, id.a3],
    });
    // Around 120°: Bob's three and Ada's a5.
    const mixed = of('b1');
    expect(mixed).toMatchObject({ size: 4, tagged: 4, identities: 2, majority: { identityId: bob.id, name: 'Bob', faces: 3 }, purity: 0.75 });
    expect(mixed.mixing).toBeCloseTo((-(3 / 4) * Math.log(3 / 4) - (1 / 4) * Math.log(1 / 4)) / Math.log(2), 12);
    // Around 240°: nobody tagged (g1 failed the score gate and was not clustered).
    expect(of('c1')).toMatchObject({ size: 2, tagged: 0, identities: 0, majority: null, purity: null, mixing: null });

    // c1's photo goes missing: it is left out.
    const photoOf = (await engine.call('faces/list', { limit: 1000 })).faces.find((f) => f.id === id.c1)!.photoId;
    withCatalog(catalog, (db) => db.prepare("UPDATE photos SET state = 'missing' WHERE id = ?").run(photoOf));
    const after = await engine.call('runs/clusters', { id: run.id, samples: 8 });
    expect(after.find((s) => s.cluster === cluster(id.c2))).toMatchObject({ size: 1, nearest: [id.c2], farthest: [id.c2] });
    await expect(engine.call('runs/clusters', { id: 99, samples: 8 })).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('compares two runs: the cluster × cluster table over shared faces, ARI and NMI', async () => {
    const { engine, id } = await open();
    const three = await engine.call('runs/create', { k: 3 });
    const withFiltered = await engine.call('runs/create', { k: 2, includeFiltered: true, seed: 3 });
    const a = await engine.call('runs/assignments', { id: three.id });
    const b = new Map((await engine.call('runs/assignments', { id: withFiltered.id })).map((x) => [x.faceId, x.cluster]));
    const comparison = await engine.call('runs/compare', { a: three.id, b: withFiltered.id });
    expect(comparison.a).toEqual((await engine.call('runs/list', {}))[0]);
    expect(comparison.b.id).toBe(withFiltered.id);
    // g1 is only in the second run.
    expect(comparison.sharedFaces).toBe(a.length);
    expect(b.has(id.g1) && !a.some((x) => x.faceId === id.g1)).toBe(true);
    const { aClusters, bClusters, counts } = comparison.table;
    expect(aClusters).toEqual([0, 1, 2]);
    expect(bClusters).toEqual([...new Set(a.map((x) => b.get(x.faceId)!))].sort());
    for (const [i, ca] of aClusters.entries())
      for (const [j, cb] of bClusters.entries()) expect(counts[i][j]).toBe(a.filter((x) => x.cluster === ca && b.get(x.faceId) === cb).length);
    // Two clusters cannot hold three groups: the partitions agree in part.
    expect(comparison.ari).toBeGreaterThan(0);
    expect(comparison.ari).toBeLessThan(1);

    const self = await engine.call('runs/compare', { a: three.id, b: three.id });
    expect(self).toMatchObject({ ari: 1, nmi: 1, sharedFaces: a.length });
    expect(self.table.counts).toEqual(aClusters.map((_, i) => aClusters.map((__, j) => (i === j ? a.filter((x) => x.cluster === i).length : 0))));
    await expect(engine.call('runs/compare', { a: three.id, b: 77 })).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(/no run with id 77/),
    });
  });

  it('refuses landmarks learned from tags while too few faces are tagged, naming what to tag, and stores no run', async () => {
    const { engine } = await open();
    // Ada has four tagged faces, Bob three: one person of the four it needs.
    const refusal = {
      name: 'ParamError',
      field: 'features',
      message: expect.stringMatching(/tag at least 4 faces each of at least 4 people \(1 person has that many now\)/),
    };
    await expect(engine.call('runs/create', { k: 2, features: 'landmarks-wccn' })).rejects.toMatchObject(refusal);
    await expect(engine.call('runs/create', { k: 2, features: 'descriptor:1,landmarks-wccn:0.5' })).rejects.toMatchObject(refusal);
    await expect(engine.call('features/variance', { features: 'landmarks-wccn' })).rejects.toMatchObject(refusal);
    expect(await engine.call('runs/list', {})).toEqual([]);
  });

  it('gives the PCA curve of a feature set over the faces a run would cluster', async () => {
    const { engine, id } = await open();
    const curve = await engine.call('features/variance', {});
    // 12 faces but g1, left out by the score gate.
    expect(curve.faces).toBe(11);
    expect(curve.dimensions).toBe(128);
    expect(curve.explainedVarianceRatio).toHaveLength(128);
    expect(curve.explainedVarianceRatio.reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(1 + 1e-12);
    const run = await engine.call('runs/create', { k: 3, pca: { components: 2 } });
    expect(curve.explainedVarianceRatio).toEqual(run.details.pca!.explainedVarianceRatio);

    expect((await engine.call('features/variance', { includeFiltered: true })).faces).toBe(12);
    await engine.call('faces/mark', { faceIds: [id.u1], mark: 'ignore' });
    expect((await engine.call('features/variance', {})).faces).toBe(10);

    // A combination over 200 columns is cut to 200 shares, the same as fitPca's leading ones.
    const wide = await engine.call('features/variance', { features: 'descriptor,landmarks,ratios' });
    expect(wide.dimensions).toBeGreaterThan(200);
    expect(wide.explainedVarianceRatio).toHaveLength(200);
    expect(wide.explainedVarianceRatio.reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(1 + 1e-12);
    await expect(engine.call('features/variance', { features: 'nose' })).rejects.toMatchObject({ name: 'ParamError', field: 'features' });
  });
});
