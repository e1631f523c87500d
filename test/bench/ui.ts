// UI benchmark (npm run bench -- ui [--skip-tsne]): the Faces, Map and Runs views of `facet serve` in headless Chromium on synthetic catalogs; prints one JSON object.
// Measures the first painted grid after navigation, frame intervals while the grid scrolls, the round trip of tagging 100 faces
// (10,000 faces), drawing the 10,000-point PCA map, the re-cluster round trip (1,000 faces), and t-SNE of 5,000 faces in the engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page, Request } from 'playwright-core';
import { chromiumPath, hasChromium, launchBrowser, rendererBuilt, rendererIndex, startServe, type Served } from '../e2e/helpers.ts';
import { Engine } from '../../src/engine/engine.ts';
import { buildReclusterLibrary, measureMap, measureRecluster, measureTsne } from './helpers/analysis-views.ts';
import { buildSyntheticLibrary } from './helpers/synthetic-library.ts';
import { newProbedPage, round1, summary, VIEWPORT, waitFor, watchedPages } from './helpers/ui-pages.ts';

if (!rendererBuilt) {
  console.error(`the UI benchmark serves the built renderer and ${rendererIndex} is missing: run npm run build first`);
  process.exit(1);
}
if (!hasChromium) {
  console.error(`the UI benchmark needs Chromium at ${chromiumPath} (or FACET_CHROMIUM naming another)`);
  process.exit(1);
}

// --skip-tsne leaves out the t-SNE of 5,000 faces (three maps of a few seconds each, and a third catalog to build).
const { values: options } = parseArgs({ options: { 'skip-tsne': { type: 'boolean', default: false } } });

const LIBRARY = { photos: 500, facesPerPhoto: 20, people: 20, namedPeople: 8, taggedFacesPerPerson: 40, seed: 1 };
/** The first navigation finds the server cold (no face crop made yet); the others each use a fresh browser context. */
const NAVIGATIONS = 6;
const IDLE_MS = 1_000;
const SCROLL_RUNS = 3;
const SCROLL_RUN_MS = 4_000;
const TAG_RUNS = 6;
/** Runs again after the scroll runs, when the grid has shown thousands of faces (it reloads only the pages on screen). */
const TAG_RUNS_AFTER_SCROLL = 2;
const TAG_SELECTION = 100;
const ENGINE_REPEATS = 7;
const TARGETS = { firstGridMs: 1_000, scrollFrameP95Ms: 16, tagRoundTripMs: 200 };
/** A frame interval this much longer than the display's period means at least one frame was skipped. */
const LATE_FRAME_FACTOR = 1.5;

/** Review and list calls timed in the engine itself (no HTTP, no browser): the suggestion target is < 200 ms at 10,000 faces. */
async function measureEngineCalls(work: string, catalogFile: string): Promise<Record<string, unknown>> {
  const engine = new Engine({ dataDir: join(work, 'engine-data') });
  try {
    await engine.openCatalogFile(catalogFile);
    const person = (await engine.call('identities/list', {}))[0];
    // The first call builds the engine's in-memory face index (as the first view after a scan does): timed apart.
    const started = performance.now();
    await engine.call('faces/list', { limit: 200 });
    const firstListMs = round1(performance.now() - started);
    const time = async (call: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < ENGINE_REPEATS; i++) {
        const t0 = performance.now();
        await call();
        times.push(performance.now() - t0);
      }
      return summary(times);
    };
    return {
      what: `median of ${ENGINE_REPEATS} calls each, through Engine.call on the same catalog, after one faces/list that builds the face index`,
      firstFacesListMs: firstListMs,
      suggestionsAll: { target: '< 200 ms', ...(await time(() => engine.call('suggestions/list', {}))) },
      suggestionsOnePerson: { target: '< 200 ms', ...(await time(() => engine.call('suggestions/list', { identityId: person.id }))) },
      facesListPage: await time(() => engine.call('faces/list', { limit: 200, order: 'photo' })),
      facesIdsAll: await time(() => engine.call('faces/ids', {})),
    };
  } finally {
    await engine.close();
  }
}

interface FirstGrid {
  tilesVisibleMs?: number;
  imagesLoadedMs?: number;
  paintedMs?: number;
  visibleTiles?: number;
  timedOut?: boolean;
}

interface ScrollRun {
  intervals: number[];
  /** Each frame's main-thread work: from its start until its style, layout and paint were done. */
  work: number[];
  rowPitch: number;
  columns: number;
  rowsScrolled: number;
  facesScrolledPast: number;
  longTasks: number[];
}

/** A fresh browser context (empty cache and storage) on the Faces view, once its first grid is painted. */
async function openFacesView(
  browser: Browser,
  served: Served,
  label: string,
): Promise<{ page: Page; firstGrid: FirstGrid; firstContentfulPaintMs: number | null }> {
  const page = await newProbedPage(browser, label);
  await page.goto(`${served.url}#/faces`, { waitUntil: 'commit' });
  await waitFor(page, 'firstGridDone');
  const firstGrid = (await page.evaluate('window.facetBench.firstGrid')) as FirstGrid;
  if (firstGrid.timedOut) throw new Error(`${label}: the Faces view showed no grid with loaded images within 30 s`);
  const firstContentfulPaintMs = (await page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null")) as number | null;
  return { page, firstGrid, firstContentfulPaintMs };
}

async function measureNavigation(browser: Browser, served: Served) {
  const runs = [];
  for (let i = 0; i < NAVIGATIONS; i++) {
    const { page, firstGrid, firstContentfulPaintMs } = await openFacesView(browser, served, `navigation ${i + 1}`);
    await page.context().close();
    runs.push({
      paintedMs: round1(firstGrid.paintedMs!),
      tilesVisibleMs: round1(firstGrid.tilesVisibleMs!),
      imagesLoadedMs: round1(firstGrid.imagesLoadedMs!),
      firstContentfulPaintMs: firstContentfulPaintMs === null ? null : round1(firstContentfulPaintMs),
      visibleTiles: firstGrid.visibleTiles,
    });
  }
  const [cold, ...warm] = runs;
  const warmSummary = summary(warm.map((run) => run.paintedMs));
  return {
    what: 'page.goto of #/faces in a fresh browser context until every face tile in the scroller is visible with its image loaded, decoded (img.decode) and the next frame begun; ms since navigation start (in-page performance.now())',
    target: `< ${TARGETS.firstGridMs} ms`,
    coldMs: cold.paintedMs,
    coldNote: 'first navigation: the server makes each face crop for the first time and answers its first queries',
    warm: { ...warmSummary, note: 'later navigations: crops cached by the server, browser cache empty' },
    met: {
      coldRun: cold.paintedMs < TARGETS.firstGridMs,
      warmMedian: warmSummary.medianMs < TARGETS.firstGridMs,
      warmP95: warmSummary.p95Ms < TARGETS.firstGridMs,
    },
    runs,
  };
}

async function measureScroll(page: Page) {
  const idle = summary((await page.evaluate(`facetBench.idleFrames(${IDLE_MS})`)) as number[]);
  const runs: ScrollRun[] = [];
  for (let i = 0; i < SCROLL_RUNS; i++) runs.push((await page.evaluate(`facetBench.scrollFrames(${SCROLL_RUN_MS}, 1)`)) as ScrollRun);
  const all = runs.flatMap((run) => run.intervals);
  const pooled = summary(all);
  const work = summary(runs.flatMap((run) => run.work));
  const lateLimit = idle.medianMs * LATE_FRAME_FACTOR;
  const late = (intervals: number[]) => intervals.filter((ms) => ms > lateLimit).length;
  return {
    what: `${SCROLL_RUNS} runs of ${SCROLL_RUN_MS / 1000} s one after the other, the grid's scroller moving down one row per frame (scrollTop set in the requestAnimationFrame callback); crops of faces not seen before are made by the server meanwhile`,
    target: `p95 < ${TARGETS.scrollFrameP95Ms} ms`,
    frameWork: {
      what: "each frame's main-thread work: from its requestAnimationFrame time until a message posted in that callback arrived (after the frame's scroll handlers, rendering, style, layout and paint)",
      ...work,
    },
    frameIntervals: {
      what: 'frame-to-frame intervals (requestAnimationFrame, in the page)',
      idleFramePeriodMs: idle.medianMs,
      note: `the display paces frames at ${idle.medianMs} ms even when idle, so intervals show skipped frames but not spare time; lateFrames counts intervals over ${LATE_FRAME_FACTOR} periods (a skipped frame)`,
      ...pooled,
      lateFrames: late(all),
      lateShare: Math.round((1000 * late(all)) / all.length) / 1000,
    },
    met: { frameWorkP95: work.p95Ms < TARGETS.scrollFrameP95Ms, noSkippedFrames: late(all) === 0 },
    runs: runs.map((run) => ({
      ...summary(run.intervals),
      frames: run.intervals.length,
      frameWorkP95Ms: summary(run.work).p95Ms,
      lateFrames: late(run.intervals),
      rowsScrolled: run.rowsScrolled,
      facesScrolledPast: run.facesScrolledPast,
      columns: run.columns,
      rowPitchPx: round1(run.rowPitch),
      longTasks: run.longTasks.length,
      longestTaskMs: run.longTasks.length ? round1(Math.max(...run.longTasks)) : 0,
    })),
  };
}

interface TileAt {
  index: number;
  faceId: number;
  identity: string;
}

const tilesByIndex = async (page: Page) => (await page.evaluate('facetBench.tilesByIndex()')) as TileAt[];

/** Selects the first TAG_SELECTION faces of the grid (a click on the first tile, Shift+arrows to the last); returns the tiles then on screen. */
async function selectFirstFaces(page: Page): Promise<TileAt[]> {
  await page.evaluate("document.querySelector('[data-testid=grid-scroller]').scrollTop = 0");
  await waitFor(page, 'tileAt', 0);
  const first = (await tilesByIndex(page))[0];
  await page.click(`[data-testid=face-tile][data-face-id="${first.faceId}"]`);
  const { columns } = (await page.evaluate('facetBench.gridGeometry()')) as { columns: number };
  const last = TAG_SELECTION - 1;
  for (let i = 0; i < Math.floor(last / columns); i++) await page.keyboard.press('Shift+ArrowDown');
  for (let i = 0; i < last % columns; i++) await page.keyboard.press('Shift+ArrowRight');
  await waitFor(page, 'selectionCount', TAG_SELECTION);
  return tilesByIndex(page);
}

interface ApiCall {
  method: string;
  /** From the page's fetch until the request went out (waiting for one of the browser's six connections to the server). */
  queuedMs: number | null;
  /** From the page's fetch to the last byte of the answer; null while unanswered. */
  ms: number | null;
}

/** Records the contract calls a page makes until stopped, with their timings as the browser saw them. */
function recordApiCalls(page: Page): () => ApiCall[] {
  const calls = new Map<Request, ApiCall>();
  const onRequest = (request: Request) => {
    if (new URL(request.url()).pathname !== '/api/call') return;
    calls.set(request, { method: (request.postDataJSON() as { method: string }).method, queuedMs: null, ms: null });
  };
  const onFinished = (request: Request) => {
    const call = calls.get(request);
    if (!call) return;
    const timing = request.timing();
    call.queuedMs = round1(timing.requestStart);
    call.ms = round1(timing.responseEnd);
  };
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);
  return () => {
    page.off('request', onRequest);
    page.off('requestfinished', onFinished);
    return [...calls.values()];
  };
}

/** Tags the first TAG_SELECTION faces `count` times; run numbers from `firstRun` keep the new names apart. */
async function tagRuns(page: Page, existingNames: string[], count: number, firstRun: number) {
  const runs = [];
  for (let run = firstRun; run < firstRun + count; run++) {
    // New and existing people in turn; new names contain no other name, so Enter creates them.
    const isNew = run % 2 === 0;
    const name = isNew ? `Newcomer ${run + 1}` : existingNames[run % existingNames.length];
    const before = await selectFirstFaces(page);
    // Measured once the crops on screen have arrived: until then the contract calls wait for a connection behind them.
    await waitFor(page, 'imagesLoaded');
    const shownIds = before.filter((tile) => tile.index < TAG_SELECTION).map((tile) => tile.faceId);
    await page.click('[data-testid=tag-button]');
    await page.fill('[data-testid=name-input]', name);
    await page.evaluate(`facetBench.armTagWatch(${JSON.stringify(shownIds)}, ${JSON.stringify(name)})`);
    const stopRecording = recordApiCalls(page);
    await page.keyboard.press('Enter');
    await waitFor(page, 'tagShown');
    const watch = (await page.evaluate('facetBench.tagWatch')) as { enterMs: number; domMs: number; shownMs: number };
    // Only tiles seen before Enter can tell: the others may have carried the name already.
    const identityBefore = new Map(before.map((tile) => [tile.faceId, tile.identity]));
    const stray = (await tilesByIndex(page)).filter(
      (tile) => tile.index >= TAG_SELECTION && tile.identity === name && identityBefore.has(tile.faceId) && identityBefore.get(tile.faceId) !== name,
    ).length;
    const apiCalls = stopRecording();
    if (stray > 0) throw new Error(`tagging "${name}" also named ${stray} tiles outside the selection`);
    runs.push({
      person: isNew ? 'new' : 'existing',
      name,
      ms: round1(watch.shownMs - watch.enterMs),
      domMs: round1(watch.domMs - watch.enterMs),
      tilesWatched: shownIds.length,
      apiCalls,
    });
  }
  return runs;
}

function taggingSummary(runs: Awaited<ReturnType<typeof tagRuns>>) {
  const all = summary(runs.map((run) => run.ms));
  return { ...all, met: { median: all.medianMs < TARGETS.tagRoundTripMs, p95: all.p95Ms < TARGETS.tagRoundTripMs }, runs };
}

const work = mkdtempSync(join(tmpdir(), 'facet-bench-ui-'));
const loadAtStart = loadavg();
let served: Served | undefined;
let browser: Browser | undefined;
try {
  const library = await buildSyntheticLibrary(work, LIBRARY);
  console.error(`synthetic library: ${library.photos} photos, ${library.faces} faces built in ${library.seconds.total} s`);
  const engineCalls = await measureEngineCalls(work, library.catalogFile);
  served = await startServe({ dataDir: join(work, 'serve-data'), args: ['--db', library.catalogFile] });
  browser = await launchBrowser();
  const chromiumVersion = browser.version();
  const navigation = await measureNavigation(browser, served);
  const { page } = await openFacesView(browser, served, 'tag and scroll');
  const tagging = taggingSummary(await tagRuns(page, library.names, TAG_RUNS, 0));
  const scroll = await measureScroll(page);
  const taggingAfterScroll = taggingSummary(await tagRuns(page, library.names, TAG_RUNS_AFTER_SCROLL, TAG_RUNS));
  await page.context().close();
  // After the Faces measures, so that they see the catalog as before (no run yet).
  const map = await measureMap(browser, served);
  await served.stop();
  served = undefined;
  const reclusterLibrary = await buildReclusterLibrary(work);
  served = await startServe({ dataDir: join(work, 'recluster-serve-data'), args: ['--db', reclusterLibrary.catalogFile] });
  const recluster = await measureRecluster(browser, served);
  await served.stop();
  served = undefined;
  await browser.close();
  browser = undefined;
  // Last, with no browser or server left running: the two cores are the engine's.
  const tsne = options['skip-tsne'] ? { skipped: '--skip-tsne' } : await measureTsne(work);
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'ui',
        machine: {
          cpus: cpus().length,
          model: cpus()[0]?.model,
          gpu: 'none: Chromium runs headless with --disable-gpu (software compositing)',
          node: process.version,
          chromium: chromiumVersion,
          loadAverage: { atStart: loadAtStart.map(round1), atEnd: loadavg().map(round1) },
        },
        library: {
          photos: library.photos,
          faces: library.faces,
          people: LIBRARY.people,
          taggedFaces: library.taggedFaces,
          buildSeconds: library.seconds,
          what: `${LIBRARY.photos} drawn 640×480 JPEGs, ${LIBRARY.facesPerPhoto} faces each around ${LIBRARY.people} descriptor centres, written with Catalog; ${LIBRARY.namedPeople} people named through the engine`,
        },
        viewport: VIEWPORT,
        engine: engineCalls,
        navigation,
        tagging: {
          what: `${TAG_SELECTION} faces selected (click the first tile, Shift+arrows to the ${TAG_SELECTION}th), Tag button, name typed: from the Enter keydown in the name field until every selected tile on screen carries the name (data-identity) and the next frame begins; in-page performance.now(); a page that has shown only the top of the grid`,
          target: `< ${TARGETS.tagRoundTripMs} ms`,
          apiCallsNote:
            'each run lists the contract calls the page made from Enter until the check after it, in order: queuedMs until sent, ms until the last byte of the answer (null: not answered by then)',
          ...tagging,
        },
        scroll,
        taggingAfterScroll: {
          what: `the same, in the same page after the scroll runs: the grid has shown thousands of faces by then (it reloads only the pages on screen after an edit)`,
          ...taggingAfterScroll,
        },
        map,
        recluster,
        tsne5000: tsne,
        pageProblems: watchedPages.flatMap(({ page, problems }) => problems.map((problem) => ({ page, ...problem }))),
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await browser?.close();
  await served?.stop();
  rmSync(work, { recursive: true, force: true });
}
