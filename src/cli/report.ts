// Plain-text reports of clustering runs for the terminal: metrics, per-person breakdown, the person × cluster table, the fit, what the clusters follow.
import type { FeatureSignal, RunReport, RunSummary } from '../shared/contract.ts';
import { count } from './messages.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number, digits = 3) => x.toFixed(digits);

/** What a metric that needs tags reads on a run without any: a dash, never a 0.000 that looks like a result. */
export const UNTAGGED = '—';
export const TAG_NEXT_STEP = 'tag some faces: facet tag <folder> --from-folders or the People view';
/** A metric measured against the tags, or the dash when the run had none. */
const tagged = (taggedFaces: number, value: string) => (taggedFaces > 0 ? value : UNTAGGED);

/** The width text output fits in: the terminal's, else $COLUMNS, else 100. */
export function terminalWidth(stream: NodeJS.WriteStream): number {
  return stream.columns ?? (Number(process.env.COLUMNS) || 100);
}

/** People shown at most in the per-person tables; the rest are in --json. */
const PEOPLE_SHOWN = 30;

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]?.length ?? 0)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(cells[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function describeParams(run: RunSummary): string {
  const p = run.params;
  const pca = p.pca ? ('components' in p.pca ? `PCA ${p.pca.components}` : `PCA ${pct(p.pca.varianceShare)} variance`) : 'no PCA';
  const cut =
    run.cut &&
    ` ${run.cut.value.toFixed(3)} (${run.cut.source === 'given' ? 'as asked' : run.cut.source === 'tags' ? 'calibrated on the tags' : 'the default'})`;
  const algorithm = p.algorithm === 'threshold' ? `threshold${cut ?? ` ${p.threshold ?? 'default'}`}` : `${p.algorithm} k=${p.k}, ${p.restarts} restarts`;
  return `${p.features} · ${pca} · ${algorithm} · seed ${p.seed}${p.includeFiltered ? ' · filtered faces included' : ''}`;
}

export function runsTable(runs: RunSummary[]): string {
  if (runs.length === 0) return 'no runs yet: `facet cluster` makes one';
  const text = table(
    ['run', 'created', 'settings', 'faces', 'k', 'cohesion', 'ARI', 'NMI', 'pair F1', 'speed-up'],
    runs.map((r) => {
      const t = r.headline.taggedFaces;
      return [
        r.id,
        r.createdAt.slice(0, 19).replace('T', ' '),
        describeParams(r),
        r.faces,
        r.k,
        tagged(t, num(r.headline.cohesion)),
        tagged(t, num(r.headline.ari)),
        tagged(t, num(r.headline.nmi)),
        tagged(t, num(r.headline.pairwiseF1)),
        `${r.headline.speedup.toFixed(1)}×`,
      ];
    }),
  );
  return runs.some((r) => r.headline.taggedFaces === 0) ? `${text}\n${UNTAGGED}: no tagged faces in that run; ${TAG_NEXT_STEP}` : text;
}

/** Side by side: one column per run, one row per metric. */
export function compareRuns(reports: RunReport[]): string {
  const byTags = (value: (r: RunReport) => string) => (r: RunReport) => tagged(r.metrics.taggedFaces, value(r));
  const rows: [string, (r: RunReport) => string][] = [
    ['settings', describeParams],
    ['faces clustered', (r) => String(r.details.faces)],
    ['clusters', (r) => String(r.k)],
    ['cohesion (face-weighted)', byTags((r) => num(r.metrics.cohesion.weighted))],
    ['cohesion (mean over people)', byTags((r) => num(r.metrics.cohesion.mean))],
    ['pairwise precision / recall', byTags((r) => `${num(r.metrics.pairwise.precision)} / ${num(r.metrics.pairwise.recall)}`)],
    ['pairwise F1', byTags((r) => num(r.metrics.pairwise.f1))],
    ['BCubed F1', byTags((r) => num(r.metrics.bcubed.f1))],
    ['purity / inverse purity', byTags((r) => `${num(r.metrics.purity)} / ${num(r.metrics.inversePurity)}`)],
    ['NMI', byTags((r) => num(r.metrics.nmi))],
    ['ARI', byTags((r) => num(r.metrics.ari))],
    ['search cost / speed-up', (r) => `${pct(r.metrics.searchCost)} / ${r.metrics.speedup.toFixed(1)}×`],
    ['matching recall, nprobe 1', (r) => (r.metrics.matchingRecall[0] ? pct(r.metrics.matchingRecall[0].recall) : '–')],
    ['duration', (r) => `${Math.round(r.durationMs)} ms`],
  ];
  const lines = [
    table(
      ['', ...reports.map((r) => `run ${r.id}`)],
      rows.map(([label, value]) => [label, ...reports.map(value)]),
    ),
  ];
  if (reports.some((r) => r.metrics.taggedFaces === 0)) lines.push(`${UNTAGGED}: no tagged faces in the run; ${TAG_NEXT_STEP}`);
  return lines.join('\n');
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

function signalText(signals: FeatureSignal[]): string {
  if (signals.every((s) => s.chance === 0)) return 'Tag faces (facet tag) to learn which features tell your people apart.';
  return table(
    ['feature', 'nearest face is the same person', 'by chance', 'verdict'],
    signals.map((s) => [s.feature, pct(s.nearestSameIdentity), pct(s.chance), s.verdict]),
  );
}

/**
 * People × clusters, counts of tagged faces: the first PEOPLE_SHOWN people (most faces first)
 * and as many cluster columns as `width` holds, the clusters with the most of those faces,
 * shown in cluster order. What does not fit is named in a last line.
 */
function identityClusterTable(metrics: RunReport['metrics'], width: number): string {
  const { identities, clusters, counts } = metrics.table;
  const people = identities.slice(0, PEOPLE_SHOWN).map((name) => (name.length > 24 ? `${name.slice(0, 23)}…` : name));
  const rows = counts.slice(0, PEOPLE_SHOWN);
  const nameWidth = Math.max('person'.length, ...people.map((p) => p.length));
  const columnWidth = (j: number) => Math.max(String(clusters[j]).length, ...rows.map((r) => String(r[j]).length));
  const columnTotal = (j: number) => rows.reduce((sum, r) => sum + r[j], 0);
  // Widest share first, then the earlier cluster; each column costs its width and the two-space gap.
  const byWeight = clusters.map((_, j) => j).sort((a, b) => columnTotal(b) - columnTotal(a) || a - b);
  const shown: number[] = [];
  let used = nameWidth;
  for (const j of byWeight) {
    if (used + 2 + columnWidth(j) > width) break;
    shown.push(j);
    used += 2 + columnWidth(j);
  }
  shown.sort((a, b) => a - b);
  const lines = [
    'Tagged faces per person and cluster',
    table(
      ['person', ...shown.map((j) => String(clusters[j]))],
      rows.map((row, i) => [people[i], ...shown.map((j) => (row[j] === 0 ? '·' : row[j]))]),
    ),
  ];
  const hiddenClusters = clusters.length - shown.length;
  const hiddenPeople = identities.length - people.length;
  const leftOut = [
    hiddenClusters > 0 ? `${count(hiddenClusters, 'cluster')} with fewer of these faces` : '',
    hiddenPeople > 0 ? count(hiddenPeople, 'more person', 'more people') : '',
  ].filter(Boolean);
  if (leftOut.length > 0) lines.push(`… ${leftOut.join(' and ')} left out to fit (see --json)`);
  return lines.join('\n');
}

function fitLines(report: RunReport): string[] {
  const { pca, logLikelihood, bic } = report.details;
  const lines: string[] = [];
  if (pca) {
    const kept = pca.explainedVarianceRatio.slice(0, pca.components).reduce((sum, x) => sum + x, 0);
    lines.push(`PCA kept ${pca.components} components, ${pct(kept)} of the variance`);
  }
  if (logLikelihood !== undefined && bic !== undefined)
    lines.push(`Gaussian mixture: log-likelihood ${logLikelihood.toFixed(1)}, BIC ${bic.toFixed(1)} (compare k by BIC: lower is better)`);
  return lines;
}

/** " (residual 182, yaw 42)": the gates that left faces out, with how many each (a face may fail several); then the faces placed only. */
function byGate(report: RunReport): string {
  const counts = Object.entries(report.details.filteredOutBy ?? {}).filter(([, n]) => n > 0);
  const placed = report.details.placedOnly ?? 0;
  return (
    (counts.length > 0 ? ` (${counts.map(([gate, n]) => `${gate} ${n}`).join(', ')})` : '') +
    (placed > 0 ? `, ${placed} that fail the landmark gates placed in their nearest cluster without shaping it` : '')
  );
}

export function reportText(report: RunReport, signals?: FeatureSignal[], width = 100): string {
  const m = report.metrics;
  const parts: string[] = [];
  parts.push(`Run ${report.id} · ${describeParams(report)}`);
  parts.push(
    `${count(report.details.faces, 'face')} in ${count(report.k, 'cluster')} (${report.details.filteredOut} left out by the quality gates${byGate(report)}` +
      // Runs stored before marks existed carry no count.
      `${report.details.markedOut ? `, ${report.details.markedOut} marked "not a face" or "ignore"` : ''}), ` +
      `${count(m.taggedFaces, 'tagged face')} of ${count(m.identities, 'person', 'people')}, ${Math.round(report.durationMs)} ms`,
  );
  parts.push(...fitLines(report));
  if (report.cut) parts.push(`Distance cut ${report.cut.value.toFixed(3)}: ${report.cut.detail}`);
  if (report.details.learnedFromTags)
    parts.push(
      'Scored on the tagged faces its features learned from: expect less on people not tagged yet (npm run bench -- geometry measures it on people left out)',
    );
  parts.push('');
  parts.push(`Cluster sizes: ${report.details.clusters.map((c) => c.size).join(' · ')}`);
  parts.push('');
  const byTags = (value: number) => tagged(m.taggedFaces, num(value));
  parts.push(
    table(
      ['metric', 'value'],
      [
        ['same-person cohesion (face-weighted)', byTags(m.cohesion.weighted)],
        ['same-person cohesion (mean over people)', byTags(m.cohesion.mean)],
        ['pairwise precision', byTags(m.pairwise.precision)],
        ['pairwise recall', byTags(m.pairwise.recall)],
        ['pairwise F1', byTags(m.pairwise.f1)],
        ['BCubed precision', byTags(m.bcubed.precision)],
        ['BCubed recall', byTags(m.bcubed.recall)],
        ['BCubed F1', byTags(m.bcubed.f1)],
        ['purity', byTags(m.purity)],
        ['inverse purity', byTags(m.inversePurity)],
        ['NMI', byTags(m.nmi)],
        ['ARI', byTags(m.ari)],
        ['search cost (share of library scanned)', pct(m.searchCost)],
        ['speed-up over exhaustive search', `${m.speedup.toFixed(2)}×`],
      ],
    ),
  );
  if (m.taggedFaces === 0) {
    parts.push(`${UNTAGGED}: no face in this run is tagged, so the clusters cannot be checked; ${TAG_NEXT_STEP}.`);
    parts.push('');
  } else {
    parts.push('Cohesion and speed-up belong together: one big cluster has perfect cohesion and no speed-up.');
    parts.push('');
    parts.push(
      table(
        ['person', 'faces', 'main cluster', 'share there'],
        m.cohesion.perIdentity
          .slice()
          .sort((a, b) => b.faces - a.faces)
          .slice(0, PEOPLE_SHOWN)
          .map((p) => [p.identity, p.faces, p.cluster, pct(p.share)]),
      ),
    );
    if (m.cohesion.perIdentity.length > PEOPLE_SHOWN)
      parts.push(`… and ${count(m.cohesion.perIdentity.length - PEOPLE_SHOWN, 'more person', 'more people')} (see --json)`);
    parts.push('');
    parts.push(identityClusterTable(m, width));
    parts.push('');
    const recall = m.matchingRecall.slice(0, 5);
    if (recall.length > 0) {
      parts.push('Matching: is the nearest same-person face found when searching only the nearest clusters?');
      parts.push(
        table(
          ['clusters searched', 'found', 'library scanned'],
          recall.map((r) => [r.nprobe, pct(r.recall), pct(r.scanned)]),
        ),
      );
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
