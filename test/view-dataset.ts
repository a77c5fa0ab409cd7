/**
 * A tiny cardiac phantom for the viewer's tests (2 subjects, 32×32, 4 frames, raters expert, nonexpert1, nonexpert2),
 * with a prediction folder (a copy of the expert's labels), a secret file beside the dataset folder, and inside the
 * folder a symlink to that secret and an unreferenced file, neither of which the server may serve; and an
 * annotator-CM model folder in the documented format (src/annotators/annotator-cms.ts).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateCardiacDataset } from '../src/raters/simulate-cardiac.ts';
import { loadDataset, resolveCasePath } from '../src/datasets/dataset.ts';
import { readNifti } from '../src/io/read-nifti.ts';
import { writeNifti } from '../src/io/write-nifti.ts';
import { createVolume } from '../src/volume/volume.ts';

export interface ViewTestDataset {
  work: string;
  data: string;
  pred: string;
  /** An annotator-CM model folder: annotator-cms.json for expert and nonexpert1, a CM-diagonal map for case 0. */
  model: string;
  /** Text of the secret files (outside, and inside but unreferenced). */
  secret: string;
  caseIds: string[];
  remove: () => void;
}

export const SECRET_TEXT = 'top secret: not part of the dataset';

export async function viewTestDataset(): Promise<ViewTestDataset> {
  const work = mkdtempSync(join(tmpdir(), 'multirater-view-'));
  const data = join(work, 'data');
  await simulateCardiacDataset({ out: data, subjects: 2, size: 32, frames: 4, seed: 3, workers: 0 });
  writeFileSync(join(work, 'secret.txt'), SECRET_TEXT);
  writeFileSync(join(data, 'unreferenced.nii.gz'), SECRET_TEXT);
  symlinkSync(join(work, 'secret.txt'), join(data, 'escape.nii.gz'));
  const pred = join(work, 'unet');
  mkdirSync(pred);
  const { dataset, root } = loadDataset(data);
  for (const c of dataset.cases) copyFileSync(resolveCasePath(root, c.raters.expert), join(pred, `${c.id}.nii.gz`));
  const model = join(work, 'model');
  mkdirSync(model);
  const first = readNifti(resolveCasePath(root, dataset.cases[0].raters.expert)).volume;
  const diagonal = new Float32Array(first.data.length).map((_, i) => (i % 10) / 10);
  writeNifti(
    join(model, 'diag-expert.nii.gz'),
    createVolume(first.shape, diagonal, { spacing: first.spacing, affine: first.affine }),
  );
  const cm = (p: number) => [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? p : (1 - p) / 3)));
  writeFileSync(
    join(model, 'annotator-cms.json'),
    JSON.stringify({
      schemaVersion: 1,
      raters: ['expert', 'nonexpert1'],
      labels: ['background', 'RV', 'MYO', 'LV'],
      matrices: { expert: cm(0.97), nonexpert1: cm(0.7) },
      cases: { [dataset.cases[0].id]: { diagonal: { expert: 'diag-expert.nii.gz' } } },
    }),
  );
  return {
    work,
    data,
    pred,
    model,
    secret: SECRET_TEXT,
    caseIds: dataset.cases.map((c) => c.id),
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}
