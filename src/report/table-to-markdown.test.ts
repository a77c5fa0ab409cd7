import { describe, expect, it } from 'vitest';
import { SAMPLE_TABLE } from '../../test/study-report-sample.ts';
import { columnHeader, formatCell, formatNumber } from './format-cell.ts';
import { tableToCsv } from './table-to-csv.ts';
import { tableToMarkdown } from './table-to-markdown.ts';

describe('formatCell', () => {
  it('prints a summary as mean ± sd with marks at the column decimals, or the cell’s own', () => {
    expect(formatCell({ mean: 0.9123, sd: 0.0311, n: 12, marks: ['*'] }, {})).toBe('0.912 ± 0.031*');
    expect(formatCell({ mean: 4.25, sd: 1.04, n: 12, marks: ['*', '†'] }, { decimals: 1 })).toBe('4.3 ± 1.0*†');
    expect(formatCell({ mean: 4.25, sd: 1.04, n: 12, decimals: 2 }, { decimals: 1 })).toBe('4.25 ± 1.04');
  });
  it('prints – for null, a missing mean or NaN; an sd of null drops the ± part', () => {
    expect(formatCell(null, {})).toBe('–');
    expect(formatCell({ mean: null, sd: 0.1, n: 0 }, {})).toBe('–');
    expect(formatCell(Number.NaN, {})).toBe('–');
    expect(formatCell({ mean: 0.5, sd: null, n: 1 }, {})).toBe('0.500');
  });
  it('never prints a negative zero, and prints infinities as ∞', () => {
    expect(formatNumber(-0.0001, 3)).toBe('0.000');
    expect(formatNumber(-0.2, 0)).toBe('0');
    expect(formatNumber(-0.25, 1)).toBe('-0.3');
    expect(formatNumber(Infinity, 1)).toBe('∞');
  });
  it('marks lower-is-better headers ↓, higher-is-better ↑, and unset ones not at all', () => {
    expect(columnHeader({ label: 'HD (mm)', lowerIsBetter: true })).toBe('HD (mm) ↓');
    expect(columnHeader({ label: 'Dice', lowerIsBetter: false })).toBe('Dice ↑');
    expect(columnHeader({ label: 'rater' })).toBe('rater');
  });
});

describe('tableToMarkdown', () => {
  it('writes the header with arrows, right-aligns numeric columns, escapes pipes and adds the footnotes', () => {
    const table = { ...SAMPLE_TABLE, rows: [...SAMPLE_TABLE.rows, { rater: 'a|b', dice: 0.5, hd: 1, n: 3 }] };
    expect(tableToMarkdown(table)).toBe(
      [
        '| trained on | LV Dice ↑ | HD (mm) ↓ | n |',
        '| --- | ---: | ---: | ---: |',
        '| expert | 0.912 ± 0.031 | 4.3 ± 1.0 | 12 |',
        '| nonexpert1, "30 min" | 0.900 ± 0.040* | 5.5*† | 12 |',
        '| nonexpert2 | – | – | 12 |',
        '| a\\|b | 0.500 | 1.0 | 3 |',
        '',
        'Mean ± sd over test subjects.',
        '',
        '* p < 0.05 vs expert, paired t-test.',
        '',
      ].join('\n'),
    );
  });
});

describe('tableToCsv', () => {
  it('splits summaries into mean, sd, n and marks fields at full precision, quoting per RFC 4180 with CRLF', () => {
    expect(tableToCsv(SAMPLE_TABLE)).toBe(
      [
        'trained on,LV Dice,LV Dice sd,LV Dice n,LV Dice marks,HD (mm),HD (mm) sd,HD (mm) n,HD (mm) marks,n',
        'expert,0.9123,0.0311,12,,4.25,1.04,12,,12',
        '"nonexpert1, ""30 min""",0.9001,0.04,12,*,5.5,,12,*†,12',
        'nonexpert2,,,0,,,,,,12',
        '',
      ].join('\r\n'),
    );
  });
  it('quotes fields holding line breaks and leaves plain numeric columns one field each', () => {
    const csv = tableToCsv({
      id: 't',
      title: 't',
      columns: [
        { key: 'a', label: 'a' },
        { key: 'b', label: 'b' },
      ],
      rows: [
        { a: 'two\nlines', b: 1.5 },
        { a: null, b: Infinity },
      ],
      footnotes: [],
    });
    expect(csv).toBe('a,b\r\n"two\nlines",1.5\r\n,\r\n');
  });
});
