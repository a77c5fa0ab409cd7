/**
 * A tiny cardiac phantom for the viewer's tests (2 subjects, 32×32, 4 frames, raters expert, nonexpert1, nonexpert2),
 * with a prediction folder (a copy of the expert's labels), a secret file beside the dataset folder, and inside the
 * folder a symlink to that secret and an unreferenced file, neither of which the server may serve.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateCardiacDataset } from '../src/raters/simulate-cardiac.ts';
import { loadDataset, resolveCasePath } from '../src/datasets/dataset.ts';

export interface ViewTestDataset {
  work: string;
  data: string;
  pred: string;
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
  return { work, data, pred, secret: SECRET_TEXT, caseIds: dataset.cases.map((c) => c.id), remove: () => rmSync(work, { recursive: true, force: true }) };
}
