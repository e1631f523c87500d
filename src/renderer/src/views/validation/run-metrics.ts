// How a run's measures read on screen (three decimals; '—' where nothing was tagged, never 0.000), the words for its
// settings, and which definition explains each measure. Shared by the Validation and Runs views.
import type { RunSummary } from '../../../../shared/contract.ts';
import { i18n } from '../../i18n/index.ts';

/** The definitions the info buttons open (locales: validation.metrics.<key>). */
export type MetricDefinition = 'cohesion' | 'speedup' | 'pairwise' | 'bcubed' | 'purity' | 'nmi' | 'ari' | 'matchingRecall';

export const NO_VALUE = '—';

/** A score between 0 and 1; '—' when the run had no tagged face to score against. */
export function score(value: number, taggedFaces: number): string {
  return taggedFaces > 0 && Number.isFinite(value) ? value.toFixed(3) : NO_VALUE;
}

/** The search speed-up as a bare number ("8.2"); the "×" is written beside it. */
export function speedup(value: number): string {
  return Number.isFinite(value) && value > 0 ? value.toFixed(1) : NO_VALUE;
}

/** A share as a percentage in the current language ("36%", "99.8%"). */
export function share(value: number): string {
  if (!Number.isFinite(value)) return NO_VALUE;
  return new Intl.NumberFormat(i18n.global.locale.value, { style: 'percent', maximumFractionDigits: value > 0.99 && value < 1 ? 1 : 0 }).format(value);
}

/** The locale key of a feature block ('landmarks-aligned' → 'landmarksAligned'). */
export function featureKey(name: string): string {
  return name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
}

/** "Face descriptor + Aligned landmarks ×0.5" for 'descriptor:1,landmarks-aligned:0.5'. */
export function featuresText(spec: string): string {
  const t = i18n.global.t;
  return spec
    .split(',')
    .map((part) => {
      const [name, weight = '1'] = part.trim().split(':');
      const label = t(`runs.params.feature.${featureKey(name.trim())}`);
      return Number(weight) === 1 ? label : `${label} ×${Number(weight)}`;
    })
    .join(' + ');
}

/** The clustering method in the current language. */
/** The algorithm's name; for a threshold run also the cut it used and where that came from. */
export function algorithmText(run: RunSummary): string {
  const name = i18n.global.t(`runs.params.algorithms.${run.algorithm}`);
  if (!run.cut) return name;
  return i18n.global.t('runs.params.cutSummary', {
    algorithm: name,
    value: run.cut.value.toFixed(3),
    source: i18n.global.t(`runs.params.cutFrom.${run.cut.source}`),
  });
}

/** A run's date and time, short, in the current language. */
export function runDate(run: RunSummary): string {
  const date = new Date(run.createdAt);
  if (Number.isNaN(date.getTime())) return run.createdAt;
  // The year only when it is not this one: the history table has many columns to fit.
  const thisYear = date.getFullYear() === new Date().getFullYear();
  return new Intl.DateTimeFormat(i18n.global.locale.value, {
    year: thisYear ? undefined : 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(date);
}
