/**
 * The trainer: a network from the registry, a loss by name, the engine's optimiser and LR schedule, batches from
 * `BatchLoader` (a pure function of seed and iteration), validation every K iterations with selection of the
 * best weights by validation loss or mean Dice, early stopping, and a resumable checkpoint every K iterations
 * (`run-state.ts`), all run by the shared loop (`training-loop.ts`). Because batches, schedule and initial weights
 * depend only on (seed, iteration) and the checkpoint holds weights, buffers, optimiser state and step count,
 * resuming at iteration k reproduces the uninterrupted run. Writes `MODELDIR/model.onnx` (the selected weights' inference model), `config.json` and
 * `train-log.jsonl` (one JSON object per step and per validation).
 * Dropout draws its masks from a per-session seed, so runs that use dropout resume with different masks.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { datasetInputs } from '../datasets/index.ts';
import { loadDataset } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { assertFolderOutsideInputs } from '../io/index.ts';
import { prepareModelFolder } from './model-folder.ts';
import { writeFileAtomic } from '../io/index.ts';
import { initParams } from '../nn/index.ts';
import { adam, adamW, radam, sgd, type Optimizer } from '../nn/index.ts';
import { constantLr, cosineLr, polynomialLr } from '../nn/index.ts';
import { TrainingSession } from '../nn/index.ts';
import { defaultAugmentation } from '../augment/index.ts';
import { BatchLoader, type Batch } from '../data/index.ts';
import { buildLossGraph, IMAGE_FEED, inferenceModel, LABEL_FEED } from './model-graphs.ts';
import { expertFeeds, loadExpertCases, type ExpertCases } from './multi-expert.ts';
import { preprocessCases } from '../data/index.ts';
import {
  bestFileName,
  readBestModel,
  resumeRun,
  saveBestModel,
  type TrainerState,
  type ValidationRecord,
} from './run-state.ts';
import { buildSamplingPool } from '../data/index.ts';
import { resolveTrainConfig, type TrainConfig, type TrainOptions } from './train-config.ts';
import { loadTrainingCases } from '../data/index.ts';
import { runTrainingLoop, type TrainingLoopOptions, type TrainingStepEvent } from './training-loop.ts';
import { Validator, type ValidationResult } from './validate.ts';

/** What the trainer reports as it goes (for a progress bar or log lines). */
export type TrainEvent =
  | {
      /** Before the first step, once config.json is written. */
      type: 'start';
      /** The resolved settings, as written to config.json. */
      config: TrainConfig;
      /** Iterations already completed: 0, or where a resumed run stopped. */
      startIteration: number;
      /** Training cases: one per case, or one per (case, expert) with `experts`. */
      trainCases: number;
      /** Validation cases, counted as `trainCases`; 0: no validation, the last weights are kept. */
      valCases: number;
    }
  | TrainingStepEvent
  | {
      /** After each validation (every `validateEvery` iterations and at the last). */
      type: 'validation';
      /** The validation's result and the iterations completed before it. */
      record: ValidationRecord;
      /** True when it beat the best so far by `selectBy` (always for the first); its weights are kept. */
      improved: boolean;
    }
  | {
      /** After a resumable checkpoint is written to `out/checkpoint/`. */
      type: 'checkpoint';
      /** Iterations completed when it was written. */
      iteration: number;
    };

/** The outcome of a training run. */
export interface TrainResult {
  /** The model folder. */
  out: string;
  /** The resolved settings, as written to config.json. */
  config: TrainConfig;
  /** Iterations completed (fewer than configured after early stopping or `stopAfter`). */
  iterations: number;
  /** True when `stopAfter` ended the run before it finished; `model.onnx` is not written then. */
  interrupted: boolean;
  /** True when `earlyStoppingPatience` validations without improvement ended the run early. */
  stoppedEarly: boolean;
  /** The selected validation (null without validation cases: the last weights are kept). */
  best: ValidationRecord | null;
  /** Mean training loss over the last (up to) 20 steps of this run. */
  finalTrainLoss: number | null;
  /** Wall time of this invocation, seconds. */
  seconds: number;
}

/** File in MODELDIR of the run's resolved settings (`TrainConfig`), read back by prediction. */
export const CONFIG_FILE = 'config.json';
/** File in MODELDIR of the selected weights' inference model (image → probabilities), runnable by any ONNX runtime. */
export const MODEL_FILE = 'model.onnx';
/** File in MODELDIR of the run's log: one JSON object per line, per step and per validation. */
export const LOG_FILE = 'train-log.jsonl';

/** The optimiser `config.optimizer` names, with the trainer's settings. */
export function makeOptimizer(config: TrainConfig): Optimizer {
  if (config.optimizer === 'sgd') return sgd({ momentum: 0.99, nesterov: true, weightDecay: 3e-5 });
  if (config.optimizer === 'adamw') return adamW();
  if (config.optimizer === 'radam') return radam();
  return adam();
}

/** The learning rate at each step for `config.schedule`. */
export function makeSchedule(config: TrainConfig): (step: number) => number {
  if (config.schedule === 'constant') return constantLr(config.lr);
  if (config.schedule === 'cosine') return cosineLr(config.lr, config.iterations);
  return polynomialLr(config.lr, config.iterations);
}

/** Settings whose change would make a resumed run differ from a fresh one. */
export function settingsFingerprint(config: TrainConfig): string {
  const { iterations: _i, validateEvery: _v, checkpointEvery: _c, earlyStoppingPatience: _e, ...rest } = config;
  return JSON.stringify(rest);
}

function score(config: TrainConfig, v: ValidationResult): number {
  return config.selectBy === 'loss' ? -v.loss : (v.meanDice ?? -Infinity);
}

/** Training and validation cases: one per case of the label source, or one per (case, expert) with `experts`. */
function splitCases(
  loaded: ReturnType<typeof loadDataset>,
  options: TrainOptions,
): { train: ExpertCases; val: ExpertCases } {
  const load = (splits: ['train' | 'val'] | undefined, caseIds: readonly string[] | undefined): ExpertCases => {
    if (options.experts)
      return loadExpertCases(loaded, {
        experts: options.experts,
        trainExperts: options.trainExperts ?? options.experts,
        splits,
        caseIds,
      });
    const cases = loadTrainingCases(loaded, { labelSource: options.labelSource, splits, caseIds });
    return { cases, expertOf: cases.map(() => 0) };
  };
  const hasSplits = loaded.dataset.cases.some((c) => c.meta.split !== undefined);
  if (!hasSplits) return { train: load(undefined, options.caseIds), val: { cases: [], expertOf: [] } };
  const hasVal = loaded.dataset.cases.some((c) => c.meta.split === 'val');
  return {
    train: load(['train'], options.caseIds),
    val: hasVal ? load(['val'], undefined) : { cases: [], expertOf: [] },
  };
}

/** Trains a network as `options` say; see the file comment. */
export async function train(
  options: TrainOptions,
  onEvent: (e: TrainEvent) => void = () => undefined,
): Promise<TrainResult> {
  const started = performance.now();
  const loaded = loadDataset(options.data);
  assertFolderOutsideInputs('options.out', options.out, datasetInputs(loaded));
  const raw = splitCases(loaded, options);
  const maxShape = [0, 1, 2].map((a) => Math.max(...raw.train.cases.map((c) => c.image.shape[a] ?? 1)));
  const config = resolveTrainConfig(options, loaded.dataset.labels, maxShape);
  if (config.model.startsWith('annotator-cm'))
    throw new MultiraterError(
      'invalid_argument',
      `train: ${config.model} learns from several annotators at once; give options.raters (trainAnnotators), not one label source`,
    );
  const out = options.out;
  prepareModelFolder(out, { resume: options.resume, force: options.force });

  const pre = { normalization: config.normalization };
  const trainCases = preprocessCases(raw.train.cases, pre);
  const valCases = preprocessCases(raw.val.cases, pre);
  const loader = new BatchLoader(trainCases, {
    patchSize: config.patchSize,
    volumePadding: config.volumePadding,
    batchSize: config.batchSize,
    seed: config.seed,
    augmentation: config.augmentation ?? defaultAugmentation(config.dims),
  });

  const { graph, loss } = buildLossGraph(config, config.batchSize, true);
  const optimizer = makeOptimizer(config);
  const params = options.initialParams ?? initParams(graph, config.seed);
  const session = await TrainingSession.create(graph, loss, {
    optimizer,
    params,
    frozen: options.frozen,
    threads: options.threads,
  });
  const validator =
    valCases.length > 0
      ? new Validator(config, buildSamplingPool(valCases), options.threads, expertFeeds(config, raw.val.expertOf))
      : null;
  const trainFeeds = expertFeeds(config, raw.train.expertOf);

  const settings = settingsFingerprint(config);
  let validations: ValidationRecord[] = [];
  let resume: TrainingLoopOptions<Batch, ValidationResult>['resume'];
  const resumed = options.resume ? resumeRun<TrainerState>(out, session, settings) : null;
  if (resumed !== null) {
    const { iteration, best, sinceImprovement } = resumed.state;
    validations = resumed.state.validations;
    resume = { progress: { iteration, best, sinceImprovement }, log: resumed.log };
  }
  writeFileAtomic(join(out, CONFIG_FILE), JSON.stringify(config, null, 2) + '\n');
  onEvent({
    type: 'start',
    config,
    startIteration: resume?.progress.iteration ?? 0,
    trainCases: trainCases.length,
    valCases: valCases.length,
  });

  const exportModel = (params: ReadonlyMap<string, Float32Array>): Uint8Array => inferenceModel(config, params);
  try {
    const { progress, log, stoppedEarly, recentLoss } = await runTrainingLoop<Batch, ValidationResult>({
      session,
      out,
      iterations: config.iterations,
      stopAfter: options.stopAfter,
      batches: (start, end) => loader.batches({ start, end }),
      feeds: (batch) => ({
        [IMAGE_FEED]: { dtype: 'float32', shape: batch.imageShape, data: batch.image },
        [LABEL_FEED]: { dtype: 'uint8', shape: batch.labelShape, data: batch.label },
        ...trainFeeds(batch),
      }),
      learningRate: makeSchedule(config),
      resume,
      validation:
        validator === null
          ? undefined
          : {
              validate: (params) => validator.run(params),
              every: config.validateEvery,
              score: (v) => score(config, v),
              saveBest: (iteration, params) => {
                const file = bestFileName(iteration);
                saveBestModel(out, file, exportModel(params));
                return file;
              },
              patience: config.earlyStoppingPatience,
            },
      checkpoint: {
        every: config.checkpointEvery,
        optimizer: { name: optimizer.name, options: optimizer.options },
        exportModel,
        state: (p): TrainerState => ({
          iteration: p.iteration,
          validations,
          best: p.best,
          sinceImprovement: p.sinceImprovement,
          settings,
        }),
      },
      onEvent: (e) => {
        if (e.type !== 'validation') return onEvent(e);
        const record: ValidationRecord = { iteration: e.iteration, ...e.validation };
        validations.push(record);
        onEvent({ type: 'validation', record, improved: e.improved });
      },
    });
    const finished = stoppedEarly || progress.iteration >= config.iterations;
    if (finished) {
      const model = progress.best !== null ? readBestModel(out, progress.best.file) : exportModel(session.params());
      writeFileAtomic(join(out, MODEL_FILE), model);
      writeFileAtomic(join(out, LOG_FILE), log.map((l) => l + '\n').join(''));
    }
    const best =
      progress.best === null ? null : (validations.find((v) => v.iteration === progress.best?.iteration) ?? null);
    return {
      out,
      config,
      iterations: progress.iteration,
      interrupted: !finished,
      stoppedEarly,
      best,
      finalTrainLoss: recentLoss,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await session.release();
    await validator?.release();
  }
}
