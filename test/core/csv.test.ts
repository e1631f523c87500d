// CSV reading and writing: quoting, line endings, blank lines and the line each row starts on.
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, csvField, formatCsv, parseCsv } from '../../src/core/csv.ts';

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

describe('parseCsv on awkward input', () => {
  it('reads old Mac line endings and keeps a stray quote inside a field as text', () => {
    expect(parseCsv('a,b\rc,d\r')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['c', 'd'], line: 2 },
    ]);
    expect(parseCsv('6" photo.jpg,Ann')).toEqual([{ fields: ['6" photo.jpg', 'Ann'], line: 1 }]);
  });

  it('names the line of a quote that is never closed', () => {
    expect(() => parseCsv('a,b\nc,"d\ne,f\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b\nc,"d\ne,f\n')).toThrow(/^line \d+: a quoted field is never closed/);
  });

  it("keeps each row's line through a large list", () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `people/p${i % 50}/photo_${i}.jpg,Person ${i % 50}`);
    const started = performance.now();
    const parsed = parseCsv(rows.join('\n'));
    expect(parsed).toHaveLength(200_000);
    expect(parsed[199_999]).toEqual({ fields: ['people/p49/photo_199999.jpg', 'Person 49'], line: 200_000 });
    expect(performance.now() - started).toBeLessThan(5000);
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
