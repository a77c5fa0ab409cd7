/**
 * A training run's settings: what `train` accepts (`TrainOptions`), and the resolved, JSON-serialisable record
 * written to `MODELDIR/config.json` (`TrainConfig`) that prediction reads back. Defaults are chosen so a 2D U-Net
 * on the 24-subject cardiac phantom (96×96 slices) reaches a good model in a few minutes on 2 cores.
 */
import { MultiraterError } from '../errors.ts';
import { getModel, type ModelOptions } from '../models/index.ts';
import type { AugmentationConfig } from '../augment/index.ts';
import { parseLossName, type LossName, type LossOptions } from '../losses/index.ts';
import type { IntensityNormalization } from '../data/index.ts';

/** What the learning rate does over the run: polynomial decay (nnU-Net's (1 − t/T)^0.9), cosine, or constant. */
export const SCHEDULE_NAMES = ['poly', 'cosine', 'constant'] as const;
/** One of `SCHEDULE_NAMES`: the learning-rate schedule `train --schedule` takes. */
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** The optimisers `train` offers (PyTorch's update rules, `nn/optimizers.ts`). */
export const OPTIMIZER_NAMES = ['adam', 'adamw', 'radam', 'sgd'] as const;
/** One of `OPTIMIZER_NAMES`: the optimiser `train --optimizer` takes. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** What `resolveTrainConfig` takes for an option not given (the batch size by the network's dimensions). */
export const TRAIN_DEFAULTS = {
  /** Registered network: the 2D U-Net. */
  model: 'unet2d',
  /** Cross-entropy plus soft Dice. */
  loss: 'ce+dice',
  /** Optimiser steps. */
  iterations: 600,
  /** Samples per batch of a 2D and of a 3D network. */
  batchSize: {
    /** 2D network: slice patches per batch. */
    2: 8,
    /** 3D network: volume patches per batch. */
    3: 2,
  },
  /** Peak learning rate (Adam). */
  lr: 3e-3,
  /** Adam (PyTorch's update rule). */
  optimizer: 'adam',
  /** Polynomial decay, nnU-Net's (1 − t/T)^0.9. */
  schedule: 'poly',
  /** Seed of the initial weights and of every batch. */
  seed: 1,
  /** Iterations between validations. */
  validateEvery: 100,
  /** Iterations between checkpoints. */
  checkpointEvery: 100,
  /** Keep the weights with the lowest validation loss. */
  selectBy: 'loss',
} as const satisfies Pick<
  TrainConfig,
  | 'model'
  | 'loss'
  | 'iterations'
  | 'lr'
  | 'optimizer'
  | 'schedule'
  | 'seed'
  | 'validateEvery'
  | 'checkpointEvery'
  | 'selectBy'
> & { batchSize: Record<2 | 3, number> };

/** Options of `train` (`multirater train`): the data and label source, the network, the loss and the schedule. */
export interface TrainOptions {
  /** Dataset folder (with dataset.json). */
  data: string;
  /** Label source: `'truth'` or a rater id of the dataset (with `experts`: recorded only, as the trained experts). */
  labelSource: string;
  /**
   * Multi-expert training: the expert slots, slot e = `experts[e]` (rater ids). Every training image becomes one
   * sample per expert of `trainExperts` (image, e, that expert's label map); with norm 'cin' the model gets one
   * γ, β row per slot and the expert index as an input. Default: none (one label source), or `[labelSource]` for
   * norm 'cin'.
   */
  experts?: string[];
  /** The experts whose labels are trained on (a subset of `experts`); default all of them. */
  trainExperts?: string[];
  /** Train only on these case ids (after the split filter), e.g. a fine-tuning way; default every case. */
  caseIds?: string[];
  /** Start from these weights (and buffers) by parameter name instead of the seeded initialisation. */
  initialParams?: ReadonlyMap<string, Float32Array>;
  /** Where `initialParams` came from (recorded in config.json). */
  initializedFrom?: string;
  /** Parameters kept unchanged (bit-identical) by every step; default none. */
  frozen?: string[];
  /** Output model folder. */
  out: string;
  /** Registered network name (see `multirater model list`); default 'unet2d'. */
  model?: string;
  /** Architecture overrides of the network's defaults. */
  modelOptions?: ModelOptions;
  /** Default 'ce+dice'. */
  loss?: LossName;
  /** Class weights, GCE q and Dice smoothing for the losses that use them (`buildLoss`); default: each loss's own. */
  lossOptions?: LossOptions;
  /** Training iterations (optimiser steps); default 600. */
  iterations?: number;
  /** Samples per batch; default 8 (2D) or 2 (3D). */
  batchSize?: number;
  /** Patch size in voxels [px, py] or [px, py, pz]; default: the largest training image's in-plane size (2D) or 64³-capped volume (3D), rounded up to the network's divisor. */
  patchSize?: number[];
  /** Voxels per patch axis ([x, y(, z)], or one for all) by which uniformly placed patches may overhang each side of the volume; default 0. */
  volumePadding?: number[];
  /** Peak learning rate; default 3e-3 (Adam). */
  lr?: number;
  /** Default 'adam'. */
  optimizer?: OptimizerName;
  /** Default 'poly' (nnU-Net's (1 − t/T)^0.9). */
  schedule?: ScheduleName;
  /** Seed of initial weights and of every batch; default 1. */
  seed?: number;
  /** Validate every this many iterations (and at the end); default 100. */
  validateEvery?: number;
  /** Write a checkpoint every this many iterations (and at the end); default 100. */
  checkpointEvery?: number;
  /** Keep the weights with the best validation loss (default, as the noisy-ratio study) or best mean Dice. */
  selectBy?: 'loss' | 'dice';
  /** Stop after this many validations without improvement of the selection metric; default: never. */
  earlyStoppingPatience?: number | null;
  /** Per-volume intensity normalisation; default z-score. */
  normalization?: IntensityNormalization;
  /** Augmentation; default `defaultAugmentation(dims)`. */
  augmentation?: AugmentationConfig;
  /** ONNX Runtime intra-op threads; default the physical cores. */
  threads?: number;
  /** Continue from `out/checkpoint/` where the previous run stopped; its settings must match. */
  resume?: boolean;
  /** Replace a model already in `out` (without it, training into a folder that holds a model is refused). */
  force?: boolean;
  /** Stop after this many iterations in total, leaving a checkpoint to resume from (as an interrupted run would). */
  stopAfter?: number;
}

/** The resolved settings, as written to config.json. */
export interface TrainConfig {
  /** Marks the file as a multirater model folder's config.json. */
  format: 'multirater-model';
  /** Version of this record's shape; 1. */
  version: 1;
  /** Registered network name. */
  model: string;
  /** Spatial dimensions of the network: 2 (slices) or 3 (volumes). */
  dims: 2 | 3;
  /** The network's defaults merged with the given overrides (with norm 'cin', `experts` is the slot count). */
  modelOptions: ModelOptions;
  /** Output classes: the largest label value + 1. */
  classes: number;
  /** Label value → name, from the dataset. */
  labels: Record<string, string>;
  /** `'truth'` or the rater id trained on (multi-expert runs: recorded only; annotator runs: the raters, comma-separated). */
  labelSource: string;
  /** Multi-expert training: expert slots (index = position) and the experts trained on; absent otherwise. */
  experts?: string[];
  /** Multi-expert training: the experts whose labels are trained on (a subset of `experts`). */
  trainExperts?: string[];
  /** The case ids trained on, when restricted. */
  caseIds?: string[];
  /** Frozen parameters, when any. */
  frozen?: string[];
  /** The model folder the initial weights came from, when not initialised from the seed. */
  initializedFrom?: string;
  /** The dataset folder, as given to `train`. */
  dataset: string;
  /** The loss trained with. */
  loss: LossName;
  /** The loss's options as given ({} when none). */
  lossOptions: LossOptions;
  /** Optimiser steps configured. */
  iterations: number;
  /** Samples per batch. */
  batchSize: number;
  /** Patch size in voxels, [px, py] or [px, py, pz], each a multiple of the network's divisor. */
  patchSize: number[];
  /** Uniform patch placement's overhang per axis, voxels (absent in configs written before it existed: 0). */
  volumePadding?: number[];
  /** Peak learning rate. */
  lr: number;
  /** The optimiser. */
  optimizer: OptimizerName;
  /** The learning-rate schedule over `iterations`. */
  schedule: ScheduleName;
  /** Seed of the initial weights and of every batch. */
  seed: number;
  /** Iterations between validations (and one at the end). */
  validateEvery: number;
  /** Iterations between checkpoints (and one at the end). */
  checkpointEvery: number;
  /** What selects the kept weights: the lowest validation loss or the best mean validation Dice. */
  selectBy: 'loss' | 'dice';
  /** Validations without improvement before the run stops; null: never stops early. */
  earlyStoppingPatience: number | null;
  /** Per-volume intensity normalisation, applied again by prediction. */
  normalization: IntensityNormalization;
  /** Augmentation as given; null: `defaultAugmentation(dims)`. */
  augmentation: AugmentationConfig | null;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1)
    throw new MultiraterError('invalid_argument', `train: ${name} must be a positive integer, got ${v}`);
  return v;
}

/** Round `n` up to a multiple of `d`. */
export function roundUp(n: number, d: number): number {
  return Math.ceil(n / d) * d;
}

/** Resolves `options` given the dataset's labels and the largest training image shape. */
export function resolveTrainConfig(
  options: TrainOptions,
  labels: Record<string, string>,
  maxShape: readonly number[],
): TrainConfig {
  const name = options.model ?? TRAIN_DEFAULTS.model;
  const spec = getModel(name);
  const modelOptions = { ...spec.defaults, ...options.modelOptions };
  const divisor = spec.divisor(modelOptions);
  const values = Object.keys(labels).map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1 || v > 255)) {
    throw new MultiraterError(
      'invalid_argument',
      `${options.data}: dataset labels must be integers 1–255, got ${Object.keys(labels).join(', ') || 'none'}`,
    );
  }
  const patchSize =
    options.patchSize ??
    (spec.dims === 2
      ? [roundUp(maxShape[0], divisor), roundUp(maxShape[1] ?? 1, divisor)]
      : [0, 1, 2].map((a) => roundUp(Math.min(maxShape[a] ?? 1, 64), divisor)));
  if (patchSize.length !== spec.dims || patchSize.some((p) => !Number.isInteger(p) || p < 1 || p % divisor !== 0)) {
    throw new MultiraterError(
      'invalid_argument',
      `train: patch size [${patchSize.join(', ')}] must have ${spec.dims} sides, each a multiple of ${divisor} for ${name}`,
    );
  }
  const given = options.volumePadding ?? [0];
  const volumePadding = given.length === 1 ? Array(spec.dims).fill(given[0]) : [...given];
  if (volumePadding.length !== spec.dims || volumePadding.some((q) => !Number.isInteger(q) || q < 0)) {
    throw new MultiraterError(
      'invalid_argument',
      `train: volume padding [${volumePadding.join(', ')}] must have ${spec.dims} non-negative integers`,
    );
  }
  const lr = options.lr ?? TRAIN_DEFAULTS.lr;
  if (!(lr > 0)) throw new MultiraterError('invalid_argument', `train: learning rate must be > 0, got ${lr}`);
  const seed = options.seed ?? TRAIN_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed))
    throw new MultiraterError('invalid_argument', `train: seed must be an integer, got ${seed}`);
  const patience = options.earlyStoppingPatience ?? null;
  if (patience !== null) positiveInt('early-stopping patience', patience);
  const experts = resolveExperts(options, modelOptions);
  const cinSlots = modelOptions.norm === 'cin' && experts.experts ? { experts: experts.experts.length } : {};
  return {
    format: 'multirater-model',
    version: 1,
    model: name,
    dims: spec.dims,
    modelOptions: { ...modelOptions, ...cinSlots },
    classes: Math.max(...values) + 1,
    labels,
    labelSource: options.labelSource,
    ...experts,
    ...(options.caseIds ? { caseIds: [...options.caseIds] } : {}),
    ...(options.frozen?.length ? { frozen: [...options.frozen] } : {}),
    ...(options.initializedFrom ? { initializedFrom: options.initializedFrom } : {}),
    dataset: options.data,
    loss: parseLossName(options.loss ?? TRAIN_DEFAULTS.loss),
    lossOptions: options.lossOptions ?? {},
    iterations: positiveInt('iterations', options.iterations ?? TRAIN_DEFAULTS.iterations),
    batchSize: positiveInt('batch size', options.batchSize ?? TRAIN_DEFAULTS.batchSize[spec.dims]),
    patchSize,
    volumePadding,
    lr,
    optimizer: options.optimizer ?? TRAIN_DEFAULTS.optimizer,
    schedule: options.schedule ?? TRAIN_DEFAULTS.schedule,
    seed,
    validateEvery: positiveInt('validate-every', options.validateEvery ?? TRAIN_DEFAULTS.validateEvery),
    checkpointEvery: positiveInt('checkpoint-every', options.checkpointEvery ?? TRAIN_DEFAULTS.checkpointEvery),
    selectBy: options.selectBy ?? TRAIN_DEFAULTS.selectBy,
    earlyStoppingPatience: patience,
    normalization: options.normalization ?? { method: 'zscore' },
    augmentation: options.augmentation ?? null,
  };
}

/** The expert slots and the trained experts, or nothing without multi-expert training. */
function resolveExperts(
  options: TrainOptions,
  modelOptions: ModelOptions,
): { experts?: string[]; trainExperts?: string[] } {
  const cin = modelOptions.norm === 'cin';
  const experts = options.experts ?? (cin ? [options.labelSource] : undefined);
  if (experts === undefined) return {};
  const trainExperts = options.trainExperts ?? experts;
  if (experts.length === 0 || new Set(experts).size !== experts.length)
    throw new MultiraterError(
      'invalid_argument',
      `train: experts must be distinct rater ids, got [${experts.join(', ')}]`,
    );
  const unknown = trainExperts.filter((e) => !experts.includes(e));
  if (trainExperts.length === 0 || unknown.length > 0)
    throw new MultiraterError(
      'invalid_argument',
      `train: trained experts [${trainExperts.join(', ')}] must be among the expert slots [${experts.join(', ')}]`,
    );
  return { experts: [...experts], trainExperts: [...trainExperts] };
}
