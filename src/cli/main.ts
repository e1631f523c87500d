// The `facet` command line: the engine's contract as commands, with exit codes 0 done, 1 bad input, 2 interrupted.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractError, type ClusterParams, type Detector, type LibraryStats, type Request, type RunReport, type ScanSummary, type TagImportResult } from '../shared/contract.ts';
import { formatCsv } from '../core/csv.ts';
import { Engine, EngineError, type CatalogAccess } from '../engine/engine.ts';
import { LibraryMovedError, ParamError } from '../engine/errors.ts';
import { CatalogVersionError } from '../engine/catalog/database.ts';
import { progressPrinter, formatDuration } from './progress.ts';
import { compareRuns, reportText, runsTable, terminalWidth } from './report.ts';
import { startServer } from '../server/server.ts';
import { thisMachine, workerLimit } from '../engine/worker-limit.ts';
import { matchJson, matchText } from './match-output.ts';

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
  /** Only scans may create a catalog; commands that only read open it read-only (default 'existing'). */
  access?: CatalogAccess;
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
  // The command line has a current folder, so relative paths mean something here (the contract takes full paths only).
  const fullRoot = root === undefined ? undefined : resolve(root);
  const movedFrom = values['moved-from'] as string | undefined;
  if (db !== undefined) await openMoved(movedFrom, (moved) => engine.openCatalogFile(db, fullRoot, moved));
  else if (movedFrom !== undefined) {
    throw new UsageError(`--moved-from needs the catalog too: the catalog of ${resolve(movedFrom)} is ${engine.defaultCatalogFor(resolve(movedFrom))} (--db FILE)`);
  } else await engine.call('library/open', { root: fullRoot! });
}

/** Opens as the user said: a catalog made for another folder follows the library only when --moved-from names that folder. */
async function openMoved(movedFrom: string | undefined, open: (moved: boolean) => Promise<unknown>): Promise<void> {
  try {
    await open(false);
  } catch (error) {
    if (!(error instanceof LibraryMovedError) || movedFrom === undefined) throw error;
    if (resolve(movedFrom) !== error.storedRoot) throw new UsageError(`--moved-from ${movedFrom}: catalog ${error.catalog} belongs to the library in ${error.storedRoot}`);
    await open(true);
  }
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
  const requested = numberOption(values, 'workers');
  // A sensible request beyond this machine is lowered with a note (the engine would lower it too, silently); nonsense goes to the contract.
  const limit = requested !== undefined && Number.isInteger(requested) && requested >= 1 ? workerLimit(requested, thisMachine()) : undefined;
  if (limit?.note) process.stderr.write(`facet: ${limit.note}\n`);
  const { jobId } = await engine.call('library/scan', {
    detector: values.detector as Detector | undefined,
    minScore: numberOption(values, 'min-score'),
    workers: limit?.workers ?? requested,
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

function idOption(values: Values, name: string): number | undefined {
  const value = numberOption(values, name);
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw new UsageError(`--${name} takes a run id (a positive whole number)`);
  return value;
}

/** `--pca 10` keeps 10 components, `--pca 0.95` keeps 95 % of the variance, `--pca 0` or `none` skips PCA. */
export function parsePca(raw: string | undefined): ClusterParams['pca'] {
  if (raw === undefined || raw === '0' || raw === 'none') return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--pca takes a number of components or a variance share, not ${JSON.stringify(raw)}`);
  if (raw.includes('.') || value < 1) {
    if (!(value > 0 && value <= 1)) throw new UsageError(`--pca ${raw}: a variance share must be in (0, 1]`);
    return { varianceShare: value };
  }
  if (!Number.isInteger(value)) throw new UsageError(`--pca ${raw}: a number of components must be a whole number`);
  return { components: value };
}

const scanOptions: Options = {
  db: { type: 'string' },
  detector: { type: 'string' },
  'min-score': { type: 'string' },
  workers: { type: 'string' },
  reanalyse: { type: 'boolean' },
  'moved-from': { type: 'string' },
};

const clusterOptions: Options = {
  ...libraryOptions,
  features: { type: 'string' },
  pca: { type: 'string' },
  k: { type: 'string' },
  algorithm: { type: 'string' },
  restarts: { type: 'string' },
  seed: { type: 'string' },
  threshold: { type: 'string' },
  'include-filtered': { type: 'boolean' },
};

function clusterRequest(values: Values): Request<'runs/create'> {
  return {
    features: values.features as string | undefined,
    pca: parsePca(values.pca as string | undefined),
    k: numberOption(values, 'k'),
    algorithm: values.algorithm as ClusterParams['algorithm'] | undefined,
    restarts: numberOption(values, 'restarts'),
    seed: numberOption(values, 'seed'),
    threshold: numberOption(values, 'threshold'),
    includeFiltered: values['include-filtered'] === true,
  };
}

function tagText(result: TagImportResult): string {
  const lines = [`${result.tagged} faces tagged with ${result.identities} identities from ${result.labels} photo labels`];
  if (result.skipped.length > 0) {
    lines.push(`${result.skipped.length} labels not used:`);
    for (const s of result.skipped.slice(0, 10)) lines.push(`  ${s.path}: ${s.reason}`);
    if (result.skipped.length > 10) lines.push(`  … and ${result.skipped.length - 10} more (--json lists them all)`);
  }
  return lines.join('\n');
}

/** The report with the library's feature signals; `--json` gives `{ run, clusters, metrics, … }`. */
async function printReport(engine: Engine, report: RunReport, asJson: boolean): Promise<void> {
  const signals = await engine.call('features/identity-signal', {});
  const { metrics, details, ...run } = report;
  print(
    { run: { id: run.id, params: run.params, durationMs: run.durationMs, createdAt: run.createdAt, k: run.k }, clusters: details.clusters, metrics, details, featureSignals: signals },
    asJson,
    () => reportText(report, signals, terminalWidth(process.stdout)),
  );
}

const commands: Record<string, Command> = {
  scan: {
    usage: 'facet scan <folder> [--db FILE [--moved-from <old folder>]] [--detector ssd|tiny] [--min-score 0.5] [--workers N] [--reanalyse] [--json]',
    access: 'create',
    summary: 'find the photos under a folder and analyse the new and changed ones',
    options: { ...scanOptions, json: { type: 'boolean' } },
    async run(engine, values, positionals) {
      if (positionals.length !== 1) throw new UsageError('give exactly one folder to scan');
      await openLibrary(engine, values, positionals[0]);
      const summary = await runScan(engine, values);
      print(summary, values.json === true, () => scanText(summary));
      if (summary.error) process.stderr.write(`facet: ${summary.error}\n`);
      return scanExitCode(summary);
    },
  },
  tag: {
    usage: 'facet tag --from-folders | --csv FILE [--library <folder> | --db FILE] [--json]',
    summary: "tag each photo's subject with the person its folder (or a CSV row) names",
    options: { ...libraryOptions, 'from-folders': { type: 'boolean' }, csv: { type: 'string' } },
    async run(engine, values) {
      const fromFolders = values['from-folders'] === true;
      if (fromFolders === (values.csv !== undefined)) throw new UsageError('give either --from-folders or --csv FILE');
      await openLibrary(engine, values);
      let csv: string | undefined;
      if (values.csv !== undefined) {
        try {
          csv = await readFile(values.csv as string, 'utf8');
        } catch (error) {
          throw new UsageError(`cannot read ${values.csv}: ${(error as Error).message}`);
        }
      }
      const result = await engine.call('tags/import', csv === undefined ? { from: 'folders' } : { from: 'csv', csv });
      print(result, values.json === true, () => tagText(result));
      return EXIT_OK;
    },
  },
  cluster: {
    usage:
      'facet cluster [--features SPEC] [--pca N|0.95] [--k 10] [--algorithm kmeans|gmm|threshold] [--restarts 10] [--seed 1] [--threshold 0.45] [--include-filtered] [--library <folder> | --db FILE] [--json]',
    summary: 'cluster the faces, store the run and print its metrics',
    options: clusterOptions,
    async run(engine, values) {
      await openLibrary(engine, values);
      const report = await engine.call('runs/create', clusterRequest(values));
      await printReport(engine, report, values.json === true);
      return EXIT_OK;
    },
  },
  runs: {
    usage: 'facet runs [--library <folder> | --db FILE] [--json]',
    access: 'read-only',
    summary: 'list the clustering runs with their headline metrics',
    options: libraryOptions,
    async run(engine, values) {
      await openLibrary(engine, values);
      const runs = await engine.call('runs/list', {});
      print(runs, values.json === true, () => runsTable(runs));
      return EXIT_OK;
    },
  },
  report: {
    usage: 'facet report [--run ID] [--library <folder> | --db FILE] [--json]',
    access: 'read-only',
    summary: 'the full report of a run (the latest by default)',
    options: { ...libraryOptions, run: { type: 'string' } },
    async run(engine, values) {
      await openLibrary(engine, values);
      await printReport(engine, await engine.call('runs/get', { id: idOption(values, 'run') }), values.json === true);
      return EXIT_OK;
    },
  },
  compare: {
    usage: 'facet compare <run> <run> [<run> …] [--library <folder> | --db FILE] [--json]',
    access: 'read-only',
    summary: 'runs side by side',
    options: libraryOptions,
    async run(engine, values, positionals) {
      if (positionals.length < 2) throw new UsageError('give two or more run ids');
      const ids = positionals.map((p) => {
        const id = Number(p);
        if (!Number.isInteger(id) || id < 1) throw new UsageError(`not a run id: ${JSON.stringify(p)}`);
        return id;
      });
      await openLibrary(engine, values);
      const reports: RunReport[] = [];
      for (const id of ids) reports.push(await engine.call('runs/get', { id }));
      print(reports, values.json === true, () => compareRuns(reports));
      return EXIT_OK;
    },
  },
  'delete-run': {
    usage: 'facet delete-run <run> [--library <folder> | --db FILE]',
    summary: 'delete a run and its assignments (faces and tags stay)',
    options: libraryOptions,
    async run(engine, values, positionals) {
      const id = Number(positionals[0]);
      if (positionals.length !== 1 || !Number.isInteger(id) || id < 1) throw new UsageError('give one run id');
      await openLibrary(engine, values);
      await engine.call('runs/delete', { id });
      print({ deleted: id }, values.json === true, () => `run ${id} deleted`);
      return EXIT_OK;
    },
  },
  export: {
    usage: 'facet export --run ID --format csv|json|parquet [--out FILE] [--library <folder> | --db FILE]',
    access: 'read-only',
    summary: 'one row per face of a run: face_id, photo, box, identity, cluster, distance (parquet adds the descriptor and landmarks)',
    options: { ...libraryOptions, run: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    async run(engine, values) {
      const id = idOption(values, 'run');
      if (id === undefined) throw new UsageError('give the run to export: --run ID');
      const format = values.format ?? 'csv';
      if (format !== 'csv' && format !== 'json' && format !== 'parquet') throw new UsageError('--format takes csv, json or parquet');
      if (format === 'parquet' && typeof values.out !== 'string') throw new UsageError('--format parquet writes a file: give it with --out FILE');
      await openLibrary(engine, values);
      if (format === 'parquet') {
        const written = await engine.exportRunParquet(id, values.out as string);
        process.stderr.write(`facet: ${written} faces of run ${id} written to ${values.out}\n`);
        return EXIT_OK;
      }
      const rows = await engine.call('runs/export', { id });
      const text =
        format === 'json'
          ? `${JSON.stringify(rows, null, 2)}\n`
          : formatCsv([
              ['face_id', 'photo', 'box', 'identity', 'cluster', 'distance'],
              ...rows.map((r) => [r.faceId, r.photo, r.box.join(' '), r.identity, r.cluster, Number(r.distance.toFixed(6))]),
            ]);
      if (values.out) await writeFile(values.out as string, text);
      else process.stdout.write(text);
      return EXIT_OK;
    },
  },
  run: {
    usage: 'facet run <folder> [--tags-from-folders] [--db FILE [--moved-from <old folder>]] [--detector ssd|tiny] [--workers N] [cluster options] [--json]',
    access: 'create',
    summary: 'the whole job: scan, tag from folder names (with --tags-from-folders), cluster, report',
    options: { ...clusterOptions, ...scanOptions, 'tags-from-folders': { type: 'boolean' }, 'no-tags': { type: 'boolean' } },
    async run(engine, values, positionals) {
      if (positionals.length !== 1) throw new UsageError('give exactly one folder');
      const asJson = values.json === true;
      const request = clusterRequest(values);
      // Tagging from folders used to be the default; --no-tags turned it off and is now what happens anyway.
      if (values['no-tags'] === true) process.stderr.write('facet: --no-tags is no longer needed (folders tag only with --tags-from-folders) and will go\n');
      await openLibrary(engine, values, positionals[0]);
      const summary = await runScan(engine, values);
      if (summary.state !== 'done') {
        print(summary, asJson, () => scanText(summary));
        return scanExitCode(summary);
      }
      if (!asJson) process.stdout.write(`${scanText(summary)}\n\n`);
      // Folders name people only in `<Person>/<file>` layouts; event folders (`2019 Paris/`) would each become a person.
      if (values['tags-from-folders'] === true) {
        const tags = await engine.call('tags/import', { from: 'folders' });
        if (!asJson) process.stdout.write(`${tagText(tags)}\n\n`);
      } else if (engine.libraryInfo().stats.taggedFaces === 0) {
        process.stderr.write('facet: no face is tagged, so the report cannot validate the clusters; tag with --tags-from-folders (one person per folder), facet tag --csv FILE, or in the app\n');
      }
      const report = await engine.call('runs/create', request);
      await printReport(engine, report, asJson);
      return EXIT_OK;
    },
  },
  match: {
    usage: 'facet match <image…> [--run ID] [--nprobe 1] [--top 5] [--library <folder> | --db FILE] [--json]',
    access: 'read-only',
    summary:
      'who is in a photo: each face matched by descriptor against the nearest clusters of a run (--nprobe above k searches all); ' +
      '--json gives { faces: [...] } for one photo, { images: [{ image, faces } | { image, error }] } for several',
    options: { ...libraryOptions, run: { type: 'string' }, nprobe: { type: 'string' }, top: { type: 'string' } },
    async run(engine, values, positionals) {
      if (positionals.length === 0) throw new UsageError('give the photo to match: facet match <image…>');
      const options = { runId: idOption(values, 'run'), nprobe: numberOption(values, 'nprobe'), top: numberOption(values, 'top') };
      await openLibrary(engine, values);
      // The run is checked once, before any photo is analysed: without one, one line says how to make it.
      await engine.call('runs/get', { id: options.runId });
      const results: ({ image: string; error: string } | ReturnType<typeof matchJson>)[] = [];
      for (const image of positionals) {
        try {
          const match = await engine.matchFile(image, options);
          results.push(matchJson(image, match));
          if (values.json !== true) process.stdout.write(`${matchText(image, match)}\n`);
        } catch (error) {
          // A photo that cannot be matched (unreadable, no face) is reported and the others go on; bad options stop at once.
          if (!(error instanceof EngineError) || error instanceof ParamError) throw error;
          process.stderr.write(`facet: ${image}: ${error.message}\n`);
          results.push({ image, error: error.message });
        }
      }
      const failed = results.some((r) => 'error' in r);
      if (values.json === true && !(failed && positionals.length === 1)) {
        process.stdout.write(`${JSON.stringify(positionals.length === 1 ? results[0] : { images: results }, null, 2)}\n`);
      }
      return failed ? EXIT_USAGE : EXIT_OK;
    },
  },
  serve: {
    usage: 'facet serve [--library <folder> | --db FILE] [--port P]',
    access: 'create',
    summary: 'the app in a browser: serves the contract and the built renderer on 127.0.0.1',
    options: { library: { type: 'string' }, db: { type: 'string' }, port: { type: 'string' } },
    async run(engine, values) {
      const port = numberOption(values, 'port') ?? 0;
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes 0 (any free port) to 65535');
      if (values.library !== undefined) await openLibrary(engine, values);
      else if (typeof values.db === 'string' && existsSync(values.db)) {
        // A catalog that already knows its folder opens at once; a new one waits for the page.
        await engine.openCatalogFile(values.db).catch((error) => {
          if (!(error instanceof EngineError)) throw error;
        });
      }
      const rendererDir = fileURLToPath(new URL('../../out/renderer/', import.meta.url));
      const server = await startServer({ engine, port, rendererDir: existsSync(rendererDir) ? rendererDir : undefined }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use (another facet serve?): stop that program, or choose another port with --port P (--port 0 takes any free one)`);
        if (error.code === 'EACCES') throw new UsageError(`port ${port} needs administrator rights: choose one above 1023 with --port P (--port 0 takes any free one)`);
        throw error;
      });
      process.stdout.write(`${server.url}\n`);
      if (!existsSync(rendererDir)) process.stderr.write('facet: the renderer is not built (npm run build); only /api/ and /media/ answer\n');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
      return EXIT_OK;
    },
  },
  backup: {
    usage: 'facet backup <file> [--library <folder> | --db FILE] [--force]',
    summary: "a consistent copy of the library's catalog, made while it may be in use",
    access: 'read-only',
    options: { library: { type: 'string' }, db: { type: 'string' }, force: { type: 'boolean' } },
    async run(engine, values, positionals) {
      if (positionals.length !== 1) throw new UsageError('give the backup file to write');
      const destination = resolve(positionals[0]);
      if (existsSync(destination) && values.force !== true) throw new UsageError(`${destination} exists already: give another file, or --force to replace it`);
      await openLibrary(engine, values);
      await engine.backup(destination);
      process.stdout.write(`catalog ${engine.libraryInfo().catalog} backed up to ${destination}\n`);
      return EXIT_OK;
    },
  },
  stats: {
    usage: 'facet stats [--library <folder> | --db FILE] [--json]',
    access: 'read-only',
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
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`facet: ${(error as Error).message}\nusage: ${command.usage}\n`);
    return EXIT_USAGE;
  }
  // `serve --db FILE` keeps that catalog for the folder the user opens in the page.
  const engine = new Engine({
    ...(name === 'serve' && typeof parsed.values.db === 'string' ? { catalog: parsed.values.db } : {}),
    catalogAccess: command.access ?? 'existing',
  });
  try {
    return await command.run(engine, parsed.values as Values, parsed.positionals);
  } catch (error) {
    if (error instanceof ContractError && error.field) {
      // Name the option the user typed: minScore → --min-score.
      const option = `--${error.field.split('.')[0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      process.stderr.write(`facet: ${error.message} (${option})\n`);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError || error instanceof ContractError || error instanceof EngineError || error instanceof CatalogVersionError) {
      process.stderr.write(`facet: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await engine.close();
  }
}
