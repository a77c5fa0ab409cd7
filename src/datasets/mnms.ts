/**
 * M&Ms (Multi-Centre, Multi-Vendor & Multi-Disease Cardiac Segmentation challenge, Campello et al., IEEE TMI
 * 2021) importer. Layout of the open dataset: `Training/Labeled/<code>/<code>_sa.nii.gz` (4D cine) with
 * `<code>_sa_gt.nii.gz` (4D labels, non-zero only at ED and ES), `Training/Unlabeled/<code>/` (no labels),
 * `Validation/<code>/`, `Testing/<code>/`, and beside them the information CSV
 * (`211230_M&Ms_Dataset_information_diagnosis_opendataset.csv`: `External code`, `VendorName`, `Vendor`,
 * `Centre`, `ED`, `ES`, `Age`, `Pathology`, `Sex`, `Height`, `Weight`; columns are found by name).
 * One case per (subject, ED|ES) pointing at the 4D files, with meta.timeIndex = the CSV's 0-based ED/ES time
 * index; subjects without a `_sa_gt` file are left out (counted in `source.unlabeled`). Labels: 1 LV, 2 MYO, 3 RV.
 */
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { MultiraterError } from '../errors.ts';
import type { Case, CaseMeta, Dataset } from './dataset.ts';
import type { DatasetLayout, LayoutOptions } from './layout.ts';
import { isFile, listFiles, listFolders, posixJoin, readText, requireFolder, splitFolders } from './source-tree.ts';

/** M&Ms' label values: 1 left-ventricle cavity, 2 myocardium, 3 right-ventricle cavity. */
export const MNMS_LABELS = {
  /** Left-ventricle cavity. */
  '1': 'LV',
  /** Left-ventricle myocardium. */
  '2': 'MYO',
  /** Right-ventricle cavity. */
  '3': 'RV',
};

const SPLIT_FOLDERS: Record<string, 'train' | 'val' | 'test'> = {
  training: 'train',
  validation: 'val',
  testing: 'test',
};
const CODE_COLUMN = 'external code';

/** One subject's row of the information CSV. */
export interface MnmsSubjectInfo {
  /** The subject's external code (the CSV's `External code`, the folder name). */
  code: string;
  /** 0-based time indices of end-diastole and end-systole in the 4D files. */
  ed: number;
  /** 0-based time index of end-systole in the 4D files. */
  es: number;
  /** The remaining columns by their header (e.g. `Vendor`, `Centre`, `Pathology`), blank cells left out. */
  fields: Record<string, string>;
}

/** Parses the M&Ms information CSV into rows by subject code. */
export function parseMnmsCsv(text: string, file: string): Map<string, MnmsSubjectInfo> {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (e) {
    throw new MultiraterError('invalid_dataset', `${file}: not a readable CSV (${(e as Error).message})`);
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  for (const name of [CODE_COLUMN, 'ed', 'es']) {
    if (col(name) < 0)
      throw new MultiraterError(
        'invalid_dataset',
        `${file}: no "${name}" column (header: ${(rows[0] ?? []).join(', ')})`,
      );
  }
  const out = new Map<string, MnmsSubjectInfo>();
  rows.slice(1).forEach((row, i) => {
    const code = row[col(CODE_COLUMN)] ?? '';
    if (code === '') return;
    const index = (name: 'ed' | 'es') => {
      const v = Number(row[col(name)]);
      if (!Number.isInteger(v) || v < 0) {
        throw new MultiraterError(
          'invalid_dataset',
          `${file}: row ${i + 2} (${code}): ${name.toUpperCase()} "${row[col(name)] ?? ''}" is not a time index ≥ 0`,
        );
      }
      return v;
    };
    const fields: Record<string, string> = {};
    rows[0].forEach((h, c) => {
      const known = c === col(CODE_COLUMN) || c === col('ed') || c === col('es');
      if (h !== '' && !known && row[c] !== undefined && row[c] !== '') fields[h] = row[c];
    });
    out.set(code, { code, ed: index('ed'), es: index('es'), fields });
  });
  return out;
}

/** Builds the M&Ms Dataset from `src` (the folder holding Training/, Validation/, Testing/ and the CSV). */
export function loadMnms(src: string, options: LayoutOptions = {}): Dataset {
  requireFolder(src, 'M&Ms source');
  const csvFile = findInfoCsv(src);
  const info = parseMnmsCsv(readText(csvFile), csvFile);
  const cases: Case[] = [];
  let unlabeled = 0;
  for (const top of splitFolders(listFolders(src), SPLIT_FOLDERS)) {
    const split = SPLIT_FOLDERS[top.toLowerCase()];
    for (const rel of subjectFolders(src, top, 3)) {
      const code = rel.slice(rel.lastIndexOf('/') + 1);
      const image = `${rel}/${code}_sa.nii.gz`;
      const truth = `${rel}/${code}_sa_gt.nii.gz`;
      if (!isFile(join(src, truth))) {
        unlabeled++;
        continue;
      }
      const row = info.get(code);
      if (!row)
        throw new MultiraterError('invalid_dataset', `${csvFile}: no row for subject ${code} (${join(src, rel)})`);
      cases.push(subjectCase(row, 'ED', image, truth, split), subjectCase(row, 'ES', image, truth, split));
    }
  }
  if (cases.length === 0) {
    throw new MultiraterError(
      'invalid_dataset',
      `${src}: no labelled M&Ms subjects (<code>/<code>_sa.nii.gz with _sa_gt.nii.gz) under Training/, Validation/ or Testing/`,
    );
  }
  return {
    name: options.name ?? 'M&Ms',
    labels: { ...MNMS_LABELS },
    raters: [],
    cases,
    description: 'M&Ms multi-vendor cine MRI, ED and ES time points of the 4D series (1 LV, 2 MYO, 3 RV)',
    source: { layout: 'mnms', infoCsv: basename(csvFile), unlabeled },
  };
}

function subjectCase(
  row: MnmsSubjectInfo,
  phase: 'ED' | 'ES',
  image: string,
  truth: string,
  split: 'train' | 'val' | 'test',
): Case {
  const f = row.fields;
  const meta: CaseMeta = { subject: row.code, frame: phase, timeIndex: phase === 'ED' ? row.ed : row.es, split };
  if (f.Vendor) meta.vendor = f.Vendor;
  if (f.VendorName) meta.vendorName = f.VendorName;
  if (f.Centre) meta.centre = f.Centre;
  if (f.Pathology) meta.group = f.Pathology;
  if (f.Sex) meta.sex = f.Sex;
  for (const [column, key] of [
    ['Age', 'age'],
    ['Height', 'height'],
    ['Weight', 'weight'],
  ] as const) {
    const v = Number(f[column]);
    if (f[column] !== undefined && Number.isFinite(v)) meta[key] = v;
  }
  return { id: `${row.code}_${phase}`, image, raters: {}, truth, meta };
}

/** Folders (relative, `/`) named `<code>` that hold `<code>_sa.nii.gz`, searched `depth` levels below `top`. */
function subjectFolders(src: string, top: string, depth: number): string[] {
  const out: string[] = [];
  const visit = (rel: string, left: number) => {
    for (const name of listFolders(join(src, rel))) {
      const child = posixJoin(rel, name);
      if (isFile(join(src, child, `${name}_sa.nii.gz`))) out.push(child);
      else if (left > 1) visit(child, left - 1);
    }
  };
  visit(top, depth);
  return out;
}

/** The information CSV beside the split folders: a `.csv` whose header has `External code` (latest name wins). */
function findInfoCsv(src: string): string {
  const candidates = listFiles(src)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .map((f) => join(src, f))
    .filter((f) => readText(f).split(/\r?\n/, 1)[0].toLowerCase().includes(CODE_COLUMN));
  if (candidates.length === 0) {
    throw new MultiraterError(
      'file_not_found',
      `${src}: no M&Ms information CSV (e.g. 211230_M&Ms_Dataset_information_diagnosis_opendataset.csv with an "External code" column)`,
    );
  }
  return candidates[candidates.length - 1];
}

/**
 * The `mnms` layout (`dataset import --layout mnms`): one case per labelled subject and ED/ES time, pointing at the 4D
 * files.
 */
export const mnmsLayout: DatasetLayout = {
  name: 'mnms',
  description:
    'M&Ms: Training/Labeled/<code>/<code>_sa.nii.gz + _sa_gt.nii.gz (4D), Validation/, Testing/, information CSV',
  load: loadMnms,
};
