// The Match view in a real browser over `facet serve`: photos held back from a scanned, folder-tagged TV-cast library are
// uploaded and named, nprobe moved to k searches everything, a photo with no face and a file that is no image are said
// plainly, and a photo already in the library is tagged in one click (checked in the catalog). Needs the built renderer,
// chromium and the datasets; skips otherwise.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ScanSummary } from '../../src/shared/contract.ts';
import { runFacet } from '../helpers/cli.ts';
import { copyPhotos } from '../helpers/library.ts';
import { tagRows } from '../helpers/people-library.ts';
import { dataFile, hasSharedData, sharedDataDir } from '../helpers/shared-data.ts';
import { skipWithout } from '../helpers/skips.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';
import {
  chromiumPath,
  closeToasts,
  eventually,
  hasChromium,
  openServedCatalog,
  rendererBuilt,
  rendererIndex,
  screenshot,
  waitForImages,
  type PageProblem,
  type Served,
} from './helpers.ts';

const hasCast = existsSync(join(sharedDataDir, 'faceapi-bbt-cast/amy/amy5.png'));
const skip = skipWithout('the browser test of the Match view', [
  !hasChromium && `chromium at ${chromiumPath} (apt-get install chromium, or set FACET_CHROMIUM)`,
  !hasSharedData && 'the shared datasets (../shared/data, or FACET_TEST_DATA)',
  hasSharedData && !hasCast && `the TV-cast crops of faceapi-bbt-cast in ${sharedDataDir}`,
  !rendererBuilt && `the built renderer at ${rendererIndex} (run npm run build first; .ci/run does)`,
]);

const CAST = ['amy', 'bernadette', 'howard', 'leonard', 'penny', 'raj', 'sheldon', 'stuart'] as const;
const K = 8;
/** Four photos of each person in their folder (tagged from it); the fifth is held back, except Penny's, which lies untagged at the root. */
const LIBRARY = {
  ...Object.fromEntries(CAST.flatMap((who) => [1, 2, 3, 4].map((n) => [`${who}/${who}${n}.png`, `faceapi-bbt-cast/${who}/${who}${n}.png`]))),
  'penny5.png': 'faceapi-bbt-cast/penny/penny5.png',
};
const held = (who: string) => dataFile(`faceapi-bbt-cast/${who}/${who}5.png`);

describe.skipIf(skip)('the Match view in a browser (facet serve)', () => {
  useTempDirs();
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: PageProblem[];
  let catalog: string;
  let root: string;
  let noFace: string;
  /** Set while a test sends a photo the engine refuses: chromium logs that answer (409) as a console error. */
  let refusalExpected = false;

  beforeAll(async () => {
    const dir = tempDir('facet-e2e-match-');
    root = join(dir, 'photos');
    catalog = join(dir, 'catalog.sqlite');
    const dataDir = tempDir('facet-e2e-data-');
    copyPhotos(root, LIBRARY);
    const scan = await runFacet(['scan', root, '--db', catalog, '--workers', '2', '--json'], { dataDir });
    expect(scan.code, scan.stderr).toBe(0);
    expect(JSON.parse(scan.stdout) as ScanSummary).toMatchObject({ state: 'done', analysed: 33, failed: [] });
    const tag = await runFacet(['tag', '--from-folders', '--db', catalog], { dataDir });
    expect(tag.code, tag.stderr).toBe(0);
    const cluster = await runFacet(['cluster', '--db', catalog, '--k', String(K)], { dataDir });
    expect(cluster.code, cluster.stderr).toBe(0);
    // A photo without a face, outside the library: a smooth colour gradient.
    noFace = join(dir, 'gradient.png');
    const pixels = Buffer.from(Array.from({ length: 160 * 120 * 3 }, (_, i) => (Math.floor(i / 3 / 160) * 2 + (i % 3) * 60) % 256));
    await sharp(pixels, { raw: { width: 160, height: 120, channels: 3 } })
      .png()
      .toFile(noFace);

    ({ served, browser, page, problems } = await openServedCatalog({
      dataDir,
      catalog,
      viewport: { width: 1360, height: 900 },
      allow: (message) => refusalExpected && message.text().includes('status of 409') && message.location().url.endsWith('/api/call'),
    }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  // Any console error, uncaught exception or CSP violation fails the test it happened in.
  afterEach(({ task }) => {
    if (!task.fails && problems) expect(problems.splice(0)).toEqual([]);
  });

  async function upload(file: string): Promise<void> {
    await page.getByTestId('match-file').setInputFiles(file);
  }

  /** Waits for the answer for this photo (by file name) at this nprobe: the page may still show an older one meanwhile. */
  async function resultsFor(photo: string, nprobe: number): Promise<void> {
    await page.locator(`[data-testid="match-results"][data-photo="${basename(photo)}"][data-nprobe="${nprobe}"]`).waitFor({ timeout: 30_000 });
  }

  async function nprobeNow(): Promise<number> {
    return Number(await page.getByTestId('match-nprobe').inputValue());
  }

  it('names a held-back person and shows the nearest faces as crops, the share scanned and the ms, with the cut explained', async () => {
    await page.getByTestId('nav-match').click();
    await page.getByTestId('view-match').waitFor();
    await page.getByTestId('match-drop').waitFor();
    await page.getByTestId('match-recall-chart').waitFor();
    await expect(page.getByTestId('match-nprobe').getAttribute('max')).resolves.toBe(String(K));
    await screenshot(page, 'match-empty-en');

    await upload(held('amy'));
    await resultsFor(held('amy'), await nprobeNow());
    const faces = page.getByTestId('match-face');
    await expect(faces.count()).resolves.toBe(1);
    await expect(faces.first().getAttribute('data-suggestion')).resolves.toBe('amy');
    await expect(faces.first().getByTestId('match-suggestion').textContent()).resolves.toContain('This is probably amy');
    // At most `top` (5): the clusters searched may hold fewer faces.
    const crops = faces.first().getByTestId('match-crop');
    await expect(crops.count()).resolves.toBeGreaterThan(0);
    expect(await crops.count()).toBeLessThanOrEqual(5);
    await expect(crops.first().getAttribute('data-identity')).resolves.toBe('amy');
    await expect(page.getByTestId('match-rule').textContent()).resolves.toMatch(/closer than 0\.\d\d/);
    await expect(page.getByTestId('match-not-in-library').textContent()).resolves.toContain('add it to your library folder and scan');
    await expect(page.getByTestId('match-scanned').textContent()).resolves.toMatch(/Searched \d+% of the library · in \d+(\.\d+)? ms/);
    // The map shows the clusters searched.
    const map = page.locator('[data-testid="match-map"][data-status="ready"]');
    await map.waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('match-probed-cluster').count()).resolves.toBe(await nprobeNow());
    await page.locator('[data-testid="match-map"] .plotly-chart[data-status="ready"]').waitFor();
    await waitForImages(page);
    await screenshot(page, 'match-en');
  });

  it('searches the whole library once nprobe is moved to k', async () => {
    await page.getByTestId('match-nprobe').fill(String(K));
    await expect(page.getByTestId('match-nprobe-value').textContent()).resolves.toBe(`${K} of ${K}`);
    await resultsFor(held('amy'), K);
    await expect(page.getByTestId('match-scanned').getAttribute('data-scanned')).resolves.toBe('1');
    await expect(page.getByTestId('match-scanned').textContent()).resolves.toContain('Searched 100% of the library');
    await expect(page.getByTestId('match-face').first().getAttribute('data-suggestion')).resolves.toBe('amy');
    await expect(page.getByTestId('match-recall-current').textContent()).resolves.toContain(`At ${K}:`);
    await eventually(() => page.getByTestId('match-probed-cluster').count()).toBe(K);
  });

  it('says plainly when a photo has no face, and refuses a file that is no image before sending it', async () => {
    refusalExpected = true;
    await upload(noFace);
    const error = page.getByTestId('match-error');
    await eventually(() => error.textContent()).toContain('No face was found in this photo');
    refusalExpected = false;
    await expect(page.getByTestId('match-face').count()).resolves.toBe(0);
    await screenshot(page, 'match-no-face-en');

    await page.getByTestId('match-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
    await eventually(() => error.textContent()).toContain('“notes.txt” is not an image');
  });

  it('tags the face of a photo already in the library in one click, as the person suggested', async () => {
    const before = tagRows(catalog);
    expect(before.find((r) => r.path === 'penny5.png')).toBeUndefined();
    await upload(join(root, 'penny5.png'));
    await resultsFor('penny5.png', await nprobeNow());
    await page.getByTestId('match-in-library').waitFor();
    const face = page.getByTestId('match-face').first();
    await expect(face.getAttribute('data-suggestion')).resolves.toBe('penny');
    await face.getByTestId('match-tag').click();
    await eventually(() => tagRows(catalog).find((r) => r.path === 'penny5.png')).toMatchObject({ identity: 'penny', source: 'user' });
    expect(tagRows(catalog)).toHaveLength(before.length + 1);
    await eventually(() => face.getByTestId('match-tagged').textContent()).toContain('Tagged penny in the library');
    // Matched again after the tag: the photo's own face, nearest at distance 0, now carries the name.
    await eventually(() => face.getByTestId('match-crop').first().getAttribute('data-identity')).toBe('penny');
    await closeToasts(page);
    await waitForImages(page);
    await screenshot(page, 'match-in-library-en');
  });

  it('speaks Simplified Chinese once chosen, with a screenshot', async () => {
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await eventually(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByTestId('match-nprobe').fill('2');
    await upload(held('sheldon'));
    await resultsFor(held('sheldon'), 2);
    await expect(page.getByTestId('match-face').first().getAttribute('data-suggestion')).resolves.toBe('sheldon');
    await expect(page.getByTestId('nav-match').textContent()).resolves.toContain('匹配');
    const text = (await page.locator('main').textContent()) ?? '';
    for (const words of ['这很可能是 sheldon', '聚类', '召回率与开销', '查找了图库的']) expect(text).toContain(words);
    await page.locator('[data-testid="match-map"][data-status="ready"]').waitFor({ timeout: 30_000 });
    await closeToasts(page);
    await waitForImages(page);
    await screenshot(page, 'match-zh-CN');
    await page.getByTestId('language-switch').selectOption('en');
    await eventually(() => page.locator('html').getAttribute('lang')).toBe('en');
  });
});
