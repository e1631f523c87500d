// The `facet` command line: the engine's contract as commands, with exit codes 0 done, 1 bad input, 2 interrupted.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ContractError, type LibraryStats, type ScanSummary } from '../shared/contract.ts';
import { Engine, EngineError } from '../engine/engine.ts';
import { CatalogVersionError } from '../engine/catalog/database.ts';
import { progressPrinter, formatDuration } from './progress.ts';

export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_INTERRUPTED = 2;

/** Bad usage or unusable input: printed as it is, exit code 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  usage: string;
  summary: string;
  options: Options;
  run(engine: Engine, values: Values, positionals: string[]): Promise<number>;
}

const libraryOptions: Options = {
  library: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
};

function numberOption(values: Values, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(`--${name} takes a number, not ${JSON.stringify(raw)}`);
  }
  return value;
}

function print(json: unknown, asJson: boolean, text: () => string): void {
  process.stdout.write(asJson ? `${JSON.stringify(json, null, 2)}\n` : `${text()}\n`);
}

async function openLibrary(engine: Engine, values: Values, folder?: string): Promise<void> {
  const root = folder ?? (values.library as string | undefined);
  const db = values.db as string | undefined;
  if (root === undefined && db === undefined) throw new UsageError('give the library folder (--library DIR) or its catalog (--db FILE)');
  await engine.call('library/open', { root, db });
}

function statsText(stats: LibraryStats): string {
  return [
    `photos      ${stats.photos} (${stats.analysed} analysed, ${stats.pending} pending, ${stats.failed} failed, ${stats.missing} missing)`,
    `faces       ${stats.faces} (${stats.paddedFaces} found on a padded retry; ${stats.photosWithoutFaces} photos without a face)`,
    `identities  ${stats.identities} (${stats.taggedFaces} tagged faces)`,
  ].join('\n');
}

function scanText(summary: ScanSummary): string {
  const lines = [
    `${summary.state === 'done' ? 'scan done' : `scan ${summary.state}`} in ${formatDuration(summary.elapsedMs / 1000)} on ${summary.backend} (${summary.detector})`,
    `photos   ${summary.photos} in the library: ${summary.added} new, ${summary.changed} changed, ${summary.relinked} moved, ${summary.missing} missing`,
    `analysed ${summary.analysed} photos, ${summary.faces} faces (${summary.paddedFaces} on a padded retry)`,
  ];
  if (summary.failed.length > 0) {
    lines.push(`failed   ${summary.failed.length}:`);
    for (const f of summary.failed.slice(0, 20)) lines.push(`  ${f.path}: ${f.reason}`);
    if (summary.failed.length > 20) lines.push(`  … and ${summary.failed.length - 20} more (facet scan --json lists them all)`);
  }
  if (summary.error) lines.push(`error    ${summary.error}`);
  return lines.join('\n');
}

export async function runScan(engine: Engine, values: Values): Promise<ScanSummary> {
  const detector = values.detector ?? 'ssd';
  const { jobId } = await engine.call('library/scan', {
    detector,
    minScore: numberOption(values, 'min-score'),
    workers: numberOption(values, 'workers'),
    reanalyse: values.reanalyse === true,
  });
  const printer = progressPrinter(process.stderr);
  const unsubscribe = engine.onEvent((event) => {
    if (event.type === 'job/progress' && event.progress.jobId === jobId) printer.update(event.progress);
  });
  const interrupt = () => void engine.call('job/cancel', { jobId });
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await engine.waitForJob(jobId);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    unsubscribe();
    printer.end();
  }
}

export function scanExitCode(summary: ScanSummary): number {
  if (summary.state === 'cancelled') return EXIT_INTERRUPTED;
  if (summary.state === 'failed') return EXIT_USAGE;
  return EXIT_OK;
}

const commands: Record<string, Command> = {
  scan: {
    usage: 'facet scan <folder> [--db FILE] [--detector ssd|tiny] [--min-score 0.5] [--workers N] [--reanalyse] [--json]',
    summary: 'find the photos under a folder and analyse the new and changed ones',
    options: {
      db: { type: 'string' },
      detector: { type: 'string' },
      'min-score': { type: 'string' },
      workers: { type: 'string' },
      reanalyse: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    async run(engine, values, positionals) {
      if (positionals.length !== 1) throw new UsageError('give exactly one folder to scan');
      await openLibrary(engine, values, positionals[0]);
      const summary = await runScan(engine, values);
      print(summary, values.json === true, () => scanText(summary));
      if (summary.error) process.stderr.write(`facet: ${summary.error}\n`);
      return scanExitCode(summary);
    },
  },
  stats: {
    usage: 'facet stats [--library <folder> | --db FILE] [--json]',
    summary: "the library's counts: photos by state, faces, identities",
    options: libraryOptions,
    async run(engine, values) {
      await openLibrary(engine, values);
      const info = engine.libraryInfo();
      print(info, values.json === true, () => `library     ${info.root}\ncatalog     ${info.catalog}\n${statsText(info.stats)}`);
      return EXIT_OK;
    },
  },
};

function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'usage: facet <command> [options]',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  ${c.usage}`),
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${helpText()}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`facet: unknown command ${JSON.stringify(name)}\n${helpText()}\n`);
    return EXIT_USAGE;
  }
  const engine = new Engine();
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\nusage: ${command.usage}`);
    }
    return await command.run(engine, parsed.values as Values, parsed.positionals);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ContractError || error instanceof EngineError || error instanceof CatalogVersionError) {
      process.stderr.write(`facet: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await engine.close();
  }
}
