import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/temp-dataset.ts';
import { SAMPLE_PROVENANCE, SAMPLE_REPORT } from '../../test/study-report-sample.ts';
import { readStudyReport } from './read-study-report.ts';
import { renderStudyReport } from './render-study-report.ts';
import { tableToMarkdown } from './table-to-markdown.ts';

const fresh = tempDirs('report');
const listFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();

describe('renderStudyReport', () => {
  it('writes Markdown, CSV and JSON per table, SVG per figure, and report.md/json/html, with the same bytes every time', async () => {
    const [a, b] = [fresh(), fresh()];
    const { files } = await renderStudyReport(SAMPLE_REPORT, a);
    await renderStudyReport(SAMPLE_REPORT, b);
    const expected = [
      'figures/dice-box.svg',
      'figures/dice-error.svg',
      'figures/hd-by-slice.svg',
      'report.html',
      'report.json',
      'report.md',
      'tables/table1-lv.csv',
      'tables/table1-lv.json',
      'tables/table1-lv.md',
    ];
    expect(listFiles(a)).toEqual(expected);
    expect(files.map((f) => relative(a, f)).sort()).toEqual(expected);
    expect(files.at(-1)).toBe(join(a, 'report.html'));
    for (const f of expected) expect(readFileSync(join(b, f)), f).toEqual(readFileSync(join(a, f)));

    expect(readFileSync(join(a, 'tables/table1-lv.md'), 'utf8')).toBe(
      `# LV, in-domain test subjects\n\n${tableToMarkdown(SAMPLE_REPORT.tables[0])}`,
    );
    const json = JSON.parse(readFileSync(join(a, 'report.json'), 'utf8'));
    expect(json.schemaVersion).toBe(1);
    expect(json.tables[0].rows[1].dice).toEqual({ mean: 0.9001, sd: 0.04, n: 12, marks: ['*'] });
    expect(JSON.parse(readFileSync(join(a, 'tables/table1-lv.json'), 'utf8')).footnotes).toEqual(
      SAMPLE_REPORT.tables[0].footnotes,
    );

    const md = readFileSync(join(a, 'report.md'), 'utf8');
    expect(md).toContain('Study sample, preset smoke, multirater 0.1.0, seeds 1, 2.');
    expect(md).toContain('![HD per slice position](figures/hd-by-slice.svg)');
    expect(md).toContain('| train | 61.3 |\n| total | 64.8 |');
  });

  it('makes report.html self-contained: every figure inline, settings, version, seeds, wall time, notes, escaped text', async () => {
    const dir = fresh();
    await renderStudyReport({ ...SAMPLE_REPORT, generatedAt: '2026-12-02T12:00:00Z' }, dir, {
      html: join(dir, 'page.html'),
    });
    const html = readFileSync(join(dir, 'page.html'), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).not.toMatch(/<script|src="|href="(?!data:|#)/);
    expect(html).toContain('<title>A &lt;sample&gt; study &amp; its report</title>');
    expect(html).toContain('multirater 0.1.0, seeds 1, 2, made 2026-12-02T12:00:00Z.');
    expect(html).toContain('<th class="num">HD (mm) ↓</th>');
    expect(html).toContain('<td class="num">0.900 ± 0.040*</td>');
    expect(html).toContain('<p class="footnote">* p &lt; 0.05 vs expert, paired t-test.</p>');
    expect(html).toContain('&quot;iterations&quot;: 20');
    expect(html).toContain('<tr><td>evaluate</td><td class="num">3.5</td></tr>');
    expect(html).toContain('<p>Smoke preset: numbers are not meaningful.</p>');
    // Figures' element ids are prefixed by the figure id, so inline SVGs never share one.
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("adds a report's provenance as report.json's last key and changes no other byte of any file", async () => {
    const [plain, dated] = [fresh(), fresh()];
    const provenance = SAMPLE_PROVENANCE;
    await renderStudyReport(SAMPLE_REPORT, plain);
    await renderStudyReport({ ...SAMPLE_REPORT, provenance }, dated);
    expect(listFiles(dated)).toEqual(listFiles(plain));
    for (const f of listFiles(plain).filter((f) => f !== 'report.json'))
      expect(readFileSync(join(dated, f)), f).toEqual(readFileSync(join(plain, f)));
    const before = readFileSync(join(plain, 'report.json'), 'utf8');
    const after = readFileSync(join(dated, 'report.json'), 'utf8');
    const added = JSON.stringify({ provenance }, null, 2).slice(1, -2);
    expect(after).toBe(`${before.slice(0, -3)},${added}\n}\n`);
    expect(JSON.parse(after).provenance.machine.cores).toBe(2);
  });

  it('reads report.json back as the report it was written from, and names the file and field of a bad one', async () => {
    const dir = fresh();
    await renderStudyReport(SAMPLE_REPORT, dir);
    const path = join(dir, 'report.json');
    expect(readStudyReport(path)).toEqual(JSON.parse(JSON.stringify(SAMPLE_REPORT)));
    const json = JSON.parse(readFileSync(path, 'utf8'));
    json.tables[0].rows[0].dice.n = 'twelve';
    writeFileSync(path, JSON.stringify(json));
    expect(() => readStudyReport(path)).toThrow(
      `${path}: tables.0.rows.0.dice: Invalid input; expected a report.json as \`multirater study report\` writes it`,
    );
    expect(() => readStudyReport(join(dir, 'none.json'))).toThrow(
      `${join(dir, 'none.json')}: cannot read a study report (ENOENT)`,
    );
  });

  it('refuses a table id that is not a safe file name, before writing anything', async () => {
    const dir = fresh();
    const bad = { ...SAMPLE_REPORT, tables: [{ ...SAMPLE_REPORT.tables[0], id: '../escape' }] };
    await expect(renderStudyReport(bad, dir)).rejects.toThrow(
      'report "sample": table id "../escape" is not a safe file name (letters, digits, . _ -)',
    );
    expect(listFiles(dir)).toEqual([]);
  });
});
