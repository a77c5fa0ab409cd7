/**
 * The table of statistical tests behind a study's significance marks (table `tests`): per test, the cells naming
 * what it compares, then n, the mean difference, t, the raw p and the Holm-adjusted p. The studies' tables mark
 * raw p < 0.05 and point here for the adjusted values.
 */
import type { TTestResult } from '../stats/index.ts';
import type { ReportCell, ReportColumn, ReportTable } from './report-types.ts';

/** One test: the cells of the leading columns, its result, and its p after Holm's adjustment within its family. */
export interface TestsTableRow {
  /** Cells of the leading columns, by column key. */
  cells: Record<string, ReportCell>;
  /** The test's result (n, mean difference, t, p). */
  result: TTestResult;
  /** p after Holm's adjustment within the test's family; null when p is. */
  pHolm: number | null;
}

/** Options of {@link testsTable}: the table's id, title, leading columns and footnotes. */
export interface TestsTableOptions {
  /** Table id; default `tests` (the studies' footnotes name it). */
  id?: string;
  /** Title printed above the table. */
  title: string;
  /** The leading columns naming what each test compares (vendor, arm, against, …). */
  columns: ReportColumn[];
  /** What the tests are, what the mean difference subtracts, and the families Holm adjusted within. */
  footnotes: string[];
}

/** The statistic columns after the leading ones, with their decimals. */
const STATISTICS: readonly ReportColumn[] = [
  { key: 'n', label: 'n', decimals: 0 },
  { key: 'meanDifference', label: 'mean difference', decimals: 4 },
  { key: 't', label: 't', decimals: 3 },
  { key: 'p', label: 'p', decimals: 4 },
  { key: 'pHolm', label: 'p (Holm)', decimals: 4 },
];

/** The tests table of `rows`, in their order; see the file comment. */
export function testsTable(rows: readonly TestsTableRow[], options: TestsTableOptions): ReportTable {
  return {
    id: options.id ?? 'tests',
    title: options.title,
    columns: [...options.columns, ...STATISTICS.map((c) => ({ ...c }))],
    rows: rows.map((x) => ({
      ...x.cells,
      n: x.result.n,
      meanDifference: x.result.meanDifference,
      t: x.result.t,
      p: x.result.p,
      pHolm: x.pHolm,
    })),
    footnotes: options.footnotes,
  };
}
