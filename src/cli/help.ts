// The shape of the command table and what it yields besides the commands themselves: parseArgs' options, `--help` text, "did you mean".
import type { ParseArgsConfig } from 'node:util';

/** A value option's meaning and an example value; a switch needs no example. */
export type OptionSpec = { type: 'string'; arg: string; help: string; example: string } | { type: 'boolean'; help: string };

export type OptionTable = Record<string, OptionSpec>;

/** The positional argument, and the option it used to be spelled as (still accepted, with a note). */
interface PositionalSpec {
  name: string;
  help: string;
  oldOption?: string;
}

export interface CommandSpec {
  summary: string;
  /** Placeholders after the command name, e.g. `<folder>`, `[<run>]`. */
  args: string;
  positional?: PositionalSpec;
  options: OptionTable;
  examples: string[];
}

export function parseArgsOptions(options: OptionTable): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(Object.entries(options).map(([name, spec]) => [name, { type: spec.type }]));
}

export function usageLine(name: string, command: CommandSpec): string {
  return `facet ${name}${command.args ? ` ${command.args}` : ''} [options]`;
}

export function optionLabel(name: string, spec: OptionSpec): string {
  return spec.type === 'string' ? `--${name} ${spec.arg}` : `--${name}`;
}

/** One line an option: its spelling, meaning and example; the old spelling of a positional says so. */
function optionLine(name: string, spec: OptionSpec, command: CommandSpec, labelWidth: number): string {
  const old = command.positional?.oldOption === name ? ` (the old spelling of ${command.positional.name})` : '';
  const example = spec.type === 'string' ? `; e.g. --${name} ${spec.example}` : '';
  return `  ${optionLabel(name, spec).padEnd(labelWidth)}  ${spec.help}${old}${example}`;
}

export function commandHelp(name: string, command: CommandSpec): string {
  const labels = Object.entries(command.options).map(([n, spec]) => optionLabel(n, spec));
  const width = Math.max(...labels.map((l) => l.length), command.positional?.name.length ?? 0);
  return [
    `usage: ${usageLine(name, command)}`,
    '',
    command.summary,
    '',
    ...(command.positional ? [`  ${command.positional.name.padEnd(width)}  ${command.positional.help}`] : []),
    ...Object.entries(command.options).map(([n, spec]) => optionLine(n, spec, command, width)),
    '',
    'examples:',
    ...command.examples.map((e) => `  ${e}`),
  ].join('\n');
}

export function overviewHelp(commands: Record<string, CommandSpec>): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'usage: facet <command> [options]',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'facet <command> --help (or facet help <command>) lists its options with examples; facet --version prints the version.',
  ].join('\n');
}

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** The closest candidate, if it is close enough to be a typo (a third of the word, at least 2 edits); else undefined. */
function closest(word: string, candidates: string[]): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

export function didYouMean(word: string, candidates: string[]): string {
  const guess = closest(word, candidates);
  return guess === undefined ? '' : `; did you mean ${guess}?`;
}
