/**
 * `report.html` of a study report: one self-contained page (inline CSS and SVG, no script, no external resource)
 * with the study's facts, notes, tables with footnotes, figures, settings and wall time per job kind.
 */
import { columnHeader, formatCell, isNumericColumn } from './format-cell.ts';
import { reportFacts, settingsJson, wallTimeRows } from './report-markdown.ts';
import type { ReportTable, StudyReport } from './report-types.ts';

/** `text` safe inside HTML elements and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; white-space: nowrap; }
th { border-bottom: 2px solid #888; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.footnote { font-size: 0.85rem; color: #555; margin: 0.2rem 0; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: #444; }
pre { background: #f6f6f6; padding: 0.6rem; overflow-x: auto; }
`;

/** One report table as an HTML `<section>`: heading, table (numeric columns right-aligned), footnotes. */
export function tableToHtml(table: ReportTable): string {
  const numeric = table.columns.map((c) => isNumericColumn(table.rows, c.key));
  const cls = (i: number): string => (numeric[i] ? ' class="num"' : '');
  const head = table.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(columnHeader(c))}</th>`).join('');
  const body = table.rows.map(
    (row) =>
      `<tr>${table.columns.map((c, i) => `<td${cls(i)}>${escapeHtml(formatCell(row[c.key], c))}</td>`).join('')}</tr>`,
  );
  return [
    `<section id="table-${escapeHtml(table.id)}">`,
    `<h3>${escapeHtml(table.title)}</h3>`,
    `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`,
    ...table.footnotes.map((f) => `<p class="footnote">${escapeHtml(f)}</p>`),
    '</section>',
  ].join('\n');
}

/** The page; `svgs` maps each figure id to its SVG text (from `renderFigureSvg`, ids already unique per figure). */
export function reportToHtml(report: StudyReport, svgs: Readonly<Record<string, string>>): string {
  const figures = report.figures.map((f) =>
    [
      `<figure id="figure-${escapeHtml(f.id)}">`,
      `<h3>${escapeHtml(f.title)}</h3>`,
      svgs[f.id] ?? '',
      ...(f.caption ? [`<figcaption>${escapeHtml(f.caption)}</figcaption>`] : []),
      '</figure>',
    ].join('\n'),
  );
  const wall = wallTimeRows(report).map(([k, s]) => `<tr><td>${escapeHtml(k)}</td><td class="num">${s}</td></tr>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(report.title)}</h1>`,
    `<p>${escapeHtml(reportFacts(report))}</p>`,
    ...(report.notes ?? []).map((n) => `<p>${escapeHtml(n)}</p>`),
    ...(report.tables.length > 0 ? ['<h2>Tables</h2>', ...report.tables.map(tableToHtml)] : []),
    ...(figures.length > 0 ? ['<h2>Figures</h2>', ...figures] : []),
    '<h2>Settings</h2>',
    `<pre>${escapeHtml(settingsJson(report))}</pre>`,
    '<h2>Wall time per job kind</h2>',
    `<table>\n<thead><tr><th>job kind</th><th class="num">wall time (s)</th></tr></thead>\n<tbody>\n${wall.join('\n')}\n</tbody>\n</table>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
