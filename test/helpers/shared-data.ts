// Locates the shared face datasets (../shared/data next to the repo) and skips the suites that need them when absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** The datasets folder: FACET_TEST_DATA overrides the default, a sibling of the repository. */
export const sharedDataDir = process.env.FACET_TEST_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** The folders the engine tests read from; all must be there, or every suite that uses them is skipped. */
const required = ['faceapi-bbt-cast', 'lfw-dev', 'orl-att-faces', 'orl-att-faces-pgm'];

export const hasSharedData = required.every((name) => existsSync(join(sharedDataDir, name)));

if (!hasSharedData) {
  console.warn(
    `[facet tests] shared datasets not found in ${sharedDataDir} (need ${required.join(', ')}): ` +
      'skipping the tests that analyse real photos. Set FACET_TEST_DATA to the datasets folder to run them.',
  );
}

/** `describe` when the datasets are present, `describe.skip` (with the warning above) when not. */
export const describeWithData = hasSharedData ? describe : describe.skip;

/** Absolute path of a file in the datasets, e.g. dataFile('lfw-dev/Tony_Blair/Tony_Blair_0002.jpg'). */
export function dataFile(relative: string): string {
  return join(sharedDataDir, relative);
}
