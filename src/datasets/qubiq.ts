/**
 * QUBIQ (Quantification of Uncertainties in Biomedical Image Quantification challenge, MICCAI 2020/2021) importer.
 * Layout of one QUBIQ dataset (brain-growth, kidney, prostate, …): `[Training|Validation]/caseN/image.nii.gz`
 * with one binary mask per task and rater, `taskTT_segRR.nii.gz`. A dataset holds several tasks (prostate: 2,
 * brain-tumor: 3); one import takes one task (option `task`, default 1), its raters named `seg01`, `seg02`, ….
 * When the source has several split folders, case ids are prefixed with the split (`train-case01`).
 */
import { basename, join } from 'node:path';
import { MultiraterError } from '../errors.ts';
import type { Case, Dataset } from './dataset.ts';
import type { DatasetLayout, LayoutOptions } from './layout.ts';
import { isFile, listFiles, listFolders, posixJoin, requireFolder, splitFolders } from './source-tree.ts';

const SPLIT_FOLDERS: Record<string, 'train' | 'val' | 'test'> = {
  training: 'train',
  validation: 'val',
  testing: 'test',
};
const SEG_FILE = /^task(\d+)_seg(\d+)\.nii(\.gz)?$/i;

/** Builds the Dataset of one QUBIQ task from `src` (one QUBIQ dataset folder). */
export function loadQubiq(src: string, options: LayoutOptions = {}): Dataset {
  requireFolder(src, 'QUBIQ source');
  const task = options.task ?? 1;
  if (!Number.isInteger(task) || task < 1)
    throw new MultiraterError('invalid_argument', `QUBIQ task must be a whole number ≥ 1, found ${task}`);
  const splitDirs = splitFolders(listFolders(src), SPLIT_FOLDERS);
  const groups = splitDirs.length
    ? splitDirs.map((d) => ({ dir: d, split: SPLIT_FOLDERS[d.toLowerCase()] }))
    : [{ dir: '', split: undefined }];
  const prefixIds = groups.length > 1;
  const cases: Case[] = [];
  const raters = new Set<string>();
  const tasksSeen = new Set<number>();
  let caseFolders = 0;
  for (const { dir, split } of groups) {
    for (const name of listFolders(join(src, dir))) {
      const rel = posixJoin(dir, name);
      if (!isFile(join(src, rel, 'image.nii.gz'))) continue;
      caseFolders++;
      const caseRaters: Record<string, string> = {};
      for (const file of listFiles(join(src, rel))) {
        const m = SEG_FILE.exec(file);
        if (!m) continue;
        tasksSeen.add(Number(m[1]));
        if (Number(m[1]) !== task) continue;
        const rater = `seg${m[2].padStart(2, '0')}`;
        caseRaters[rater] = posixJoin(rel, file);
        raters.add(rater);
      }
      if (Object.keys(caseRaters).length === 0) continue;
      const c: Case = {
        id: prefixIds && split ? `${split}-${name}` : name,
        image: posixJoin(rel, 'image.nii.gz'),
        raters: caseRaters,
        meta: { subject: name },
      };
      if (split) c.meta.split = split;
      cases.push(c);
    }
  }
  if (caseFolders === 0)
    throw new MultiraterError(
      'invalid_dataset',
      `${src}: no QUBIQ case folders (caseN/image.nii.gz) here or in Training/, Validation/`,
    );
  const taskName = `task${String(task).padStart(2, '0')}`;
  if (cases.length === 0) {
    const have = [...tasksSeen].sort((a, b) => a - b).map((t) => `task${String(t).padStart(2, '0')}`);
    throw new MultiraterError(
      'invalid_argument',
      `${src}: no ${taskName}_segNN files; tasks present: ${have.join(', ') || 'none'}`,
    );
  }
  return {
    name: options.name ?? `${basename(src)}-${taskName}`,
    labels: { '1': taskName },
    raters: [...raters].sort(),
    cases,
    description: `QUBIQ ${basename(src)} ${taskName}: binary masks of ${raters.size} raters`,
    source: { layout: 'qubiq', task },
  };
}

/**
 * The `qubiq` layout (`dataset import --layout qubiq`): one task of a QUBIQ dataset, its raters `seg01`, `seg02`, ….
 */
export const qubiqLayout: DatasetLayout = {
  name: 'qubiq',
  description: 'QUBIQ: [Training|Validation]/caseN/image.nii.gz with taskTT_segRR.nii.gz (raters segRR of task --task)',
  load: loadQubiq,
};
