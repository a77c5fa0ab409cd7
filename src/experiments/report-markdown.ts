/**
 * A plain Markdown rendering of a study report's tables (one function, so `report/`'s full renderer can take its
 * place): title, notes, each table with its footnotes, and the figure list. Summary cells print as
 * `mean ± sd` with their marks; null as `–`. No wall times, so equal results give equal bytes.
 */
import type { ReportCell, ReportColumn, StudyReport } from '../report/report-types.ts';

const escape = (text: string): string => text.replace(/\|/g, '\\|');

function cell(value: ReportCell | undefined, column: ReportColumn): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value;
  const decimals = typeof value === 'number' ? (column.decimals ?? 3) : (value.decimals ?? column.decimals ?? 3);
  if (typeof value === 'number') return Number.isInteger(value) && column.decimals === undefined ? String(value) : value.toFixed(decimals);
  if (value.mean === null) return '–';
  const sd = value.sd === null ? '' : ` ± ${value.sd.toFixed(decimals)}`;
  return `${value.mean.toFixed(decimals)}${sd}${(value.marks ?? []).join('')}`;
}

/** The report's tables as Markdown; see the file comment. */
export function reportMarkdown(report: StudyReport): string {
  const lines = [`# ${report.title}`, '', `Study \`${report.study}\`, preset \`${report.preset}\`, seeds ${report.seeds.join(', ')}.`, ''];
  for (const note of report.notes ?? []) lines.push(note, '');
  for (const table of report.tables) {
    lines.push(`## ${table.title}`, '');
    const header = table.columns.map((c) => c.label + (c.lowerIsBetter === true ? ' ↓' : c.lowerIsBetter === false ? ' ↑' : ''));
    lines.push(`| ${header.map(escape).join(' | ')} |`, `| ${table.columns.map(() => '---').join(' | ')} |`);
    for (const row of table.rows) lines.push(`| ${table.columns.map((c) => escape(cell(row[c.key], c))).join(' | ')} |`);
    lines.push('');
    for (const f of table.footnotes) lines.push(`${f}  `);
    lines.push('');
  }
  for (const figure of report.figures) lines.push(`- Figure \`${figure.id}\`: ${figure.title}${figure.caption ? ` — ${figure.caption}` : ''}`);
  return lines.join('\n') + '\n';
}
