// The analysis views in a real browser over `facet serve` — Runs (cluster, re-cluster with the k slider, compare),
// Validation, Clusters and Map — on the 40 cast crops of ../shared/data tagged from their folders; each result checked
// in the catalog or against the CLI's --json. Needs the built renderer, chromium and the datasets; skips otherwise.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ClusterParams, Projection, RunReport, ScanSummary, TagImportResult } from '../../src/shared/contract.ts';
import { runFacet } from '../helpers/cli.ts';
import { copyPhotos, withCatalog } from '../helpers/library.ts';
import { tagRows } from '../helpers/people-library.ts';
import { hasSharedData } from '../helpers/shared-data.ts';
import { skipWithout } from '../helpers/skips.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';
import {
  callApi,
  chromiumPath,
  closeToasts,
  eventually,
  hasChromium,
  openServedCatalog,
  rendererBuilt,
  rendererIndex,
  screenshot,
  screenshotInBothLanguages,
  waitForImages,
  type PageProblem,
  type Served,
  type ViewInBothLanguages,
} from './helpers.ts';

const skip = skipWithout('the browser test of the analysis views', [
  !hasChromium && `chromium at ${chromiumPath} (apt-get install chromium, or set FACET_CHROMIUM)`,
  !hasSharedData && 'the shared datasets (../shared/data, or FACET_TEST_DATA)',
  !rendererBuilt && `the built renderer at ${rendererIndex} (run npm run build first; .ci/run does)`,
]);

/** The eight cast members, five tight face crops each: 40 photos with one face apiece, tagged from their folders. */
const CAST = ['amy', 'bernadette', 'howard', 'leonard', 'penny', 'raj', 'sheldon', 'stuart'] as const;
const CROPS = Object.fromEntries(CAST.flatMap((who) => [1, 2, 3, 4, 5].map((n) => [`${who}/${who}${n}.png`, `faceapi-bbt-cast/${who}/${who}${n}.png`])));
const FACES = 40;

/** The settings test 1 puts in the panel; k is moved with the slider, the rest typed. */
const PANEL = { k: 6, seed: 5, restarts: 4 };
/** Where the k slider ends after four presses of the right arrow, and the person the lasso's faces are tagged as. */
const K_AFTER_KEYS = PANEL.k + 4;
const LASSO_NAME = 'Lasso pick';

interface StoredRun {
  id: number;
  k: number;
  algorithm: string;
  params: ClusterParams;
  metrics: RunReport['metrics'];
}

describe.skipIf(skip)('analysis views in a browser (facet serve)', () => {
  useTempDirs();
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: PageProblem[];
  let catalog: string;
  let dataDir: string;
  /** Made with the CLI before any face was tagged: its scores must read "—". */
  let untaggedRun: number;
  /** Made in the tests below: from the panel's button (test 1) and from the k slider moved with the keyboard (test 3). */
  let panelRun: number;
  let sliderRun: number;
  /** Faces a run clusters: those that pass the quality gates (one crop of the 40 does not). */
  let clustered: number;

  beforeAll(async () => {
    const dir = tempDir('facet-e2e-analysis-');
    const root = join(dir, 'photos');
    catalog = join(dir, 'catalog.sqlite');
    dataDir = tempDir('facet-e2e-data-');
    copyPhotos(root, CROPS);
    const scan = await runFacet(['scan', root, '--db', catalog, '--workers', '2', '--json'], { dataDir });
    expect(scan.code, scan.stderr).toBe(0);
    expect(JSON.parse(scan.stdout) as ScanSummary).toMatchObject({ state: 'done', analysed: FACES, failed: [] });
    const perPhoto = withCatalog(
      catalog,
      (db) =>
        db
          .prepare<[], { path: string; faces: number }>(
            'SELECT p.path, count(f.id) AS faces FROM photos p LEFT JOIN faces f ON f.photo_id = p.id GROUP BY p.id',
          )
          .all(),
      { readonly: true },
    );
    expect(perPhoto.filter((p) => p.faces !== 1)).toEqual([]);

    // A run before any tag, then the tags: the folder each crop is in names its person.
    const first = await runFacet(['cluster', '--db', catalog, '--k', '8', '--json'], { dataDir });
    expect(first.code, first.stderr).toBe(0);
    const firstReport = JSON.parse(first.stdout) as { run: { id: number }; details: { faces: number; filteredOut: number } };
    untaggedRun = firstReport.run.id;
    clustered = firstReport.details.faces;
    expect(clustered + firstReport.details.filteredOut).toBe(FACES);
    expect(clustered).toBeGreaterThanOrEqual(FACES - 3);
    const tag = await runFacet(['tag', '--db', catalog, '--from-folders', '--json'], { dataDir });
    expect(tag.code, tag.stderr).toBe(0);
    expect(JSON.parse(tag.stdout) as TagImportResult).toMatchObject({ tagged: FACES, identities: CAST.length, skipped: [] });
    expect(storedRuns().map((r) => ({ id: r.id, tagged: r.metrics.taggedFaces }))).toEqual([{ id: untaggedRun, tagged: 0 }]);

    ({ served, browser, page, problems } = await openServedCatalog({ dataDir, catalog }));
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  // Any console error, uncaught exception or CSP violation fails the test it happened in (an expected failure
  // leaves them to the next test, which then fails instead of hiding them).
  afterEach(({ task }) => {
    if (!task.fails && problems) expect(problems.splice(0)).toEqual([]);
  });

  // What the catalog says, read by the test itself -------------------------------------------------------------

  function storedRuns(): StoredRun[] {
    return withCatalog(
      catalog,
      (db) =>
        db
          .prepare<[], { id: number; k: number; algorithm: string; params: string; metrics: string }>(
            'SELECT id, k, algorithm, params, metrics FROM runs ORDER BY id',
          )
          .all()
          .map((r) => ({
            id: r.id,
            k: r.k,
            algorithm: r.algorithm,
            params: JSON.parse(r.params) as ClusterParams,
            metrics: JSON.parse(r.metrics) as RunReport['metrics'],
          })),
      { readonly: true },
    );
  }

  function tagOf(faceId: number): { identity: string; source: string } | undefined {
    const row = tagRows(catalog).find((r) => r.faceId === faceId);
    return row && { identity: row.identity, source: row.source };
  }

  function facesTagged(name: string): number[] {
    return tagRows(catalog)
      .filter((r) => r.identity === name)
      .map((r) => r.faceId)
      .sort((a, b) => a - b);
  }

  /** The run's report as `facet report --json` prints it, from a second process on the same catalog. */
  async function cliReport(id: number): Promise<{ run: { id: number; k: number }; metrics: RunReport['metrics'] }> {
    const report = await runFacet(['report', '--db', catalog, '--run', String(id), '--json'], { dataDir });
    expect(report.code, report.stderr).toBe(0);
    return JSON.parse(report.stdout) as { run: { id: number; k: number }; metrics: RunReport['metrics'] };
  }

  // The page -------------------------------------------------------------------------------------------------------

  /** Goes to a view by its address; only the hash changes, so the session (token, language) stays. */
  async function open(hash: string): Promise<void> {
    await page.goto(`${served.origin}/#${hash}`);
  }

  /** The Runs view with its history loaded and the run `id` in the headline. */
  async function runsViewShowing(id: number): Promise<void> {
    await page.locator('[data-testid="view-runs"][data-status="ready"]').waitFor();
    await eventually(() => page.getByTestId('current-run').getAttribute('data-run-id')).toBe(String(id));
  }

  /**
   * Waits until the page's clusterings are over: more runs than `before` in the catalog, no clustering job running in
   * the engine, and no new run for 1.5 s (the page queues a request while one runs and starts it as soon as that ends).
   */
  async function runsSettled(before: number): Promise<StoredRun[]> {
    let count = -1;
    let since = Date.now();
    await eventually(async () => {
      const now = storedRuns().length;
      const busy = (await callApi(served, 'job/list', {})).some((j) => j.kind === 'cluster' && j.progress.state === 'running');
      if (now !== count || busy) {
        count = now;
        since = Date.now();
      }
      return now > before && !busy && Date.now() - since >= 1_500;
    }).toBe(true);
    return storedRuns();
  }

  async function headline(): Promise<{ cohesion: string; speedup: string; ari: string; nmi: string }> {
    const text = async (testid: string) => ((await page.getByTestId(testid).first().textContent()) ?? '').trim();
    return { cohesion: await text('metric-cohesion'), speedup: await text('metric-speedup'), ari: await text('metric-ari'), nmi: await text('metric-nmi') };
  }

  /** The measures as the views write them: three decimals, the speed-up with one. */
  const asShown = (m: RunReport['metrics']) => ({
    cohesion: m.cohesion.weighted.toFixed(3),
    speedup: m.speedup.toFixed(1),
    ari: m.ari.toFixed(3),
    nmi: m.nmi.toFixed(3),
  });

  /** Where plotly drew each face of the projection, in page pixels, and the plot area's bounds. */
  async function mapPixels(
    projection: Projection,
  ): Promise<{ points: { faceId: number; x: number; y: number }[]; area: { left: number; top: number; right: number; bottom: number } }> {
    const coords = projection.coords;
    const drawn = await page
      .getByTestId('map-plot')
      .locator('.js-plotly-plot')
      .evaluate((el, xy: number[]) => {
        type Axis = { _offset: number; _length: number; l2p(v: number): number };
        const layout = (el as unknown as { _fullLayout: { xaxis: Axis; yaxis: Axis } })._fullLayout;
        const box = (el as unknown as { getBoundingClientRect(): { left: number; top: number } }).getBoundingClientRect();
        const { xaxis, yaxis } = layout;
        const points: { x: number; y: number }[] = [];
        for (let i = 0; i < xy.length; i += 2)
          points.push({ x: box.left + xaxis._offset + xaxis.l2p(xy[i]), y: box.top + yaxis._offset + yaxis.l2p(xy[i + 1]) });
        return {
          points,
          area: {
            left: box.left + xaxis._offset,
            top: box.top + yaxis._offset,
            right: box.left + xaxis._offset + xaxis._length,
            bottom: box.top + yaxis._offset + yaxis._length,
          },
        };
      }, coords);
    return { points: drawn.points.map((p, i) => ({ faceId: projection.faceIds[i], ...p })), area: drawn.area };
  }

  async function mapReady(points: number): Promise<void> {
    await eventually(() => page.getByTestId('map-plot').getAttribute('data-points')).toBe(String(points));
  }

  // The tests, in order, on one page and one catalog --------------------------------------------------------------

  it('clusters from the panel: k from the slider and settings typed, then Cluster; the new run is in the history and in the catalog with those settings', async () => {
    await open('/runs');
    await runsViewShowing(untaggedRun);
    const before = storedRuns().map((r) => r.id);
    await expect(page.getByTestId('run-row').count()).resolves.toBe(before.length);

    await page.getByTestId('param-seed').fill(String(PANEL.seed));
    await page.getByTestId('param-restarts').fill(String(PANEL.restarts));
    await page.getByTestId('param-k').fill(String(PANEL.k));
    await expect(page.locator('label[for="param-k"] .k-value').textContent()).resolves.toBe(String(PANEL.k));
    await page.getByTestId('cluster-button').click();

    // The slider re-clusters on its own once it rests (150 ms): a click after that asks for the same run again, so
    // one or two runs appear, each with exactly the panel's settings.
    const made = (await runsSettled(before.length)).filter((r) => !before.includes(r.id));
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(made.length).toBeLessThanOrEqual(2);
    for (const run of made) {
      expect(run.params).toEqual({
        features: 'descriptor',
        k: PANEL.k,
        algorithm: 'kmeans',
        restarts: PANEL.restarts,
        seed: PANEL.seed,
        includeFiltered: false,
      });
      expect(run).toMatchObject({ k: PANEL.k, algorithm: 'kmeans' });
      expect(run.metrics.taggedFaces).toBe(clustered);
    }
    panelRun = made.at(-1)!.id;
    await runsViewShowing(panelRun);
    const rows = page.getByTestId('run-row');
    await eventually(() => rows.count()).toBe(before.length + made.length);
    for (const run of made) {
      const row = page.locator(`[data-testid="run-row"][data-run-id="${run.id}"]`);
      await expect(row.locator('td').nth(5).textContent()).resolves.toBe(String(PANEL.k));
    }
    await expect(page.getByTestId('current-run').textContent()).resolves.toContain(`Run ${panelRun}`);
    await screenshot(page, 'runs-after-cluster-en');
  });

  it('shows the same cohesion, speed-up, ARI and NMI as `facet report --json` for that run, at the precision shown', async () => {
    const report = await cliReport(panelRun);
    expect(report.run).toMatchObject({ id: panelRun, k: PANEL.k });
    expect(report.metrics.taggedFaces).toBe(clustered);
    await expect(headline()).resolves.toEqual(asShown(report.metrics));
    // The history row says the same.
    const cells = await page.locator(`[data-testid="run-row"][data-run-id="${panelRun}"] td`).allTextContents();
    expect(cells.slice(7, 11).map((c) => c.trim())).toEqual([
      report.metrics.cohesion.weighted.toFixed(3),
      `${report.metrics.speedup.toFixed(1)}×`,
      report.metrics.ari.toFixed(3),
      report.metrics.nmi.toFixed(3),
    ]);
  });

  it('re-clusters once when the k slider is moved quickly with the keyboard: one new run with the last k, its measures shown', async () => {
    const before = storedRuns().map((r) => r.id);
    const slider = page.getByTestId('param-k');
    await slider.focus();
    for (let i = 0; i < K_AFTER_KEYS - PANEL.k; i++) await page.keyboard.press('ArrowRight');
    await expect(slider.inputValue()).resolves.toBe(String(K_AFTER_KEYS));

    const made = (await runsSettled(before.length)).filter((r) => !before.includes(r.id));
    expect(made.map((r) => r.k)).toEqual([K_AFTER_KEYS]);
    expect(made[0].params).toMatchObject({ k: K_AFTER_KEYS, seed: PANEL.seed, restarts: PANEL.restarts });
    sliderRun = made[0].id;

    await runsViewShowing(sliderRun);
    await expect(headline()).resolves.toEqual(asShown(made[0].metrics));
    await expect(page.getByTestId('run-row').count()).resolves.toBe(before.length + 1);
    await expect(page.getByTestId('cluster-sizes').locator('.bar').count()).resolves.toBe(K_AFTER_KEYS);
  });

  it('compares two ticked runs: the pair goes into the address and the contingency heatmap holds every face both clustered', async () => {
    await page.locator(`[data-testid="run-row"][data-run-id="${panelRun}"] [data-testid="run-select"]`).check();
    await page.locator(`[data-testid="run-row"][data-run-id="${sliderRun}"] [data-testid="run-select"]`).check();
    const compare = page.getByTestId('compare-view');
    await compare.waitFor();
    await eventually(() => new URL(page.url()).hash).toMatch(new RegExp(`[?&]compare=${panelRun}(,|%2C)${sliderRun}(&|$)`));

    const comparison = await callApi(served, 'runs/compare', { a: panelRun, b: sliderRun });
    expect(comparison.sharedFaces).toBe(clustered);
    const heatmap = compare.getByTestId('contingency-heatmap');
    await heatmap.waitFor();
    const shown: number[][] = [];
    for (const row of await heatmap.locator('tbody tr').all()) {
      shown.push((await row.locator('td').allTextContents()).map((text) => (text.trim() === '' ? 0 : Number(text))));
    }
    expect(shown).toEqual(comparison.table.counts);
    expect(shown.flat().reduce((sum, n) => sum + n, 0)).toBe(comparison.sharedFaces);
    expect(shown).toHaveLength(PANEL.k);
    expect(shown[0]).toHaveLength(K_AFTER_KEYS);
    await expect(compare.textContent()).resolves.toContain(`${comparison.sharedFaces} faces in both runs`);
    await compare.scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-en');
  });

  it('validates a run: cohesion beside speed-up, a row per person, the heatmap, recall and feature signal, a definition; a run made before any tag reads "—"', async () => {
    await open(`/validation?run=${sliderRun}`);
    const view = page.getByTestId('view-validation');
    await eventually(() => view.getAttribute('data-run-id')).toBe(String(sliderRun));
    const stored = storedRuns().find((r) => r.id === sliderRun)!;
    await expect(headline()).resolves.toEqual(asShown(stored.metrics));

    // Side by side: on one line, cohesion first.
    const box = (testid: string) =>
      page
        .locator('.big-metric')
        .filter({ has: page.getByTestId(testid) })
        .boundingBox();
    const cohesion = (await box('metric-cohesion'))!;
    const speedup = (await box('metric-speedup'))!;
    expect(Math.abs(cohesion.y - speedup.y)).toBeLessThan(2);
    expect(Math.abs(cohesion.height - speedup.height)).toBeLessThan(2);
    expect(cohesion.x + cohesion.width).toBeLessThan(speedup.x);

    const people = await page
      .getByTestId('person-table')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { person: string } }).dataset.person));
    expect([...people].sort()).toEqual([...CAST]);
    const heatmapRows = await page.getByTestId('person-heatmap').locator('tbody th').allTextContents();
    expect([...heatmapRows].sort()).toEqual([...CAST]);
    await page.getByTestId('recall-curve').waitFor();
    await expect(page.getByTestId('recall-curve').locator('circle').count()).resolves.toBeGreaterThan(0);
    const signal = page.getByTestId('feature-signal');
    const descriptor = signal.locator('li[data-feature="descriptor"]');
    await descriptor.waitFor();
    // The descriptor's nearest-neighbour accuracy as the engine measures it, and its verdict.
    const signals = await callApi(served, 'features/identity-signal', {});
    const measured = signals.find((s) => s.feature === 'descriptor')!;
    expect(measured.verdict).toBe('carries identity');
    await expect(descriptor.textContent()).resolves.toContain(`${Math.round(measured.nearestSameIdentity * 100)}% of the time`);
    await expect(descriptor.locator('strong.verdict-carriesIdentity').textContent()).resolves.toBe('They tell people apart.');
    await expect(signal.locator('li[data-feature]').count()).resolves.toBe(signals.length);

    await page.locator('[data-testid="metric-info"][data-metric="cohesion"]').first().click();
    const definition = page.getByTestId('metric-definition');
    await definition.waitFor();
    await expect(definition.textContent()).resolves.toMatch(/most common cluster|main cluster|share/i);
    await screenshot(page, 'validation-definition-en');
    await definition.getByRole('button', { name: 'Close' }).click();
    await definition.waitFor({ state: 'detached' });

    // The run from before the tags: nothing to score against, so a dash and what to do, never 0.000.
    await open(`/validation?run=${untaggedRun}`);
    await eventually(() => view.getAttribute('data-run-id')).toBe(String(untaggedRun));
    await page.getByTestId('no-tags').waitFor();
    const untagged = await headline();
    expect({ cohesion: untagged.cohesion, ari: untagged.ari, nmi: untagged.nmi }).toEqual({ cohesion: '—', ari: '—', nmi: '—' });
    await expect(page.getByTestId('metric-pairwise-f1').textContent()).resolves.toBe('—');
    await expect(page.getByTestId('metric-tagged').textContent()).resolves.toBe('0');
    expect(untagged.speedup).toMatch(/^\d+\.\d$/);
    await expect(page.getByTestId('run-headline').textContent()).resolves.not.toContain('0.000');
    await expect(page.getByTestId('person-table').count()).resolves.toBe(0);
    expect(storedRuns().find((r) => r.id === untaggedRun)!.metrics.taggedFaces).toBe(0);
    await screenshot(page, 'validation-untagged-en');
  });

  it('selects points on the map with a lasso and tags exactly those faces with a new name', async () => {
    await open(`/map?run=${sliderRun}&method=pca`);
    const projection = await callApi(served, 'runs/projection', { id: sliderRun, method: 'pca' });
    expect(projection.faceIds).toHaveLength(clustered);
    await mapReady(clustered);
    await expect(page.getByTestId('map-tool-lasso').getAttribute('aria-checked')).resolves.toBe('true');
    const { points, area } = await mapPixels(projection);
    for (const p of points) {
      expect(p.x).toBeGreaterThan(area.left);
      expect(p.x).toBeLessThan(area.right);
    }

    // A band from one side of the plot to a cut that falls in a wide gap between points, so none sits on the line.
    let best: { gap: number; cut: number; side: 'left' | 'right'; n: number } | null = null;
    const xs = points.map((p) => p.x).sort((a, b) => a - b);
    for (let n = 3; n <= 15; n++) {
      for (const side of ['left', 'right'] as const) {
        const [inner, outer] = side === 'left' ? [xs[n - 1], xs[n]] : [xs[xs.length - n], xs[xs.length - n - 1]];
        const gap = Math.abs(outer - inner);
        if (!best || gap > best.gap) best = { gap, cut: (inner + outer) / 2, side, n };
      }
    }
    expect(best!.gap, 'a gap between points to draw the lasso through').toBeGreaterThan(8);
    const { cut, side } = best!;
    const inside = (p: { x: number }) => (side === 'left' ? p.x < cut : p.x > cut);
    const expected = points
      .filter(inside)
      .map((p) => p.faceId)
      .sort((a, b) => a - b);
    expect(expected).toHaveLength(best!.n);

    const edge = side === 'left' ? area.left + 3 : area.right - 3;
    const corners = [
      [edge, area.top + 3],
      [cut, area.top + 3],
      [cut, area.bottom - 3],
      [edge, area.bottom - 3],
      [edge, area.top + 12],
    ] as const;
    await page.mouse.move(corners[0][0], corners[0][1]);
    await page.mouse.down();
    for (const [x, y] of corners.slice(1)) await page.mouse.move(x, y, { steps: 12 });
    await page.mouse.up();

    const selection = page.getByTestId('map-selection');
    await selection.waitFor();
    await eventually(() => selection.getAttribute('data-count')).toBe(String(expected.length));
    await expect(page.getByTestId('map-selection-face').count()).resolves.toBe(Math.min(16, expected.length));
    await waitForImages(page);
    await screenshot(page, 'map-lasso-en');

    await page.getByTestId('map-tag').click();
    const name = selection.getByTestId('name-input');
    await name.fill(LASSO_NAME);
    await expect(selection.getByTestId('name-create').textContent()).resolves.toContain(LASSO_NAME);
    await expect(selection.getByTestId('name-option').count()).resolves.toBe(0);
    await name.press('Enter');
    await eventually(() => facesTagged(LASSO_NAME)).toEqual(expected);
    expect(
      tagRows(catalog)
        .filter((r) => r.identity === LASSO_NAME)
        .every((r) => r.source === 'user'),
    ).toBe(true);
    // The other faces keep their folder's name.
    expect(
      tagRows(catalog)
        .filter((r) => !expected.includes(r.faceId))
        .every((r) => r.path.startsWith(`${r.identity}/`)),
    ).toBe(true);
    await page.getByTestId('map-colour').selectOption('person');
    await eventually(() => page.locator('main').textContent()).toContain(LASSO_NAME);
    await closeToasts(page);
    await screenshot(page, 'map-tagged-en');
  });

  it('shows the face under the cursor when a point is hovered', async () => {
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('map-selection').count()).toBe(0);
    const projection = await callApi(served, 'runs/projection', { id: sliderRun, method: 'pca' });
    const { points } = await mapPixels(projection);
    // The point farthest from its neighbours, so the cursor can only mean it.
    const loneliness = (p: { x: number; y: number }) => Math.min(...points.filter((q) => q !== p).map((q) => Math.hypot(q.x - p.x, q.y - p.y)));
    const target = [...points].sort((a, b) => loneliness(b) - loneliness(a))[0];

    await page.mouse.move(target.x + 60, target.y + 60);
    await page.mouse.move(target.x, target.y, { steps: 6 });
    const card = page.getByTestId('map-hover');
    await card.waitFor();
    await expect(card.getAttribute('data-face-id')).resolves.toBe(String(target.faceId));
    const image = card.locator('img');
    await eventually(() =>
      image.evaluate(
        (img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth,
      ),
    ).toBeGreaterThan(0);
    const identity = tagOf(target.faceId)!.identity;
    await expect(card.textContent()).resolves.toContain(identity);
    await screenshot(page, 'map-hover-en');
    await page.mouse.move(5, 5);
  });

  it("moves a face to another person from a cluster's gallery with the keyboard", async () => {
    await open(`/clusters?run=${sliderRun}`);
    const clusters = await callApi(served, 'runs/clusters', { id: sliderRun, samples: 6 });
    const cards = page.getByTestId('cluster-card');
    await eventually(() => cards.count()).toBe(clusters.length);
    // The largest cluster whose majority is one of the cast.
    const chosen = [...clusters].filter((c) => c.majority && (CAST as readonly string[]).includes(c.majority.name)).sort((a, b) => b.size - a.size)[0];
    expect(chosen).toBeDefined();
    await page.locator(`[data-testid="cluster-card"][data-cluster="${chosen.cluster}"]`).click();
    await page.locator(`[data-testid="cluster-gallery"][data-cluster="${chosen.cluster}"]`).waitFor();
    await eventually(() => new URL(page.url()).hash).toContain(`cluster=${chosen.cluster}`);
    const grid = page.getByTestId('face-grid');
    await eventually(async () => `${await grid.getAttribute('data-status')} ${await grid.getAttribute('data-total')}`).toBe(`ready ${chosen.size}`);
    await waitForImages(page);
    await screenshot(page, 'cluster-gallery-before-en');

    const tile = page.locator(`[data-testid="face-tile"][data-identity="${chosen.majority!.name}"]`).first();
    const faceId = Number(await tile.getAttribute('data-face-id'));
    const from = chosen.majority!.name;
    const to = CAST.find((who) => who !== from && !who.startsWith(from[0]))!;
    expect(tagOf(faceId)?.identity).toBe(from);
    await tile.click();
    await eventually(() => page.getByTestId('selection-count').textContent()).toBe('1 selected');
    await page.keyboard.type(to);
    await expect(page.getByTestId('name-input').inputValue()).resolves.toBe(to);
    await page.keyboard.press('Enter');

    await eventually(() => tagOf(faceId)).toEqual({ identity: to, source: 'user' });
    // Still in the cluster (the run does not change), now under its new name.
    await eventually(() => page.locator(`[data-testid="face-tile"][data-face-id="${faceId}"]`).getAttribute('data-identity')).toBe(to);
    const after = (await callApi(served, 'runs/clusters', { id: sliderRun, samples: 6 })).find((c) => c.cluster === chosen.cluster)!;
    expect(after.tagged).toBe(chosen.tagged);
    expect(after.majority!.faces).toBe(chosen.majority!.faces - 1);
  });

  it('draws the t-SNE map of the run (no progress asserted: 40 points are quick)', async () => {
    await open(`/map?run=${sliderRun}&method=pca`);
    await mapReady(clustered);
    await page.getByTestId('map-method').selectOption('tsne');
    await eventually(() => new URL(page.url()).hash).toContain('method=tsne');
    await mapReady(clustered);
    const tsne = await callApi(served, 'runs/projection', { id: sliderRun, method: 'tsne' });
    expect(tsne.faceIds).toHaveLength(clustered);
    expect(tsne.coords.every(Number.isFinite)).toBe(true);
    // What plotly holds is the t-SNE layout, not the PCA one it replaced.
    const drawnX = await page
      .getByTestId('map-plot')
      .locator('.js-plotly-plot')
      .evaluate((el) => Array.from((el as unknown as { data: { x: ArrayLike<number> }[] }).data[0].x));
    const tsneX = tsne.coords.filter((_, i) => i % 2 === 0);
    expect([...drawnX].sort((a, b) => a - b).map((v) => v.toFixed(3))).toEqual([...tsneX].sort((a, b) => a - b).map((v) => Math.fround(v).toFixed(3)));
    await expect(page.getByTestId('map-progress').count()).resolves.toBe(0);
    await closeToasts(page);
    await screenshot(page, 'map-tsne-en');
  });

  it("names a threshold run's distance cut and where it came from in the history", async () => {
    const run = await callApi(served, 'runs/create', { algorithm: 'threshold' });
    expect(run.cut).not.toBeNull();
    const from = { given: 'as asked', tags: 'from your tags', default: 'default cut' }[run.cut!.source];
    await open('/runs');
    await page.locator('[data-testid="view-runs"][data-status="ready"]').waitFor();
    const row = page.locator(`[data-testid="run-row"][data-run-id="${run.id}"]`);
    await eventually(() => row.count()).toBe(1);
    await expect(row.locator('td').nth(4).textContent()).resolves.toBe(`Distance threshold ${run.cut!.value.toFixed(3)} · ${from}`);
    await closeToasts(page);
    await screenshot(page, 'runs-threshold-cut-en');
  });

  it('speaks Simplified Chinese in every analysis view once chosen, with a screenshot of each view in both languages', async () => {
    const clusters = await callApi(served, 'runs/clusters', { id: sliderRun, samples: 6 });
    const views: ViewInBothLanguages[] = [
      {
        name: 'runs',
        hash: '/runs',
        ready: () => page.locator('[data-testid="view-runs"][data-status="ready"] [data-testid="current-run"] [data-testid="run-headline"]').waitFor(),
        chinese: ['聚类设置', '历史记录', '内聚度'],
      },
      {
        name: 'compare',
        hash: `/runs?compare=${panelRun},${sliderRun}`,
        ready: () => page.locator('[data-testid="compare-view"] [data-testid="contingency-heatmap"]').waitFor(),
        chinese: ['每个聚类的人脸去了哪里', `运行 ${panelRun} 与运行 ${sliderRun}`],
      },
      {
        name: 'validation',
        hash: `/validation?run=${sliderRun}`,
        ready: () => page.locator('[data-testid="feature-signal"] li[data-feature]').first().waitFor(),
        chinese: ['同人内聚度', '搜索加速比', '逐人分析', '人物 × 聚类'],
      },
      { name: 'clusters', hash: `/clusters?run=${sliderRun}`, ready: () => page.getByTestId('cluster-card').first().waitFor(), chinese: ['聚类', '主要是'] },
      {
        name: 'cluster-gallery',
        hash: `/clusters?run=${sliderRun}&cluster=${clusters[0].cluster}`,
        ready: () => page.locator('[data-testid="face-grid"][data-status="ready"]').waitFor(),
        chinese: ['全部聚类', '离中心最近的在前'],
      },
      { name: 'map', hash: `/map?run=${sliderRun}&method=pca`, ready: () => mapReady(clustered), chinese: ['地图', '图例', '着色'] },
    ];
    await screenshotInBothLanguages(page, served, views, { 'nav-runs': '运行', 'nav-validation': '验证', 'nav-clusters': '聚类', 'nav-map': '地图' }, [
      'nav-runs',
      'Runs',
    ]);
  });
});
