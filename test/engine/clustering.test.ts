// Tests clustering runs through the engine on a scanned, folder-tagged LFW library: metrics, reproducibility, bad parameters, algorithms, delete, export, 2-D maps and feature signals.
import { afterEach, beforeAll, expect, it } from 'vitest';
import { ContractError, type Request, type RunReport } from '../../src/shared/contract.ts';
import { FEATURE_NAMES, LEARNED_FEATURES } from '../../src/core/features.ts';
import { DEFAULT_QUALITY_GATES } from '../../src/core/quality.ts';
import { reportText } from '../../src/cli/report.ts';
import { Engine } from '../../src/engine/engine.ts';
import { withCatalog } from '../helpers/library.ts';
import { COMPOSITE, copyCatalog, facesWithPaths, offCentre, PEOPLE_PHOTOS, scanPeopleLibrary } from '../helpers/people-library.ts';
import { describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

function count(file: string, sql: string, ...params: unknown[]): number {
  return withCatalog(file, (db) => (db.prepare(sql).get(...params) as { n: number }).n, { readonly: true });
}

const allFinite = (values: readonly number[]) => values.every((v) => Number.isFinite(v));

describeWithData('clustering runs', () => {
  /** The library scanned and tagged from its folders once; every test works on its own copy of the catalog. */
  let base: { root: string; catalog: string };
  /** Faces that fail the default quality gates (landmark features apply them all), counted here in SQL from the documented thresholds. */
  let failingGates: number;
  /** Faces whose detection score fails its gate, the one gate a run on the descriptor alone applies. */
  let failingScore: number;
  let allFaces: number;
  const engines: Engine[] = [];

  beforeAll(async () => {
    base = await scanPeopleLibrary({ tagFromFolders: true });
    const g = DEFAULT_QUALITY_GATES;
    allFaces = count(base.catalog, 'SELECT count(*) AS n FROM faces WHERE missed_at IS NULL');
    failingGates = count(
      base.catalog,
      `SELECT count(*) AS n FROM faces WHERE missed_at IS NULL
         AND (score < ? OR size < ? OR coalesce(fit_residual, 0) > ? OR abs(coalesce(yaw, 0)) > ?)`,
      g.minScore,
      g.minSize,
      g.maxFitResidual,
      g.maxYaw,
    );
    failingScore = count(base.catalog, 'SELECT count(*) AS n FROM faces WHERE missed_at IS NULL AND score < ?', g.minScore);
  });

  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  async function openCopy(): Promise<{ engine: Engine; catalog: string }> {
    const catalog = copyCatalog(base.catalog);
    const engine = new Engine({ dataDir: tempDir('facet-data-') });
    engines.push(engine);
    await engine.openCatalogFile(catalog);
    return { engine, catalog };
  }

  function sizesOf(run: RunReport): number[] {
    return run.details.clusters.map((c) => c.size);
  }

  it('separates the four people perfectly with the default settings and k = 4', async () => {
    const { engine } = await openCopy();
    const run = await engine.call('runs/create', { k: 4 });
    expect(run.params).toEqual({ features: 'descriptor', k: 4, algorithm: 'kmeans', restarts: 10, seed: 1, includeFiltered: false });
    expect(run).toMatchObject({ k: 4, algorithm: 'kmeans', seed: 1, features: 'descriptor' });
    expect(run.details).toMatchObject({
      faces: allFaces - failingScore,
      filteredOut: failingScore,
      filteredOutBy: { score: failingScore },
      dimensions: 128,
      pca: null,
    });
    expect(sizesOf(run).reduce((a, b) => a + b, 0)).toBe(run.details.faces);
    expect(sizesOf(run).every((size) => size > 0)).toBe(true);
    // Four people with clearly different faces: the descriptor puts each in a cluster of its own.
    expect(run.metrics.identities).toBe(4);
    expect(run.metrics.cohesion.weighted).toBe(1);
    expect(run.metrics.cohesion.mean).toBe(1);
    expect(run.metrics.cohesion.perIdentity.map((p) => p.share)).toEqual([1, 1, 1, 1]);
    expect(new Set(run.metrics.cohesion.perIdentity.map((p) => p.cluster)).size).toBe(4);
    expect(run.metrics.ari).toBeCloseTo(1, 12);
    expect(run.metrics.pairwise).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(run.metrics.speedup).toBeGreaterThan(1);

    // Stored as returned.
    expect(await engine.call('runs/get', { id: run.id })).toEqual(run);
    expect(await engine.call('runs/get', {})).toEqual(run);
    const [summary] = await engine.call('runs/list', {});
    expect(summary).toMatchObject({ id: run.id, faces: run.details.faces, headline: { cohesion: 1, taggedFaces: run.metrics.taggedFaces } });
    const assignments = await engine.call('runs/assignments', { id: run.id });
    expect(assignments).toHaveLength(run.details.faces);
    for (const a of assignments) expect(a.cluster >= 0 && a.cluster < 4 && Number.isFinite(a.distance) && a.distance >= 0, JSON.stringify(a)).toBe(true);
  });

  it('makes the same clusters again from the same seed and the stored parameters', async () => {
    const { engine } = await openCopy();
    const first = await engine.call('runs/create', { k: 4, seed: 7, restarts: 3, features: 'descriptor:1,ratios:0.5' });
    const stored = (await engine.call('runs/get', { id: first.id })).params;
    expect(stored).toEqual({ features: 'descriptor:1,ratios:0.5', k: 4, algorithm: 'kmeans', restarts: 3, seed: 7, includeFiltered: false });
    // The stored parameters are a valid request as they are.
    const again = await engine.call('runs/create', stored);
    expect(again.id).not.toBe(first.id);
    expect(again.params).toEqual(stored);
    expect(await engine.call('runs/assignments', { id: again.id })).toEqual(await engine.call('runs/assignments', { id: first.id }));
    expect(again.metrics).toEqual(first.metrics);
  });

  it('refuses more clusters than faces, and stores no run', async () => {
    const { engine, catalog } = await openCopy();
    await engine.call('runs/create', { k: 4 });
    const runs = (await engine.call('runs/list', {})).length;
    const assignments = count(catalog, 'SELECT count(*) AS n FROM assignments');
    const tooMany = allFaces - failingGates + 1;
    await expect(engine.call('runs/create', { k: tooMany, features: 'landmarks' })).rejects.toMatchObject({
      name: 'ParamError',
      field: 'k',
      message: expect.stringMatching(new RegExp(`${tooMany} clusters asked for, but only ${tooMany - 1} faces`)),
    });
    expect((await engine.call('runs/list', {})).length).toBe(runs);
    expect(count(catalog, 'SELECT count(*) AS n FROM runs')).toBe(runs);
    expect(count(catalog, 'SELECT count(*) AS n FROM assignments')).toBe(assignments);
    // The limit counts the faces the run would cluster: with the filtered ones included there are enough.
    expect((await engine.call('runs/create', { k: tooMany, features: 'landmarks', includeFiltered: true, restarts: 1 })).k).toBe(tooMany);
  });

  it('rejects bad parameters, naming the field, before clustering anything', async () => {
    const { engine, catalog } = await openCopy();
    const bad: [Request<'runs/create'>, Record<string, unknown>][] = [
      [{ k: 0 }, { name: 'ContractError', field: 'k' }],
      [{ k: 2.5 }, { name: 'ContractError', field: 'k' }],
      [
        { k: 4, pca: { varianceShare: 1.5 } },
        { name: 'ContractError', field: expect.stringMatching(/^pca/) },
      ],
      [
        { k: 4, pca: { components: 0 } },
        { name: 'ContractError', field: expect.stringMatching(/^pca/) },
      ],
      [
        { k: 4, algorithm: 'dbscan' as 'kmeans' },
        { name: 'ContractError', field: 'algorithm' },
      ],
      [
        { k: 4, features: 'nose' },
        { name: 'ParamError', field: 'features', message: expect.stringMatching(/"nose"[\s\S]*descriptor/) },
      ],
      [
        { k: 4, features: 'descriptor:-1' },
        { name: 'ParamError', field: 'features' },
      ],
      [
        { k: 4, features: 'descriptor,descriptor' },
        { name: 'ParamError', field: 'features' },
      ],
    ];
    for (const [params, error] of bad) await expect(engine.call('runs/create', params), JSON.stringify(params)).rejects.toMatchObject(error);
    await expect(engine.call('runs/create', { k: 0 })).rejects.toBeInstanceOf(ContractError);
    expect(await engine.call('runs/list', {})).toEqual([]);
    expect(count(catalog, 'SELECT count(*) AS n FROM assignments')).toBe(0);
  });

  it('reduces with PCA first when asked', async () => {
    const { engine } = await openCopy();
    const run = await engine.call('runs/create', { k: 4, pca: { components: 5 } });
    expect(run.params.pca).toEqual({ components: 5 });
    expect(run.details.dimensions).toBe(5);
    expect(run.details.pca!.components).toBe(5);
    const curve = run.details.pca!.explainedVarianceRatio;
    expect(curve.length).toBeGreaterThanOrEqual(5);
    expect(allFinite(curve)).toBe(true);
    for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeLessThanOrEqual(curve[i - 1] + 1e-12);
    expect(curve.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);

    const share = await engine.call('runs/create', { k: 4, pca: { varianceShare: 0.9 } });
    const kept = share.details.pca!.components;
    expect(share.details.dimensions).toBe(kept);
    // The fewest leading components that reach 90 % of the variance.
    const cumulative = (n: number) => share.details.pca!.explainedVarianceRatio.slice(0, n).reduce((a, b) => a + b, 0);
    expect(cumulative(kept)).toBeGreaterThanOrEqual(0.9 - 1e-9);
    expect(cumulative(kept - 1)).toBeLessThan(0.9);
  });

  it('clusters with a Gaussian mixture: the four people apart, and a likelihood and BIC that favour four components over one', async () => {
    const { engine } = await openCopy();
    const run = await engine.call('runs/create', { k: 4, algorithm: 'gmm' });
    const one = await engine.call('runs/create', { k: 1, algorithm: 'gmm' });
    expect(run).toMatchObject({ k: 4, algorithm: 'gmm' });
    expect(sizesOf(run).reduce((a, b) => a + b, 0)).toBe(run.details.faces);
    expect(run.metrics.ari).toBeCloseTo(1, 12);
    expect(run.details.logLikelihood!).toBeGreaterThan(one.details.logLikelihood!);
    expect(run.details.bic!).toBeLessThan(one.details.bic!);
    expect(allFinite((await engine.call('runs/assignments', { id: run.id })).map((a) => a.distance))).toBe(true);
  });

  it('suggests the number of people by threshold clustering', async () => {
    const { engine } = await openCopy();
    const run = await engine.call('runs/create', { k: 4, algorithm: 'threshold' });
    expect(run.algorithm).toBe('threshold');
    expect(run.k).toBeGreaterThanOrEqual(2);
    expect(run.details.clusters).toHaveLength(run.k);
    expect(sizesOf(run).every((size) => size > 0)).toBe(true);
    const assignments = await engine.call('runs/assignments', { id: run.id });
    expect(new Set(assignments.map((a) => a.cluster)).size).toBe(run.k);
    expect(allFinite(assignments.map((a) => a.distance))).toBe(true);
    // No cut joins two of these people: every cluster holds at most one person's tagged faces.
    expect(run.metrics.pairwise.precision).toBe(1);
    // The cut came from somewhere and is kept among the parameters, so that they recreate the run.
    expect(run.cut).toEqual({ value: expect.any(Number), source: expect.stringMatching(/^(tags|default)$/), detail: expect.any(String) });
    expect(run.params.threshold).toBe(run.cut!.value);
    expect(run.details.cut).toEqual(run.cut);
    expect((await engine.call('runs/list', {})).find((r) => r.id === run.id)?.cut).toEqual(run.cut);
  });

  it('clusters a weighted concatenation of feature blocks, each block counting as much as its weight says', async () => {
    const { engine } = await openCopy();
    const run = await engine.call('runs/create', { k: 4, features: 'descriptor:1,landmarks-aligned:0.5' });
    expect(run.features).toBe('descriptor:1,landmarks-aligned:0.5');
    // 128 descriptor numbers and 68 aligned points.
    expect(run.details.dimensions).toBe(128 + 136);
    expect(sizesOf(run).reduce((a, b) => a + b, 0)).toBe(run.details.faces);
    // The same blocks with the weights the other way round: the geometry, which carries little identity, now leads.
    const geometryFirst = await engine.call('runs/create', { k: 4, features: 'descriptor:0.5,landmarks-aligned:1' });
    expect(run.metrics.ari).toBeGreaterThan(geometryFirst.metrics.ari);
  });

  it('deletes a run with its assignments and maps, and no face, tag or other run', async () => {
    const { engine, catalog } = await openCopy();
    const kept = await engine.call('runs/create', { k: 4 });
    const gone = await engine.call('runs/create', { k: 3 });
    await engine.call('runs/projection', { id: gone.id, method: 'pca' });
    const faces = count(catalog, 'SELECT count(*) AS n FROM faces');
    const tags = count(catalog, 'SELECT count(*) AS n FROM face_identities');
    const keptAssignments = await engine.call('runs/assignments', { id: kept.id });

    expect(await engine.call('runs/delete', { id: gone.id })).toEqual({ deleted: 1 });
    expect((await engine.call('runs/list', {})).map((r) => r.id)).toEqual([kept.id]);
    await expect(engine.call('runs/get', { id: gone.id })).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(engine.call('runs/assignments', { id: gone.id })).rejects.toThrow(new RegExp(`no run with id ${gone.id}`));
    await expect(engine.call('runs/delete', { id: gone.id })).rejects.toThrow(/no run/);
    expect(count(catalog, 'SELECT count(*) AS n FROM assignments WHERE run_id = ?', gone.id)).toBe(0);
    expect(count(catalog, 'SELECT count(*) AS n FROM projections WHERE run_id = ?', gone.id)).toBe(0);
    expect(count(catalog, 'SELECT count(*) AS n FROM faces')).toBe(faces);
    expect(count(catalog, 'SELECT count(*) AS n FROM face_identities')).toBe(tags);
    expect(await engine.call('runs/assignments', { id: kept.id })).toEqual(keptAssignments);
  });

  it('exports one row per clustered face: photo, box, tag, cluster and distance', async () => {
    const { engine, catalog } = await openCopy();
    const run = await engine.call('runs/create', { k: 4 });
    const rows = await engine.call('runs/export', { id: run.id });
    const assignments = await engine.call('runs/assignments', { id: run.id });
    expect(rows).toHaveLength(run.details.faces);
    expect(rows.map(({ faceId, cluster, distance }) => ({ faceId, cluster, distance }))).toEqual(assignments);

    const faces = new Map(facesWithPaths(catalog).map((f) => [f.id, f]));
    const bystander = [...faces.values()]
      .filter((f) => f.path === COMPOSITE.path)
      .sort((a, b) => offCentre(b.box, COMPOSITE.width, COMPOSITE.height) - offCentre(a.box, COMPOSITE.width, COMPOSITE.height))[0];
    for (const row of rows) {
      const face = faces.get(row.faceId)!;
      expect(PEOPLE_PHOTOS).toContain(row.photo);
      expect(row.photo).toBe(face.path);
      expect(row.box).toHaveLength(4);
      expect(allFinite(row.box)).toBe(true);
      const [x, y, w, h] = row.box;
      expect(Math.abs(x - face.box.x) <= 0.051 && Math.abs(y - face.box.y) <= 0.051 && w > 0 && h > 0, JSON.stringify(row)).toBe(true);
      // Tagged faces carry their folder's name; the composite's bystander was never tagged.
      expect(row.identity, row.photo).toBe(row.faceId === bystander.id ? null : row.photo.split('/')[0]);
    }
    expect(rows.some((r) => r.faceId === bystander.id)).toBe(true);
    await expect(engine.call('runs/export', { id: run.id + 1 })).rejects.toThrow(/no run/);
  });

  it('leaves out of landmark runs the faces that fail the quality gates unless asked to include them; the descriptor keeps them', async () => {
    const { engine } = await openCopy();
    const gated = await engine.call('runs/create', { k: 4, features: 'landmarks' });
    const all = await engine.call('runs/create', { k: 4, features: 'landmarks', includeFiltered: true });
    expect(gated.details).toMatchObject({ faces: allFaces - failingGates, filteredOut: failingGates });
    expect(Object.keys(gated.details.filteredOutBy!)).toEqual(['score', 'size', 'residual', 'yaw']);
    expect(all.details).toMatchObject({ faces: allFaces, filteredOut: 0 });
    expect(all.params.includeFiltered).toBe(true);
    expect(await engine.call('runs/export', { id: all.id })).toHaveLength(allFaces);
    // This library has faces that fail the gates (a turned head, misplaced landmarks), so the option is exercised.
    expect(failingGates).toBeGreaterThan(failingScore);
    // Mixed features read the landmarks too, so they keep the landmark gates.
    expect((await engine.call('runs/create', { k: 4, features: 'descriptor:1,ratios:0.5' })).details.faces).toBe(allFaces - failingGates);
    // The descriptor alone holds up on those faces, which stay matchable.
    const byDescriptor = await engine.call('runs/create', { k: 4 });
    expect(byDescriptor.details).toMatchObject({
      faces: allFaces - failingScore,
      filteredOutBy: { score: failingScore },
      placedOnly: failingGates - failingScore,
    });
    expect(gated.details.placedOnly).toBe(0);
    // Threshold clustering groups every face it keeps: none is placed only.
    expect((await engine.call('runs/create', { algorithm: 'threshold' })).details).toMatchObject({ faces: allFaces - failingScore, placedOnly: 0 });
  });

  it('clusters on landmarks learned from the tags once four people have four tagged faces each', async () => {
    const { engine } = await openCopy();
    // Every face counts: four people of four tagged photos each.
    const run = await engine.call('runs/create', { k: 4, features: 'landmarks-wccn', includeFiltered: true });
    expect(run.details).toMatchObject({ faces: allFaces, dimensions: 136, learnedFromTags: true });
    expect(run.metrics.taggedFaces).toBeGreaterThanOrEqual(16);
    // Its figures are scored on the tags it learned from, and the report says so.
    expect(reportText(run)).toMatch(/Scored on the tagged faces its features learned from: expect less on people not tagged yet/);
    const byDescriptor = await engine.call('runs/create', { k: 4 });
    expect(byDescriptor.details.learnedFromTags).toBeUndefined();
    expect(reportText(byDescriptor)).not.toMatch(/Scored on the tagged faces/);
    expect(Number.isFinite(run.metrics.ari)).toBe(true);
    const map = await engine.call('runs/projection', { id: run.id, method: 'pca' });
    expect(map.faceIds).toHaveLength(allFaces);
  });

  it('maps a run in 2-D with PCA and t-SNE, one finite point per face, and caches each map', async () => {
    const { engine, catalog } = await openCopy();
    const run = await engine.call('runs/create', { k: 4 });
    const faceIds = (await engine.call('runs/assignments', { id: run.id })).map((a) => a.faceId);
    for (const method of ['pca', 'tsne'] as const) {
      const map = await engine.call('runs/projection', { id: run.id, method });
      expect(map).toMatchObject({ runId: run.id, method });
      expect([...map.faceIds].sort((a, b) => a - b)).toEqual(faceIds);
      expect(map.coords).toHaveLength(2 * faceIds.length);
      expect(allFinite(map.coords), method).toBe(true);
      // Not collapsed onto one point.
      const xs = map.coords.filter((_, i) => i % 2 === 0);
      expect(Math.max(...xs) - Math.min(...xs), method).toBeGreaterThan(0);
      expect(count(catalog, 'SELECT count(*) AS n FROM projections WHERE run_id = ? AND method = ?', run.id, `${method}:1`)).toBe(1);
      expect(await engine.call('runs/projection', { id: run.id, method })).toEqual(map);
    }
    // The second answer came from the stored map: a map written into the cache by hand is what comes back.
    const marked = Float32Array.from({ length: 2 * faceIds.length }, (_, i) => i + 0.5);
    withCatalog(catalog, (db) =>
      db.prepare('UPDATE projections SET coords = ? WHERE run_id = ? AND method = ?').run(Buffer.from(marked.buffer), run.id, 'tsne:1'),
    );
    expect((await engine.call('runs/projection', { id: run.id, method: 'tsne' })).coords).toEqual(Array.from(marked));
    // Another seed is another map.
    const reseeded = await engine.call('runs/projection', { id: run.id, method: 'tsne', seed: 2 });
    expect(reseeded.coords).not.toEqual(Array.from(marked));
    expect(count(catalog, 'SELECT count(*) AS n FROM projections WHERE run_id = ?', run.id)).toBe(3);
  });

  it('refuses a map of a run that does not exist', async () => {
    const { engine } = await openCopy();
    await expect(engine.call('runs/projection', { id: 4242, method: 'pca' })).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(/no run with id 4242/),
    });
    await expect(engine.call('runs/projection', { id: 1, method: 'mds' as 'pca' })).rejects.toBeInstanceOf(ContractError);
  });

  it('says which features carry identity: the descriptor does here', async () => {
    const { engine } = await openCopy();
    const signals = await engine.call('features/identity-signal', {});
    // Blocks learned from the tags are left out: their signal, scored on the tags they learned from, would be a leak.
    expect(signals.map((s) => s.feature)).toEqual(FEATURE_NAMES.filter((f) => !LEARNED_FEATURES.includes(f)));
    for (const s of signals) {
      expect(s.chance, s.feature).toBeGreaterThanOrEqual(0);
      expect(s.chance, s.feature).toBeLessThanOrEqual(1);
      expect(s.nearestSameIdentity, s.feature).toBeGreaterThanOrEqual(0);
      expect(s.nearestSameIdentity, s.feature).toBeLessThanOrEqual(1);
      expect(['carries identity', 'weak identity signal', 'little or no identity']).toContain(s.verdict);
    }
    expect(signals.find((s) => s.feature === 'descriptor')).toMatchObject({ nearestSameIdentity: 1, lift: 1, verdict: 'carries identity' });

    // Chance is the share of same-person pairs among the tagged faces that pass the gates the feature needs.
    for (const s of signals) {
      const run = await engine.call('runs/create', { k: 4, features: s.feature });
      const sizes = new Map<string, number>();
      for (const row of await engine.call('runs/export', { id: run.id }))
        if (row.identity !== null) sizes.set(row.identity, (sizes.get(row.identity) ?? 0) + 1);
      const n = [...sizes.values()].reduce((a, b) => a + b, 0);
      const chance = [...sizes.values()].reduce((sum, a) => sum + a * (a - 1), 0) / (n * (n - 1));
      expect(s.chance, s.feature).toBeCloseTo(chance, 12);
    }
    const chanceOf = (feature: string) => signals.find((s) => s.feature === feature)!.chance;
    expect(chanceOf('descriptor')).not.toBeCloseTo(chanceOf('landmarks'), 12);
  });
});
