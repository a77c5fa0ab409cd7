/**
 * A tiny 2D dataset whose experts disagree systematically, for multi-expert training tests: each 16×16 image holds
 * a bright square of half-side 3 px centred at a per-case position; expert `tight` labels the pixels within 2 px
 * (Chebyshev) of the centre, `wide` within 5 px and `mid` within 3 px (the square itself). All cases are training
 * cases, so the trainer keeps the last weights.
 */
import { noAugmentation } from '../src/augment/augmentation.ts';
import type { TrainOptions } from '../src/train/train-config.ts';
import { writeSquareDataset } from './square-dataset.ts';

export const EXPERT_REACH: Readonly<Record<string, number>> = { tight: 2, wide: 5, mid: 3 };

/** Writes `cases` cases into `dir` (images/, raters/<expert>/, dataset.json). */
export function writeTwoExpertDataset(dir: string, cases = 6, seed = 5): void {
  const experts = Object.keys(EXPERT_REACH);
  writeSquareDataset(dir, {
    name: 'two-expert',
    labels: { '1': 'square' },
    shape: [16, 16],
    splits: Array(cases).fill('train'),
    id: (c) => `case${c}`,
    margin: 6,
    maps: Object.fromEntries(experts.map((e) => [e, (d: number) => (d <= EXPERT_REACH[e] ? 1 : 0)])),
    raters: Object.fromEntries(experts.map((e) => [e, e])),
    intensity: (_, d) => (d <= 3 ? 100 : 0),
    noise: 5,
    seed,
  });
}

/**
 * `train` options for a multi-expert (conditional instance norm) model on the dataset in `data`, trained on `tight`
 * and `wide` with the per-sample soft Dice loss, no augmentation, one thread; `more` sets the network and schedule.
 */
export function twoExpertTraining(
  data: string,
  out: string,
  more: Pick<TrainOptions, 'iterations' | 'batchSize'> & Partial<TrainOptions> & { features: number[] },
): TrainOptions {
  const { features, ...rest } = more;
  return {
    data,
    labelSource: 'tight,wide',
    experts: ['tight', 'wide'],
    out,
    modelOptions: { features, norm: 'cin' },
    loss: 'sample-dice',
    augmentation: noAugmentation(),
    threads: 1,
    ...rest,
  };
}
