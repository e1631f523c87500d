// Tests the text of `facet report` from the real bin on hand-made catalogs: the person × cluster table fitted to the width, GMM fit, PCA share, and runs without tags.
import { describe, expect, it } from 'vitest';
import { runFacet } from '../helpers/cli.ts';
import { buildSyntheticCatalog, type SyntheticPhoto } from '../helpers/synthetic-catalog.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

/** `people` people (folders p00, p01, …), two faces each, 10° apart on the descriptor circle: k = people separates them. */
function library(people: number): SyntheticPhoto[] {
  return Array.from({ length: people }, (_, p) => ({
    path: `p${String(p).padStart(2, '0')}/one.jpg`,
    faces: [
      { name: `${p}a`, x: 10, descriptor: p * 10 },
      { name: `${p}b`, x: 300, descriptor: p * 10 + 1 },
    ],
  }));
}

describe('facet report text', () => {
  const dataDir = tempDir('facet-report-data-');
  const facet = async (args: string[], env: Record<string, string> = {}) => {
    const run = await runFacet(args, { dataDir, env });
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };

  it('prints the person × cluster table, cut to the width with what was left out, and the GMM fit and PCA share', async () => {
    const { root, catalog } = buildSyntheticCatalog(library(35));
    await facet(['tag', '--from-folders', '--library', root, '--db', catalog]);
    const out = await facet(['cluster', '--db', catalog, '--k', '35', '--algorithm', 'gmm', '--pca', '2', '--restarts', '2'], { COLUMNS: '60' });
    // The existing lines stay.
    expect(out).toMatch(/^Run 1 · descriptor · PCA 2 · gmm k=35, 2 restarts · seed 1/);
    expect(out).toMatch(/same-person cohesion \(face-weighted\)\s+\d\.\d{3}/);
    expect(out).toMatch(/^PCA kept 2 components, 100\.0% of the variance$/m);
    expect(out).toMatch(/^Gaussian mixture: log-likelihood -?\d+\.\d, BIC -?\d+\.\d \(compare k by BIC: lower is better\)$/m);

    const lines = out.split('\n');
    const start = lines.indexOf('Tagged faces per person and cluster');
    expect(start).toBeGreaterThan(0);
    const header = lines[start + 1];
    expect(header).toMatch(/^person(\s+\d+)+$/);
    expect(header.length).toBeLessThanOrEqual(60);
    const shown = header.split(/\s+/).slice(1).map(Number);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    // 30 people of 35, each a row; fewer cluster columns than clusters.
    const rows = lines.slice(start + 3, start + 3 + 30);
    for (const row of rows) expect(row).toMatch(/^p\d\d\s/);
    expect(lines[start + 3 + 30]).toBe(`… ${35 - shown.length} clusters with fewer of these faces and 5 more people left out to fit (see --json)`);
    expect(shown.length).toBeLessThan(35);
  });

  it('shows a dash and the next step for the metrics of a run without tagged faces', async () => {
    const { root, catalog } = buildSyntheticCatalog(library(4));
    const out = await facet(['cluster', '--library', root, '--db', catalog, '--k', '4']);
    expect(out).toMatch(/same-person cohesion \(face-weighted\)\s+—$/m);
    expect(out).toMatch(/^ARI\s+—$/m);
    expect(out).not.toMatch(/0\.000/);
    expect(out).toMatch(/speed-up over exhaustive search\s+4\.00×/);
    expect(out).toMatch(/tag some faces: facet tag <folder> --from-folders or the People view/);
    expect(out).not.toMatch(/Tagged faces per person and cluster/);
    const runs = await facet(['runs', '--db', catalog]);
    expect(runs).toMatch(/^1\s.*\s4\s+—\s+—\s+—\s+—\s+4\.0×$/m);
  });
});
