// The `facet` command line: the engine's contract as commands, with exit codes 0 done, 1 bad input, 2 interrupted.
import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ContractError,
  type ClusterParams,
  type Detector,
  type LibraryStats,
  type Request,
  type RunReport,
  type ScanSummary,
  type TagImportResult,
} from '../shared/contract.ts';
import { formatCsv } from '../core/csv.ts';
import { DEFAULT_RESTARTS } from '../shared/choices.ts';
import { Engine, EngineError, type CatalogAccess } from '../engine/engine.ts';
import { LibraryMovedError, ParamError } from '../engine/errors.ts';
import { progressPrinter, formatDuration } from './progress.ts';
import { compareRuns, reportText, runsTable, TAG_NEXT_STEP, terminalWidth, UNTAGGED } from './report.ts';
import { startServer } from '../server/server.ts';
import { thisMachine, workerLimit } from '../engine/worker-limit.ts';
import { matchJson, matchText } from './match-output.ts';
import { commandHelp, didYouMean, overviewHelp, parseArgsOptions, usageLine, type CommandSpec, type OptionTable } from './help.ts';
import { count, issueSentence, withOption } from './messages.ts';

const EXIT_OK = 0;
const EXIT_USAGE = 1;
const EXIT_INTERRUPTED = 2;

/** Bad usage or unusable input: printed as it is, exit code 1. */
class UsageError extends Error {
  override name = 'UsageError';
}

type Values = Record<string, string | boolean | undefined>;

/** One row of the command table: what parsing, `--help` and "did you mean" all read. */
interface Command extends CommandSpec {
  /** Only scans may create a catalog; commands that only read open it read-only (default 'existing'). */
  access?: CatalogAccess;
  run(engine: Engine, values: Values, positionals: string[]): Promise<number>;
}

const folderOption: OptionTable = { library: { type: 'string', arg: '<folder>', help: 'the library folder', example: '~/Photos' } };
const dbOption: OptionTable = {
  db: { type: 'string', arg: 'FILE', help: 'the catalog file, instead of the one Facet keeps for the folder in its data folder', example: '~/faces.sqlite' },
};
const jsonOption: OptionTable = { json: { type: 'boolean', help: 'print one JSON document on stdout instead of text' } };
const libraryOptions: OptionTable = { ...folderOption, ...dbOption, ...jsonOption };
const runOption: OptionTable = { run: { type: 'string', arg: 'ID', help: 'the run (the latest by default)', example: '3' } };

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

/** `folderSpelling` is how this command takes the folder, for the message when neither it nor a catalog was given. */
async function openLibrary(engine: Engine, values: Values, folder?: string, folderSpelling = '--library <folder>'): Promise<void> {
  const root = folder ?? (values.library as string | undefined);
  const db = values.db as string | undefined;
  if (root === undefined && db === undefined) throw new UsageError(`give the library folder (${folderSpelling}) or its catalog (--db FILE)`);
  // The command line has a current folder, so relative paths mean something here (the contract takes full paths only).
  const fullRoot = root === undefined ? undefined : resolve(root);
  const movedFrom = values['moved-from'] as string | undefined;
  if (db !== undefined) await openMoved(movedFrom, (moved) => engine.openCatalogFile(db, fullRoot, moved));
  else if (movedFrom !== undefined) {
    throw new UsageError(
      `--moved-from needs the catalog too: the catalog of ${resolve(movedFrom)} is ${engine.defaultCatalogFor(resolve(movedFrom))} (--db FILE)`,
    );
  } else await engine.call('library/open', { root: fullRoot! });
}

/** Opens as the user said: a catalog made for another folder follows the library only when --moved-from names that folder. */
async function openMoved(movedFrom: string | undefined, open: (moved: boolean) => Promise<unknown>): Promise<void> {
  try {
    await open(false);
  } catch (error) {
    if (!(error instanceof LibraryMovedError) || movedFrom === undefined) throw error;
    if (resolve(movedFrom) !== error.storedRoot)
      throw new UsageError(`--moved-from ${movedFrom}: catalog ${error.catalogFile} belongs to the library in ${error.storedRoot}`);
    await open(true);
  }
}

function statsText(stats: LibraryStats): string {
  return [
    `photos      ${stats.photos} (${stats.analysed} analysed, ${stats.pending} pending, ${stats.failed} failed, ${stats.missing} missing)`,
    `faces       ${stats.faces} (${stats.paddedFaces} found on a padded retry; ${count(stats.photosWithoutFaces, 'photo')} without a face)`,
    `identities  ${stats.identities} (${count(stats.taggedFaces, 'tagged face')})`,
    ...(stats.taggedFaces === 0 ? [`${UNTAGGED}: no face is tagged yet, so runs cannot be checked; ${TAG_NEXT_STEP}`] : []),
  ].join('\n');
}

function scanText(summary: ScanSummary): string {
  const lines = [
    `${summary.state === 'done' ? 'scan done' : `scan ${summary.state}`} in ${formatDuration(summary.elapsedMs / 1000)} on ${summary.backend} (${summary.detector})`,
    `photos   ${summary.photos} in the library: ${summary.added} new, ${summary.changed} changed, ${summary.relinked} moved, ${summary.missing} missing`,
    `analysed ${count(summary.analysed, 'photo')}, ${count(summary.faces, 'face')} (${summary.paddedFaces} on a padded retry)`,
  ];
  if (summary.failed.length > 0) {
    lines.push(`failed   ${summary.failed.length}:`);
    for (const f of summary.failed.slice(0, 20)) lines.push(`  ${f.path}: ${f.reason}`);
    if (summary.failed.length > 20) lines.push(`  … and ${summary.failed.length - 20} more (facet scan --json lists them all)`);
  }
  if (summary.error) lines.push(`error    ${summary.error}`);
  return lines.join('\n');
}

async function runScan(engine: Engine, values: Values): Promise<ScanSummary> {
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

function scanExitCode(summary: ScanSummary): number {
  if (summary.state === 'cancelled') return EXIT_INTERRUPTED;
  if (summary.state === 'failed') return EXIT_USAGE;
  return EXIT_OK;
}

function idOption(values: Values, name: string): number | undefined {
  const raw = values[name];
  return raw === undefined ? undefined : runId(String(raw), `--${name}`);
}

/** A run id as typed: a positive whole number, else a message naming where it was given. */
function runId(raw: string, where?: string): number {
  const id = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(id) || id < 1) {
    throw new UsageError(
      where
        ? `${where} takes a run id (a positive whole number), not ${JSON.stringify(raw)}`
        : `not a run id: ${JSON.stringify(raw)} (run ids are positive whole numbers)`,
    );
  }
  return id;
}

/** `--pca 10` keeps 10 components, `--pca 0.95` keeps 95 % of the variance, `--pca 0` or `none` skips PCA. */
function parsePca(raw: string | undefined): ClusterParams['pca'] {
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

const scanOptions: OptionTable = {
  db: {
    type: 'string',
    arg: 'FILE',
    help: 'the catalog file to use (made if missing), instead of the one Facet keeps in its data folder',
    example: '~/faces.sqlite',
  },
  detector: {
    type: 'string',
    arg: 'cascade|ssd|tiny',
    help: 'the face detector: cascade (the default: the tiny detector at several sizes, a second look at doubtful faces), ssd (SSD MobileNet alone, about three times slower) or tiny (one pass, fastest, misses more)',
    example: 'ssd',
  },
  'min-score': { type: 'string', arg: 'N', help: 'the detection score a face needs, between 0 and 1 (default 0.5)', example: '0.6' },
  workers: { type: 'string', arg: 'N', help: 'worker threads analysing photos (default one a core)', example: '2' },
  reanalyse: { type: 'boolean', help: 'analyse every photo again, not only the new and changed ones' },
  'moved-from': {
    type: 'string',
    arg: '<old folder>',
    help: 'the folder the catalog (--db) was made for, when the library has moved',
    example: '/media/old/Photos',
  },
};

const clusterOptions: OptionTable = {
  ...libraryOptions,
  features: {
    type: 'string',
    arg: 'SPEC',
    help: 'what to cluster: descriptor (default), landmarks, landmarks-aligned, ratios, landmarks-wccn (learned from the tags), or weighted blocks',
    example: 'descriptor:1,landmarks-aligned:0.5',
  },
  pca: { type: 'string', arg: 'N|SHARE', help: 'PCA first: N components, a variance share up to 1, or 0 for none', example: '0.95' },
  k: { type: 'string', arg: 'N', help: 'the number of clusters (kmeans, gmm)', example: '10' },
  algorithm: {
    type: 'string',
    arg: 'kmeans|gmm|threshold',
    help: 'kmeans (default), gmm (a Gaussian mixture) or threshold (when the number of people is unknown)',
    example: 'gmm',
  },
  restarts: { type: 'string', arg: 'N', help: `k-means restarts; the best is kept (default ${DEFAULT_RESTARTS})`, example: '10' },
  seed: { type: 'string', arg: 'N', help: 'the random seed: the same seed makes the same run (default 1)', example: '1' },
  threshold: { type: 'string', arg: 'DISTANCE', help: 'the descriptor distance that joins faces, with --algorithm threshold', example: '0.4' },
  'include-filtered': {
    type: 'boolean',
    help: 'also cluster the faces that fail the quality gates (landmark features apply every gate, the descriptor alone only the detection score)',
  },
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
  const lines = [
    `${count(result.tagged, 'face')} tagged with ${count(result.identities, 'identity', 'identities')} from ${count(result.labels, 'photo label')}`,
  ];
  if (result.skipped.length > 0) {
    lines.push(`${count(result.skipped.length, 'label')} not used:`);
    for (const s of result.skipped.slice(0, 10)) lines.push(`  ${s.path}: ${s.reason}`);
    if (result.skipped.length > 10) lines.push(`  … and ${result.skipped.length - 10} more (--json lists them all)`);
  }
  return lines.join('\n');
}

/** The report with the library's feature signals; `--json` gives `{ run, clusters, metrics, … }` (a threshold run's cut in run.params.threshold, its source in run.cut). */
async function printReport(engine: Engine, report: RunReport, asJson: boolean): Promise<void> {
  const signals = await engine.call('features/identity-signal', {});
  const { metrics, details, ...run } = report;
  print(
    {
      run: { id: run.id, params: run.params, cut: run.cut, durationMs: run.durationMs, createdAt: run.createdAt, k: run.k },
      clusters: details.clusters,
      metrics,
      details,
      featureSignals: signals,
    },
    asJson,
    () => reportText(report, signals, terminalWidth(process.stdout)),
  );
}

export const commands: Record<string, Command> = {
  scan: {
    args: '<folder>',
    positional: { name: '<folder>', help: 'the photo folder to scan' },
    access: 'create',
    summary: 'find the photos under a folder and analyse the new and changed ones',
    options: { ...scanOptions, ...jsonOption },
    examples: [
      'facet scan ~/Photos',
      'facet scan ~/Photos --detector ssd --workers 2',
      'facet scan /media/new/Photos --db ~/faces.sqlite --moved-from /media/old/Photos',
    ],
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
    args: '[<folder>] --from-folders | --csv FILE',
    positional: { name: '<folder>', help: 'the library folder (or give its catalog with --db)', oldOption: 'library' },
    summary: "tag each photo's subject with the person its folder (or a CSV row) names",
    options: {
      ...libraryOptions,
      'from-folders': { type: 'boolean', help: "tag each photo's subject with the person its folder names (<Person>/<photo>)" },
      csv: { type: 'string', arg: 'FILE', help: 'tag from a CSV of path,identity rows (paths relative to the library)', example: 'tags.csv' },
    },
    examples: ['facet tag ~/Photos --from-folders', 'facet tag ~/Photos --csv tags.csv'],
    async run(engine, values, positionals) {
      const fromFolders = values['from-folders'] === true;
      if (fromFolders === (values.csv !== undefined)) throw new UsageError('give either --from-folders or --csv FILE');
      if (positionals.length > 1) throw new UsageError('give one library folder');
      await openLibrary(engine, values, positionals[0], 'facet tag <folder>');
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
    args: '',
    summary: 'cluster the faces, store the run and print its metrics',
    options: clusterOptions,
    examples: [
      'facet cluster --library ~/Photos --k 10',
      'facet cluster --library ~/Photos --algorithm threshold --threshold 0.4',
      'facet cluster --db ~/faces.sqlite --pca 0.95 --algorithm gmm',
    ],
    async run(engine, values) {
      await openLibrary(engine, values);
      const report = await engine.call('runs/create', clusterRequest(values));
      await printReport(engine, report, values.json === true);
      return EXIT_OK;
    },
  },
  runs: {
    args: '',
    access: 'read-only',
    summary: 'list the clustering runs with their headline metrics',
    options: libraryOptions,
    examples: ['facet runs --library ~/Photos', 'facet runs --db ~/faces.sqlite --json'],
    async run(engine, values) {
      await openLibrary(engine, values);
      const runs = await engine.call('runs/list', {});
      print(runs, values.json === true, () => runsTable(runs));
      return EXIT_OK;
    },
  },
  report: {
    args: '[<run>]',
    positional: { name: '<run>', help: 'the run to report (the latest by default)', oldOption: 'run' },
    access: 'read-only',
    summary: 'the full report of a run (the latest by default)',
    options: { ...libraryOptions, ...runOption },
    examples: ['facet report --library ~/Photos', 'facet report 3 --library ~/Photos --json'],
    async run(engine, values, positionals) {
      if (positionals.length > 1) throw new UsageError('give one run id (or none for the latest run)');
      const id = positionals[0] === undefined ? undefined : runId(positionals[0]);
      await openLibrary(engine, values);
      await printReport(engine, await engine.call('runs/get', { id }), values.json === true);
      return EXIT_OK;
    },
  },
  compare: {
    args: '<run> <run> [<run> …]',
    positional: { name: '<run>', help: 'two or more run ids' },
    access: 'read-only',
    summary: 'runs side by side',
    options: libraryOptions,
    examples: ['facet compare 2 3 --library ~/Photos'],
    async run(engine, values, positionals) {
      if (positionals.length < 2) throw new UsageError('give two or more run ids');
      const ids = positionals.map((p) => runId(p));
      await openLibrary(engine, values);
      const reports: RunReport[] = [];
      for (const id of ids) reports.push(await engine.call('runs/get', { id }));
      print(reports, values.json === true, () => compareRuns(reports));
      return EXIT_OK;
    },
  },
  'delete-run': {
    args: '<run>',
    positional: { name: '<run>', help: 'the run to delete' },
    summary: 'delete a run and its assignments (faces and tags stay)',
    options: libraryOptions,
    examples: ['facet delete-run 3 --library ~/Photos'],
    async run(engine, values, positionals) {
      if (positionals.length !== 1) throw new UsageError('give one run id');
      const id = runId(positionals[0]);
      await openLibrary(engine, values);
      await engine.call('runs/delete', { id });
      print({ deleted: id }, values.json === true, () => `run ${id} deleted`);
      return EXIT_OK;
    },
  },
  export: {
    args: '<run>',
    positional: { name: '<run>', help: 'the run to export', oldOption: 'run' },
    access: 'read-only',
    summary: 'one row per face of a run: face_id, photo, box, identity, cluster, distance (parquet adds the descriptor and landmarks)',
    options: {
      ...libraryOptions,
      run: { type: 'string', arg: 'ID', help: 'the run to export', example: '3' },
      format: { type: 'string', arg: 'csv|json|parquet', help: 'the file format (default csv; parquet needs --out)', example: 'json' },
      out: { type: 'string', arg: 'FILE', help: 'write to this file instead of stdout', example: 'faces.csv' },
    },
    examples: ['facet export 3 --library ~/Photos --format csv --out faces.csv', 'facet export 3 --library ~/Photos --format parquet --out faces.parquet'],
    async run(engine, values, positionals) {
      if (positionals.length !== 1) throw new UsageError('give the run to export: facet export <run>');
      const id = runId(positionals[0]);
      const format = values.format ?? 'csv';
      if (format !== 'csv' && format !== 'json' && format !== 'parquet') throw new UsageError('--format takes csv, json or parquet');
      if (format === 'parquet' && typeof values.out !== 'string') throw new UsageError('--format parquet writes a file: give it with --out FILE');
      await openLibrary(engine, values);
      if (format === 'parquet') {
        const written = await engine.exportRunParquet(id, values.out as string);
        process.stderr.write(`facet: ${count(written, 'face')} of run ${id} written to ${values.out}\n`);
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
    args: '<folder>',
    positional: { name: '<folder>', help: 'the photo folder' },
    access: 'create',
    summary: 'the whole job: scan, tag from folder names (with --tags-from-folders), cluster, report',
    options: {
      ...clusterOptions,
      ...scanOptions,
      'tags-from-folders': { type: 'boolean', help: 'tag from folder names before clustering (for <Person>/<photo> layouts, not event folders)' },
      'no-tags': { type: 'boolean', help: 'no longer needed: folders tag only with --tags-from-folders' },
    },
    examples: ['facet run ~/Photos --tags-from-folders', 'facet run ~/Photos --k 20 --json'],
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
        process.stderr.write(
          'facet: no face is tagged, so the report cannot validate the clusters; tag with --tags-from-folders (one person per folder), facet tag --csv FILE, or in the app\n',
        );
      }
      const report = await engine.call('runs/create', request);
      await printReport(engine, report, asJson);
      return EXIT_OK;
    },
  },
  match: {
    args: '<image…>',
    positional: { name: '<image…>', help: 'the photos to match; they need not be in the library' },
    access: 'read-only',
    summary:
      'who is in a photo: each face matched by descriptor against the nearest clusters of a run (--nprobe above k searches all); ' +
      '--json gives { faces: [...] } for one photo, { images: [{ image, faces } | { image, error }] } for several',
    options: {
      ...libraryOptions,
      ...runOption,
      nprobe: { type: 'string', arg: 'N', help: 'clusters searched per face, nearest first (at or above k searches all; default 1)', example: '2' },
      top: { type: 'string', arg: 'N', help: 'the nearest faces shown per face (default 5)', example: '5' },
    },
    examples: ['facet match party.jpg --library ~/Photos', 'facet match a.jpg b.jpg --library ~/Photos --run 3 --nprobe 2 --json'],
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
    args: '',
    access: 'create',
    summary: 'the app in a browser: serves the contract and the built renderer on 127.0.0.1',
    options: { ...folderOption, ...dbOption, port: { type: 'string', arg: 'P', help: 'the port on 127.0.0.1 (default 0: any free port)', example: '8080' } },
    examples: ['facet serve --library ~/Photos', 'facet serve --db ~/faces.sqlite --port 8080'],
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
      const server = await startServer({ engine, port, rendererDir: existsSync(rendererDir) ? rendererDir : undefined }).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EADDRINUSE')
            throw new UsageError(
              `port ${port} is already in use (another facet serve?): stop that program, or choose another port with --port P (--port 0 takes any free one)`,
            );
          if (error.code === 'EACCES')
            throw new UsageError(`port ${port} needs administrator rights: choose one above 1023 with --port P (--port 0 takes any free one)`);
          throw error;
        },
      );
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
    args: '<file>',
    positional: { name: '<file>', help: 'the backup file to write' },
    summary: "a consistent copy of the library's catalog, made while it may be in use",
    access: 'read-only',
    options: { ...folderOption, ...dbOption, force: { type: 'boolean', help: 'replace the backup file if it exists' } },
    examples: ['facet backup ~/faces-backup.sqlite --library ~/Photos'],
    async run(engine, values, positionals) {
      if (positionals.length !== 1) throw new UsageError('give the backup file to write');
      const destination = resolve(positionals[0]);
      if (existsSync(destination) && values.force !== true) throw new UsageError(`${destination} exists already: give another file, or --force to replace it`);
      await openLibrary(engine, values);
      await engine.backup(destination);
      process.stdout.write(`catalog ${engine.libraryInfo().catalogFile} backed up to ${destination}\n`);
      return EXIT_OK;
    },
  },
  stats: {
    args: '[<folder>]',
    positional: { name: '<folder>', help: 'the library folder (or give its catalog with --db)', oldOption: 'library' },
    access: 'read-only',
    summary: "the library's counts: photos by state, faces, identities",
    options: libraryOptions,
    examples: ['facet stats ~/Photos', 'facet stats --db ~/faces.sqlite --json'],
    async run(engine, values, positionals) {
      if (positionals.length > 1) throw new UsageError('give one library folder');
      await openLibrary(engine, values, positionals[0], 'facet stats <folder>');
      const info = engine.libraryInfo();
      print(info, values.json === true, () => `library     ${info.root}\ncatalog     ${info.catalogFile}\n${statsText(info.stats)}`);
      return EXIT_OK;
    },
  },
};

/** The version in package.json, read only when asked for. */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function unknownCommand(name: string): number {
  process.stderr.write(`facet: unknown command ${JSON.stringify(name)}${didYouMean(name, Object.keys(commands))}\n${overviewHelp(commands)}\n`);
  return EXIT_USAGE;
}

/** parseArgs' findings in the user's words, with the nearest option for a typo. */
function parseErrorText(name: string, command: Command, error: NodeJS.ErrnoException): string {
  const spelled = /'(-[^' ]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && spelled !== undefined) {
    return `unknown option ${spelled} for facet ${name}${didYouMean(
      spelled,
      Object.keys(command.options).map((o) => `--${o}`),
    )}`;
  }
  const spec = spelled === undefined ? undefined : command.options[spelled.replace(/^--/, '')];
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && spec !== undefined) {
    return spec.type === 'string' ? `${spelled} needs a value, e.g. ${spelled} ${spec.example}` : `${spelled} takes no value`;
  }
  return error.message;
}

/** A word as a shell would need it typed again. */
const shellWord = (word: string) => (/^[\w@%+=:,./~-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** `report --run 3` still means `report 3`: the old option becomes the positional, with a note on how to write it next time. */
function oldSpelling(name: string, command: Command, args: string[], values: Values, positionals: string[]): string[] {
  const old = command.positional?.oldOption;
  const value = old === undefined ? undefined : values[old];
  if (old === undefined || typeof value !== 'string') return positionals;
  if (positionals.length > 0) throw new UsageError(`give ${command.positional!.name} once: facet ${name} ${positionals[0]} or --${old} ${value}, not both`);
  delete values[old];
  const others = args.filter((arg, i) => arg !== `--${old}` && !arg.startsWith(`--${old}=`) && args[i - 1] !== `--${old}`);
  process.stderr.write(`facet: --${old} is still accepted; next time: ${['facet', name, value, ...others].map(shellWord).join(' ')}\n`);
  return [value];
}

/** What to tell the user about an error they can act on, in the command line's words (no method names, no schema wording); undefined for a bug. */
function userMessage(error: unknown): string | undefined {
  if (error instanceof ContractError) {
    if (error.field !== undefined && error.issue !== undefined) return issueSentence(error.field, error.issue);
    // Contract messages start with the method ("job/cancel: …"), which names nothing the user typed.
    const message = error.message.replace(/^[\w-]+\/[\w-]+: /, '');
    return error.field === undefined ? message : withOption(message, error.field);
  }
  if (error instanceof ParamError) return withOption(error.message, error.field);
  // EngineError covers the catalog's errors too (CatalogError, CatalogVersionError).
  if (error instanceof UsageError || error instanceof EngineError) return error.message;
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return EXIT_OK;
  }
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    process.stdout.write(`${overviewHelp(commands)}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const helpTopic = name === 'help' ? rest[0] : undefined;
  const commandName = helpTopic ?? name;
  const command = Object.hasOwn(commands, commandName) ? commands[commandName] : undefined;
  if (!command) return unknownCommand(commandName);
  // Help wins over the rest of the line, so `facet scan ~/Photos --help` never scans.
  const beforeEnd = rest.indexOf('--') === -1 ? rest : rest.slice(0, rest.indexOf('--'));
  if (helpTopic !== undefined || beforeEnd.includes('--help') || beforeEnd.includes('-h')) {
    process.stdout.write(`${commandHelp(commandName, command)}\n`);
    return EXIT_OK;
  }
  let values: Values;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: rest, options: parseArgsOptions(command.options), allowPositionals: true, strict: true });
    values = parsed.values as Values;
    positionals = oldSpelling(name, command, rest, values, parsed.positionals);
    // A command without a positional would otherwise ignore one, e.g. a folder given as `facet cluster ~/Photos`.
    if (!command.positional && positionals.length > 0) {
      const folder = 'library' in command.options ? ' (the library folder is --library <folder>)' : '';
      throw new UsageError(`${name} takes no argument ${JSON.stringify(positionals[0])}${folder}`);
    }
  } catch (error) {
    const message = error instanceof UsageError ? error.message : parseErrorText(name, command, error as NodeJS.ErrnoException);
    process.stderr.write(`facet: ${message}\nusage: ${usageLine(name, command)} (facet ${name} --help lists the options)\n`);
    return EXIT_USAGE;
  }
  // `serve --db FILE` keeps that catalog for the folder the user opens in the page.
  const engine = new Engine({
    ...(name === 'serve' && typeof values.db === 'string' ? { catalogFile: values.db } : {}),
    catalogAccess: command.access ?? 'existing',
  });
  try {
    return await command.run(engine, values, positionals);
  } catch (error) {
    const message = userMessage(error);
    if (message === undefined) throw error;
    process.stderr.write(`facet: ${message}\n`);
    return EXIT_USAGE;
  } finally {
    await engine.close();
  }
}
