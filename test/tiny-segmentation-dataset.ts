/**
 * A tiny segmentation dataset on disk for training/prediction tests: each case is a small 3D image with a bright
 * square (label 1) holding a brighter centre (label 2), at a position that varies per case, plus noise; the
 * rater "expert" copies the truth. Splits: the first cases train, then val, then test.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { saveDataset, type Case } from '../src/datasets/dataset.ts';
import { writeNifti } from '../src/io/write-nifti.ts';
import { Rng } from '../src/random/rng.ts';
import { createVolume } from '../src/volume/volume.ts';

export interface TinyDatasetOptions {
  /** Cases per split; default train 4, val 1, test 1. */
  counts?: { train: number; val: number; test: number };
  /** Image shape (i, j, k); default 20×18×3. */
  shape?: [number, number, number];
  /** Affine of every case; default diag(1.5, 1.5, 4) with an offset. */
  affine?: number[][];
  seed?: number;
}

/** Writes the dataset into `dir` (images/, truth/, raters/expert/, dataset.json). */
export function writeTinyDataset(dir: string, options: TinyDatasetOptions = {}): void {
  const counts = options.counts ?? { train: 4, val: 1, test: 1 };
  const [nx, ny, nz] = options.shape ?? [20, 18, 3];
  const affine = options.affine ?? [
    [1.5, 0, 0, -10],
    [0, 1.5, 0, 4],
    [0, 0, 4, 2],
    [0, 0, 0, 1],
  ];
  const spacing = [
    Math.hypot(affine[0][0], affine[1][0], affine[2][0]),
    Math.hypot(affine[0][1], affine[1][1], affine[2][1]),
    Math.hypot(affine[0][2], affine[1][2], affine[2][2]),
  ];
  const rng = new Rng(options.seed ?? 3);
  for (const sub of ['images', 'truth', 'raters/expert']) mkdirSync(join(dir, sub), { recursive: true });
  const cases: Case[] = [];
  const splits = [
    ...Array(counts.train).fill('train'),
    ...Array(counts.val).fill('val'),
    ...Array(counts.test).fill('test'),
  ] as ('train' | 'val' | 'test')[];
  splits.forEach((split, n) => {
    const id = `case${String(n).padStart(2, '0')}`;
    const ci = 6 + rng.int(nx - 12);
    const cj = 6 + rng.int(ny - 12);
    const image = new Float32Array(nx * ny * nz);
    const label = new Uint8Array(nx * ny * nz);
    for (let k = 0, p = 0; k < nz; k++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++, p++) {
          const d = Math.max(Math.abs(i - ci), Math.abs(j - cj));
          label[p] = d <= 1 ? 2 : d <= 4 ? 1 : 0;
          image[p] = 100 * label[p] + 10 * rng.normal();
        }
      }
    }
    const grid = { spacing, affine };
    writeNifti(join(dir, 'images', `${id}.nii.gz`), createVolume([nx, ny, nz], image, grid));
    writeNifti(join(dir, 'truth', `${id}.nii.gz`), createVolume([nx, ny, nz], label, grid));
    writeNifti(join(dir, 'raters/expert', `${id}.nii.gz`), createVolume([nx, ny, nz], label, grid));
    cases.push({
      id,
      image: `images/${id}.nii.gz`,
      truth: `truth/${id}.nii.gz`,
      raters: { expert: `raters/expert/${id}.nii.gz` },
      meta: { split },
    });
  });
  saveDataset(dir, { name: 'tiny', labels: { '1': 'ring', '2': 'core' }, raters: ['expert'], cases });
}
