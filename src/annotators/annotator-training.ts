/**
 * Training from several annotators at once (`multirater train --raters a,b,c`): the annotator-CM model of Zhang et
 * al. 2020 (segmentation network + per-annotator confusion matrices, loss annotator-cm-loss.ts), optionally with the
 * true matrices fixed (the paper's oracle: per pixel from the truth, or the dataset's image-level ones), or the naive
 * mean-label baseline. It shares the trainer's
 * settings (train-config.ts), normalisation, sampling, augmentation, optimiser and schedule; batches carry every
 * annotator's label and a mask of which annotator labelled which image (multirater-batch.ts).
 * Writes into MODELDIR: model.onnx (the segmentation network alone, so `predict` uses it as any model), config.json
 * (the trainer's record plus `annotators`), annotators.onnx (p_θ and the matrices) and annotator-cms.json (each
 * annotator's image-level matrix at the selected weights and the CM error) unless the per-pixel oracle's matrices
 * came from the truth, train-log.jsonl, and with
 * `labelsPerImage: 1` label-assignment.json (which annotator each training image kept, and each validation image:
 * a user with one label per image has no more on the images it validates on).
 * Weights are selected on what a user without the truth has (annotator-validation.ts): the lowest validation loss
 * (`selectBy: 'loss'`, default: the run's own objective on the validation cases' annotator labels) or the best Dice
 * against their majority vote (`'dice'`); the truth is read only by the pixel oracle (its matrices) and for the
 * reported Dice, never to select. Without validation cases the last weights are kept. As
 * `train`, a run checkpoints every `checkpointEvery` iterations into MODELDIR/checkpoint/ (run-state.ts; the best
 * weights so far as `best-NNNNNN/`), and `resume` continues from the latest checkpoint: batches are a pure function
 * of (seed, iteration), so a resumed run ends with the weights of an uninterrupted one.
 */
import { ANNOTATOR_CMS_FILE } from './annotator-cms.ts';
import { mkdirSync } from 'node:fs';
import { readCheckpoint, writeCheckpoint } from '../nn/index.ts';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { datasetInputs } from '../datasets/index.ts';
import { loadDataset, type LoadedDataset } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { CM_LOSS_NAMES, type CmLossName } from '../losses/index.ts';
import { writeFileAtomic } from '../io/index.ts';
import { assertFolderOutsideInputs } from '../io/index.ts';
import { initParams } from '../nn/index.ts';
import type { TensorData } from '../nn/index.ts';
import { TrainingSession } from '../nn/index.ts';
import { defaultAugmentation } from '../augment/index.ts';
import {
  annotatorsModel,
  buildAnnotatorLossGraph,
  LABELS_FEED,
  MASK_FEED,
  ORACLE_CM_FEED,
  outputsMatrices,
  pixelOracleMatrices,
  type AnnotatorMethod,
  type AnnotatorSettings,
  type AnnotatorTrainConfig,
} from './annotator-graphs.ts';
import { AnnotatorValidator, type AnnotatorValidation } from './annotator-validation.ts';
import { IMAGE_FEED, inferenceModel } from '../train/index.ts';
import { MultiRaterBatchLoader, type MultiRaterBatch } from '../data/index.ts';
import { keepOneLabelPerImage, loadMultiRaterCases, type MultiRaterCase } from '../data/index.ts';
import { preprocessCase } from '../data/index.ts';
import { resolveTrainConfig, type TrainOptions } from '../train/index.ts';
import { CHECKPOINT_DIR, bestName, resumeRun, runTrainingLoop, type TrainingLoopProgress } from '../train/index.ts';
import type { TrainingStepEvent } from '../train/index.ts';
import { CONFIG_FILE, LOG_FILE, makeOptimizer, makeSchedule, MODEL_FILE, settingsFingerprint } from '../train/index.ts';

/** File in MODELDIR of the annotators model (p_θ and the matrices for any batch size; `annotatorsModel`). */
export const ANNOTATORS_MODEL_FILE = 'annotators.onnx';
/** File in MODELDIR, written with `labelsPerImage: 1`: the seed and which rater each training (and validation) case kept. */
export const LABEL_ASSIGNMENT_FILE = 'label-assignment.json';

/**
 * Options of `trainAnnotators`: the trainer's options (`TrainOptions`) without its single label source and loss,
 * plus the annotators and how they are learned from.
 */
export interface AnnotatorTrainOptions extends Omit<TrainOptions, 'labelSource' | 'loss' | 'lossOptions'> {
  /** Rater ids of the dataset, in annotator order (at least one). */
  raters: string[];
  /** Default 'annotator-cm' (then `model` defaults to 'annotator-cm'); 'mean-labels' trains `model` on soft mean labels. */
  method?: AnnotatorMethod;
  /** Per-pixel matrices ('pixel', default) or one per annotator ('global'). */
  cm?: 'pixel' | 'global';
  /** λ, the weight of the trace term (dimensionless); default 0.01. */
  traceWeight?: number;
  /**
   * The annotator-CM loss's formula (`CM_LOSS_NAMES`): 'paper' (default; the paper's eq. 4, −log of A·p) or
   * 'published' (the authors' code: CrossEntropyLoss over A·p, a second softmax; losses/annotator-cm-loss.ts).
   */
  cmLoss?: CmLossName;
  /** 'all' (default) or 1: each training image keeps one annotator's label, drawn with the seed. */
  labelsPerImage?: 'all' | 1;
  /**
   * The paper's oracle: fix the matrices to the true ones instead of learning them; default false. With per-pixel
   * matrices (`cm: 'pixel'`) each pixel's true matrix follows from the truth and the annotator's label there (needs
   * the truth of every training and validation case; `pixelOracleMatrices`); with `cm: 'global'` the dataset's
   * image-level `confusionMatrices` (needs them for every rater).
   */
  oracle?: boolean;
  /**
   * The weights kept: the lowest validation loss ('loss', default: the run's objective on the validation cases'
   * annotator labels) or the best mean Dice against their majority vote ('dice'). Never the truth.
   */
  selectBy?: 'loss' | 'dice';
}

/** What a multi-annotator run reports as it goes. */
export type AnnotatorTrainEvent =
  | {
      /** Before the first step, once config.json is written. */
      type: 'start';
      /** The resolved settings, as written to config.json. */
      config: AnnotatorTrainConfig;
      /** Training cases (images, each with its annotators' labels). */
      trainCases: number;
      /** Validation cases; 0: no validation during the run, the matrices are estimated on the training cases. */
      valCases: number;
    }
  | TrainingStepEvent
  | {
      /** After each validation (every `validateEvery` iterations and at the last). */
      type: 'validation';
      /** Iterations completed when it ran. */
      iteration: number;
      /** Loss, Dice and image-level confusion matrices on the validation cases. */
      validation: AnnotatorValidation;
      /** True when it beat the best so far by `selectBy` (always for the first); its weights are kept. */
      improved: boolean;
    };

/** What `trainAnnotators` returns. */
export interface AnnotatorTrainResult {
  /** The model folder written (`options.out`, as given). */
  out: string;
  /** The resolved settings, as written to config.json. */
  config: AnnotatorTrainConfig;
  /** Iterations completed (fewer than configured after `stopAfter`). */
  iterations: number;
  /** True when `stopAfter` ended the run before it finished; the model files are not written then. */
  interrupted: boolean;
  /** The selected validation (or, without validation cases, the matrices on the training cases at the end). */
  best:
    | (AnnotatorValidation & {
        /** Iterations completed when it ran (`iterations` for the end-of-run one on the training cases). */
        iteration: number;
      })
    | null;
  /** Mean training loss over the last (up to) 20 steps. */
  finalTrainLoss: number | null;
  /** With labelsPerImage 1: the rater each training case kept. */
  assignment: Record<string, string> | null;
  /** Wall time of the whole call, dataset loading included, seconds. */
  seconds: number;
}

/** The dataset's true matrices [R][L][L] for `raters` (labels 0…L−1; null entries for labels it does not list), or null when any rater's is missing. */
export function trueConfusionMatrices(
  loaded: LoadedDataset,
  raters: readonly string[],
  classes: number,
): (number | null)[][][] | null {
  const all = loaded.dataset.confusionMatrices;
  if (all === undefined) return null;
  const out: (number | null)[][][] = [];
  for (const r of raters) {
    const entry = all[r] as { labels?: number[]; matrix?: (number | null)[][] } | undefined;
    if (entry?.matrix === undefined || entry.labels === undefined) return null;
    const index = (l: number) => (entry.labels as number[]).indexOf(l);
    out.push(
      Array.from({ length: classes }, (_, i) =>
        Array.from({ length: classes }, (_, j) =>
          index(i) < 0 || index(j) < 0 ? null : (entry.matrix as (number | null)[][])[index(i)][index(j)],
        ),
      ),
    );
  }
  return out;
}

/** The oracle's fixed matrices: the true ones with undefined columns (class never in the truth) set to identity. */
function oracleMatrices(truth: (number | null)[][][]): number[][][] {
  return truth.map((m) =>
    m.map((row, i) => row.map((v, j) => (m.every((r) => r[j] === null) ? (i === j ? 1 : 0) : (v ?? 0)))),
  );
}

function splitCases(loaded: LoadedDataset, raters: string[]): { train: MultiRaterCase[]; val: MultiRaterCase[] } {
  const hasSplits = loaded.dataset.cases.some((c) => c.meta.split !== undefined);
  if (!hasSplits) return { train: loadMultiRaterCases(loaded, { raters }), val: [] };
  const hasVal = loaded.dataset.cases.some((c) => c.meta.split === 'val');
  return {
    train: loadMultiRaterCases(loaded, { raters, splits: ['train'] }),
    val: hasVal ? loadMultiRaterCases(loaded, { raters, splits: ['val'] }) : [],
  };
}

/** Resolves the annotator settings and the trainer's record for `options` (see `trainAnnotators`). */
export function resolveAnnotatorConfig(
  options: AnnotatorTrainOptions,
  loaded: LoadedDataset,
  maxShape: readonly number[],
): AnnotatorTrainConfig {
  const method = options.method ?? 'annotator-cm';
  if (options.raters.length === 0)
    throw new MultiraterError('invalid_argument', 'train: options.raters needs at least one rater');
  const model = options.model ?? (method === 'annotator-cm' ? 'annotator-cm' : 'unet2d');
  if (method === 'annotator-cm' && !model.startsWith('annotator-cm'))
    throw new MultiraterError(
      'invalid_argument',
      `train: method annotator-cm needs model annotator-cm or annotator-cm3d, got "${model}"`,
    );
  const traceWeight = options.traceWeight ?? 0.01;
  if (!(traceWeight >= 0))
    throw new MultiraterError('invalid_argument', `train: options.traceWeight must be ≥ 0, got ${traceWeight}`);
  const cmLoss = options.cmLoss ?? 'paper';
  if (!(CM_LOSS_NAMES as readonly string[]).includes(cmLoss))
    throw new MultiraterError(
      'unknown_name',
      `train: options.cmLoss must be ${CM_LOSS_NAMES.join(' or ')}, got "${String(cmLoss)}"`,
    );
  if (cmLoss !== 'paper' && method !== 'annotator-cm')
    throw new MultiraterError('option_conflict', `train: options.cmLoss ${cmLoss} needs method annotator-cm`);
  const base = resolveTrainConfig(
    { ...options, model, labelSource: options.raters.join(','), selectBy: options.selectBy ?? 'loss' },
    loaded.dataset.labels,
    maxShape,
  );
  const cm = options.cm ?? 'pixel';
  if (options.oracle && method !== 'annotator-cm')
    throw new MultiraterError('invalid_argument', 'train: options.oracle needs method annotator-cm');
  let oracle: AnnotatorSettings['oracle'] = null;
  if (options.oracle && cm === 'pixel') oracle = 'pixel';
  else if (options.oracle) {
    const truth = trueConfusionMatrices(loaded, options.raters, base.classes);
    if (truth === null)
      throw new MultiraterError(
        'invalid_argument',
        `${options.data}: options.oracle needs the dataset's true confusionMatrices for every rater (${options.raters.join(', ')})`,
      );
    oracle = oracleMatrices(truth);
  }
  const annotators: AnnotatorSettings = {
    method,
    raters: [...options.raters],
    cm,
    traceWeight,
    cmLoss,
    labelsPerImage: options.labelsPerImage ?? 'all',
    oracle,
  };
  const modelOptions =
    method === 'annotator-cm'
      ? { ...base.modelOptions, annotators: options.raters.length, cm: annotators.cm }
      : base.modelOptions;
  return { ...base, loss: 'ce', modelOptions, annotators };
}

/** Trains from several annotators as `options` say; see the file comment. */
export async function trainAnnotators(
  options: AnnotatorTrainOptions,
  onEvent: (e: AnnotatorTrainEvent) => void = () => undefined,
): Promise<AnnotatorTrainResult> {
  const started = performance.now();
  const loaded = loadDataset(options.data);
  assertFolderOutsideInputs('options.out', options.out, datasetInputs(loaded));
  const raw = splitCases(loaded, options.raters);
  const maxShape = [0, 1, 2].map((a) => Math.max(...raw.train.map((c) => c.image.shape[a] ?? 1)));
  const config = resolveAnnotatorConfig(options, loaded, maxShape);
  const pre = (c: MultiRaterCase): MultiRaterCase => ({
    ...c,
    image: preprocessCase(c, { normalization: config.normalization }).image,
  });
  let train = raw.train.map(pre);
  let assignment: Record<string, string> | null = null;
  if (config.annotators.labelsPerImage === 1)
    ({ cases: train, assignment } = keepOneLabelPerImage(train, config.annotators.raters, config.seed));
  let val = raw.val.map(pre);
  let validationAssignment: Record<string, string> | null = null;
  if (config.annotators.labelsPerImage === 1 && val.length > 0)
    ({ cases: val, assignment: validationAssignment } = keepOneLabelPerImage(
      val,
      config.annotators.raters,
      config.seed,
      'labels-per-image:val',
    ));
  const pixelOracle = config.annotators.oracle === 'pixel';
  const untrue = pixelOracle ? [...train, ...val].find((c) => c.truth === null) : undefined;
  if (untrue !== undefined)
    throw new MultiraterError(
      'missing_label',
      `${options.data}: options.oracle with per-pixel matrices needs the truth of every training and validation case; case "${untrue.id}" has none`,
    );
  const out = options.out;
  mkdirSync(out, { recursive: true });
  writeFileAtomic(join(out, CONFIG_FILE), JSON.stringify(config, null, 2) + '\n');
  if (assignment !== null)
    writeFileAtomic(
      join(out, LABEL_ASSIGNMENT_FILE),
      JSON.stringify(
        {
          schemaVersion: 1,
          seed: config.seed,
          assignment,
          ...(validationAssignment !== null && { validation: validationAssignment }),
        },
        null,
        2,
      ) + '\n',
    );
  onEvent({ type: 'start', config, trainCases: train.length, valCases: val.length });

  const R = config.annotators.raters.length;
  const loader = new MultiRaterBatchLoader(
    train,
    R,
    {
      patchSize: config.patchSize,
      batchSize: config.batchSize,
      seed: config.seed,
      augmentation: config.augmentation ?? defaultAugmentation(config.dims),
    },
    pixelOracle,
  );
  const { graph, loss } = buildAnnotatorLossGraph(config, config.batchSize, true);
  const optimizer = makeOptimizer(config);
  const session = await TrainingSession.create(graph, loss, {
    optimizer,
    params: initParams(graph, config.seed),
    threads: options.threads,
  });
  const truth = trueConfusionMatrices(loaded, config.annotators.raters, config.classes);
  const validator = new AnnotatorValidator(config, val.length > 0 ? val : train, truth, options.threads);
  const L = config.classes;
  const oracleFeed = (batch: MultiRaterBatch): TensorData => {
    const [n, , ...spatial] = batch.labelsShape;
    return {
      dtype: 'float32',
      shape: [n, R, L, L, ...spatial],
      data: pixelOracleMatrices(batch.labels, batch.truth!, batch.mask, n, R, L),
    };
  };
  const settings = settingsFingerprint(config);
  let bestValidation: (AnnotatorValidation & { iteration: number }) | null = null;
  let resume: { progress: TrainingLoopProgress; log: string[] } | undefined;
  const resumed = options.resume ? resumeRun<AnnotatorRunState>(out, session, settings) : null;
  if (resumed !== null) {
    const { iteration, best } = resumed.state;
    bestValidation = best?.validation ?? null;
    // The state records no score or count since the last improvement: selection recomputes the one, and the
    // annotator trainer does not stop early, so the other is never read.
    const progress = {
      iteration,
      best:
        best === null
          ? null
          : {
              iteration: best.validation.iteration,
              score: selectionScore(config.selectBy, best.validation),
              file: best.file,
            },
      sinceImprovement: 0,
    };
    resume = { progress, log: resumed.log };
  }
  const optimizerRecord = { name: optimizer.name, options: optimizer.options };
  try {
    const {
      progress,
      log,
      recentLoss: finalTrainLoss,
    } = await runTrainingLoop<MultiRaterBatch, AnnotatorValidation>({
      session,
      out,
      iterations: config.iterations,
      stopAfter: options.stopAfter,
      batches: function* (start, end) {
        for (let i = start; i < end; i++) yield loader.batch(i);
      },
      feeds: (batch) => ({
        [IMAGE_FEED]: { dtype: 'float32', shape: batch.imageShape, data: batch.image },
        [LABELS_FEED]: { dtype: 'uint8', shape: batch.labelsShape, data: batch.labels },
        [MASK_FEED]: { dtype: 'float32', shape: batch.maskShape, data: batch.mask },
        ...(pixelOracle ? { [ORACLE_CM_FEED]: oracleFeed(batch) } : {}),
      }),
      learningRate: makeSchedule(config),
      resume,
      validation:
        val.length === 0
          ? undefined
          : {
              validate: (params) => validator.run(params),
              every: config.validateEvery,
              score: (v) => selectionScore(config.selectBy, v),
              saveBest: (iteration, params) => {
                // The best weights in full (inference export + every other parameter), before the state that names them.
                const file = bestName(iteration);
                writeCheckpoint(join(out, CHECKPOINT_DIR, file), inferenceModel(config, params), {
                  params,
                  optimizerState: new Map(),
                  step: iteration,
                  optimizer: optimizerRecord,
                });
                return file;
              },
              patience: null,
            },
      checkpoint: {
        every: config.checkpointEvery,
        optimizer: optimizerRecord,
        exportModel: (params) => inferenceModel(config, params),
        state: (p): AnnotatorRunState => ({
          iteration: p.iteration,
          best: p.best === null || bestValidation === null ? null : { file: p.best.file, validation: bestValidation },
          settings,
        }),
      },
      onEvent: (e) => {
        if (e.type === 'validation' && e.improved) bestValidation = { iteration: e.iteration, ...e.validation };
        if (e.type !== 'checkpoint') onEvent(e);
      },
    });
    if (progress.iteration < config.iterations) {
      return {
        out,
        config,
        iterations: progress.iteration,
        interrupted: true,
        best: bestValidation,
        finalTrainLoss,
        assignment,
        seconds: (performance.now() - started) / 1000,
      };
    }
    let bestParams: ReadonlyMap<string, Float32Array>;
    let best: AnnotatorValidation & { iteration: number };
    if (progress.best === null || bestValidation === null) {
      bestParams = session.params();
      best = { iteration: config.iterations, ...(await validator.run(bestParams)) };
    } else {
      bestParams = readCheckpoint(join(out, CHECKPOINT_DIR, progress.best.file)).params;
      best = bestValidation;
    }
    writeFileAtomic(join(out, MODEL_FILE), inferenceModel(config, bestParams));
    if (outputsMatrices(config)) {
      writeFileAtomic(join(out, ANNOTATORS_MODEL_FILE), annotatorsModel(config, bestParams));
      const cms = Object.fromEntries(config.annotators.raters.map((r, k) => [r, best.confusionMatrices?.[k] ?? null]));
      // The file `multirater view --model DIR` reads (src/annotators/annotator-cms.ts): raters, label names, matrices
      // (a column p_θ never predicts is drawn as 0); plus the run's own record (null columns, CM error).
      const names = [...Array(config.classes).keys()].map((c) =>
        c === 0 ? 'background' : (config.labels[String(c)] ?? `label${c}`),
      );
      const matrices = Object.fromEntries(
        Object.entries(cms).map(([r, m]) => [
          r,
          (m ?? identityMatrix(config.classes)).map((row) => row.map((v) => v ?? 0)),
        ]),
      );
      const summary = {
        schemaVersion: 1,
        raters: config.annotators.raters,
        labels: names,
        matrices,
        iteration: best.iteration,
        estimatedOn: val.length > 0 ? 'val' : 'train',
        confusionMatrices: cms,
        cmError: best.cmError ?? null,
      };
      writeFileAtomic(join(out, ANNOTATOR_CMS_FILE), JSON.stringify(summary, null, 2) + '\n');
    }
    writeFileAtomic(join(out, LOG_FILE), log.map((l) => l + '\n').join(''));
    return {
      out,
      config,
      iterations: config.iterations,
      interrupted: false,
      best,
      finalTrainLoss,
      assignment,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await session.release();
    await validator.release();
  }
}

/** What selection maximises: the negated validation loss, or the Dice against the annotators' majority vote. */
function selectionScore(selectBy: 'loss' | 'dice', v: AnnotatorValidation): number {
  return selectBy === 'loss' ? -v.loss : (v.majorityDice ?? -Infinity);
}

/** The annotator trainer's state in its checkpoints: the best validation with its weights' folder. */
interface AnnotatorRunState {
  iteration: number;
  best: { file: string; validation: AnnotatorValidation & { iteration: number } } | null;
  settings: string;
}

function identityMatrix(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}
