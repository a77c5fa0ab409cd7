/**
 * Which trainer a training request goes to, decided from its options alone: several raters with an annotator
 * method (an annotator-CM model, mean labels, or an option only those methods take) go to `trainAnnotators`;
 * several raters otherwise to multi-expert `train` (one sample per image and expert); one label source to `train`.
 * Options the chosen trainer does not implement are refused in one line (`option_conflict`), never ignored.
 */
import { MultiraterError } from '../errors.ts';
import type { TrainOptions } from '../train/index.ts';
import type { AnnotatorTrainOptions } from './annotator-training.ts';

/** 'one-rater' and 'multi-expert' train with `train`; 'annotators' with `trainAnnotators`. */
export type TrainerKind = 'one-rater' | 'multi-expert' | 'annotators';

/** The options that decide; each `undefined` when not given. */
export interface ChooseTrainerOptions {
  /** Several raters' ids (annotator methods or multi-expert training); absent for one label source. */
  raters?: readonly string[];
  /** Registered network; an `annotator-cm…` model means the annotator-CM method. */
  model?: string;
  /** The annotator method asked for, when one is. */
  method?: AnnotatorTrainOptions['method'];
  /**
   * Per-pixel or global matrices. This and the options down to `base` only the annotator methods take: any of them
   * given sends several raters to `trainAnnotators`.
   */
  cm?: AnnotatorTrainOptions['cm'];
  /** λ of the annotator-CM trace term (annotator methods only). */
  traceWeight?: number;
  /** The annotator-CM loss's formula, 'paper' or 'published' (annotator methods only). */
  cmLoss?: AnnotatorTrainOptions['cmLoss'];
  /** 'all' or 1 label kept per training image (annotator methods only). */
  labelsPerImage?: AnnotatorTrainOptions['labelsPerImage'];
  /** Fix the matrices to the true ones (annotator methods only); false counts as not given. */
  oracle?: boolean;
  /** The annotator-CM wrapper's segmentation network (`modelOptions.base`). */
  base?: string;
  /**
   * The registered loss. This and the options below only `train` implements: given with an annotator method, they
   * are refused (`option_conflict`).
   */
  loss?: TrainOptions['loss'];
  /** Validations without improvement before `train` stops; null counts as not given. */
  earlyStoppingPatience?: TrainOptions['earlyStoppingPatience'];
  /** Case ids `train` is restricted to (e.g. a fine-tuning way). */
  caseIds?: readonly string[];
}

const ANNOTATOR_ONLY = ['cm', 'traceWeight', 'cmLoss', 'labelsPerImage', 'oracle', 'base'] as const;
const TRAIN_ONLY = ['loss', 'earlyStoppingPatience', 'caseIds'] as const;

/** The trainer `options` ask for; `option_conflict` naming the options the annotator trainer does not take. */
export function chooseTrainer(options: ChooseTrainerOptions): TrainerKind {
  if (options.raters === undefined) return 'one-rater';
  const annotatorOption = ANNOTATOR_ONLY.some((k) => options[k] !== undefined && options[k] !== false);
  const annotators =
    options.method !== undefined || options.model?.startsWith('annotator-cm') === true || annotatorOption;
  if (!annotators) return 'multi-expert';
  const refused = TRAIN_ONLY.filter((k) => options[k] !== undefined && options[k] !== null);
  if (refused.length > 0) {
    const names = refused.map((k) => `options.${k}`).join(', ');
    throw new MultiraterError(
      'option_conflict',
      `train: the annotator methods take no ${names}; one-rater and multi-expert training do`,
    );
  }
  return 'annotators';
}
