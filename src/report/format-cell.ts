/**
 * How a table cell and a column header read in Markdown and HTML: numbers with the column's decimals, summaries as
 * `0.912 ± 0.031*`, missing values as `–`, and `↓`/`↑` after a header whose column says which direction is better.
 */
import type { ReportCell, ReportColumn, SummaryCell } from './report-types.ts';

/** Printed for a missing value (null, NaN, a summary without a mean). */
export const MISSING = '–';

/** Default decimals of numbers and summaries when the column sets none. */
export const DEFAULT_DECIMALS = 3;

/** True when `cell` is a summary (mean ± sd over n values). */
export function isSummaryCell(cell: ReportCell | undefined): cell is SummaryCell {
  return cell !== null && typeof cell === 'object';
}

/** `value` with `decimals` digits; `-0.000` reads as `0.000`, infinities as `∞`/`−∞`, NaN as `–`. */
export function formatNumber(value: number, decimals: number): string {
  if (Number.isNaN(value)) return MISSING;
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** The text of one cell under `column`: `0.912 ± 0.031*`, `12.5`, `expert`, or `–`. */
export function formatCell(cell: ReportCell | undefined, column: Pick<ReportColumn, 'decimals'>): string {
  if (cell === null || cell === undefined) return MISSING;
  if (typeof cell === 'string') return cell;
  const columnDecimals = column.decimals ?? DEFAULT_DECIMALS;
  if (typeof cell === 'number') return formatNumber(cell, columnDecimals);
  const decimals = cell.decimals ?? columnDecimals;
  if (cell.mean === null || Number.isNaN(cell.mean)) return MISSING;
  const sd = cell.sd === null || Number.isNaN(cell.sd) ? '' : ` ± ${formatNumber(cell.sd, decimals)}`;
  return `${formatNumber(cell.mean, decimals)}${sd}${(cell.marks ?? []).join('')}`;
}

/** The header of `column`: its label, then ` ↓` when lower is better or ` ↑` when higher is (unset: neither). */
export function columnHeader(column: Pick<ReportColumn, 'label' | 'lowerIsBetter'>): string {
  if (column.lowerIsBetter === undefined) return column.label;
  return `${column.label} ${column.lowerIsBetter ? '↓' : '↑'}`;
}

/** True when every present cell of the column is a number or a summary (such columns are right-aligned). */
export function isNumericColumn(rows: readonly Record<string, ReportCell>[], key: string): boolean {
  let any = false;
  for (const row of rows) {
    const cell = row[key];
    if (cell === null || cell === undefined) continue;
    if (typeof cell === 'string') return false;
    any = true;
  }
  return any;
}
