/**
 * `importDataset`: reads a source folder in one of the known layouts and writes `OUT/dataset.json`.
 * By default the dataset points at the source files where they are (paths relative to OUT, e.g.
 * `../ACDC/training/patient001/patient001_frame01.nii.gz`), so nothing large is duplicated; with `copy` the
 * files are copied into OUT under their source-relative paths and the dataset is self-contained (OUT must then
 * be missing or empty). OUT is never the source folder or one holding it. Either way nothing is written unless the whole import succeeds: the dataset is built,
 * validated and its files checked as `dataset check` would (unless `check: false`) first; labels the layout
 * could not name are named from the values found (`label1`, …); copies go to a temporary sibling folder renamed
 * into place, dataset.json is written atomically. Splits may come from a file or seeded ratios (case-splits.ts),
 * for every layout; `source.splits` records which.
 */
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MultiraterError } from '../errors.ts';
import { assertFolderOutsideInputs } from '../io/index.ts';
import { casePaths, mapCasePaths } from './case-paths.ts';
import { applyCasePattern, parseCasePattern, type CasePattern } from './case-pattern.ts';
import { applySplits, assertSplitRatios, assignSplits, readSplitsFile, splitCounts } from './case-splits.ts';
import { checkDatasetFiles } from './check-dataset.ts';
import {
  DATASET_FILE,
  parseDataset,
  readDatasetJson,
  saveDataset,
  validateDataset,
  type Case,
  type Dataset,
} from './dataset.ts';
import type { LayoutName, LayoutOptions } from './layout.ts';
import { getLayout } from './layouts.ts';
import { isFile, isFolder, relativePosix } from './source-tree.ts';

/**
 * Options of `importDataset` (`multirater dataset import`): source layout, output folder, copying, checking, case ids
 * and splits; the `LayoutOptions` go to the layout.
 */
export interface ImportDatasetOptions extends LayoutOptions {
  /** Layout of the source folder. */
  layout: LayoutName;
  /** Output folder; dataset.json is written into it. */
  out: string;
  /** Copy the files into `out` instead of pointing at the source; default false. */
  copy?: boolean;
  /** Read every file and refuse the import when `dataset check` would find a problem; default true. */
  check?: boolean;
  /** Fill meta.subject / meta.frame from the case ids, e.g. `{subject}_{frame}` (case-pattern.ts). */
  casePattern?: string;
  /**
   * Each case's split from a file: CSV with the columns case,split, or JSON `{"caseId": "split"}`; splits are
   * train, val and test (case-splits.ts). Cases it does not list keep the layout's split.
   */
  splitsFile?: string;
  /** Or: every case's split drawn in these proportions [train, val, test] (≥ 0, summing to 1), seeded. */
  splitRatios?: readonly number[];
  /** Seed of the `splitRatios` draw; default 1. */
  seed?: number;
}

/** What {@link importDataset} wrote. */
export interface ImportDatasetResult {
  /** Absolute path of the written dataset.json. */
  file: string;
  /** The dataset written. */
  dataset: Dataset;
  /** Number of files copied (0 without `copy`). */
  copied: number;
}

/** Imports `src` (in `options.layout`) into `options.out`. */
export function importDataset(src: string, options: ImportDatasetOptions): ImportDatasetResult {
  const layout = getLayout(options.layout);
  const srcAbs = resolve(src);
  const out = resolve(options.out);
  const pattern = options.casePattern === undefined ? null : parseCasePattern(options.casePattern);
  const file = join(out, DATASET_FILE);
  assertFolderOutsideInputs('options.out', options.out, [srcAbs]);
  const splitSettings = checkSplitOptions(options);
  const layoutDataset = layout.load(srcAbs, options);
  const { cases: splitCases, record: splits } = withSplits(layoutDataset.cases, splitSettings);
  refuseForeignDatasetJson(file);
  const loaded = checkedSource({ ...layoutDataset, cases: splitCases }, srcAbs, pattern, options.check !== false);
  const source = { ...loaded.source, path: relativePosix(out, srcAbs) || '.', ...(splits ? { splits } : {}) };
  if (!options.copy) {
    const dataset = parseDataset(
      {
        ...loaded,
        source,
        cases: loaded.cases.map((c) => mapCasePaths(c, (p) => relativePosix(out, join(srcAbs, p)))),
      },
      file,
    );
    saveDataset(out, dataset);
    return { file, dataset, copied: 0 };
  }
  const dataset = parseDataset({ ...loaded, source: { ...source, copied: true } }, file);
  if (isFolder(out) && readdirSync(out).length > 0) {
    throw new MultiraterError(
      'invalid_argument',
      `${out}: output folder is not empty (options.copy needs a new or empty folder)`,
    );
  }
  const files = [...new Set(dataset.cases.flatMap((c) => casePaths(c).map((p) => p.path)))];
  const stage = `${out}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    for (const rel of files) {
      mkdirSync(dirname(join(stage, rel)), { recursive: true });
      copyFile(join(srcAbs, rel), join(stage, rel));
    }
    saveDataset(stage, dataset);
    if (isFolder(out)) rmdirSync(out);
    mkdirSync(dirname(out), { recursive: true });
    renameSync(stage, out);
  } catch (e) {
    rmSync(stage, { recursive: true, force: true });
    if (e instanceof MultiraterError) throw e;
    throw new MultiraterError(
      'io_error',
      `${out}: cannot write the copied dataset (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  return { file, dataset, copied: files.length };
}

type SplitSettings = { file: string } | { ratios: readonly number[]; seed: number } | null;

function checkSplitOptions(options: ImportDatasetOptions): SplitSettings {
  if (options.splitsFile !== undefined && options.splitRatios !== undefined) {
    throw new MultiraterError(
      'option_conflict',
      'importDataset: give options.splitsFile or options.splitRatios, not both',
    );
  }
  if (options.seed !== undefined && options.splitRatios === undefined)
    throw new MultiraterError('option_conflict', 'importDataset: options.seed applies to options.splitRatios');
  if (options.splitsFile !== undefined) return { file: resolve(options.splitsFile) };
  if (options.splitRatios === undefined) return null;
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed))
    throw new MultiraterError('invalid_argument', `importDataset: options.seed must be an integer, got ${seed}`);
  assertSplitRatios(options.splitRatios);
  return { ratios: [...options.splitRatios], seed };
}

/** The cases with their splits set, and what dataset.json's `source.splits` records of how (null: the layout's). */
function withSplits(
  cases: readonly Case[],
  settings: SplitSettings,
): { cases: Case[]; record: Record<string, unknown> | null } {
  if (settings === null) return { cases: [...cases], record: null };
  const ids = cases.map((c) => c.id);
  if ('file' in settings)
    return { cases: applySplits(cases, readSplitsFile(settings.file, ids)), record: { file: settings.file } };
  const [train, val, test] = splitCounts(ids.length, settings.ratios);
  return {
    cases: applySplits(cases, assignSplits(ids, settings.ratios, settings.seed)),
    record: { ratios: settings.ratios, seed: settings.seed, counts: { train, val, test } },
  };
}

/**
 * The loaded dataset with the case pattern applied, validated, its labels inferred when the layout named none,
 * and (with `check`) its files checked; `invalid_dataset` listing the first problems otherwise.
 */
function checkedSource(loaded: Dataset, srcAbs: string, pattern: CasePattern | null, check: boolean): Dataset {
  const cases = pattern ? applyCasePattern(loaded.cases, pattern, srcAbs) : loaded.cases;
  const dataset = parseDataset({ ...loaded, cases }, srcAbs);
  const inferLabels = Object.keys(dataset.labels).length === 0;
  if (!check && !inferLabels) return dataset;
  const result = checkDatasetFiles(dataset, srcAbs, { inferLabels });
  if (check && result.problems.length > 0) {
    const shown = result.problems.slice(0, 3).map((p) => p.message);
    const more = result.problems.length > 3 ? `; … (${result.problems.length - 3} more)` : '';
    throw new MultiraterError(
      'invalid_dataset',
      `${srcAbs}: not imported, ${result.problems.length} problem(s) (options.check: false to import anyway): ${shown.join('; ')}${more}`,
    );
  }
  return { ...dataset, labels: result.labels };
}

/** An existing dataset.json that is not ours (e.g. nnU-Net's own, when OUT is the source) is never overwritten. */
function refuseForeignDatasetJson(file: string): void {
  if (!isFile(file)) return;
  let json: unknown;
  try {
    json = readDatasetJson(file);
  } catch {
    json = undefined;
  }
  if (json === undefined || validateDataset(json).dataset === null) {
    throw new MultiraterError(
      'invalid_argument',
      `${file}: exists and is not a multirater dataset; choose another options.out folder`,
    );
  }
}

function copyFile(from: string, to: string): void {
  try {
    copyFileSync(from, to);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MultiraterError('file_not_found', `${from}: no such file`);
    throw new MultiraterError('io_error', `${from}: cannot copy to ${to} (${code ?? (e as Error).message})`);
  }
}
