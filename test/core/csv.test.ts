// CSV reading and writing: quoting, line endings, blank lines and the line each row starts on.
import { describe, expect, it } from 'vitest';
import { csvField, formatCsv, parseCsv } from '../../src/core/csv.ts';

describe('parseCsv', () => {
  it('reads plain, quoted and escaped fields with the line each row starts on', () => {
    const text = 'path,identity\r\na.jpg,Ann\n\n"b, c.jpg","Bo ""B"" Smith"\n"multi\nline.jpg",Cy\nlast.jpg,Di';
    expect(parseCsv(text)).toEqual([
      { fields: ['path', 'identity'], line: 1 },
      { fields: ['a.jpg', 'Ann'], line: 2 },
      { fields: ['b, c.jpg', 'Bo "B" Smith'], line: 4 },
      { fields: ['multi\nline.jpg', 'Cy'], line: 5 },
      { fields: ['last.jpg', 'Di'], line: 7 },
    ]);
  });

  it('skips a byte-order mark, blank lines and a trailing newline', () => {
    expect(parseCsv('\ufeffa,b\n\n\nc,d\n')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['c', 'd'], line: 4 },
    ]);
    expect(parseCsv('')).toEqual([]);
  });

  it('keeps rows with missing fields for the caller to judge', () => {
    expect(parseCsv('only-a-path\n,')).toEqual([
      { fields: ['only-a-path'], line: 1 },
      { fields: ['', ''], line: 2 },
    ]);
  });
});

describe('formatCsv', () => {
  it('quotes only what needs it, and reads back the same', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    expect(csvField(3.5)).toBe('3.5');
    const rows = [
      ['face_id', 'photo', 'identity'],
      ['1', 'x/a, b.jpg', 'O"Neil'],
      ['2', 'line\nbreak.jpg', ''],
    ];
    expect(parseCsv(formatCsv(rows)).map((r) => r.fields)).toEqual(rows);
  });
});
