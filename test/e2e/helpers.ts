// Shared pieces of the browser tests: `facet serve` as a child process, its contract over HTTP, Debian's chromium, a page
// watcher that collects console errors, uncaught exceptions and Content-Security-Policy violations, and screenshots.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Method, Request, Responses } from '../../src/shared/contract.ts';
import { repoRoot, startFacet, type FacetProcess } from '../helpers/cli.ts';

/** The browser: Debian's chromium unless FACET_CHROMIUM names another (playwright-core downloads none). */
export const chromiumPath = process.env.FACET_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** `facet serve` serves the built renderer: `npm run build` must have run (.ci/run does it before `npm test`). */
export const rendererIndex = join(repoRoot, 'out/renderer/index.html');
export const rendererBuilt = existsSync(rendererIndex);

/** Screenshots of every view the tests visit, for people to look at (test-results/ is git-ignored). */
const screenshotDir = join(repoRoot, 'test-results');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface Served {
  /** The address `facet serve` printed, token included. */
  url: string;
  origin: string;
  facet: FacetProcess;
  stop(): Promise<void>;
}

/** Starts `facet serve --port 0 …` and waits for the URL it prints as its first line. */
export async function startServe(options: { dataDir: string; args?: string[]; timeoutMs?: number }): Promise<Served> {
  const facet = startFacet(['serve', '--port', '0', ...(options.args ?? [])], { dataDir: options.dataDir });
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let exited = false;
  void facet.done.then(
    () => (exited = true),
    () => (exited = true),
  );
  while (!/\n/.test(facet.output.stdout)) {
    if (exited) throw new Error(`facet serve exited before printing its URL:\n${facet.output.stderr}`);
    if (Date.now() > deadline) {
      facet.child.kill('SIGKILL');
      throw new Error(`facet serve printed no URL in time:\n${facet.output.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = facet.output.stdout.split('\n')[0].trim();
  if (!/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+$/.test(url)) throw new Error(`facet serve printed ${JSON.stringify(url)}, not its URL`);
  return {
    url,
    origin: new URL(url).origin,
    facet,
    async stop() {
      if (facet.child.exitCode !== null || facet.child.signalCode !== null) return;
      facet.child.kill('SIGTERM');
      const killer = setTimeout(() => facet.child.kill('SIGKILL'), 15_000);
      await facet.done.catch(() => undefined);
      clearTimeout(killer);
    },
  };
}

/**
 * Calls the contract over HTTP the way the page does (the token in a header, no Origin), so a test can ask the
 * engine behind the page what it would now answer; an error answer throws with the engine's message.
 */
export async function callApi<M extends Method>(served: Served, method: M, params: Request<M>): Promise<Responses[M]> {
  const token = new URL(served.url).searchParams.get('token') ?? '';
  const response = await fetch(`${served.origin}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-facet-token': token },
    body: JSON.stringify({ method, params }),
  });
  const body = (await response.json()) as { ok: true; result: Responses[M] } | { ok: false; error: { name: string; message: string } };
  if (!body.ok) throw new Error(`${method} answered ${response.status}: ${body.error.name}: ${body.error.message}`);
  return body.result;
}

export interface PageProblem {
  kind: 'console' | 'pageerror' | 'csp';
  text: string;
  url?: string;
}

/**
 * Records what should never happen on a page: console errors, uncaught exceptions and CSP
 * violations (the init script runs before the page's own scripts, outside its CSP).
 * `allow` lets a test name the few console messages it expects.
 */
export async function watchPage(page: Page, allow: (message: ConsoleMessage) => boolean = () => false): Promise<PageProblem[]> {
  const problems: PageProblem[] = [];
  await page.exposeFunction('__facetCspViolation', (text: string) => problems.push({ kind: 'csp', text }));
  // A string, not a function: this file is type-checked without the DOM library.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      window.__facetCspViolation?.(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' (' + event.sourceFile + ':' + event.lineNumber + ')');
    });`,
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && !allow(message)) problems.push({ kind: 'console', text: message.text(), url: message.location().url });
  });
  page.on('pageerror', (error) => problems.push({ kind: 'pageerror', text: `${error.name}: ${error.message}` }));
  return problems;
}

/**
 * Waits until every image inside the window has arrived (lazy images further down are left alone), so a
 * screenshot shows the faces rather than grey squares; an image that never arrives fails the wait.
 */
export async function waitForImages(page: Page, timeout = 15_000): Promise<void> {
  const pending = () =>
    page.locator('img').evaluateAll((images) => {
      const view = globalThis as unknown as { innerWidth: number; innerHeight: number };
      return (
        images
          .map(
            (el) =>
              el as unknown as {
                src: string;
                complete: boolean;
                naturalWidth: number;
                getBoundingClientRect(): { top: number; bottom: number; left: number; right: number; width: number };
              },
          )
          .filter((img) => {
            const r = img.getBoundingClientRect();
            return r.width > 0 && r.bottom > 0 && r.top < view.innerHeight && r.right > 0 && r.left < view.innerWidth;
          })
          .filter((img) => !img.complete || img.naturalWidth === 0)
          // Without the query, which carries the session token.
          .map((img) => img.src.split('?')[0])
      );
    });
  await expect.poll(pending, { timeout, message: 'images in the window that did not arrive' }).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A poll with room for a busy machine: the engine writes the catalog a moment after the page asked. */
export const eventually = <T>(read: () => T | Promise<T>, timeout = 15_000) => expect.poll(read, { timeout });

/** Closes the confirmations left in the corner so a screenshot shows the view; none of them may be an error. */
export async function closeToasts(page: Page, timeout = 15_000): Promise<void> {
  const toasts = page.getByTestId('toast');
  await expect(page.locator('[data-testid="toast"].error').allTextContents()).resolves.toEqual([]);
  await eventually(async () => {
    // One at a time: a closed toast fades out before it leaves the page, and clicking it again does nothing.
    if ((await toasts.count()) > 0)
      await toasts
        .first()
        .getByRole('button')
        .click({ timeout: 1_000 })
        .catch(() => undefined);
    return toasts.count();
  }, timeout).toBe(0);
}

/** A view to screenshot in both languages: where it is, when it is ready, and words its Chinese must contain. */
export interface ViewInBothLanguages {
  name: string;
  hash: string;
  ready: () => Promise<unknown>;
  chinese: string[];
}

/**
 * Switches the app to English, then Simplified Chinese, and screenshots every view in each as `<name>-<locale>`;
 * in Chinese each listed navigation entry and the view's words must show. Ends in English again, waiting until
 * `backInEnglish` (a navigation entry and its English text) reads so.
 */
export async function screenshotInBothLanguages(
  page: Page,
  served: Served,
  views: ViewInBothLanguages[],
  chineseNav: Record<string, string>,
  backInEnglish: [testId: string, text: string],
  timeout = 15_000,
): Promise<void> {
  for (const locale of ['en', 'zh-CN'] as const) {
    await page.getByTestId('language-switch').selectOption(locale);
    await eventually(() => page.locator('html').getAttribute('lang'), timeout).toBe(locale);
    for (const view of views) {
      await page.goto(`${served.origin}/#${view.hash}`);
      await view.ready();
      if (locale === 'zh-CN') {
        for (const [testId, text] of Object.entries(chineseNav)) await expect(page.getByTestId(testId).textContent()).resolves.toContain(text);
        const text = (await page.locator('main').textContent()) ?? '';
        for (const words of view.chinese) expect(text, `${view.name} in Chinese`).toContain(words);
      }
      await closeToasts(page, timeout);
      await waitForImages(page);
      await screenshot(page, `${view.name}-${locale}`);
    }
  }
  await page.getByTestId('language-switch').selectOption('en');
  await eventually(() => page.getByTestId(backInEnglish[0]).textContent(), timeout).toContain(backInEnglish[1]);
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
}

/** The app served on `catalog` in a fresh page, watched for problems, with the Library view's counts shown. */
export async function openServedCatalog(options: {
  dataDir: string;
  catalog: string;
  viewport?: { width: number; height: number };
  allow?: (message: ConsoleMessage) => boolean;
}): Promise<{ served: Served; browser: Browser; page: Page; problems: PageProblem[] }> {
  const served = await startServe({ dataDir: options.dataDir, args: ['--db', options.catalog] });
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 } });
  const page = await context.newPage();
  const problems = await watchPage(page, options.allow);
  await page.goto(served.url);
  await page.getByTestId('library-stats').waitFor();
  return { served, browser, page, problems };
}
