// The UI benchmark's measures of the analysis views: the Map view drawing a 10,000-point PCA map, the Runs view's re-cluster round trip on 1,000 faces, and t-SNE of 5,000 faces in the engine.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Engine } from '../../../src/engine/engine.ts';
import type { RunReport } from '../../../src/shared/contract.ts';
import { callApi, screenshot, type Served } from '../../e2e/helpers.ts';
import { buildSyntheticLibrary, type SyntheticLibrary, type SyntheticLibraryOptions } from './synthetic-library.ts';
import { newProbedPage, probedCalls, round1, summary, waitFor, type ProbedCall } from './ui-pages.ts';

const ANALYSIS_TARGETS = { mapDrawnMs: 1_000, reclusterMs: 300, tsneMs: 10_000 };

/** After the first (uncached) map, each in a fresh browser context: the map comes from the catalog's cache. */
const MAP_WARM_NAVIGATIONS = 4;
/** Then, in the last page, the map left for the Runs view and opened again this many times. */
const MAP_SWITCHES = 4;
/** 50 photos × 20 faces; a few people tagged so that every run has metrics to show. */
const RECLUSTER_LIBRARY: SyntheticLibraryOptions = { photos: 50, facesPerPhoto: 20, people: 20, namedPeople: 8, taggedFacesPerPerson: 20, seed: 2 };
/** The first click finds the server's clustering code cold (its engine has clustered nothing yet): reported apart. */
const CLUSTER_CLICKS = 10;
const TSNE_LIBRARY: SyntheticLibraryOptions = { photos: 250, facesPerPhoto: 20, people: 20, namedPeople: 8, taggedFacesPerPerson: 40, seed: 3 };
/** One map per seed: maps are cached per run, method and seed, so each seed is computed afresh (4 s each here, 10 s allowed). */
const TSNE_SEEDS = [1, 2, 3];

/** The last answered call of a method before `beforeMs` (a view may ask again; only the answer it drew counts). */
function lastAnswered(calls: ProbedCall[], method: string, beforeMs: number): ProbedCall | undefined {
  return calls.filter((call) => call.method === method && call.answeredMs !== null && call.answeredMs <= beforeMs).at(-1);
}

async function timedCall<T>(call: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await call();
  return { ms: round1(performance.now() - started), value };
}

interface MapDraw {
  startMs: number;
  drawnMs: number;
  paintedMs: number;
  points: number;
  plotlyMs: number;
}

/** Waits for the map the probes watch (ui-probes.js) to be drawn; its timings in ms from the watch's start (navigation start or the route change). */
async function mapDrawn(page: Page, run: RunReport, label: string) {
  try {
    await waitFor(page, 'mapDrawn');
  } catch (error) {
    const chart = await page.evaluate("document.querySelector('.plotly-chart')?.dataset.status ?? 'no chart'").catch(() => 'unreadable');
    throw new Error(`${label}: plotly chart ${chart}: ${(error as Error).message}`, { cause: error });
  }
  const draw = (await page.evaluate('facetBench.mapDraw')) as MapDraw;
  if (draw.points !== run.faces) throw new Error(`${label}: the map drew ${draw.points} points, the run has ${run.faces} faces`);
  const calls = (await probedCalls(page)).filter((call) => call.startMs >= draw.startMs);
  const projection = lastAnswered(calls, 'runs/projection', draw.drawnMs);
  if (!projection) throw new Error(`${label}: the map was drawn without a runs/projection answer`);
  const longTasks = ((await page.evaluate('facetBench.longTasks')) as { startMs: number; ms: number }[]).filter(
    (task) => task.startMs >= draw.startMs && task.startMs < draw.drawnMs,
  );
  const since = (ms: number) => round1(ms - draw.startMs);
  return {
    drawnMs: since(draw.paintedMs),
    projectionAskedMs: since(projection.startMs),
    projectionMs: round1(projection.answeredMs! - projection.startMs),
    drawMs: round1(draw.paintedMs - projection.answeredMs!),
    // Plotly.react's own time; the rest of drawMs is waiting for plotly (loading, compiling) and the frame.
    plotlyReactMs: round1(draw.plotlyMs),
    points: draw.points,
    longTasks: longTasks.map((task) => ({ atMs: since(task.startMs), ms: round1(task.ms) })),
  };
}

/** One navigation to the run's PCA map in a fresh browser context, until the plot is drawn and the next frame begun. */
async function openMap(browser: Browser, served: Served, run: RunReport, label: string) {
  const page = await newProbedPage(browser, label);
  await page.goto(`${served.url}#/map?run=${run.id}&method=pca`, { waitUntil: 'commit' });
  const drawn = await mapDrawn(page, run, label);
  // When plotly's chunk (megabytes, fetched while the engine works) had arrived: a fast answer waits for it to load and compile.
  const plotlyChunkMs = (await page.evaluate(
    "performance.getEntriesByType('resource').find((entry) => entry.name.includes('plotly'))?.responseEnd ?? null",
  )) as number | null;
  const { drawnMs, ...rest } = drawn;
  return { page, navigation: { fromNavigationMs: drawnMs, ...rest, plotlyChunkArrivedMs: plotlyChunkMs === null ? null : round1(plotlyChunkMs) } };
}

/** In the running app (plotly loaded): to the Runs view and back to the map by route changes, timed from the change to the map. */
async function switchToMap(page: Page, run: RunReport, label: string) {
  await page.evaluate("location.hash = '#/runs'");
  await waitFor(page, 'runsReady');
  await page.evaluate(`facetBench.switchToMap(${JSON.stringify(`#/map?run=${run.id}&method=pca`)})`);
  const { drawnMs, ...rest } = await mapDrawn(page, run, label);
  return { fromRouteChangeMs: drawnMs, ...rest };
}

/** The Map view on the served catalog: one run made through the engine, its PCA map uncached on the first navigation, cached after. */
export async function measureMap(browser: Browser, served: Served) {
  const created = await timedCall(() => callApi(served, 'runs/create', {}));
  const run = created.value;
  const navigations = [];
  const switches = [];
  for (let i = 0; i <= MAP_WARM_NAVIGATIONS; i++) {
    const { page, navigation } = await openMap(browser, served, run, `map ${i === 0 ? 'cold' : `warm ${i}`}`);
    navigations.push(navigation);
    if (i === MAP_WARM_NAVIGATIONS) {
      for (let j = 0; j < MAP_SWITCHES; j++) switches.push(await switchToMap(page, run, `map switch ${j + 1}`));
      // For people to look at: the 10,000 points as the view drew them (test-results/ is git-ignored).
      await screenshot(page, 'bench-map-pca');
    }
    await page.context().close();
  }
  const [cold, ...warm] = navigations;
  const warmFromNavigation = summary(warm.map((navigation) => navigation.fromNavigationMs));
  const fromRouteChange = summary(switches.map((change) => change.fromRouteChangeMs));
  const target = ANALYSIS_TARGETS.mapDrawnMs;
  return {
    what: "#/map?run=<id>&method=pca until the plot carries data-points (the view sets it once Plotly.react has drawn the scattergl trace) and the next frame begins; in-page performance.now(). projectionMs: the page's runs/projection call from fetch to JSON parsed (engine + HTTP + JSON); drawMs: from that answer to the frame after the drawing (waiting for plotly to load and compile when the answer comes first, Plotly.react, the frame); longTasks: main-thread tasks over 50 ms meanwhile (start, length)",
    target: `< ${target} ms`,
    run: {
      id: run.id,
      faces: run.faces,
      k: run.k,
      createMs: created.ms,
      createNote: 'runs/create with defaults through the served engine (HTTP), after the Faces measures',
    },
    cold: {
      ...cold,
      note: 'page.goto in a fresh browser context, the map not yet computed: projectionMs is the engine making the PCA map (uncached) plus HTTP and JSON',
    },
    warm: {
      fromNavigation: warmFromNavigation,
      projection: summary(warm.map((navigation) => navigation.projectionMs)),
      draw: summary(warm.map((navigation) => navigation.drawMs)),
      note: 'page.goto in a fresh browser context (plotly fetched and compiled afresh), the map from the catalog cache',
    },
    inApp: {
      fromRouteChange,
      projection: summary(switches.map((change) => change.projectionMs)),
      draw: summary(switches.map((change) => change.drawMs)),
      note: `in the last warm page: to #/runs and back to the map by a route change, ${MAP_SWITCHES} times; plotly already loaded, the map from the catalog cache`,
    },
    met: {
      coldFromNavigation: cold.fromNavigationMs < target,
      coldDraw: cold.drawMs < target,
      warmFromNavigationMedian: warmFromNavigation.medianMs < target,
      warmFromNavigationP95: warmFromNavigation.p95Ms < target,
      inAppMedian: fromRouteChange.medianMs < target,
      inAppP95: fromRouteChange.p95Ms < target,
    },
    navigations,
    switches,
  };
}

/** The 1,000-face catalog for the re-cluster measure, built apart from the main one (it needs its own `facet serve`). */
export function buildReclusterLibrary(work: string): Promise<SyntheticLibrary> {
  return buildSyntheticLibrary(join(work, 'recluster'), RECLUSTER_LIBRARY);
}

/**
 * The Runs view on the 1,000-face catalog: one run made through the engine first (so the view opens on the panel and
 * its headline), then the Cluster button clicked CLUSTER_CLICKS times, the seed changed before each click.
 */
export async function measureRecluster(browser: Browser, served: Served) {
  const first = await timedCall(() => callApi(served, 'runs/create', {}));
  const page = await newProbedPage(browser, 'runs');
  await page.goto(`${served.url}#/runs`, { waitUntil: 'commit' });
  await waitFor(page, 'runsReady');
  const clicks = [];
  for (let i = 0; i < CLUSTER_CLICKS; i++) {
    const seed = 100 + i;
    await page.fill('[data-testid=param-seed]', String(seed));
    await page.evaluate('facetBench.armClusterWatch()');
    await page.click('[data-testid=cluster-button]');
    await waitFor(page, 'clusterShown');
    const watch = (await page.evaluate('facetBench.clusterWatch')) as {
      clickMs: number;
      domMs: number;
      shownMs: number;
      runId: number;
      runIdBefore: number;
      rowsBefore: number;
      cohesion: string;
    };
    const create = lastAnswered(await probedCalls(page), 'runs/create', watch.domMs);
    if (!create || create.startMs < watch.clickMs) throw new Error(`click ${i + 1}: the new run was shown without a runs/create call after the click`);
    clicks.push({
      seed,
      ms: round1(watch.shownMs - watch.clickMs),
      runsCreateMs: round1(create.answeredMs! - create.startMs),
      clickToRequestMs: round1(create.startMs - watch.clickMs),
      answerToShownMs: round1(watch.shownMs - create.answeredMs!),
      runId: watch.runId,
      historyRows: watch.rowsBefore + 1,
      cohesion: watch.cohesion,
    });
  }
  await page.context().close();
  const [cold, ...warm] = clicks;
  const warmSummary = summary(warm.map((click) => click.ms));
  const target = ANALYSIS_TARGETS.reclusterMs;
  return {
    what: `#/runs on a catalog of ${RECLUSTER_LIBRARY.photos * RECLUSTER_LIBRARY.facesPerPhoto} faces (${RECLUSTER_LIBRARY.namedPeople} people × ${RECLUSTER_LIBRARY.taggedFacesPerPerson} faces tagged) opened on one run; seed typed, Cluster clicked: from the click (capture phase) until the panel shows a new run id with its cohesion and the history has one more run-row, and the next frame begins; in-page performance.now(). runsCreateMs: the page's runs/create call from fetch to JSON parsed (engine + HTTP)`,
    target: `< ${target} ms`,
    settings: 'defaults of the first run (descriptor, no PCA, k-means k = 10, 10 restarts), seed 100 + click',
    firstRunMs: first.ms,
    firstRunNote: 'the run the view opens on: runs/create with defaults through the served engine (HTTP), before the page',
    coldMs: cold.ms,
    coldNote: 'first click in the page: the served engine had clustered once before, for the run the view opens on',
    warm: { ...warmSummary, runsCreate: summary(warm.map((click) => click.runsCreateMs)) },
    all: summary(clicks.map((click) => click.ms)),
    met: { coldClick: cold.ms < target, warmMedian: warmSummary.medianMs < target, warmP95: warmSummary.p95Ms < target },
    clicks,
  };
}

/** t-SNE of a 5,000-face run through Engine.call in this process (the map job's worker thread), once per seed: nothing is cached across seeds. */
export async function measureTsne(work: string) {
  const library = await buildSyntheticLibrary(join(work, 'tsne'), TSNE_LIBRARY);
  const engine = new Engine({ dataDir: join(work, 'tsne', 'engine-data') });
  try {
    await engine.openCatalogFile(library.catalogFile);
    const run = await engine.call('runs/create', {});
    const maps = [];
    for (const seed of TSNE_SEEDS) {
      const { ms, value } = await timedCall(() => engine.call('runs/projection', { id: run.id, method: 'tsne', seed }));
      maps.push({ seed, ms, points: value.faceIds.length });
    }
    const times = summary(maps.map((map) => map.ms));
    const target = ANALYSIS_TARGETS.tsneMs;
    return {
      what: `Engine.call('runs/projection', { method: 'tsne', seed }) on a run with defaults over a synthetic catalog of ${library.faces} faces (${TSNE_LIBRARY.photos} photos, built in ${library.seconds.total} s), in this process with no browser running; each seed uncached; the time includes reading the run's features and the worker thread's start`,
      target: `≤ ${target} ms`,
      runFaces: run.faces,
      ...times,
      met: { median: times.medianMs <= target, p95: times.p95Ms <= target },
      maps,
    };
  } finally {
    await engine.close();
  }
}
