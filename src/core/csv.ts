// RFC 4180 CSV: reading tag lists, writing exports.
import { parse } from 'csv-parse/sync';
import type { Options } from 'csv-parse';

export interface CsvRow {
  fields: string[];
  /** 1-based line of the file the row starts on, for messages about it. */
  line: number;
}

/** CSV text that cannot be read as rows (a quote left open): the line it was found on, for the message. */
export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** The parser's line counter counts each CR and LF inside a quoted field; a row starts that many lines before its end. */
const LINE_BREAK_CHARS = /[\r\n]/g;

/**
 * Parses CSV text into rows of fields with csv-parse (a tag list can be tens of megabytes: no
 * per-character string building): quoted fields may hold commas, quotes ("") and newlines; a stray
 * quote inside an unquoted field is kept as text. Blank lines are skipped; each row keeps the line it starts on.
 */
export function parseCsv(text: string): CsvRow[] {
  const options: Options<CsvRow, string[]> = {
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    on_record: (fields: string[], context) => {
      let breaks = 0;
      for (const field of fields) breaks += field.match(LINE_BREAK_CHARS)?.length ?? 0;
      return { fields, line: context.lines - breaks };
    },
  };
  try {
    // The typings tie a record's type to `columns`; on_record here turns each string[] into a CsvRow.
    return parse(text, options as unknown as Options) as unknown as CsvRow[];
  } catch (error) {
    const { code, lines } = error as { code?: string; lines?: number };
    if (code === 'CSV_QUOTE_NOT_CLOSED') throw new CsvSyntaxError('a quoted field is never closed: add the closing "', lines ?? 1);
    throw new CsvSyntaxError((error as Error).message, lines ?? 1);
  }
}

export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
