// The command line of the benchmarks that read scanned catalogs: --db CATALOG (repeatable) and --seeds N.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

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
