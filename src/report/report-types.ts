/**
 * The contract between a study's `report(finished jobs)` and `report/`, which renders it: tables as Markdown, CSV
 * and JSON; figures as Vega-Lite specs rendered to SVG in Node; one self-contained `report.html`.
 */

/** One table cell: a plain value, or a summary over test cases / repeats with significance marks. */
export type ReportCell = string | number | null | SummaryCell;

/** Mean ± sd over `n` values (of test cases, or of repeats: the table's footnote says which). */
export interface SummaryCell {
  /** Mean of the values; null when n = 0. */
  mean: number | null;
  /** Sample standard deviation (divisor n − 1); null when n < 2. */
  sd: number | null;
  /** Number of values summarised. */
  n: number;
  /** Significance marks printed after the value (`*`, `†`), each explained in the table's footnotes. */
  marks?: string[];
  /** Decimals for mean and sd; default the column's. */
  decimals?: number;
}

/** One column of a {@link ReportTable}: the row key it shows, its header, and how its numbers are printed. */
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

/** A table of a study's report, written as Markdown, CSV and JSON and shown in its HTML page. */
export interface ReportTable {
  /** File-name-safe id: `table1-lv` → `tables/table1-lv.{md,csv,json}`. */
  id: string;
  /** Title printed above the table. */
  title: string;
  /** The columns, left to right. */
  columns: ReportColumn[];
  /**
   * The rows, top to bottom: each column's cell under its `key` (a missing key or null prints as the missing-value
   * mark).
   */
  rows: Record<string, ReportCell>[];
  /** Footnotes: what ± means (over test cases or repeats), each mark's test and threshold, n. */
  footnotes: string[];
}

/** A figure of a study's report: a Vega-Lite spec rendered to SVG. */
export interface ReportFigure {
  /** File-name-safe id: `dice-by-slice` → `figures/dice-by-slice.svg`. */
  id: string;
  /** Title printed above the figure. */
  title: string;
  /** A Vega-Lite top-level spec with its data inline (`data.values`). */
  spec: Record<string, unknown>;
  /** Text printed below the figure. */
  caption?: string;
}

/** Everything a study reports, as its `report(finished jobs)` returns it and {@link renderStudyReport} writes it. */
export interface StudyReport {
  /** Study name (`nonexpert`) and its seed study's title. */
  study: string;
  /** The seed study's title. */
  title: string;
  /** The preset run (`default`, `smoke`, …). */
  preset: string;
  /** The study's settings as planned (shown in the HTML and the JSON). */
  settings: Record<string, unknown>;
  /** multirater's version that ran the study (package.json). */
  packageVersion: string;
  /** Every seed the study's plan uses. */
  seeds: number[];
  /** Wall time summed per job kind, seconds. */
  wallSecondsByKind: Record<string, number>;
  /** Tables, in reading order. */
  tables: ReportTable[];
  /** Figures, in reading order. */
  figures: ReportFigure[];
  /** Free text paragraphs shown before the tables (what the study asks, what differs from the paper). */
  notes?: string[];
  /** When the report was made (ISO 8601), shown when given; absent by default so a report's bytes are reproducible. */
  generatedAt?: string;
  /**
   * Where and how the study ran, added by `writeStudyReport` (a study's own `report` never sets it). It is the only
   * field that depends on the machine, the checkout or the clock besides `wallSecondsByKind`: two runs of one plan
   * (same seed) give the same bytes everywhere else — `report.json` differs only in this last key, and `report.md`,
   * `report.html` and the tables do not show it. Absent in reports made before it was recorded.
   */
  provenance?: ReportProvenance;
}

/**
 * A study run's provenance: the checkout, machine and command of `study run` (recorded in `OUT/study-run.json` when
 * it starts, since the report may be written by another process), and when the report was made. The wall time per
 * job kind is the report's own `wallSecondsByKind`.
 */
export interface ReportProvenance {
  /**
   * The git commit of the checkout multirater ran from when `study run` started, and whether tracked files differed
   * from it (`git describe --dirty`'s rule: untracked files do not count; when no `study run` was recorded: at
   * report time); null when the package is not a git checkout (installed from npm) or git is not installed.
   */
  commit: {
    /** HEAD's full hash (`git rev-parse HEAD`). */
    sha: string;
    /** True when tracked files differed from HEAD (`git status --untracked-files=no` not empty). */
    dirty: boolean;
  } | null;
  /** When the report was made (ISO 8601, UTC). */
  date: string;
  /** The machine `study run` ran on (with a queue: the one that enqueued the jobs; workers may differ). */
  machine: ReportMachine;
  /**
   * The command line that ran the study (`multirater study run nonexpert --preset default --out runs/x`),
   * shell-quoted; null when no `study run` was recorded in OUT.
   */
  command: string | null;
  /** Local worker processes; null on a queue (workers are started separately) or when not recorded. */
  workers: number | null;
  /** ONNX Runtime threads per job; null when each job let ONNX Runtime take every core, or when not recorded. */
  threads: number | null;
  /** When the last `study run` on OUT started (ISO 8601, UTC); absent when not recorded. */
  startedAt?: string;
  /**
   * Seconds from the last `study run`'s start to the last job it finished: the run's wall time when it ran the
   * study to the end (jobs finished by earlier runs are not in it); absent when not recorded or no job finished since.
   */
  wallSeconds?: number;
}

/** A machine as a report's provenance names it. */
export interface ReportMachine {
  /** CPUs the process could use (affinity capped by a cgroup quota). */
  cores: number;
  /** The first CPU's model name, as the OS reports it. */
  cpuModel: string;
  /** Physical memory, GiB (2³⁰ bytes), to one decimal. */
  memoryGiB: number;
  /** `process.platform`-`process.arch`: `linux-x64`. */
  platform: string;
  /** Node's version: `v20.19.0`. */
  node: string;
}
