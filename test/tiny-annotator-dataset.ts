/**
 * A tiny two-class multi-annotator dataset for the annotator-CM tests: 16×16 single-slice images, each a bright
 * 5×5 square (the truth) at a position that varies per case, plus noise; annotator "good" copies the truth,
 * annotator "over" (the second) always over-segments, drawing a 13×13 square on the same centre (clipped to the
 * image), and annotator "fair" copies the truth with 3 % of pixels flipped at random. The true
 * confusion matrices (pooled counts over all cases, as `simulate` writes them) go into dataset.json.
 * Splits: the first cases train, then val.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { saveDataset, type Case } from '../src/datasets/dataset.ts';
import { writeNifti } from '../src/io/write-nifti.ts';
import { Rng } from '../src/random/rng.ts';
import { confusionCounts, confusionMatrix, type ConfusionCounts } from '../src/raters/confusion-matrix.ts';
import { createVolume } from '../src/volume/volume.ts';

export const TINY_ANNOTATORS = ['good', 'over', 'fair'];

/** Writes the dataset into `dir`; `train` and `val` case counts (default 12 and 4). */
export function writeTinyAnnotatorDataset(
  dir: string,
  counts: { train: number; val: number } = { train: 12, val: 4 },
  seed = 5,
): void {
  const n = 16;
  const rng = new Rng(seed);
  for (const sub of ['images', 'truth', ...TINY_ANNOTATORS.map((r) => `raters/${r}`)])
    mkdirSync(join(dir, sub), { recursive: true });
  const cases: Case[] = [];
  const pooled = new Map<string, ConfusionCounts>();
  const splits = [...Array(counts.train).fill('train'), ...Array(counts.val).fill('val')] as ('train' | 'val')[];
  splits.forEach((split, c) => {
    const id = `case${String(c).padStart(2, '0')}`;
    const ci = 4 + rng.int(n - 8);
    const cj = 4 + rng.int(n - 8);
    const image = new Float32Array(n * n);
    const truth = new Uint8Array(n * n);
    const over = new Uint8Array(n * n);
    const fair = new Uint8Array(n * n);
    for (let j = 0, p = 0; j < n; j++) {
      for (let i = 0; i < n; i++, p++) {
        const d = Math.max(Math.abs(i - ci), Math.abs(j - cj));
        truth[p] = d <= 2 ? 1 : 0;
        over[p] = d <= 6 ? 1 : 0;
        fair[p] = rng.uniform() < 0.03 ? 1 - truth[p] : truth[p];
        image[p] = 100 * truth[p] + 10 * rng.normal();
      }
    }
    const grid = { spacing: [1, 1, 1] };
    const shape = [n, n, 1];
    writeNifti(join(dir, 'images', `${id}.nii.gz`), createVolume(shape, image, grid));
    writeNifti(join(dir, 'truth', `${id}.nii.gz`), createVolume(shape, truth, grid));
    const labels: Record<string, Uint8Array> = { good: truth, over, fair };
    for (const r of TINY_ANNOTATORS) {
      writeNifti(join(dir, `raters/${r}`, `${id}.nii.gz`), createVolume(shape, labels[r], grid));
      pooled.set(r, confusionCounts(truth, labels[r], [0, 1], pooled.get(r)));
    }
    cases.push({
      id,
      image: `images/${id}.nii.gz`,
      truth: `truth/${id}.nii.gz`,
      raters: Object.fromEntries(TINY_ANNOTATORS.map((r) => [r, `raters/${r}/${id}.nii.gz`])),
      meta: { split },
    });
  });
  const confusionMatrices = Object.fromEntries([...pooled].map(([r, counts]) => [r, confusionMatrix(counts)]));
  saveDataset(dir, {
    name: 'tiny-annotators',
    labels: { '1': 'square' },
    raters: TINY_ANNOTATORS,
    cases,
    confusionMatrices,
  });
}
