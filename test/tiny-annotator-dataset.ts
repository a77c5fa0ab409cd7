/**
 * A tiny two-class multi-annotator dataset for the annotator-CM tests: 16×16 single-slice images, each a bright
 * 5×5 square (the truth) at a position that varies per case, plus noise; annotator "good" copies the truth,
 * annotator "over" (the second) always over-segments, drawing a 13×13 square on the same centre (clipped to the
 * image), and annotator "fair" copies the truth with 3 % of pixels flipped at random. The true
 * confusion matrices (pooled counts over all cases, as `simulate` writes them) go into dataset.json.
 * Splits: the first cases train, then val.
 */
import type { AnnotatorTrainOptions } from '../src/annotators/annotator-training.ts';
import { squareSplits, writeSquareDataset } from './square-dataset.ts';

export const TINY_ANNOTATORS = ['good', 'over', 'fair'];

/** Writes the dataset into `dir`; `train` and `val` case counts (default 12 and 4). */
export function writeTinyAnnotatorDataset(
  dir: string,
  counts: { train: number; val: number } = { train: 12, val: 4 },
  seed = 5,
): void {
  writeSquareDataset(dir, {
    name: 'tiny-annotators',
    labels: { '1': 'square' },
    shape: [16, 16, 1],
    splits: squareSplits(counts),
    id: (c) => `case${String(c).padStart(2, '0')}`,
    margin: 4,
    maps: {
      truth: (d) => (d <= 2 ? 1 : 0),
      over: (d) => (d <= 6 ? 1 : 0),
      fair: (_, rng, drawn) => (rng.uniform() < 0.03 ? 1 - drawn.truth : drawn.truth),
    },
    truth: 'truth',
    raters: { good: 'truth', over: 'over', fair: 'fair' },
    intensity: (drawn) => 100 * drawn.truth,
    noise: 10,
    seed,
    grid: { spacing: [1, 1, 1] },
    confusionMatrices: true,
  });
}

/**
 * Quick training options on this dataset: a 2-level U-Net with instance norm on the whole 16×16 images (batch
 * statistics of 4 tiny patches make BatchNorm's running averages a poor fit at validation), 4 iterations of 4.
 */
export function tinyAnnotatorTrainOptions(
  data: string,
  out: string,
  extra: Partial<AnnotatorTrainOptions> = {},
): AnnotatorTrainOptions {
  return {
    data,
    out,
    raters: TINY_ANNOTATORS,
    modelOptions: { features: [4, 8], norm: 'instance' },
    iterations: 4,
    batchSize: 4,
    patchSize: [16, 16],
    lr: 0.01,
    threads: 1,
    ...extra,
  };
}
