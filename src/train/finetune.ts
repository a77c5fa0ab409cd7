/**
 * Fine-tuning a multi-expert model to a new expert (the expert-adaptive segmentation study, seed 002): the trained
 * model (conditional instance norm, E expert slots) gets slot E for the new expert — γ = 1, β = 0 in every
 * conditional instance norm (`init: 'identity'`, the paper's re-initialised expert-specific layers) or a copy of
 * an existing expert's row (`copy:EXP`) — and is trained on `samples` of the new expert's training images, the
 * images of one way of the seed's deterministic sub-set rule (`adaptation-subsets.ts`). Mode `full` trains every
 * parameter (the seed's customisation); `expert-only` freezes everything shared, so only the new slot's γ, β
 * move and every other weight stays bit-identical (the original method). The other experts' rows get no gradient
 * (no sample selects them) and so stay unchanged too, and the result still predicts for every old expert.
 * Writes the model folder as `train` does, plus `finetune.json` (the base model, mode, init, way and images).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetInputs } from '../datasets/index.ts';
import { loadDataset } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';
import { assertFolderOutsideInputs } from '../io/index.ts';
import { getModel } from '../models/index.ts';
import { Graph } from '../nn/index.ts';
import { readOnnxModel } from '../nn/index.ts';
import { adaptationWays } from '../data/index.ts';
import { imageShape } from './model-graphs.ts';
import type { OptimizerName, ScheduleName, TrainConfig, TrainOptions } from './train-config.ts';
import { CONFIG_FILE, MODEL_FILE, train, type TrainEvent, type TrainResult } from './trainer.ts';

/** Fine-tuning's optimiser steps when `FinetuneOptions.iterations` is not given (the seed paper's 1000). */
export const FINETUNE_ITERATIONS = 1000;

/** Options of `finetune` (`multirater finetune`): the base model, the new expert, the images and the schedule. */
export interface FinetuneOptions {
  /** The trained multi-expert model folder (norm 'cin'). */
  model: string;
  /** Dataset folder holding the new expert's label maps. */
  data: string;
  /** The new expert's rater id. */
  rater: string;
  /** Training images of the new expert to fine-tune on (n). */
  samples: number;
  /** The way (0-based, 0 … ways − 1) whose images are used. */
  way: number;
  /** Number of ways of the sub-set rule; default 10. */
  ways?: number;
  /** 'full' (default) trains every parameter; 'expert-only' only the new expert's γ, β. */
  mode?: 'full' | 'expert-only';
  /** The new slot's initial γ, β: 'identity' (1, 0; default) or `copy:EXP` (expert EXP's row). */
  init?: 'identity' | `copy:${string}`;
  /** Output model folder. */
  out: string;
  /** Optimiser steps; default `FINETUNE_ITERATIONS` (1000, the paper). */
  iterations?: number;
  /** Peak learning rate; default the base model's. */
  lr?: number;
  /** Samples per batch; default the base model's. */
  batchSize?: number;
  /** Default the base model's. */
  optimizer?: OptimizerName;
  /** Default the base model's. */
  schedule?: ScheduleName;
  /** Seed of the batches; default the base model's. */
  seed?: number;
  /** ONNX Runtime threads; default the physical cores. */
  threads?: number;
  /** Validate every this many iterations (and at the end); default 100, as `train`. */
  validateEvery?: number;
  /** Write a checkpoint every this many iterations (and at the end); default 100, as `train`. */
  checkpointEvery?: number;
  /** Continue from `out/checkpoint/` where the previous run stopped; its settings must match. */
  resume?: boolean;
}

/** What `finetune.json` records. */
export interface FinetuneRecord {
  /** The base model folder, as given. */
  baseModel: string;
  /** The new expert's rater id (expert slot E, after the base model's E experts). */
  rater: string;
  /** 'full' (every parameter trained) or 'expert-only' (only the new slot's γ, β). */
  mode: 'full' | 'expert-only';
  /** The new slot's initial γ, β: 'identity' or `copy:EXP`. */
  init: string;
  /** The way (0-based) whose images were used. */
  way: number;
  /** Number of ways of the sub-set rule. */
  ways: number;
  /** Indices (0-based) into the training images in dataset order, and their case ids. */
  images: number[];
  /** The case ids of `images`, in the same order. */
  caseIds: string[];
  /** Parameters left unchanged. */
  frozen: number;
}

/** File in the output model folder recording the fine-tuning (`FinetuneRecord`). */
export const FINETUNE_FILE = 'finetune.json';

function readBaseModel(dir: string): { config: TrainConfig; params: Map<string, Float32Array> } {
  const configPath = join(dir, CONFIG_FILE);
  const modelPath = join(dir, MODEL_FILE);
  if (!existsSync(configPath) || !existsSync(modelPath))
    throw new MultiraterError(
      'file_not_found',
      `${dir}: not a trained model folder (needs ${CONFIG_FILE} and ${MODEL_FILE})`,
    );
  let config: TrainConfig;
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8')) as TrainConfig;
  } catch {
    throw new MultiraterError(
      'invalid_argument',
      `${configPath}: not JSON (truncated or corrupted); expected the config.json written by 'multirater train'`,
    );
  }
  if (
    config === null ||
    typeof config !== 'object' ||
    config.format !== 'multirater-model' ||
    typeof config.modelOptions !== 'object' ||
    config.modelOptions === null
  ) {
    throw new MultiraterError(
      'invalid_argument',
      `${configPath}: expected the config.json written by 'multirater train' (format "multirater-model", with modelOptions)`,
    );
  }
  if (config.modelOptions.norm !== 'cin' || !config.experts) {
    throw new MultiraterError(
      'invalid_argument',
      `${configPath}: fine-tuning to a new expert needs a model trained with options.norm cin (this one has norm ${String(config.modelOptions.norm)})`,
    );
  }
  const { initializers } = readOnnxModel(readFileSync(modelPath), modelPath);
  const params = new Map<string, Float32Array>();
  for (const [name, t] of initializers)
    if (!name.startsWith('_') && t.data instanceof Float32Array) params.set(name, t.data);
  return { config, params };
}

/** Every parameter of the fine-tuning model (E + 1 slots): the base weights, each [E + 1, C] table grown by `row`. */
function grownParams(
  config: TrainConfig,
  base: Map<string, Float32Array>,
  slots: number,
  row: (name: string, old: Float32Array, channels: number) => Float32Array,
  source: string,
): { params: Map<string, Float32Array>; expertSpecific: string[] } {
  const g = new Graph();
  const x = g.input('image', 'float32', imageShape(config, 1));
  getModel(config.model).build(
    x,
    config.classes,
    true,
    { ...config.modelOptions, experts: slots },
    { expert: g.input('expert', 'int64', [1]) },
  );
  const params = new Map<string, Float32Array>();
  const expertSpecific: string[] = [];
  for (const p of g.params.values()) {
    const shape = p.value.staticShape;
    const old = base.get(p.name);
    if (old === undefined)
      throw new MultiraterError('invalid_checkpoint', `${source}: no weights for parameter ${p.name}`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (shape.length === 2 && shape[0] === slots && old.length === size - shape[1]) {
      const grown = new Float32Array(size);
      grown.set(old);
      grown.set(row(p.name, old, shape[1]), old.length);
      params.set(p.name, grown);
      expertSpecific.push(p.name);
    } else if (old.length === size) params.set(p.name, old);
    else
      throw new MultiraterError(
        'invalid_checkpoint',
        `${source}: ${p.name} has ${old.length} values, expected ${size}`,
      );
  }
  return { params, expertSpecific };
}

/** The training images (train split, or every case without splits) in dataset order: the fixed order 1..N of the sub-set rule. */
export function trainingImageIds(data: string): string[] {
  const { dataset } = loadDataset(data);
  const hasSplits = dataset.cases.some((c) => c.meta.split !== undefined);
  return dataset.cases.filter((c) => !hasSplits || c.meta.split === 'train').map((c) => c.id);
}

/** Fine-tunes `options.model` to the new expert `options.rater`; see the file comment. */
export async function finetune(
  options: FinetuneOptions,
  onEvent?: (e: TrainEvent) => void,
): Promise<
  TrainResult & {
    /** The record also written to `out/finetune.json`. */
    finetune: FinetuneRecord;
  }
> {
  assertFolderOutsideInputs('options.out', options.out, [options.model, ...datasetInputs(loadDataset(options.data))]);
  const { config, params: base } = readBaseModel(options.model);
  const experts = config.experts as string[];
  if (experts.includes(options.rater))
    throw new MultiraterError(
      'invalid_argument',
      `${options.model}: "${options.rater}" already has an expert slot (experts: ${experts.join(', ')})`,
    );
  const init = options.init ?? 'identity';
  let copyFrom = -1;
  if (init !== 'identity') {
    copyFrom = init.startsWith('copy:') ? experts.indexOf(init.slice(5)) : -1;
    if (copyFrom < 0)
      throw new MultiraterError(
        'invalid_argument',
        `finetune: options.init must be "identity" or "copy:EXP" with EXP one of ${experts.join(', ')}, got "${init}"`,
      );
  }
  const mode = options.mode ?? 'full';
  const e = experts.length;
  const row = (name: string, old: Float32Array, c: number): Float32Array =>
    copyFrom >= 0
      ? old.slice(copyFrom * c, (copyFrom + 1) * c)
      : new Float32Array(c).fill(name.endsWith('.weight') ? 1 : 0);
  const { params, expertSpecific } = grownParams(config, base, e + 1, row, join(options.model, MODEL_FILE));
  const ids = trainingImageIds(options.data);
  const ways = options.ways ?? 10;
  const allWays = adaptationWays(ids.length, options.samples, { ways });
  if (!Number.isInteger(options.way) || options.way < 0 || options.way >= ways)
    throw new MultiraterError(
      'invalid_argument',
      `finetune: options.way must be an integer within 0–${ways - 1}, got ${options.way}`,
    );
  const images = allWays[options.way];
  const caseIds = images.map((i) => ids[i]);
  const specific = new Set(expertSpecific);
  const frozen = mode === 'expert-only' ? [...params.keys()].filter((n) => !specific.has(n)) : [];
  const trainOptions: TrainOptions = {
    data: options.data,
    labelSource: options.rater,
    out: options.out,
    model: config.model,
    modelOptions: config.modelOptions,
    loss: config.loss,
    lossOptions: config.lossOptions,
    iterations: options.iterations ?? FINETUNE_ITERATIONS,
    batchSize: options.batchSize ?? config.batchSize,
    patchSize: config.patchSize,
    lr: options.lr ?? config.lr,
    optimizer: options.optimizer ?? config.optimizer,
    schedule: options.schedule ?? config.schedule,
    seed: options.seed ?? config.seed,
    normalization: config.normalization,
    augmentation: config.augmentation ?? undefined,
    validateEvery: options.validateEvery,
    checkpointEvery: options.checkpointEvery,
    threads: options.threads,
    resume: options.resume,
    experts: [...experts, options.rater],
    trainExperts: [options.rater],
    caseIds,
    initialParams: params,
    initializedFrom: options.model,
    frozen,
  };
  const record: FinetuneRecord = {
    baseModel: options.model,
    rater: options.rater,
    mode,
    init,
    way: options.way,
    ways,
    images,
    caseIds,
    frozen: frozen.length,
  };
  const result = await train(trainOptions, onEvent);
  writeFileAtomic(join(options.out, FINETUNE_FILE), JSON.stringify(record, null, 2) + '\n');
  return { ...result, finetune: record };
}
