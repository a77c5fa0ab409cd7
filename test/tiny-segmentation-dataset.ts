/**
 * A tiny segmentation dataset on disk for training/prediction tests: each case is a small 3D image with a bright
 * square (label 1) holding a brighter centre (label 2), at a position that varies per case, plus noise; the
 * rater "expert" copies the truth. Splits: the first cases train, then val, then test.
 */
import { squareSplits, writeSquareDataset } from './square-dataset.ts';

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
  const affine = options.affine ?? [
    [1.5, 0, 0, -10],
    [0, 1.5, 0, 4],
    [0, 0, 4, 2],
    [0, 0, 0, 1],
  ];
  const spacing = [0, 1, 2].map((c) => Math.hypot(affine[0][c], affine[1][c], affine[2][c]));
  writeSquareDataset(dir, {
    name: 'tiny',
    labels: { '1': 'ring', '2': 'core' },
    shape: options.shape ?? [20, 18, 3],
    splits: squareSplits(options.counts ?? { train: 4, val: 1, test: 1 }),
    id: (c) => `case${String(c).padStart(2, '0')}`,
    margin: 6,
    maps: { truth: (d) => (d <= 1 ? 2 : d <= 4 ? 1 : 0) },
    truth: 'truth',
    raters: { expert: 'truth' },
    intensity: (drawn) => 100 * drawn.truth,
    noise: 10,
    seed: options.seed ?? 3,
    grid: { spacing, affine },
  });
}
