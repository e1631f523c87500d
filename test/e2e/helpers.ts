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
export const screenshotDir = join(repoRoot, 'test-results');

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
  void facet.done.then(() => (exited = true), () => (exited = true));
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
      return images
        .map((el) => el as unknown as { src: string; complete: boolean; naturalWidth: number; getBoundingClientRect(): { top: number; bottom: number; left: number; right: number; width: number } })
        .filter((img) => {
          const r = img.getBoundingClientRect();
          return r.width > 0 && r.bottom > 0 && r.top < view.innerHeight && r.right > 0 && r.left < view.innerWidth;
        })
        .filter((img) => !img.complete || img.naturalWidth === 0)
        // Without the query, which carries the session token.
        .map((img) => img.src.split('?')[0]);
    });
  await expect.poll(pending, { timeout, message: 'images in the window that did not arrive' }).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
