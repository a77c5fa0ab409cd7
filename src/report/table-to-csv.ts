/**
 * A report table as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote or a line break,
 * quotes doubled). Values stay machine-readable: a summary column becomes four fields — `<label>` (the mean),
 * `<label> sd`, `<label> n`, `<label> marks` — numbers are written in full precision (the Markdown rounds), and
 * a missing value is an empty field.
 */
import { isSummaryCell } from './format-cell.ts';
import type { ReportCell, ReportTable } from './report-types.ts';

/** One CSV field, quoted when RFC 4180 requires it. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function numberField(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);
}

function plainField(cell: ReportCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return numberField(cell);
  if (isSummaryCell(cell)) return numberField(cell.mean);
  return cell;
}

/** The table as CSV text; see the file comment for the fields. Ends with CRLF. */
export function tableToCsv(table: ReportTable): string {
  const header: string[] = [];
  const fields: ((row: Record<string, ReportCell>) => string[])[] = [];
  for (const column of table.columns) {
    if (table.rows.some((row) => isSummaryCell(row[column.key]))) {
      header.push(column.label, `${column.label} sd`, `${column.label} n`, `${column.label} marks`);
      fields.push((row) => {
        const cell = row[column.key];
        if (!isSummaryCell(cell)) return [plainField(cell), '', '', ''];
        return [numberField(cell.mean), numberField(cell.sd), String(cell.n), (cell.marks ?? []).join('')];
      });
    } else {
      header.push(column.label);
      fields.push((row) => [plainField(row[column.key])]);
    }
  }
  const lines = [header, ...table.rows.map((row) => fields.flatMap((f) => f(row)))];
  return lines.map((line) => line.map(csvField).join(',') + '\r\n').join('');
}
