// Tests that the `facet` command line explains itself, through the real bin: --help from the command table, --version, "did you mean", old and new argument spellings, errors as sentences, plurals.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/main.ts';
import { optionLabel, usageLine } from '../../src/cli/help.ts';
import { expectUsageError, repoRoot, runFacet } from '../helpers/cli.ts';
import { buildSyntheticCatalog, type SyntheticPhoto } from '../helpers/synthetic-catalog.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/** Two people (folders p0, p1), two faces each, far apart on the descriptor circle. */
const twoPeople: SyntheticPhoto[] = [0, 1].map((p) => ({
  path: `p${p}/one.jpg`,
  faces: [
    { name: `${p}a`, x: 10, descriptor: p * 90 },
    { name: `${p}b`, x: 300, descriptor: p * 90 + 1 },
  ],
}));

describe('facet --help, help <command> and --version', () => {
  const dataDir = tempDir('facet-help-data-');

  it('lists every option of every command with its meaning and, for a value, an example', async () => {
    for (const [name, command] of Object.entries(commands)) {
      const run = await runFacet([name, '--help'], { dataDir });
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      expect(run.stdout).toContain(`usage: ${usageLine(name, command)}`);
      expect(run.stdout).toContain(command.summary);
      for (const [option, spec] of Object.entries(command.options)) {
        const line = run.stdout.split('\n').find((l) => l.trimStart().startsWith(`${optionLabel(option, spec)} `));
        expect(line, `${name} --${option}`).toBeDefined();
        expect(line).toContain(spec.help);
        if (spec.type === 'string') expect(line).toContain(`e.g. --${option} ${spec.example}`);
      }
      expect(run.stdout).toMatch(/^examples:\n {2}facet /m);
    }
  });

  it('reads as hand-written help, the same through facet help <command>, and leaves out nothing from the overview', async () => {
    const scan = await runFacet(['scan', '--help'], { dataDir });
    expect(scan.stdout).toMatch(/^ {2}--min-score N +the detection score a face needs, between 0 and 1 \(default 0\.5\); e\.g\. --min-score 0\.6$/m);
    expect(scan.stdout).toMatch(/^ {2}<folder> +the photo folder to scan$/m);
    expect((await runFacet(['help', 'scan'], { dataDir })).stdout).toBe(scan.stdout);
    // --help wins over the rest of the line: nothing is scanned.
    expect((await runFacet(['scan', '/no/such/folder', '--help'], { dataDir })).stdout).toBe(scan.stdout);

    const report = await runFacet(['report', '--help'], { dataDir });
    expect(report.stdout).toMatch(/^usage: facet report \[<run>\] \[options\]$/m);
    expect(report.stdout).toMatch(/--run ID +the run \(the latest by default\) \(the old spelling of <run>\); e\.g\. --run 3/);

    const overview = await runFacet(['--help'], { dataDir });
    expect(overview.code).toBe(0);
    for (const [name, command] of Object.entries(commands)) expect(overview.stdout).toContain(`  ${name.padEnd(10)}  ${command.summary}`);
    expect(overview.stdout).toMatch(/facet <command> --help/);
  });

  it("prints package.json's version", async () => {
    const run = await runFacet(['--version'], { dataDir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')).version}\n`);
  });

  it('suggests the nearest command or option for a typo', async () => {
    const command = await runFacet(['sacn', '/photos'], { dataDir });
    expect(command.code).toBe(1);
    expect(command.stderr).toMatch(/^facet: unknown command "sacn"; did you mean scan\?$/m);
    expectUsageError(
      await runFacet(['cluster', '--db', 'x.sqlite', '--tresholds', '0.4'], { dataDir }),
      /^facet: unknown option --tresholds for facet cluster; did you mean --threshold\?$/m,
    );
    expectUsageError(await runFacet(['help', 'exprot'], { dataDir }), /did you mean export\?/);
    // Nothing near: no guess.
    expectUsageError(
      await runFacet(['stats', '--frobnicate'], { dataDir }),
      /^facet: unknown option --frobnicate for facet stats\nusage: facet stats \[<folder>\] \[options\]/m,
    );
  });

  it('says what a value option or a library lacks, in the spelling the command takes', async () => {
    expectUsageError(await runFacet(['scan', 'photos', '--workers'], { dataDir }), /^facet: --workers needs a value, e\.g\. --workers 2$/m);
    expectUsageError(await runFacet(['stats'], { dataDir }), /^facet: give the library folder \(facet stats <folder>\) or its catalog \(--db FILE\)$/m);
    expectUsageError(
      await runFacet(['cluster', '/photos'], { dataDir }),
      /^facet: cluster takes no argument "\/photos" \(the library folder is --library <folder>\)$/m,
    );
  });
});

describe('facet with a run: one argument style, old spellings with a note, errors as sentences', () => {
  const dataDir = tempDir('facet-help-data-');
  let root: string;
  let catalog: string;
  const facet = (...args: string[]) => runFacet(args, { dataDir });

  beforeAll(async () => {
    ({ root, catalog } = buildSyntheticCatalog(twoPeople));
    const untagged = await facet('cluster', '--library', root, '--db', catalog, '--k', '2', '--json');
    expect(untagged.code, untagged.stderr).toBe(0);
  });

  it('shows the dash and the next step in runs and stats while nothing is tagged', async () => {
    const runs = await facet('runs', '--db', catalog);
    expect(runs.stdout).toMatch(/^—: no tagged faces in that run; tag some faces: facet tag/m);
    const stats = await facet('stats', '--db', catalog);
    expect(stats.stdout).toMatch(/^identities +0 \(0 tagged faces\)\n—: no face is tagged yet/m);
  });

  it('takes the folder and the run as positionals, and the old options with a one-line note', async () => {
    const csv = join(tempDir('facet-help-csv-'), 'tags.csv');
    writeFileSync(csv, 'path,identity\np0/one.jpg,p0\n');
    // Plurals follow the count: one face, one identity, one label; then two of each.
    const one = await facet('tag', root, '--csv', csv, '--db', catalog);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toBe('1 face tagged with 1 identity from 1 photo label\n');
    const tag = await facet('tag', root, '--from-folders', '--db', catalog);
    expect(tag.code, tag.stderr).toBe(0);
    expect(tag.stderr).toBe('');
    expect(tag.stdout).toMatch(/^2 faces tagged with 2 identities from 2 photo labels$/m);
    const cluster = await facet('cluster', '--db', catalog, '--k', '1');
    expect(cluster.stdout).toMatch(/^4 faces in 1 cluster \(.*\), 2 tagged faces of 2 people, /m);

    const pairs: [string[], string[], string][] = [
      [['report', '2', '--db', catalog, '--json'], ['report', '--run', '2', '--db', catalog, '--json'], `facet report 2 --db ${catalog} --json`],
      [
        ['export', '2', '--format', 'csv', '--db', catalog],
        ['export', '--run=2', '--format', 'csv', '--db', catalog],
        `facet export 2 --format csv --db ${catalog}`,
      ],
      [['stats', root, '--db', catalog, '--json'], ['stats', '--library', root, '--db', catalog, '--json'], `facet stats ${root} --db ${catalog} --json`],
    ];
    for (const [now, old, next] of pairs) {
      const [a, b] = [await facet(...now), await facet(...old)];
      expect(a.code, a.stderr).toBe(0);
      expect(a.stderr).toBe('');
      expect(b.code, b.stderr).toBe(0);
      expect(b.stdout).toBe(a.stdout);
      expect(b.stderr).toBe(`facet: --${old[1].replace(/^--|=.*$/g, '')} is still accepted; next time: ${next}\n`);
    }
    expectUsageError(await facet('report', '2', '--run', '1', '--db', catalog), /^facet: give <run> once: facet report 2 or --run 1, not both$/m);
    expectUsageError(await facet('report', 'latest', '--db', catalog), /^facet: not a run id: "latest"/m);
  });

  it('words a schema limit as a sentence naming the option, without the method or the schema', async () => {
    const run = await facet('cluster', '--db', catalog, '--algorithm', 'threshold', '--threshold', '5');
    expectUsageError(run, /^facet: --threshold must be at most 2$/m);
    expect(run.stderr).not.toMatch(/runs\/create|Too big|expected/);
    expectUsageError(await facet('cluster', '--db', catalog, '--k', '0'), /^facet: --k must be at least 1$/m);
    expectUsageError(await facet('cluster', '--db', catalog, '--algorithm', 'dbscan'), /^facet: --algorithm takes kmeans, gmm or threshold$/m);
    expectUsageError(await facet('cluster', '--db', catalog, '--k', '9'), /^facet: --k: 9 clusters asked for, but only 4 faces to cluster$/m);
  });
});
