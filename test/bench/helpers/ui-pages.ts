// Shared pieces of the UI benchmark's measures: fresh browser pages carrying the in-page probes, waits on the probes' conditions, and the timing summary.
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { watchPage, type PageProblem } from '../../e2e/helpers.ts';

export const VIEWPORT = { width: 1280, height: 800 };
/** How long any awaited state of the page may take before the benchmark gives up. */
const WAIT_LIMIT_MS = 30_000;

const probes = fileURLToPath(new URL('./ui-probes.js', import.meta.url));

export const round1 = (x: number) => Math.round(x * 10) / 10;

/** Median and 95th percentile (nearest rank) of a list of times. */
export function summary(values: number[]): { n: number; medianMs: number; p95Ms: number; minMs: number; maxMs: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
  return { n: sorted.length, medianMs: round1(rank(0.5)), p95Ms: round1(rank(0.95)), minMs: round1(sorted[0]), maxMs: round1(sorted.at(-1)!) };
}

/** What each page logged that should never happen (console errors, exceptions, CSP violations), filled as the pages run. */
export const watchedPages: { page: string; problems: PageProblem[] }[] = [];

/** A page in a fresh browser context (empty cache and storage), watched for problems, with the probes injected before the app's scripts. */
export async function newProbedPage(browser: Browser, label: string): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  watchedPages.push({ page: label, problems: await watchPage(page) });
  await page.addInitScript({ path: probes });
  return page;
}

/** The probes' named conditions (ui-probes.js), checked in the page at every frame. */
export type ProbeCondition = 'firstGridDone' | 'tileAt' | 'selectionCount' | 'imagesLoaded' | 'tagShown' | 'mapDrawn' | 'clusterShown' | 'runsReady';

/** Waits for one of the probes' conditions: Playwright's own waitForFunction would need eval, which the app's CSP forbids. */
export async function waitFor(page: Page, condition: ProbeCondition, argument?: number): Promise<void> {
  try {
    await page.evaluate(`facetBench.waitFor(${JSON.stringify(condition)}, ${JSON.stringify(argument ?? null)}, ${WAIT_LIMIT_MS})`);
  } catch (error) {
    // What the page was doing instead: where it is, what it says, its contract calls and how long each took.
    const state = await page
      .evaluate(
        "JSON.stringify({ hash: location.hash, alerts: [...document.querySelectorAll('[role=alert], [role=status]')].map((e) => e.textContent.trim().slice(0, 160)).filter(Boolean), calls: facetBench.apiCalls.slice(-20).map((c) => c.method + ':' + (c.answeredMs === null ? 'unanswered' : Math.round(c.answeredMs - c.startMs) + 'ms')) })",
      )
      .catch(() => 'unreadable');
    const problems = watchedPages.flatMap((watched) => watched.problems.map((problem) => `${watched.page}: ${problem.kind}: ${problem.text}`));
    throw new Error(`${(error as Error).message}; the page: ${state}; page problems: ${JSON.stringify(problems)}`, { cause: error });
  }
}

/** A contract call as the page made it (ui-probes.js wraps fetch): in-page ms from the fetch to its JSON answer being parsed. */
export interface ProbedCall {
  method: string | null;
  startMs: number;
  responseMs: number | null;
  answeredMs: number | null;
}

export const probedCalls = async (page: Page) => (await page.evaluate('facetBench.apiCalls')) as ProbedCall[];
