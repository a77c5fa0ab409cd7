/**
 * `checkDataset`: is a dataset folder usable? Validates dataset.json against the schema (every problem with its
 * JSON path), then, case by case: every named file exists and reads; channels, rater and truth label maps lie
 * on the image's grid (shape, spacing and affine of the first three axes within `tolerance`; without an image,
 * on the first label map's); label maps are integer-valued, at most 3D (4D only when meta.timeIndex picks a
 * frame, which must exist) and hold no value outside `labels`. All problems are collected, each with its case
 * and file. Each file is read once (cases sharing a 4D file reuse its summary); `cine` files and other
 * path-valued meta fields (`cineTruth`, …) are only checked to be images by their header. A file that is a broken
 * symbolic link (an annexed file not fetched yet) is reported as such.
 *
 * Containment: every path as written must lie in the dataset's folder, a folder its `source` records
 * (dataset-roots.ts: the import source, a derived copy's original) or a folder named in `allowRoots`; a path that
 * leaves them (`../secret.nii`, `/etc/passwd`) is a problem, and is not read. Links are followed as they are
 * (DataLad and git-annex datasets are links into a store); the viewer, which serves files, holds real paths.
 */
import { dirname } from 'node:path';
import { MultiraterError, isMultiraterError, type MultiraterErrorCode } from '../errors.ts';
import { ContainedRoots } from '../io/index.ts';
import { sniffImage } from '../io/index.ts';
import { gridDifference } from '../volume/index.ts';
import { formatShape } from '../volume/index.ts';
import { casePaths, type CasePathRole } from './case-paths.ts';
import { datasetRoots } from './dataset-roots.ts';
import {
  datasetFile,
  formatSchemaIssue,
  readDatasetJson,
  resolveCasePath,
  validateDataset,
  type Case,
  type Dataset,
} from './dataset.ts';
import { brokenLinkMessage, isFile } from './source-tree.ts';
import { summariseVolume, type VolumeSummary } from './volume-summary.ts';

/** Options of {@link checkDataset} (`multirater dataset check`). */
export interface CheckDatasetOptions {
  /** Largest accepted difference of spacing and affine entries between a case's files, in mm; default 1e-3. */
  tolerance?: number;
  /** Folders besides the dataset's own (and its recorded import source) that its paths may lead into. */
  allowRoots?: readonly string[];
}

/** One thing wrong with a dataset. */
export interface DatasetProblem {
  /** The case it concerns, or null for dataset-wide problems (a missing or malformed dataset.json). */
  caseId: string | null;
  /** Absolute path of the offending file (dataset.json for schema problems). */
  file: string;
  /** The error code the problem would raise (`grid_mismatch`, `file_not_found`, `invalid_label`, …). */
  code: MultiraterErrorCode;
  /** One line naming the file, what was expected and what was found. */
  message: string;
}

/** What {@link checkDataset} found: every problem, each naming its case and file. */
export interface DatasetCheckReport {
  /** True when no problem was found. */
  ok: boolean;
  /** Absolute path of dataset.json. */
  dataset: string;
  /** Number of cases in dataset.json (0 when it cannot be read). */
  cases: number;
  /** Number of distinct files read or looked for. */
  files: number;
  /** Every problem found; empty when `ok`. */
  problems: DatasetProblem[];
}

const LABEL_ROLES: ReadonlySet<CasePathRole> = new Set(['rater', 'truth']);

/** Checks the dataset in `dir` (or the dataset.json path given) and reports every problem found. */
export function checkDataset(dir: string, options: CheckDatasetOptions = {}): DatasetCheckReport {
  const file = datasetFile(dir);
  const report = (cases: number, files: number, problems: DatasetProblem[]): DatasetCheckReport => ({
    ok: problems.length === 0,
    dataset: file,
    cases,
    files,
    problems,
  });
  let json: unknown;
  try {
    json = readDatasetJson(file);
  } catch (e) {
    if (!isMultiraterError(e)) throw e;
    return report(0, 0, [{ caseId: null, file, code: e.code, message: e.message }]);
  }
  const { dataset, issues } = validateDataset(json);
  if (!dataset) {
    const rawCases = (json as { cases?: unknown } | null)?.cases;
    const caseCount = Array.isArray(rawCases) ? rawCases.length : 0;
    return report(
      caseCount,
      0,
      issues.map((issue) => ({
        caseId: schemaIssueCase(rawCases, issue.path),
        file,
        code: 'invalid_dataset',
        message: `${file}: ${formatSchemaIssue(issue)}`,
      })),
    );
  }
  const { problems, files } = checkDatasetFiles(dataset, dirname(file), options);
  return report(dataset.cases.length, files, problems);
}

/** Options of {@link checkDatasetFiles}. */
export interface CheckDatasetFilesOptions extends CheckDatasetOptions {
  /**
   * Name every value found in the label maps (`{"2": "label2"}`) instead of `dataset.labels`, as importers do for
   * sources that do not name their labels; default false.
   */
  inferLabels?: boolean;
}

/** What `checkDatasetFiles` found. */
export interface DatasetFilesCheck {
  /** Every problem found in the files. */
  problems: DatasetProblem[];
  /** Number of distinct files read or looked for. */
  files: number;
  /** The labels checked against: `dataset.labels`, or the inferred ones with `inferLabels`. */
  labels: Record<string, string>;
}

/**
 * Checks the files of a dataset held in memory (schema already valid), its paths relative to `root`: the file
 * part of `checkDataset`, for importers that check before writing anything.
 */
export function checkDatasetFiles(
  dataset: Dataset,
  root: string,
  options: CheckDatasetFilesOptions = {},
): DatasetFilesCheck {
  const roots = [...datasetRoots(dataset, root), ...(options.allowRoots ?? [])];
  const checker = new CaseChecker(root, new ContainedRoots(roots), options.tolerance ?? 1e-3);
  const labels = options.inferLabels ? inferredLabels(checker, dataset.cases) : dataset.labels;
  const declared = new Set([0, ...Object.keys(labels).map(Number)]);
  const problems = dataset.cases.flatMap((c) => checker.check(c, declared));
  return { problems, files: checker.fileCount(), labels };
}

/** `label<v>` for every value v > 0 found in the cases' label maps (the frame each case uses of a 4D map). */
function inferredLabels(checker: CaseChecker, cases: readonly Case[]): Record<string, string> {
  const found = new Set<number>();
  for (const c of cases) {
    for (const { role, path } of casePaths(c)) {
      if (!LABEL_ROLES.has(role)) continue;
      const s = checker.summary(resolveCasePath(checker.root, path), true);
      if (s instanceof MultiraterError || s.badValue !== null) continue;
      const frame = s.frameValues.length > 1 ? s.frameValues[c.meta.timeIndex ?? 0] : s.frameValues[0];
      for (const v of frame ?? []) if (v > 0) found.add(v);
    }
  }
  return Object.fromEntries([...found].sort((a, b) => a - b).map((v) => [String(v), `label${v}`]));
}

/** The case a schema issue falls in (`cases.3…` → that case's id, or `cases[3]` when it has none). */
function schemaIssueCase(rawCases: unknown, path: (string | number)[]): string | null {
  if (path[0] !== 'cases' || typeof path[1] !== 'number' || !Array.isArray(rawCases)) return null;
  const id = (rawCases[path[1]] as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id !== '' ? id : `cases[${path[1]}]`;
}

/** Checks cases one by one, remembering each file's summary so a file shared by cases is read once. */
class CaseChecker {
  private readonly summaries = new Map<string, VolumeSummary | MultiraterError>();
  private readonly existence = new Map<string, boolean>();

  constructor(
    readonly root: string,
    private readonly roots: ContainedRoots,
    private readonly tolerance: number,
  ) {}

  fileCount(): number {
    return this.existence.size;
  }

  /** The problems of case `c`, label values checked against `declared` (0 included). */
  check(c: Case, declared: ReadonlySet<number>): DatasetProblem[] {
    const problems: DatasetProblem[] = [];
    const add = (file: string, code: MultiraterErrorCode, message: string) =>
      problems.push({ caseId: c.id, file, code, message });
    let reference: { file: string; summary: VolumeSummary } | null = null;
    for (const { role, key, path } of casePaths(c)) {
      const file = resolveCasePath(this.root, path);
      const what =
        role === 'cine'
          ? 'cine series'
          : role === 'meta'
            ? `meta.${key}`
            : role === 'rater'
              ? `rater ${key}`
              : role === 'channel'
                ? `channel ${key}`
                : role;
      if (!this.roots.lexicallyInside(file)) {
        add(
          file,
          'path_outside_root',
          `${file}: ${what} of case ${c.id} lies outside ${this.roots.named.join(' and ')}`,
        );
        continue;
      }
      if (role === 'cine' || role === 'meta') {
        if (!this.exists(file))
          add(file, 'file_not_found', brokenLinkMessage(file) ?? `${file}: no such file (${what} of case ${c.id})`);
        else this.checkIsImage(file, what, c.id, add);
        continue;
      }
      const isLabel = LABEL_ROLES.has(role);
      const summary = this.summary(file, isLabel);
      if (summary instanceof MultiraterError) {
        add(file, summary.code, summary.message);
        continue;
      }
      const timeIndex = c.meta.timeIndex;
      if (summary.dims === 4 && timeIndex !== undefined && timeIndex >= summary.shape[3]) {
        add(
          file,
          'dimension_mismatch',
          `${file}: meta.timeIndex ${timeIndex} is beyond its ${summary.shape[3]} frames (${formatShape(summary.shape)})`,
        );
      }
      if (isLabel) this.checkLabels(file, summary, timeIndex, declared, add);
      if (reference === null) {
        reference = { file, summary };
        continue;
      }
      const diff = gridDifference(spatial(summary), spatial(reference.summary), { tolerance: this.tolerance });
      if (diff) add(file, 'grid_mismatch', `${file}: ${diff} of ${reference.file}`);
    }
    return problems;
  }

  private checkLabels(
    file: string,
    s: VolumeSummary,
    timeIndex: number | undefined,
    declared: ReadonlySet<number>,
    add: (f: string, code: MultiraterErrorCode, m: string) => void,
  ): void {
    if (s.dims > 3 && timeIndex === undefined) {
      add(
        file,
        'dimension_mismatch',
        `${file}: ${s.dims}D label map (${formatShape(s.shape)}), expected at most 3D (or a meta.timeIndex choosing the frame)`,
      );
      return;
    }
    if (s.badValue !== null) {
      add(file, 'invalid_label', `${file}: label maps need whole non-negative values, found ${s.badValue}`);
      return;
    }
    const frame = s.frameValues.length > 1 ? s.frameValues[timeIndex ?? 0] : s.frameValues[0];
    if (frame === undefined) return;
    const extra = frame.filter((v) => !declared.has(v));
    if (extra.length > 0) {
      const where = s.frameValues.length > 1 ? ` in frame ${timeIndex}` : '';
      add(
        file,
        'invalid_label',
        `${file}: label value(s) ${extra.join(', ')}${where} not declared in labels (${[...declared].join(', ')})`,
      );
    }
  }

  /** Header check of a file only looked at (cine, meta paths): a NIfTI or NRRD image, not any file. */
  private checkIsImage(
    file: string,
    what: string,
    caseId: string,
    add: (f: string, code: MultiraterErrorCode, m: string) => void,
  ): void {
    try {
      sniffImage(file);
    } catch (e) {
      if (!isMultiraterError(e)) throw e;
      add(file, e.code, `${e.message} (${what} of case ${caseId})`);
    }
  }

  /** The file's summary, read once. */
  summary(file: string, asLabels: boolean): VolumeSummary | MultiraterError {
    const key = `${asLabels ? 'L' : 'I'}:${file}`;
    let s = this.summaries.get(key);
    if (s === undefined) {
      s = this.exists(file)
        ? summariseVolume(file, asLabels)
        : new MultiraterError('file_not_found', brokenLinkMessage(file) ?? `${file}: no such file`);
      this.summaries.set(key, s);
    }
    return s;
  }

  private exists(file: string): boolean {
    let e = this.existence.get(file);
    if (e === undefined) {
      e = isFile(file);
      this.existence.set(file, e);
    }
    return e;
  }
}

/** The spatial axes of a grid (at most three, trailing extents of 1 dropped): 4D files compare frame-wise. */
function spatial(s: VolumeSummary): Pick<VolumeSummary, 'shape' | 'spacing' | 'affine'> {
  const n = Math.min(3, s.dims);
  return { shape: s.shape.slice(0, n), spacing: s.spacing.slice(0, n), affine: s.affine };
}
