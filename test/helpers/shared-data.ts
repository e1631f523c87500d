// Locates the shared face datasets (../shared/data next to the repo); suites that need them skip where they are absent, except under CI.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { skipWithout } from './skips.ts';

/** The datasets folder: FACET_TEST_DATA overrides the default, a sibling of the repository. */
export const sharedDataDir = process.env.FACET_TEST_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** The folders the engine tests read from; all must be there, or every suite that uses them is skipped. */
const required = ['faceapi-bbt-cast', 'lfw-dev', 'orl-att-faces', 'orl-att-faces-pgm', 'no-face-photos'];

export const hasSharedData = required.every((name) => existsSync(join(sharedDataDir, name)));

/** `describe` when the datasets are present; skipped with a warning when not (a failure under CI: see skips.ts). */
export const describeWithData = skipWithout('the tests that analyse real photos', [
  !hasSharedData && `the shared datasets in ${sharedDataDir} (need ${required.join(', ')}; FACET_TEST_DATA names another folder)`,
])
  ? describe.skip
  : describe;

/** Absolute path of a file in the datasets, e.g. dataFile('lfw-dev/Tony_Blair/Tony_Blair_0002.jpg'). */
export function dataFile(relative: string): string {
  return join(sharedDataDir, relative);
}
