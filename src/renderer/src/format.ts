// How numbers, rates and durations read on screen, in the current language (reading the locale keeps templates reactive).
import { i18n } from './i18n/index.ts';

const formats = new Map<string, { integer: Intl.NumberFormat; oneDecimal: Intl.NumberFormat }>();

/** The number formats of the current language, made once per language. */
function numberFormats(): { integer: Intl.NumberFormat; oneDecimal: Intl.NumberFormat } {
  const locale = i18n.global.locale.value;
  let made = formats.get(locale);
  if (!made) {
    made = {
      integer: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
      oneDecimal: new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    };
    formats.set(locale, made);
  }
  return made;
}

/** A number with its unit ("8 s", "8 秒"). */
function unit(key: string, n: string | number): string {
  return i18n.global.t(`units.${key}`, { n });
}

export function count(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : numberFormats().integer.format(n);
}

/** A counted message such as common.photos ("1 photo", "1,204 photos"), its number formatted for the language. */
export function plural(key: string, n: number): string {
  return i18n.global.t(key, { n: count(n) }, n);
}

export function percent(part: number, whole: number): string {
  if (!whole) return '0%';
  return `${Math.floor((part / whole) * 100)}%`;
}

/** Photos per second; below one a second it reads better per minute. */
export function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '—';
  const { oneDecimal } = numberFormats();
  if (perSecond < 1) return unit('perMinute', oneDecimal.format(perSecond * 60));
  return unit('perSecond', oneDecimal.format(perSecond));
}

/** A duration in seconds as a person would say it: "8 s", "2 min 5 s", "1 h 12 min". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return seconds === 0 ? unit('seconds', 0) : i18n.global.t('units.underASecond');
  const s = Math.round(seconds);
  if (s < 60) return unit('seconds', s);
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${unit('minutes', m)} ${unit('seconds', s % 60)}` : unit('minutes', m);
  const h = Math.floor(m / 60);
  return m % 60 ? `${unit('hours', h)} ${unit('minutes', m % 60)}` : unit('hours', h);
}

export function elapsed(ms: number): string {
  if (ms < 1000) return unit('milliseconds', Math.max(0, Math.round(ms)));
  if (ms < 10_000) return unit('seconds', numberFormats().oneDecimal.format(ms / 1000));
  return duration(ms / 1000);
}

/** The last part of a path, for titles; the full path stays in a tooltip. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

/** The value that failed a quality gate, as the gate measures it: score, pixels, fit residual or degrees of head turn. */
export function gateValue(q: { gate: 'score' | 'size' | 'residual' | 'yaw'; value: number; limit: number }): string {
  if (q.gate === 'size') return `${Math.round(q.value)} px < ${q.limit} px`;
  if (q.gate === 'yaw') return `${Math.round(Math.abs(q.value))}° > ${q.limit}°`;
  if (q.gate === 'score') return `${q.value.toFixed(2)} < ${q.limit}`;
  return `${q.value.toFixed(3)} > ${q.limit}`;
}
