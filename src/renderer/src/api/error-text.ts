// Turns anything thrown into the sentence a person reads: what went wrong and what to do next, in their language.
import { limitAmount, readLimitMessage, type LimitStop } from '../../../shared/job-limits.ts';
import { readTagsNeeded } from '../../../shared/tags-needed.ts';
import { ApiError } from './api-error.ts';

/** vue-i18n's t (i18n.global.t or useI18n().t), passed in so this file needs no DOM and can be unit-tested. */
export type Translate = (key: string, named?: Record<string, unknown>) => string;

/** Errors whose own wording helps nobody: the state they stand for, and the way out, said in full. */
const EXPLAINED = new Map<string, string>([
  ['NetworkError', 'errors.network'],
  ['Unauthorized', 'errors.unauthorized'],
  ['NoLibraryError', 'errors.noLibrary'],
  // The app sent a request that does not fit the contract: a bug of ours the person can only retry.
  ['ContractError', 'errors.rejected'],
  // The reason names the CLI command that deletes it; the app, which leaves such runs out, says so.
  ['UnreadableRunError', 'errors.unreadableRun'],
]);

/** "faces/tag: ": the method the engine names before its reason. */
const METHOD_PREFIX = /^[a-z][\w-]*(?:\/[\w-]+)+:\s*/;
/** "faceIds: ", "k: ": the request field the reason is about, one word before a colon. */
const FIELD_PREFIX = /^[A-Za-z][\w.]*:\s+/;
/** zod's wording ("Invalid input: expected string…", "Too small: …") is about the request's shape, not the photos. */
const SCHEMA_WORDING = /^(?:Invalid\b|Too (?:small|big)\b|Unrecognized keys?\b)/;

/** The engine's reason without the method and field it starts with; empty when nothing is left to show. */
export function engineReason(message: string): string {
  return message.trim().replace(METHOD_PREFIX, '').replace(FIELD_PREFIX, '').trim();
}

/** Engine reasons are clauses ("library folder … does not exist"); shown alone they read as sentences. */
function sentence(text: string): string {
  const capital = text[0].toUpperCase() + text.slice(1);
  return /[.!?…。！？]$/.test(capital) ? capital : `${capital}.`;
}

/** A job stopped at its memory or time limit: which job, which limit, and what to change, in the person's language. */
function limitSentence(stop: LimitStop, t: Translate): string {
  const minutes = stop.limit === 'time' && stop.amount >= 120;
  const amount =
    stop.limit === 'memory'
      ? limitAmount(stop)
      : t(minutes ? 'errors.limit.minutes' : 'errors.limit.seconds', { n: minutes ? Math.round(stop.amount / 60) : stop.amount });
  return t(`errors.limit.${stop.limit}`, { job: t(`errors.limit.jobs.${stop.job}`), amount, next: t(`errors.limit.next.${stop.job}`) });
}

/** What to tell a person about `error`: a translated sentence for the states we know, else the engine's own reason. */
export function describeError(error: unknown, t: Translate): string {
  const name = error instanceof Error ? error.name : '';
  const explained = EXPLAINED.get(name);
  if (explained) return t(explained);
  if (error instanceof ApiError && name === 'ServerError') return t('errors.server', { status: error.status });
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const stop = name === 'LimitError' ? readLimitMessage(message) : undefined;
  if (stop) return limitSentence(stop, t);
  const needed = name === 'ParamError' ? readTagsNeeded(message) : undefined;
  if (needed) return t('errors.tagsNeeded', { ...needed });
  const reason = engineReason(message);
  if (!reason) return t('errors.unknown');
  if (SCHEMA_WORDING.test(reason)) return t('errors.rejected');
  return sentence(reason);
}
