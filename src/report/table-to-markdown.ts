/** A report table as a GitHub-flavoured Markdown pipe table, its footnotes as paragraphs under it. */
import { columnHeader, formatCell, isNumericColumn } from './format-cell.ts';
import type { ReportTable } from './report-types.ts';

/** Escapes what would break a pipe-table cell: `|` and line breaks. */
function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * The table as Markdown: the header row (with ↓/↑), the alignment row (numeric columns right-aligned), one line per
 * row, then each footnote as its own paragraph. No title (callers put it in a heading). Ends with a newline.
 */
export function tableToMarkdown(table: ReportTable): string {
  const header = table.columns.map((c) => markdownCell(columnHeader(c)));
  const align = table.columns.map((c) => (isNumericColumn(table.rows, c.key) ? '---:' : '---'));
  const lines = [
    header,
    align,
    ...table.rows.map((row) => table.columns.map((c) => markdownCell(formatCell(row[c.key], c)))),
  ].map((cells) => `| ${cells.join(' | ')} |`);
  const footnotes = table.footnotes.map((f) => `\n${f.replace(/\r?\n/g, ' ')}\n`);
  return `${lines.join('\n')}\n${footnotes.join('')}`;
}
