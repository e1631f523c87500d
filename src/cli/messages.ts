// Words for people on the command line: counts with the right plural, and contract findings as sentences naming the option typed.
import type { z } from 'zod';

/** `count(1, 'face')` → "1 face", `count(2, 'person', 'people')` → "2 people". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Contract fields that are not spelled as their option on the command line. */
const FIELD_WORDS: Record<string, string> = { id: 'the run id', runId: '--run', root: 'the folder', jobId: 'the job' };

/** What the user typed for a contract field: minScore → --min-score, pca.components → --pca. */
function optionFor(field: string): string {
  const head = field.split('.')[0];
  return FIELD_WORDS[head] ?? `--${head.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

const orList = (values: unknown[]) => {
  const words = values.map(String);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words.join('');
};

/** A schema finding as a sentence: "Too big: expected number to be <=2" on threshold → "--threshold must be at most 2". */
export function issueSentence(field: string, issue: z.core.$ZodIssue): string {
  const option = optionFor(field);
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'number') return `${option} must be ${issue.inclusive ? 'at most' : 'below'} ${issue.maximum}`;
      break;
    case 'too_small':
      if (issue.origin === 'number') return `${option} must be ${issue.inclusive ? 'at least' : 'above'} ${issue.minimum}`;
      break;
    case 'invalid_value':
      return `${option} takes ${orList(issue.values)}`;
    case 'invalid_type':
      if (issue.expected === 'int') return `${option} takes a whole number`;
      if (issue.expected === 'number') return `${option} takes a number`;
      break;
    case 'custom':
      return `${option}: ${issue.message}`;
  }
  return `${option}: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
}

/** An engine message that starts with its field ("k: 5 clusters asked for…") starts with the option instead. */
export function withOption(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? `${optionFor(field)}: ${message.slice(field.length + 2)}` : message;
}
