// The benchmarks that read scanned catalogs: their command line (--db CATALOG, repeatable, and --seeds N), and a copy of each to work on.
import { copyFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../../../src/engine/engine.ts';

/** The catalogs and seeds 1…N (5 unless told); prints the usage line and exits when no catalog is given or one is missing. */
export function catalogArgs(bench: string): { catalogs: string[]; seeds: number[] } {
  const { values } = parseArgs({ options: { db: { type: 'string', multiple: true }, seeds: { type: 'string' } } });
  const catalogs = values.db ?? [];
  if (catalogs.length === 0 || catalogs.some((c) => !existsSync(c))) {
    console.error(`usage: npm run bench -- ${bench} --db CATALOG [--db CATALOG …] [--seeds N] (scanned catalogs, e.g. of ../shared/data/lfw-dev)`);
    process.exit(1);
  }
  return { catalogs, seeds: Array.from({ length: Number(values.seeds ?? 5) }, (_, i) => i + 1) };
}

/** A copy of the catalog in `work`, opened by an engine and tagged from its folder names: the scanned original is never touched. */
export async function openTaggedCopy(source: string, work: string): Promise<{ engine: Engine; file: string; tagged: number }> {
  const file = join(work, basename(source));
  copyFileSync(source, file);
  const engine = new Engine({ dataDir: work });
  await engine.openCatalogFile(file);
  const { tagged } = await engine.call('tags/import', { from: 'folders' });
  return { engine, file, tagged };
}
