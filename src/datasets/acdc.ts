/**
 * ACDC (Automated Cardiac Diagnosis Challenge, Bernard et al., IEEE TMI 2018) importer.
 * Layout: `[training|testing]/patientNNN/` holding `Info.cfg` (`ED: 1`, `ES: 12`, `Group: DCM`, `Height: 184.0`,
 * `Weight: 95.0`, `NbFrame: 30`), the cine series `patientNNN_4d.nii.gz` and, for the ED and ES frames,
 * `patientNNN_frameYY.nii.gz` with its expert label map `patientNNN_frameYY_gt.nii.gz` (YY = the 1-based frame).
 * One case per (patient, ED|ES): image = the frame, truth = its `_gt` file (absent in the original test release),
 * meta.cine = the 4D series, meta.timeIndex = YY − 1. Labels: 1 RV, 2 MYO, 3 LV.
 */
import { basename, join } from 'node:path';
import { MultiraterError } from '../errors.ts';
import type { Case, CaseMeta, Dataset } from './dataset.ts';
import type { DatasetLayout, LayoutOptions } from './layout.ts';
import { isFile, listFolders, posixJoin, readText, requireFolder, splitFolders } from './source-tree.ts';

/** ACDC's label values: 1 right-ventricle cavity, 2 myocardium, 3 left-ventricle cavity. */
export const ACDC_LABELS = {
  /** Right-ventricle cavity. */
  '1': 'RV',
  /** Left-ventricle myocardium. */
  '2': 'MYO',
  /** Left-ventricle cavity. */
  '3': 'LV',
};

const SPLIT_FOLDERS: Record<string, 'train' | 'test'> = { training: 'train', testing: 'test' };
const PATIENT = /^patient\d+$/i;

/** Info.cfg as key → value strings (`ED` → `1`). */
export function parseInfoCfg(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = /^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!m) throw new MultiraterError('invalid_dataset', `${file}: line "${line.trim()}" is not "Key: value"`);
    out[m[1]] = m[2];
  }
  return out;
}

/** Builds the ACDC Dataset from `src` (the database folder holding training/testing, or one of them). */
export function loadAcdc(src: string, options: LayoutOptions = {}): Dataset {
  requireFolder(src, 'ACDC source');
  const folders = listFolders(src);
  const splitDirs = splitFolders(folders, SPLIT_FOLDERS);
  const groups: { dir: string; split?: 'train' | 'test' }[] = splitDirs.length
    ? splitDirs.map((d) => ({ dir: d, split: SPLIT_FOLDERS[d.toLowerCase()] }))
    : [{ dir: '', split: SPLIT_FOLDERS[basename(src).toLowerCase()] }];
  const cases: Case[] = [];
  for (const { dir, split } of groups) {
    for (const patient of listFolders(join(src, dir)).filter((f) => PATIENT.test(f))) {
      cases.push(...patientCases(src, posixJoin(dir, patient), patient, split));
    }
  }
  if (cases.length === 0) {
    throw new MultiraterError(
      'invalid_dataset',
      `${src}: no ACDC patientNNN folders (with Info.cfg) found here or in training/, testing/`,
    );
  }
  return {
    name: options.name ?? 'ACDC',
    labels: { ...ACDC_LABELS },
    raters: [],
    cases,
    description: 'ACDC cine MRI, ED and ES frames with expert labels (1 RV, 2 MYO, 3 LV)',
    source: { layout: 'acdc' },
  };
}

function patientCases(src: string, rel: string, patient: string, split: 'train' | 'test' | undefined): Case[] {
  const cfgFile = join(src, rel, 'Info.cfg');
  const info = parseInfoCfg(readText(cfgFile), cfgFile);
  const cine = posixJoin(rel, `${patient}_4d.nii.gz`);
  const common: CaseMeta = { subject: patient };
  if (split) common.split = split;
  if (info.Group) common.group = info.Group;
  for (const [key, field] of [
    ['Height', 'height'],
    ['Weight', 'weight'],
    ['NbFrame', 'nbFrames'],
  ] as const) {
    if (info[key] === undefined) continue;
    const v = Number(info[key]);
    if (!Number.isFinite(v))
      throw new MultiraterError('invalid_dataset', `${cfgFile}: ${key} "${info[key]}" is not a number`);
    common[field] = v;
  }
  if (isFile(join(src, cine))) common.cine = cine;
  return (['ED', 'ES'] as const).map((phase) => {
    const frame = Number(info[phase]);
    if (!Number.isInteger(frame) || frame < 1) {
      throw new MultiraterError(
        'invalid_dataset',
        `${cfgFile}: ${phase} should be a frame number ≥ 1, found ${info[phase] ?? 'nothing'}`,
      );
    }
    const stem = `${patient}_frame${String(frame).padStart(2, '0')}`;
    const image = posixJoin(rel, `${stem}.nii.gz`);
    if (!isFile(join(src, image)))
      throw new MultiraterError('file_not_found', `${join(src, image)}: no such file (${phase} frame of ${cfgFile})`);
    const truth = posixJoin(rel, `${stem}_gt.nii.gz`);
    const c: Case = {
      id: `${patient}_${phase}`,
      image,
      raters: {},
      meta: { ...common, frame: phase, timeIndex: frame - 1 },
    };
    if (isFile(join(src, truth))) c.truth = truth;
    return c;
  });
}

/**
 * The `acdc` layout (`dataset import --layout acdc`): one case per patient and ED/ES frame, truth from the `_gt` files.
 */
export const acdcLayout: DatasetLayout = {
  name: 'acdc',
  description: 'ACDC: [training|testing]/patientNNN/ with Info.cfg, patientNNN_frameYY.nii.gz and _gt label maps',
  load: loadAcdc,
};
