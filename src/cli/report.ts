// Plain-text reports of clustering runs for the terminal: metrics, per-person breakdown, what the clusters follow.
import type { FeatureSignal, RunReport, RunSummary } from '../shared/contract.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number, digits = 3) => x.toFixed(digits);

export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]?.length ?? 0)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(cells[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function describeParams(run: RunSummary): string {
  const p = run.params;
  const pca = p.pca ? ('components' in p.pca ? `PCA ${p.pca.components}` : `PCA ${pct(p.pca.varianceShare)} variance`) : 'no PCA';
  const algorithm = p.algorithm === 'threshold' ? `threshold ${p.threshold ?? 'default'}` : `${p.algorithm} k=${p.k}, ${p.restarts} restarts`;
  return `${p.features} · ${pca} · ${algorithm} · seed ${p.seed}${p.includeFiltered ? ' · filtered faces included' : ''}`;
}

export function runsTable(runs: RunSummary[]): string {
  if (runs.length === 0) return 'no runs yet: `facet cluster` makes one';
  return table(
    ['run', 'created', 'settings', 'faces', 'k', 'cohesion', 'ARI', 'NMI', 'pair F1', 'speed-up'],
    runs.map((r) => [
      r.id,
      r.createdAt.slice(0, 19).replace('T', ' '),
      describeParams(r),
      r.faces,
      r.k,
      num(r.headline.cohesion),
      num(r.headline.ari),
      num(r.headline.nmi),
      num(r.headline.pairwiseF1),
      `${r.headline.speedup.toFixed(1)}×`,
    ]),
  );
}

/** Side by side: one column per run, one row per metric. */
export function compareRuns(reports: RunReport[]): string {
  const rows: [string, (r: RunReport) => string][] = [
    ['settings', describeParams],
    ['faces clustered', (r) => String(r.details.faces)],
    ['clusters', (r) => String(r.k)],
    ['cohesion (face-weighted)', (r) => num(r.metrics.cohesion.weighted)],
    ['cohesion (mean over people)', (r) => num(r.metrics.cohesion.mean)],
    ['pairwise precision / recall', (r) => `${num(r.metrics.pairwise.precision)} / ${num(r.metrics.pairwise.recall)}`],
    ['pairwise F1', (r) => num(r.metrics.pairwise.f1)],
    ['BCubed F1', (r) => num(r.metrics.bcubed.f1)],
    ['purity / inverse purity', (r) => `${num(r.metrics.purity)} / ${num(r.metrics.inversePurity)}`],
    ['NMI', (r) => num(r.metrics.nmi)],
    ['ARI', (r) => num(r.metrics.ari)],
    ['search cost / speed-up', (r) => `${pct(r.metrics.searchCost)} / ${r.metrics.speedup.toFixed(1)}×`],
    ['matching recall, nprobe 1', (r) => (r.metrics.matchingRecall[0] ? pct(r.metrics.matchingRecall[0].recall) : '–')],
    ['duration', (r) => `${Math.round(r.durationMs)} ms`],
  ];
  return table(['', ...reports.map((r) => `run ${r.id}`)], rows.map(([label, value]) => [label, ...reports.map(value)]));
}

function poseSentence(report: RunReport): string {
  const { yaw, roll } = report.details.pose;
  if (yaw.faces === 0) return 'Tag some faces to see whether the clusters follow people or head pose.';
  const lines = [
    `Head turn (yaw): ${pct(yaw.byCluster)} of its variance lies between clusters, ${pct(yaw.byIdentity)} between people.`,
    `Head tilt (roll): ${pct(roll.byCluster)} between clusters, ${pct(roll.byIdentity)} between people.`,
  ];
  if (yaw.byCluster > 0.3 && yaw.byCluster > 2 * yaw.byIdentity)
    lines.push('These clusters follow which way the head is turned far more than who the person is.');
  return lines.join('\n');
}

export function signalText(signals: FeatureSignal[]): string {
  if (signals.every((s) => s.chance === 0)) return 'Tag faces (facet tag) to learn which features tell your people apart.';
  return table(
    ['feature', 'nearest face is the same person', 'by chance', 'verdict'],
    signals.map((s) => [s.feature, pct(s.nearestSameIdentity), pct(s.chance), s.verdict]),
  );
}

export function reportText(report: RunReport, signals?: FeatureSignal[]): string {
  const m = report.metrics;
  const parts: string[] = [];
  parts.push(`Run ${report.id} · ${describeParams(report)}`);
  parts.push(
    `${report.details.faces} faces in ${report.k} clusters (${report.details.filteredOut} left out by the quality gates` +
      // Runs stored before marks existed carry no count.
      `${report.details.markedOut ? `, ${report.details.markedOut} marked "not a face" or "ignore"` : ''}), ` +
      `${m.taggedFaces} tagged faces of ${m.identities} people, ${Math.round(report.durationMs)} ms`,
  );
  if (report.details.pca) parts.push(`PCA kept ${report.details.pca.components} components`);
  parts.push('');
  parts.push(`Cluster sizes: ${report.details.clusters.map((c) => c.size).join(' · ')}`);
  parts.push('');
  if (m.taggedFaces === 0) {
    parts.push('No face is tagged, so the clusters cannot be checked: `facet tag --from-folders` or `--csv FILE`.');
  } else {
    parts.push(
      table(
        ['metric', 'value'],
        [
          ['same-person cohesion (face-weighted)', num(m.cohesion.weighted)],
          ['same-person cohesion (mean over people)', num(m.cohesion.mean)],
          ['pairwise precision', num(m.pairwise.precision)],
          ['pairwise recall', num(m.pairwise.recall)],
          ['pairwise F1', num(m.pairwise.f1)],
          ['BCubed precision', num(m.bcubed.precision)],
          ['BCubed recall', num(m.bcubed.recall)],
          ['BCubed F1', num(m.bcubed.f1)],
          ['purity', num(m.purity)],
          ['inverse purity', num(m.inversePurity)],
          ['NMI', num(m.nmi)],
          ['ARI', num(m.ari)],
          ['search cost (share of library scanned)', pct(m.searchCost)],
          ['speed-up over exhaustive search', `${m.speedup.toFixed(2)}×`],
        ],
      ),
    );
    parts.push('Cohesion and speed-up belong together: one big cluster has perfect cohesion and no speed-up.');
    parts.push('');
    parts.push(
      table(
        ['person', 'faces', 'main cluster', 'share there'],
        m.cohesion.perIdentity
          .slice()
          .sort((a, b) => b.faces - a.faces)
          .slice(0, 30)
          .map((p) => [p.identity, p.faces, p.cluster, pct(p.share)]),
      ),
    );
    if (m.cohesion.perIdentity.length > 30) parts.push(`… and ${m.cohesion.perIdentity.length - 30} more people (see --json)`);
    parts.push('');
    const recall = m.matchingRecall.slice(0, 5);
    if (recall.length > 0) {
      parts.push('Matching: is the nearest same-person face found when searching only the nearest clusters?');
      parts.push(table(['clusters searched', 'found', 'library scanned'], recall.map((r) => [r.nprobe, pct(r.recall), pct(r.scanned)])));
      parts.push('');
    }
  }
  parts.push('What the clusters follow');
  parts.push(poseSentence(report));
  if (signals) {
    parts.push('');
    parts.push('Which features carry identity in this library');
    parts.push(signalText(signals));
  }
  return parts.join('\n');
}
