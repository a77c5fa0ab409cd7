/**
 * The contract between a study's `report(finished jobs)` and `report/`, which renders it: tables as Markdown, CSV
 * and JSON; figures as Vega-Lite specs rendered to SVG in Node; one self-contained `report.html`.
 */

/** One table cell: a plain value, or a summary over test cases / repeats with significance marks. */
export type ReportCell = string | number | null | SummaryCell;

/** Mean ± sd over `n` values (of test cases, or of repeats: the table's footnote says which). */
export interface SummaryCell {
  mean: number | null;
  sd: number | null;
  n: number;
  /** Significance marks printed after the value (`*`, `†`), each explained in the table's footnotes. */
  marks?: string[];
  /** Decimals for mean and sd; default the column's. */
  decimals?: number;
}

export interface ReportColumn {
  /** Key of the value in each row. */
  key: string;
  /** Header text, with the unit: `HD (mm)`. */
  label: string;
  /** Marks the column as lower-is-better (↓ in the header); higher-is-better columns get ↑ when set to false. */
  lowerIsBetter?: boolean;
  /** Decimals for numbers and summaries; default 3. */
  decimals?: number;
}

export interface ReportTable {
  /** File-name-safe id: `table1-lv` → `tables/table1-lv.{md,csv,json}`. */
  id: string;
  title: string;
  columns: ReportColumn[];
  rows: Record<string, ReportCell>[];
  /** Footnotes: what ± means (over test cases or repeats), each mark's test and threshold, n. */
  footnotes: string[];
}

export interface ReportFigure {
  /** File-name-safe id: `dice-by-slice` → `figures/dice-by-slice.svg`. */
  id: string;
  title: string;
  /** A Vega-Lite top-level spec with its data inline (`data.values`). */
  spec: Record<string, unknown>;
  caption?: string;
}

export interface StudyReport {
  /** Study name (`nonexpert`) and its seed study's title. */
  study: string;
  title: string;
  preset: string;
  /** The study's settings as planned (shown in the HTML and the JSON). */
  settings: Record<string, unknown>;
  packageVersion: string;
  seeds: number[];
  /** Wall time summed per job kind, seconds. */
  wallSecondsByKind: Record<string, number>;
  tables: ReportTable[];
  figures: ReportFigure[];
  /** Free text paragraphs shown before the tables (what the study asks, what differs from the paper). */
  notes?: string[];
  /** When the report was made (ISO 8601), shown when given; absent by default so a report's bytes are reproducible. */
  generatedAt?: string;
}
