// Tests the review reads and edits on a hand-made catalog: face filters and orders, folders, photo details, undo info, marks in runs, suggestions, groups, covers and tag preview.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { ContractError, type FaceSummary } from '../../src/shared/contract.ts';
import { DEFAULT_DESCRIPTOR_THRESHOLD } from '../../src/core/threshold-clustering.ts';
import { buildSyntheticCatalog, unitDescriptor, type SyntheticPhoto } from '../helpers/synthetic-catalog.ts';
import { withCatalog } from '../helpers/library.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/**
 * Ada's tagged faces sit at 0°, 10° and 60° (the last a likely mistake), Grace's at 90° and
 * 100°. Untagged and past the gates: f7 at 5° (near Ada), f9 at 93° and f12 at 95° (near Grace).
 * f4, f5 and f6 fail the score, size, and residual + yaw gates. f13 is on a missing photo.
 */
const PHOTOS: SyntheticPhoto[] = [
  {
    path: 'a/one.jpg',
    faces: [
      { name: 'f1', x: 200, descriptor: 0 },
      { name: 'f2', x: 50, descriptor: 90 },
    ],
  },
  { path: 'a/b/two.jpg', faces: [{ name: 'f3', x: 10, descriptor: 10 }] },
  {
    path: 'c/three.jpg',
    faces: [
      { name: 'f4', x: 10, descriptor: 180, score: 0.3 },
      { name: 'f5', x: 300, descriptor: 200, size: 20 },
    ],
  },
  { path: 'root.jpg', faces: [{ name: 'f6', x: 10, descriptor: 250, fitResidual: 0.5, yaw: -60 }] },
  {
    path: 'c/four.jpg',
    faces: [
      { name: 'f7', x: 10, descriptor: 5 },
      { name: 'f8', x: 300, descriptor: 60 },
    ],
  },
  {
    path: 'c/five.jpg',
    faces: [
      { name: 'f9', x: 10, descriptor: 93 },
      { name: 'f10', x: 200, descriptor: 100 },
      { name: 'f12', x: 400, descriptor: 95 },
    ],
  },
  { path: 'b/gone.jpg', faces: [{ name: 'f13', x: 10, descriptor: 0 }], missing: true },
];

/** Euclidean distance from a unit descriptor at `degrees` to the mean of those at `tagged`. */
function distanceToMean(degrees: number, tagged: number[]): number {
  const mean = tagged.map(unitDescriptor).reduce((sum, d) => sum.map((v, i) => v + d[i] / tagged.length), new Array<number>(128).fill(0));
  const d = unitDescriptor(degrees);
  return Math.hypot(...mean.map((v, i) => d[i] - v));
}

/**
 * The confidence of a face at `degrees` for a person tagged at `tagged`: the share of their own faces at least as far
 * from their mean, smoothed by three imagined faces spread up to the reach (their farthest face, at least 0.45).
 */
function confidence(degrees: number, tagged: number[]): number {
  const own = tagged.map((t) => distanceToMean(t, tagged));
  const reach = Math.max(0.45, ...own);
  const d = distanceToMean(degrees, tagged);
  return (own.filter((o) => o >= d).length + 3 * (1 - d / reach)) / (own.length + 3);
}

describe('reviewing faces', () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  /** A fresh copy of the fixture with Ada and Grace tagged by hand. */
  async function open() {
    const built = buildSyntheticCatalog(PHOTOS);
    const engine = new Engine({ dataDir: tempDir('facet-data-') });
    engines.push(engine);
    await engine.openCatalogFile(built.catalog, built.root);
    const f = built.faceIds;
    const ada = await engine.call('identities/create', { name: 'Ada' });
    const grace = await engine.call('identities/create', { name: 'Grace' });
    await engine.call('faces/tag', { faceIds: [f.f1, f.f3, f.f8], identityId: ada.id });
    await engine.call('faces/tag', { faceIds: [f.f2, f.f10], identityId: grace.id });
    return { engine, f, photos: built.photoIds, catalog: built.catalog, ada: ada.id, grace: grace.id };
  }

  const ids = (page: { faces: FaceSummary[] }) => page.faces.map((face) => face.id);

  describe('faces/list', () => {
    it('lists present, unmarked faces newest first by default, with tags, source and the gates they fail', async () => {
      const { engine, f, ada } = await open();
      const page = await engine.call('faces/list', {});
      expect(page.total).toBe(11);
      expect(ids(page)).toEqual([f.f12, f.f10, f.f9, f.f8, f.f7, f.f6, f.f5, f.f4, f.f3, f.f2, f.f1]);
      const byId = new Map(page.faces.map((face) => [face.id, face]));
      expect(byId.get(f.f1)).toEqual({
        id: f.f1,
        photoId: expect.any(Number),
        photo: 'a/one.jpg',
        box: { x: 200, y: 20, w: 100, h: 100 },
        score: expect.closeTo(0.95, 6),
        identityId: ada,
        identity: 'Ada',
        tagSource: 'user',
        mark: null,
        source: 'detector',
        quality: [],
      });
      expect(byId.get(f.f6)!.quality).toEqual([
        { gate: 'residual', value: expect.closeTo(0.5, 6), limit: 0.2 },
        { gate: 'yaw', value: 60, limit: 45 },
      ]);
      expect(byId.get(f.f6)!.cluster).toBeUndefined();
    });

    it('pages, and orders oldest first, by photo path then left to right, and by score', async () => {
      const { engine, f } = await open();
      expect(ids(await engine.call('faces/list', { order: 'oldest', offset: 2, limit: 3 }))).toEqual([f.f3, f.f4, f.f5]);
      expect(ids(await engine.call('faces/list', { order: 'photo' }))).toEqual([f.f3, f.f2, f.f1, f.f9, f.f10, f.f12, f.f7, f.f8, f.f4, f.f5, f.f6]);
      const byScore = await engine.call('faces/list', { order: 'score', limit: 2 });
      expect(ids(byScore)).toEqual([f.f4, f.f1]);
      expect(byScore.total).toBe(11);
    });

    it('filters by person, untagged, quality, folder and photo, combined with AND', async () => {
      const { engine, f, ada, photos } = await open();
      const list = async (filter: object) => ids(await engine.call('faces/list', { order: 'oldest', ...filter }));
      expect(await list({ identityId: ada })).toEqual([f.f1, f.f3, f.f8]);
      expect(await list({ untagged: true })).toEqual([f.f4, f.f5, f.f6, f.f7, f.f9, f.f12]);
      expect(await list({ quality: 'passed', untagged: true })).toEqual([f.f7, f.f9, f.f12]);
      expect(await list({ quality: 'filtered' })).toEqual([f.f4, f.f5, f.f6]);
      expect(await list({ quality: 'score' })).toEqual([f.f4]);
      expect(await list({ quality: 'size' })).toEqual([f.f5]);
      expect(await list({ quality: 'yaw' })).toEqual([f.f6]);
      expect(await list({ quality: 'residual' })).toEqual([f.f6]);
      expect(await list({ folder: 'a' })).toEqual([f.f1, f.f2, f.f3]);
      expect(await list({ folder: 'a/b' })).toEqual([f.f3]);
      expect(await list({ folder: 'a/' })).toEqual([f.f1, f.f2, f.f3]);
      // A folder name is not a prefix of another folder's name.
      expect(await list({ folder: 'a/o' })).toEqual([]);
      expect(await list({ folder: '' })).toHaveLength(11);
      expect(await list({ folder: 'b' })).toEqual([]);
      expect(await list({ photoId: photos['c/five.jpg'] })).toEqual([f.f9, f.f10, f.f12]);
      expect(await list({ folder: 'c', identityId: ada })).toEqual([f.f8]);
      await expect(engine.call('faces/list', { folder: '../x' })).rejects.toThrow(ContractError);
    });

    it('hides marked faces unless asked, and shows them alone or with the others', async () => {
      const { engine, f } = await open();
      await engine.call('faces/mark', { faceIds: [f.f12, f.f4], mark: 'ignore' });
      await engine.call('faces/mark', { faceIds: [f.f5], mark: 'not-a-face' });
      const list = async (filter: object) => ids(await engine.call('faces/list', { order: 'oldest', ...filter }));
      expect(await list({})).toEqual([f.f1, f.f2, f.f3, f.f6, f.f7, f.f8, f.f9, f.f10]);
      expect(await list({ marked: 'only' })).toEqual([f.f4, f.f5, f.f12]);
      expect(await list({ marked: 'include' })).toHaveLength(11);
      const marked = await engine.call('faces/list', { marked: 'only', order: 'oldest' });
      expect(marked.faces.map((face) => face.mark)).toEqual(['ignore', 'not-a-face', 'ignore']);
      expect(await engine.call('library/stats', {})).toMatchObject({ markedFaces: 3 });
    });

    it("orders a person's faces farthest from their mean first, with the distance", async () => {
      const { engine, f, ada } = await open();
      const page = await engine.call('faces/list', { identityId: ada, order: 'mistakes' });
      expect(ids(page)).toEqual([f.f8, f.f1, f.f3]);
      expect(page.faces.map((face) => face.personDistance)).toEqual([60, 0, 10].map((deg) => expect.closeTo(distanceToMean(deg, [0, 10, 60]), 6)));
      await expect(engine.call('faces/list', { order: 'mistakes' })).rejects.toThrow(/identityId/);
    });

    it("filters and orders by a run's clusters, with each face's cluster and distance", async () => {
      const { engine, f } = await open();
      const run = await engine.call('runs/create', { k: 2, restarts: 2 });
      const assignments = await engine.call('runs/assignments', { id: run.id });
      const cluster = assignments.find((a) => a.faceId === f.f1)!.cluster;
      const expected = assignments.filter((a) => a.cluster === cluster).sort((a, b) => a.distance - b.distance || a.faceId - b.faceId);
      const page = await engine.call('faces/list', { runId: run.id, cluster, order: 'cluster-distance' });
      expect(ids(page)).toEqual(expected.map((a) => a.faceId));
      expect(page.faces.map((face) => [face.cluster, face.clusterDistance])).toEqual(expected.map((a) => [cluster, a.distance]));
      // Faces the run left out (f4, failing the score gate) come last, without a cluster.
      const all = await engine.call('faces/list', { runId: run.id, order: 'cluster-distance' });
      expect(all.faces.slice(-2).map((face) => [face.id, face.cluster, face.clusterDistance])).toEqual([
        [all.faces.at(-2)!.id, expect.any(Number), expect.any(Number)],
        [f.f4, null, null],
      ]);
      await expect(engine.call('faces/list', { cluster: 0 })).rejects.toThrow(/runId/);
      await expect(engine.call('faces/list', { runId: run.id + 5 })).rejects.toMatchObject({ name: 'NotFoundError' });
    });
  });

  it('faces/ids gives every id of the filter in photo order; faces/folders counts unmarked faces under each folder', async () => {
    const { engine, f } = await open();
    expect(await engine.call('faces/ids', { untagged: true })).toEqual({ ids: [f.f9, f.f12, f.f7, f.f4, f.f5, f.f6] });
    expect(await engine.call('faces/ids', { folder: 'c', quality: 'passed' })).toEqual({ ids: [f.f9, f.f10, f.f12, f.f7, f.f8] });
    await engine.call('faces/mark', { faceIds: [f.f12], mark: 'ignore' });
    expect(await engine.call('faces/folders', {})).toEqual([
      { folder: 'a', faces: 3 },
      { folder: 'a/b', faces: 1 },
      { folder: 'c', faces: 6 },
    ]);
  });

  describe('photos/get', () => {
    it('gives the photo, its faces left to right with landmarks, and its present neighbours in path order', async () => {
      const { engine, f, photos } = await open();
      await engine.call('faces/mark', { faceIds: [f.f1], mark: 'ignore' });
      const one = await engine.call('photos/get', { id: photos['a/one.jpg'] });
      expect(one).toMatchObject({ id: photos['a/one.jpg'], path: 'a/one.jpg', width: 1000, height: 800, state: 'analysed' });
      expect(one.faces.map((face) => [face.id, face.identity, face.mark])).toEqual([
        [f.f2, 'Grace', null],
        [f.f1, 'Ada', 'ignore'],
      ]);
      expect(one.faces[0].landmarks).toHaveLength(136);
      // Paths in order: a/b/two, a/one, (b/gone is missing), c/five, c/four, c/three, root.
      expect([one.previousId, one.nextId]).toEqual([photos['a/b/two.jpg'], photos['c/five.jpg']]);
      const first = await engine.call('photos/get', { id: photos['a/b/two.jpg'] });
      expect([first.previousId, first.nextId]).toEqual([null, photos['a/one.jpg']]);
      const last = await engine.call('photos/get', { id: photos['root.jpg'] });
      expect([last.previousId, last.nextId]).toEqual([photos['c/three.jpg'], null]);
      const gone = await engine.call('photos/get', { id: photos['b/gone.jpg'] });
      expect(gone).toMatchObject({ state: 'missing', previousId: photos['a/one.jpg'], nextId: photos['c/five.jpg'] });
      await expect(engine.call('photos/get', { id: 9999 })).rejects.toMatchObject({ name: 'NotFoundError', message: /9999/ });
    });
  });

  describe('edits', () => {
    it('return what each face was before, so the app can undo them exactly', async () => {
      const { engine, f, ada, grace } = await open();
      await engine.call('faces/mark', { faceIds: [f.f7], mark: 'ignore' });
      const tagged = await engine.call('faces/tag', { faceIds: [f.f7, f.f2, f.f9, f.f7], identityId: ada });
      expect(tagged).toEqual({
        tagged: 3,
        previous: [
          { faceId: f.f7, identityId: null, mark: 'ignore' },
          { faceId: f.f2, identityId: grace, mark: null },
          { faceId: f.f9, identityId: null, mark: null },
        ],
      });
      // What was written is counted, not what was asked for: f1 and f7 are Ada's already; then f1 moves, f10 is Grace's already.
      expect((await engine.call('faces/tag', { faceIds: [f.f1, f.f7], identityId: ada })).tagged).toBe(0);
      expect((await engine.call('faces/tag', { faceIds: [f.f1, f.f10], identityId: grace })).tagged).toBe(1);
      await engine.call('faces/tag', { faceIds: [f.f1], identityId: ada });
      expect((await engine.call('faces/mark', { faceIds: [f.f12], mark: 'ignore' })).marked).toBe(1);
      expect((await engine.call('faces/mark', { faceIds: [f.f12], mark: 'ignore' })).marked).toBe(0);
      await engine.call('faces/unmark', { faceIds: [f.f12] });
      // Tagging lifted the mark: a tagged face is one worth sorting.
      expect((await engine.call('faces/list', { identityId: ada, order: 'oldest' })).faces.map((face) => [face.id, face.mark])).toEqual([
        [f.f1, null],
        [f.f2, null],
        [f.f3, null],
        [f.f7, null],
        [f.f8, null],
        [f.f9, null],
      ]);
      const untagged = await engine.call('faces/untag', { faceIds: [f.f9, f.f12] });
      expect(untagged).toEqual({
        untagged: 1,
        previous: [
          { faceId: f.f9, identityId: ada, mark: null },
          { faceId: f.f12, identityId: null, mark: null },
        ],
      });
      const marked = await engine.call('faces/mark', { faceIds: [f.f2], mark: 'not-a-face' });
      expect(marked).toEqual({ marked: 1, previous: [{ faceId: f.f2, identityId: ada, mark: null }] });
      const unmarked = await engine.call('faces/unmark', { faceIds: [f.f2, f.f3] });
      expect(unmarked).toEqual({
        unmarked: 1,
        previous: [
          { faceId: f.f2, identityId: ada, mark: 'not-a-face' },
          { faceId: f.f3, identityId: ada, mark: null },
        ],
      });
    });

    it('write nothing when a face id is unknown, and name it', async () => {
      const { engine, f, ada, catalog } = await open();
      const before = withCatalog(catalog, (db) => db.prepare('SELECT face_id, identity_id, source FROM face_identities ORDER BY face_id').all(), {
        readonly: true,
      });
      for (const [method, params] of [
        ['faces/tag', { faceIds: [f.f7, 4242], identityId: ada }],
        ['faces/untag', { faceIds: [f.f1, 4242] }],
        ['faces/mark', { faceIds: [f.f7, 4242], mark: 'ignore' }],
        ['faces/unmark', { faceIds: [4242] }],
        ['suggestions/reject', { faceIds: [f.f7, 4242], identityId: ada }],
      ] as const) {
        await expect(engine.call(method, params), method).rejects.toMatchObject({ name: 'NotFoundError', message: /no face with id 4242/ });
      }
      await expect(engine.call('suggestions/reject', { faceIds: [f.f7], identityId: 777 })).rejects.toMatchObject({ name: 'NotFoundError' });
      withCatalog(
        catalog,
        (db) => {
          expect(db.prepare('SELECT face_id, identity_id, source FROM face_identities ORDER BY face_id').all()).toEqual(before);
          expect(db.prepare('SELECT count(*) AS n FROM face_marks').get()).toEqual({ n: 0 });
          expect(db.prepare('SELECT count(*) AS n FROM rejected_suggestions').get()).toEqual({ n: 0 });
        },
        { readonly: true },
      );
    });
  });

  it('runs leave marked faces out and count them', async () => {
    const { engine, f } = await open();
    await engine.call('faces/mark', { faceIds: [f.f12, f.f4], mark: 'ignore' });
    const run = await engine.call('runs/create', { k: 2, restarts: 2, features: 'landmarks' });
    // Present and found: 11 faces; f12 and f4 marked; f5 and f6 fail the landmark gates (size; residual and yaw).
    expect(run.details).toMatchObject({ faces: 7, markedOut: 2, filteredOut: 2, filteredOutBy: { score: 0, size: 1, residual: 1, yaw: 1 } });
    const assigned = (await engine.call('runs/assignments', { id: run.id })).map((a) => a.faceId);
    expect(assigned).not.toContain(f.f12);
    expect(assigned).not.toContain(f.f4);
    // The descriptor alone applies only the score gate, which f4 alone fails: f5 and f6 are clustered, placed only.
    const byDescriptor = await engine.call('runs/create', { k: 2, restarts: 2 });
    expect(byDescriptor.details).toMatchObject({ faces: 9, markedOut: 2, filteredOut: 0, filteredOutBy: { score: 0 }, placedOnly: 2 });
    const all = await engine.call('runs/create', { k: 2, restarts: 2, features: 'landmarks', includeFiltered: true });
    expect(all.details).toMatchObject({ faces: 9, markedOut: 2, filteredOut: 0 });
  });

  describe('suggestions', () => {
    it("rank untagged, unmarked faces that pass the gates by each person's own spread", async () => {
      const { engine, f, ada, grace } = await open();
      const all = await engine.call('suggestions/list', {});
      expect(all).toEqual({
        total: 3,
        suggestions: [
          {
            faceId: f.f12,
            photoId: expect.any(Number),
            identityId: grace,
            identity: 'Grace',
            distance: expect.closeTo(distanceToMean(95, [90, 100]), 6),
            confidence: expect.closeTo(confidence(95, [90, 100]), 6),
          },
          {
            faceId: f.f9,
            photoId: expect.any(Number),
            identityId: grace,
            identity: 'Grace',
            distance: expect.closeTo(distanceToMean(93, [90, 100]), 6),
            confidence: expect.closeTo(confidence(93, [90, 100]), 6),
          },
          // Nearer Ada's mean than f1 and f8, farther than f3.
          {
            faceId: f.f7,
            photoId: expect.any(Number),
            identityId: ada,
            identity: 'Ada',
            distance: expect.closeTo(distanceToMean(5, [0, 10, 60]), 6),
            confidence: expect.closeTo(confidence(5, [0, 10, 60]), 6),
          },
        ],
      });
      expect(await engine.call('suggestions/list', { identityId: ada })).toMatchObject({ total: 1, suggestions: [{ faceId: f.f7 }] });
      expect((await engine.call('suggestions/list', { offset: 1, limit: 1 })).suggestions.map((s) => s.faceId)).toEqual([f.f9]);
      await expect(engine.call('suggestions/list', { identityId: 999 })).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('never come back once rejected, nor for marked faces', async () => {
      const { engine, f, ada, grace } = await open();
      expect(await engine.call('suggestions/reject', { faceIds: [f.f7, f.f9], identityId: ada })).toEqual({ rejected: 2 });
      expect(await engine.call('suggestions/reject', { faceIds: [f.f7], identityId: ada })).toEqual({ rejected: 0 });
      expect(await engine.call('suggestions/list', { identityId: ada })).toEqual({ total: 0, suggestions: [] });
      // Rejected for Ada only: f9 is still Grace's.
      await engine.call('faces/mark', { faceIds: [f.f12], mark: 'ignore' });
      const rest = await engine.call('suggestions/list', {});
      expect(rest.suggestions.map((s) => [s.faceId, s.identityId])).toEqual([[f.f9, grace]]);
    });

    it('group unknown faces that look alike, largest first, nearest their mean first', async () => {
      const { engine, f } = await open();
      expect(await engine.call('suggestions/groups', {})).toEqual({
        threshold: DEFAULT_DESCRIPTOR_THRESHOLD,
        untagged: 3,
        groups: [{ faceIds: [f.f9, f.f12], size: 2 }],
      });
      const loose = await engine.call('suggestions/groups', { threshold: 2, minSize: 3 });
      // At the widest cut all three fall together; their mean points at about 68°, nearest f9 (93°), then f12 (95°), f7 (5°).
      expect(loose).toEqual({ threshold: 2, untagged: 3, groups: [{ faceIds: [f.f9, f.f12, f.f7], size: 3 }] });
      await engine.call('faces/mark', { faceIds: [f.f12], mark: 'not-a-face' });
      expect(await engine.call('suggestions/groups', {})).toEqual({ threshold: DEFAULT_DESCRIPTOR_THRESHOLD, untagged: 2, groups: [] });
    });

    it('groups unknown faces at the cut where the tagged people are best regrouped, once enough are tagged', async () => {
      // Seven faces each of Ada (0°–12°) and Grace (90°–102°): 42 same-person pairs at most 0.21 apart, 49 other-person
      // pairs at least 1.26 apart. Every calibration cut (0.25–0.65) regroups them, so the cut is the middle, 0.45.
      // Two strangers at 180° and 205° are 0.43 apart: apart at the default cut, one group at the calibrated one.
      const degrees = (from: number) => Array.from({ length: 7 }, (_, i) => from + 2 * i);
      const row = (prefix: string, from: number) => degrees(from).map((descriptor, i) => ({ name: `${prefix}${i}`, x: 10 + 130 * i, descriptor }));
      const built = buildSyntheticCatalog([
        { path: 'ada.jpg', width: 1000, faces: row('a', 0) },
        { path: 'grace.jpg', width: 1000, faces: row('g', 90) },
        {
          path: 'strangers.jpg',
          faces: [
            { name: 'u1', x: 10, descriptor: 180 },
            { name: 'u2', x: 300, descriptor: 205 },
          ],
        },
      ]);
      const engine = new Engine({ dataDir: tempDir('facet-data-') });
      engines.push(engine);
      await engine.openCatalogFile(built.catalog, built.root);
      const f = built.faceIds;
      const strangers = [f.u1, f.u2].sort((a, b) => a - b);
      const ada = await engine.call('identities/create', { name: 'Ada' });
      await engine.call('faces/tag', { faceIds: degrees(0).map((_, i) => f[`a${i}`]), identityId: ada.id });
      const grace = await engine.call('identities/create', { name: 'Grace' });
      await engine.call('faces/tag', {
        faceIds: degrees(90)
          .slice(0, 2)
          .map((_, i) => f[`g${i}`]),
        identityId: grace.id,
      });
      // 22 same-person pairs but 14 other-person pairs: too few to calibrate on. Grace's five untagged faces group.
      const uncalibrated = await engine.call('suggestions/groups', { minSize: 2 });
      expect(uncalibrated.threshold).toBe(DEFAULT_DESCRIPTOR_THRESHOLD);
      expect(uncalibrated.groups.map((g) => g.size)).toEqual([5]);
      await engine.call('faces/tag', { faceIds: degrees(90).map((_, i) => f[`g${i}`]), identityId: grace.id });
      const calibrated = await engine.call('suggestions/groups', { minSize: 2 });
      expect(calibrated.threshold).toBeCloseTo(0.45, 9);
      expect(calibrated).toMatchObject({ untagged: 2, groups: [{ faceIds: strangers, size: 2 }] });
    });
  });

  it("gives each identity a cover: its tagged, unmarked face nearest the person's mean", async () => {
    const { engine, f, ada, grace } = await open();
    const covers = async () => Object.fromEntries((await engine.call('identities/list', {})).map((i) => [i.id, i.coverFaceId]));
    expect(await covers()).toEqual({ [ada]: f.f3, [grace]: f.f2 });
    await engine.call('faces/mark', { faceIds: [f.f3], mark: 'ignore' });
    // Without f3 Ada's mean lies at 30°: f1 (0°) and f8 (60°) are as near; the first wins.
    expect((await covers())[ada]).toBe(f.f1);
    const nobody = await engine.call('identities/create', { name: 'Nobody' });
    expect(nobody.coverFaceId).toBeNull();
    expect((await covers())[nobody.id]).toBeNull();
  });

  describe('tags/preview', () => {
    it('tells what tags/import then does, and writes nothing', async () => {
      const { engine, f, catalog } = await open();
      // Each photo's subject is its face nearest the centre: f1, f3 and f8 are tagged by hand and stay
      // as they are; f5 and f12 get the folder's name. A photo at the root is not in a folder.
      const snapshot = () =>
        withCatalog(
          catalog,
          (db) => ({
            tags: db.prepare('SELECT * FROM face_identities ORDER BY face_id').all(),
            identities: db.prepare('SELECT * FROM identities ORDER BY id').all(),
          }),
          { readonly: true },
        );
      const before = snapshot();
      const preview = await engine.call('tags/preview', { from: 'folders' });
      expect(snapshot()).toEqual(before);
      expect(preview).toEqual({
        labels: 5,
        photos: 5,
        faces: 2,
        people: [{ name: 'c', faces: 2, isNew: true }],
        unmatched: [{ path: 'root.jpg', reason: 'not in a folder' }],
      });
      const result = await engine.call('tags/import', { from: 'folders' });
      expect(result).toEqual({ labels: preview.labels, tagged: preview.faces, identities: preview.people.length, skipped: preview.unmatched });
      const c = (await engine.call('identities/list', {})).find((i) => i.name === 'c')!;
      expect(ids(await engine.call('faces/list', { identityId: c.id, order: 'oldest' }))).toEqual([f.f5, f.f12]);
    });

    it('reports CSV labels that match nothing and names already known', async () => {
      const { engine } = await open();
      const csv = 'path,identity\na/one.jpg,ada\nc/three.jpg,Zoe\nc/five.jpg,grace\nnope.jpg,Ada\nb/gone.jpg,Ada\n';
      const preview = await engine.call('tags/preview', { from: 'csv', csv });
      expect(preview).toEqual({
        labels: 5,
        photos: 3,
        faces: 2,
        people: [
          { name: 'Zoe', faces: 1, isNew: true },
          { name: 'grace', faces: 1, isNew: false },
        ],
        unmatched: [
          { path: 'nope.jpg', reason: 'not in the library' },
          { path: 'b/gone.jpg', reason: 'no face found in this photo' },
        ],
      });
      const result = await engine.call('tags/import', { from: 'csv', csv });
      expect(result).toEqual({ labels: 5, tagged: 2, identities: 2, skipped: preview.unmatched });
      expect((await engine.call('identities/list', {})).map((i) => [i.name, i.faces])).toEqual([
        ['Ada', 3],
        ['Grace', 3],
        ['Zoe', 1],
      ]);
    });
  });
});
