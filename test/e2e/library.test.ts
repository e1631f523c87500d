// The Library view in a real browser over `facet serve`: open a folder, scan, cancel, resume, the counts shown are the
// catalog's, and the view in Simplified Chinese. Needs the built renderer (npm run build), chromium and ../shared/data; skips with a reason otherwise.
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { copyPhotos, facesIn, photosIn } from '../helpers/library.ts';
import { hasSharedData } from '../helpers/shared-data.ts';
import { skipWithout } from '../helpers/skips.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';
import {
  chromiumPath,
  hasChromium,
  launchBrowser,
  rendererBuilt,
  rendererIndex,
  screenshot,
  startServe,
  watchPage,
  type PageProblem,
  type Served,
} from './helpers.ts';

const skip = skipWithout('the browser test of the Library view', [
  !hasChromium && `chromium at ${chromiumPath} (apt-get install chromium, or set FACET_CHROMIUM)`,
  !hasSharedData && 'the shared datasets (../shared/data, or FACET_TEST_DATA)',
  !rendererBuilt && `the built renderer at ${rendererIndex} (run npm run build first; .ci/run does)`,
]);

/** 12 tightly cropped single-face photos in three folders: small enough to scan in seconds. */
const PHOTOS = Object.fromEntries(
  ['amy', 'bernadette', 'howard'].flatMap((who) => [1, 2, 3, 4].map((n) => [`${who}/${who}${n}.png`, `faceapi-bbt-cast/${who}/${who}${n}.png`])),
);
const PHOTO_COUNT = Object.keys(PHOTOS).length;
/** Plus one file with an image's name and no image inside: it must fail with a reason and not stop the scan. */
const BROKEN = 'notes/not-a-photo.jpg';
const FILE_COUNT = PHOTO_COUNT + 1;

describe.skipIf(skip)('Library view in a browser (facet serve)', () => {
  useTempDirs();
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblem[];
  let libraryRoot: string;
  let catalog: string;
  /** The API failure a step provokes on purpose; Chromium logs it as a failed resource. */
  let expectedApiStatus: number | null = 409;

  beforeAll(async () => {
    libraryRoot = tempDir('facet-e2e-library-');
    copyPhotos(libraryRoot, PHOTOS);
    mkdirSync(join(libraryRoot, 'notes'));
    writeFileSync(join(libraryRoot, BROKEN), 'meeting notes, not a JPEG\n');
    libraryRoot = realpathSync(libraryRoot);
    // The catalog goes where a user's would: FACET_DATA_DIR/catalogs/, named after the folder.
    served = await startServe({ dataDir: tempDir('facet-e2e-data-') });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    problems = await watchPage(
      page,
      // The folder that does not exist, below, is refused with 409 on purpose.
      (message) =>
        expectedApiStatus !== null && message.text().includes(`status of ${expectedApiStatus}`) && message.location().url === `${served.origin}/api/call`,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  /** What the catalog file says, read by the test itself. */
  function catalogCounts() {
    const photos = [...photosIn(catalog).values()];
    const count = (state: string) => photos.filter((p) => p.state === state).length;
    return {
      photos: photos.length,
      analysed: count('analysed'),
      pending: count('pending'),
      failed: count('failed'),
      missing: count('missing'),
      faces: facesIn(catalog).length,
    };
  }

  /** The tiles show the catalog's numbers (they refresh when job/finished arrives, so give them a moment). */
  async function expectTilesToShowCatalog(): Promise<ReturnType<typeof catalogCounts>> {
    const real = catalogCounts();
    await expect.poll(() => page.getByTestId('stat-analysed').textContent(), { timeout: 10_000 }).toBe(String(real.analysed));
    for (const key of ['photos', 'pending', 'failed', 'missing', 'faces'] as const) {
      await expect(page.getByTestId(`stat-${key}`).textContent(), key).resolves.toBe(String(real[key]));
    }
    return real;
  }

  /** Waits until the running scan is analysing and has finished at least `done` photos (polled from here:
   * a string predicate would be eval'd in the page, which its CSP rightly refuses). */
  async function waitForAnalysed(done: number): Promise<void> {
    const progress = page.getByTestId('scan-progress');
    await expect
      .poll(
        async () => {
          const stage = await progress.getAttribute('data-stage', { timeout: 1_000 }).catch(() => null);
          const count = Number(await progress.getAttribute('data-done', { timeout: 1_000 }).catch(() => 0));
          return stage === 'analysing' && count >= done;
        },
        { timeout: 150_000, interval: 50 },
      )
      .toBe(true);
  }

  it('opens with the open-folder empty state and takes the token out of the address bar', async () => {
    await page.goto(served.url);
    await page.getByTestId('library-empty').waitFor();
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await expect(page.getByRole('heading', { name: 'Open a photo library' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'library-empty');
  });

  it("shows the engine's reason when a folder cannot be opened", async () => {
    await page.getByTestId('library-path').fill(`${libraryRoot}/no-such-folder`);
    await page.getByTestId('open-library').click();
    const toast = page.getByRole('alert');
    await toast.waitFor();
    await expect(toast.textContent()).resolves.toContain('Could not open the library');
    // The engine's own words (the toast starts them with a capital).
    await expect(toast.textContent()).resolves.toContain(`ibrary folder ${libraryRoot}/no-such-folder does not exist or cannot be read`);
    await expect(page.getByTestId('library-empty').isVisible()).resolves.toBe(true);
    await screenshot(page, 'library-open-error');
    await toast.getByRole('button', { name: 'Close' }).click();
    await toast.waitFor({ state: 'detached' });
  });

  it('opens the folder typed in the path field', async () => {
    await page.getByTestId('library-path').fill(libraryRoot);
    await page.getByTestId('open-library').click();
    await page.getByTestId('scan-hint').waitFor();
    expectedApiStatus = null;
    await expect(page.getByTestId('library-root').textContent()).resolves.toBe(libraryRoot);
    await expect(page.getByTestId('scan-hint').textContent()).resolves.toContain('Ready to scan');
    catalog = (await page.getByTestId('detail-catalog').textContent())!;
    expect(catalogCounts().photos).toBe(0);
    await screenshot(page, 'library-opened');
  });

  it('says the face models are loading before the first photo, then cancels a scan once a photo is done', async () => {
    await page.getByTestId('start-scan').click();
    // This server has analysed nothing yet: its workers load the models (seconds) before any photo. Every file
    // waits for analysis, the one that is no image included.
    await page.locator('[data-testid="scan-progress"][data-stage="loading-models"]').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('scan-stage').textContent()).resolves.toBe('Loading face models…');
    await expect(page.getByTestId('scan-count').textContent()).resolves.toBe(`${FILE_COUNT} photos to analyse`);
    // The walk has put every file in the catalog: the counts show them already, all pending.
    await expect.poll(() => page.getByTestId('stat-photos').textContent(), { timeout: 5_000 }).toBe(String(FILE_COUNT));
    await screenshot(page, 'library-loading-models');
    await waitForAnalysed(1);
    await page.getByTestId('cancel-scan').click();
    await page.locator('[data-testid="scan-summary"][data-state="cancelled"]').waitFor({ timeout: 90_000 });
    await expect(page.getByTestId('scan-state').textContent()).resolves.toContain('Cancelled');
    const analysed = Number(await page.getByTestId('summary-analysed').textContent());
    expect(analysed).toBeGreaterThanOrEqual(1);
    expect(analysed).toBeLessThan(PHOTO_COUNT);
    const real = await expectTilesToShowCatalog();
    expect(real).toMatchObject({ photos: FILE_COUNT, analysed });
    expect(real.pending).toBeGreaterThan(0);
    await screenshot(page, 'library-cancelled');
  });

  it('resumes to the end, and shows the counts the catalog holds', async () => {
    const before = catalogCounts();
    await page.getByTestId('resume-scan').click();
    await waitForAnalysed(1);
    // The resumed job sets out to do only what is left.
    await expect(page.getByTestId('scan-progress').getAttribute('data-total')).resolves.toBe(String(before.pending));
    await screenshot(page, 'library-scanning');

    // A second tab opened now finds the scan through job/list and follows it too.
    const second = await context.newPage();
    const secondProblems = await watchPage(second);
    await second.goto(served.url);
    const attached = await second
      .getByTestId('scan-progress')
      .waitFor({ timeout: 15_000 })
      .then(
        () => true,
        () => false,
      );
    if (attached) {
      await expect(second.getByTestId('scan-stage').textContent()).resolves.toMatch(/Analysing|Starting|Loading face models/);
    } else {
      // Only a scan that ended meanwhile excuses a tab that shows none.
      console.warn('[facet e2e] the scan ended before a second tab loaded: re-attaching was not exercised');
      await expect(page.getByTestId('scan-summary').isVisible()).resolves.toBe(true);
    }
    await second.close();
    problems.push(...secondProblems);

    await page.locator('[data-testid="scan-summary"][data-state="done"]').waitFor({ timeout: 150_000 });
    const real = await expectTilesToShowCatalog();
    expect(real).toEqual({ photos: FILE_COUNT, analysed: PHOTO_COUNT, pending: 0, failed: 1, missing: 0, faces: real.faces });
    expect(real.faces).toBeGreaterThanOrEqual(PHOTO_COUNT);
    await expect(page.getByTestId('summary-analysed').textContent()).resolves.toBe(String(PHOTO_COUNT - before.analysed));
    await expect(page.getByTestId('scan-button').textContent()).resolves.toContain('Re-scan');

    // The file that is no photo is listed with the engine's reason, and the rest of the scan went on.
    const failures = page.getByTestId('failures');
    await failures.waitFor();
    const reason = photosIn(catalog).get(BROKEN)?.error;
    expect(reason).toBeTruthy();
    await expect(failures.getByTestId('failure-path').allTextContents()).resolves.toEqual([BROKEN]);
    await expect(failures.getByTestId('failure-reason').allTextContents()).resolves.toEqual([reason]);

    // The latest faces are real crops served through /media/ by catalog id.
    const crops = page.getByTestId('face-crop');
    await expect.poll(() => crops.count(), { timeout: 10_000 }).toBe(Math.min(real.faces, 24));
    await expect
      .poll(() => crops.evaluateAll((images) => images.every((img) => (img as unknown as { naturalWidth: number }).naturalWidth === 192)), { timeout: 20_000 })
      .toBe(true);
    await screenshot(page, 'library-done');
  });

  it('speaks Simplified Chinese once chosen in the sidebar, keeps the choice across a reload, and switches back', async () => {
    const view = page.getByTestId('view-library');
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await expect.poll(() => page.getByTestId('nav-library').textContent()).toContain('图库');
    await expect(view.getByText('图库', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('scan-button').textContent()).resolves.toContain('重新扫描');
    await expect(page.getByTestId('scan-state').textContent()).resolves.toContain('已完成');
    await expect(page.getByTestId('scan-summary').textContent()).resolves.toContain('扫描完成，用时');
    await expect(page.getByTestId('library-stats').textContent()).resolves.toContain('已分析');
    await expect(page.getByTestId('failures').textContent()).resolves.toContain('Facet 无法使用的文件');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await screenshot(page, 'library-zh-CN');

    // The choice is stored for this origin, so a reload (or the next launch) opens in Chinese.
    const stored = (await context.storageState()).origins.find((origin) => origin.origin === served.origin)?.localStorage;
    expect(stored).toContainEqual({ name: 'facet.locale', value: 'zh-CN' });
    await page.reload();
    await page.getByTestId('library-stats').waitFor();
    await expect(page.getByTestId('nav-library').textContent()).resolves.toContain('图库');
    await expect(view.getByText('图库', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('language-switch').inputValue()).resolves.toBe('zh-CN');
    await expect(page.getByTestId('library-stats').textContent()).resolves.toContain('无人脸');

    await page.getByTestId('language-switch').selectOption('en');
    await expect.poll(() => page.getByTestId('nav-library').textContent()).toContain('Library');
    await expect(view.getByText('Library', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('scan-button').textContent()).resolves.toContain('Re-scan');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
  });

  it('keeps the session and the open library across a reload', async () => {
    await page.reload();
    await page.getByTestId('library-stats').waitFor();
    await expect(page.getByTestId('stat-analysed').textContent()).resolves.toBe(String(PHOTO_COUNT));
    await expect(page.getByTestId('library-root').textContent()).resolves.toBe(libraryRoot);
  });

  it('had no console error, uncaught exception or CSP violation', () => {
    expect(problems).toEqual([]);
  });
});
