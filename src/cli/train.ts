/**
 * `multirater train --data DIR --rater NAME|truth --model NAME --loss NAME [--iterations N] [--batch B] [--lr X]
 * [--seed S] [--resume] --out MODELDIR`: trains a network (see src/train/trainer.ts). Progress on stderr (a bar on
 * a terminal, none with --json); the summary on stdout.
 * `--raters a,b,c` instead of `--rater` trains on several raters' labels at once: with `--model annotator-cm|
 * annotator-cm3d` it learns their confusion matrices and with `--mean-labels` trains on soft mean labels
 * (src/annotators/annotator-training.ts); with any other network, one sample per image and expert (multi-expert
 * training; `--norm cin` gives the model one conditional instance norm row per expert); `chooseTrainer`
 * (src/annotators/choose-trainer.ts) decides which, and refuses the options the annotator trainer does not take.
 * `--case-ids FILE` / `--cases a,b,c` restrict training to those cases (the library's `caseIds`, as the
 * expert-adaptation study's from-scratch jobs use it).
 */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import { BUILTIN_MODELS, NORM_KINDS } from '../models/index.ts';
import { CM_LOSS_NAMES, LOSS_NAMES, parseLossName } from '../losses/index.ts';
import { OPTIMIZER_NAMES, SCHEDULE_NAMES, TRAIN_DEFAULTS, type TrainEvent, type TrainOptions } from '../train/index.ts';
import { runWithFlags } from './option-flags.ts';
import { exitAfterDrain } from './exit-after-drain.ts';
import { printJson } from './output.ts';
import { finiteNumber, integer, optional, positiveInteger, positiveNumber } from './parse-number.ts';

interface TrainFlags {
  data: string;
  rater?: string;
  raters?: string;
  traceWeight?: string;
  cmLoss?: string;
  cm?: string;
  labelsPerImage?: string;
  oracle?: boolean;
  meanLabels?: boolean;
  base?: string;
  blocksPerStage?: string;
  norm?: string;
  optimizer?: string;
  model?: string;
  loss?: string;
  out: string;
  iterations?: string;
  batch?: string;
  lr?: string;
  seed?: string;
  patch?: string;
  volumePadding?: string;
  zscoreAbove?: string;
  schedule?: string;
  validateEvery?: string;
  checkpointEvery?: string;
  selectBy?: string;
  patience?: string;
  threads?: string;
  caseIds?: string;
  cases?: string;
  resume?: boolean;
  force?: boolean;
  json?: boolean;
}

/** Library options whose flags have other names. */
const TRAIN_FLAGS = { earlyStoppingPatience: '--patience', caseIds: '--case-ids (or --cases)' };

/**
 * Adds `multirater train` to `program`: `train` on one rater, or on several with `--raters` (`chooseTrainer` picks the
 * trainer).
 */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a segmentation network on one label source of a dataset')
    .requiredOption('--data <dir>', 'dataset folder (with dataset.json)')
    .option('--rater <name>', 'label source: "truth" or a rater id')
    .option(
      '--raters <list>',
      'several raters at once, e.g. exp1,exp2,exp3: multi-expert training, or with --model annotator-cm / --mean-labels the annotator methods',
    )
    .option('--trace-weight <x>', 'annotator-cm: λ of the trace term (default 0.01)')
    .option(
      '--cm-loss <name>',
      `annotator-cm: the loss's formula, ${CM_LOSS_NAMES.join(' or ')} (default paper: −log of A·p, the paper's eq. 4; published: the authors' code, cross-entropy over A·p as logits, a second softmax)`,
    )
    .option('--cm <kind>', 'annotator-cm: "pixel" (default) or "global" confusion matrices')
    .option(
      '--labels-per-image <n>',
      'annotators: "all" (default) or 1 (each training image keeps one annotator, drawn with the seed)',
    )
    .option(
      '--oracle',
      "annotator-cm: fix the matrices to the true ones (per-pixel: from the truth and each annotator's label; --cm global: the dataset's confusionMatrices)",
    )
    .option('--mean-labels', 'annotators: train --model on the fraction of --raters saying each class (soft targets)')
    .option(
      '--base <model>',
      'annotator-cm: the segmentation network it wraps (default unet2d, or unet3d for annotator-cm3d; e.g. highres3dnet)',
    )
    .option(
      '--norm <kind>',
      `normalisation: ${NORM_KINDS.join(', ')} (cin: conditional instance norm, one row per expert)`,
    )
    .option('--blocks-per-stage <n>', 'highres3dnet (also as --base): residual blocks per dilation stage (default 3)')
    .option('--optimizer <name>', `${OPTIMIZER_NAMES.join(', ')} (default ${TRAIN_DEFAULTS.optimizer})`)
    .option(
      '--model <name>',
      `network: ${[...BUILTIN_MODELS.keys()].join(', ')} (default ${TRAIN_DEFAULTS.model}; with --raters and an annotator method annotator-cm, or ${TRAIN_DEFAULTS.model} for --mean-labels)`,
    )
    .option(
      '--loss <name>',
      `loss: ${LOSS_NAMES.join(', ')} (default ${TRAIN_DEFAULTS.loss}; not with the annotator methods)`,
    )
    .requiredOption('--out <dir>', 'model folder to write (model.onnx, config.json, train-log.jsonl, checkpoint/)')
    .option('--iterations <n>', `optimiser steps (default ${TRAIN_DEFAULTS.iterations})`)
    .option(
      '--batch <n>',
      `samples per batch (default ${TRAIN_DEFAULTS.batchSize[2]} for 2D, ${TRAIN_DEFAULTS.batchSize[3]} for 3D)`,
    )
    .option('--lr <x>', `peak learning rate (default ${TRAIN_DEFAULTS.lr})`)
    .option('--seed <s>', `seed of weights and batches (default ${TRAIN_DEFAULTS.seed})`)
    .option('--patch <list>', 'patch size in voxels, e.g. 96,96 (default: the largest image, rounded up)')
    .option(
      '--volume-padding <list>',
      'voxels uniform patches may overhang each side of the volume: one number or one per axis (default 0)',
    )
    .option(
      '--schedule <name>',
      `learning rate over the run: ${SCHEDULE_NAMES.join(', ')} (default ${TRAIN_DEFAULTS.schedule}: polynomial decay)`,
    )
    .option(
      '--zscore-above <value>',
      'z-score each image with the mean and SD of its voxels above this (e.g. 900 HU: bone, the noisy-ratio study)',
    )
    .option('--validate-every <n>', `iterations between validations (default ${TRAIN_DEFAULTS.validateEvery})`)
    .option('--checkpoint-every <n>', `iterations between checkpoints (default ${TRAIN_DEFAULTS.checkpointEvery})`)
    .option(
      '--select-by <metric>',
      `keep the weights with the best validation "loss" or "dice" (default ${TRAIN_DEFAULTS.selectBy}); with --raters (annotator methods) against the validation raters' labels, never the truth`,
    )
    .option(
      '--patience <n>',
      'stop after this many validations without improvement (default: never; not with the annotator methods)',
    )
    .option('--threads <n>', 'ONNX Runtime threads (default: physical cores)')
    .option(
      '--case-ids <file>',
      'train only on these cases (of the train split when the dataset has splits): one id per line, or a JSON array; recorded in config.json',
    )
    .option('--cases <list>', 'the same as a comma-separated list, e.g. case01,case07')
    .option(
      '--resume',
      'continue from MODELDIR/checkpoint where an interrupted run stopped (starts fresh when it has none)',
    )
    .option('--force', 'replace the model already in MODELDIR (without it, an existing model is never overwritten)')
    .option('--json', 'print a JSON summary only (no progress)')
    .action(async (flags: TrainFlags) => {
      if (flags.rater !== undefined && flags.raters !== undefined)
        throw new MultiraterError('option_conflict', 'train: give either --rater or --raters, not both');
      const { chooseTrainer } = await import('../annotators/index.ts');
      const trainer = await runWithFlags(TRAIN_FLAGS, async () =>
        chooseTrainer({
          raters: flags.raters?.split(','),
          model: flags.model,
          method: flags.meanLabels === true ? 'mean-labels' : undefined,
          cm: flags.cm as 'pixel' | 'global' | undefined,
          traceWeight: optional(flags.traceWeight, (t) => nonNegative('--trace-weight', t)),
          cmLoss: oneOf('--cm-loss', CM_LOSS_NAMES, flags.cmLoss),
          labelsPerImage: optional(flags.labelsPerImage, (t) => (t === '1' ? 1 : 'all')),
          oracle: flags.oracle,
          base: flags.base,
          loss: flags.loss === undefined ? undefined : parseLossName(flags.loss),
          earlyStoppingPatience: optional(flags.patience, (t) => positiveInteger('--patience', t)),
          // Whether cases are restricted decides; the --case-ids file is read only when the trainer takes it.
          caseIds: flags.cases?.split(',') ?? (flags.caseIds === undefined ? undefined : []),
        }),
      );
      if (trainer === 'annotators') return trainFromAnnotators(flags);
      if (flags.rater === undefined && flags.raters === undefined)
        throw new MultiraterError(
          'invalid_argument',
          'train: give --rater NAME (one label source) or --raters A,B,… (several raters)',
        );
      const selectBy = parseSelectBy(flags.selectBy);
      const experts = flags.raters
        ?.split(',')
        .map((r) => r.trim())
        .filter((r) => r.length > 0);
      const options: TrainOptions = {
        ...sharedOptions(flags),
        labelSource: flags.rater ?? (experts ?? []).join(','),
        experts,
        model: flags.model ?? TRAIN_DEFAULTS.model,
        loss: parseLossName(flags.loss ?? TRAIN_DEFAULTS.loss),
        selectBy,
        earlyStoppingPatience: optional(flags.patience, (t) => positiveInteger('--patience', t)),
        caseIds: await parseCaseIds(flags),
      };
      const { train } = await import('../train/index.ts');
      const { progressReporter } = await import('../train/index.ts');
      const report = flags.json ? undefined : progressReporter();
      const onEvent = (e: TrainEvent): void => {
        if (e.type === 'start' && options.resume && e.startIteration === 0)
          process.stderr.write(`train: --resume: no checkpoint in ${options.out}, starting fresh\n`);
        report?.(e);
      };
      // Ctrl-C: the last checkpoint stays; say how to go on from it.
      const interrupted = (): void => {
        const args = process.argv
          .slice(2)
          .filter((a) => a !== '--resume' && a !== '--force')
          .map(shellWord);
        process.stderr.write(
          `\ntrain: interrupted; the last checkpoint is in ${options.out}/checkpoint. Resume with:\n  multirater ${args.join(' ')} --resume\n`,
        );
        void exitAfterDrain(130);
      };
      process.once('SIGINT', interrupted);
      const result = await train(options, onEvent).finally(() => process.off('SIGINT', interrupted));
      const summary = {
        out: result.out,
        model: result.config.model,
        labelSource: result.config.labelSource,
        loss: result.config.loss,
        iterations: result.iterations,
        stoppedEarly: result.stoppedEarly,
        best: result.best,
        finalTrainLoss: result.finalTrainLoss,
        seconds: Number(result.seconds.toFixed(1)),
      };
      if (flags.json) return printJson(summary);
      const best = result.best
        ? `best validation at iteration ${result.best.iteration} (loss ${result.best.loss.toFixed(4)}, mean Dice ${result.best.meanDice?.toFixed(3) ?? '–'})`
        : 'no validation cases: kept the last weights';
      process.stdout.write(`${result.out}: ${result.iterations} iterations in ${summary.seconds} s; ${best}\n`);
    });
}

/**
 * The options every training takes alike, single-rater, multi-expert and annotator methods: data, output,
 * optimiser, schedule, normalisation, batches, validation, checkpoints, threads.
 */
function sharedOptions(flags: TrainFlags): Omit<TrainOptions, 'labelSource' | 'model' | 'loss'> {
  const norm = oneOf('--norm', NORM_KINDS, flags.norm);
  const optimizer = oneOf('--optimizer', OPTIMIZER_NAMES, flags.optimizer);
  const schedule = oneOf('--schedule', SCHEDULE_NAMES, flags.schedule);
  const blocks = optional(flags.blocksPerStage, (t) => positiveInteger('--blocks-per-stage', t));
  return {
    data: flags.data,
    out: flags.out,
    // Only the options given: an undefined entry would override the network's default when merged.
    modelOptions:
      norm === undefined && blocks === undefined
        ? undefined
        : { ...(norm !== undefined && { norm }), ...(blocks !== undefined && { blocksPerStage: blocks }) },
    optimizer,
    iterations: optional(flags.iterations, (t) => positiveInteger('--iterations', t)),
    batchSize: optional(flags.batch, (t) => positiveInteger('--batch', t)),
    lr: optional(flags.lr, (t) => positiveNumber('--lr', t)),
    seed: optional(flags.seed, (t) => integer('--seed', t)),
    patchSize: optional(flags.patch, (t) => t.split(',').map((s) => positiveInteger('--patch', s))),
    volumePadding: optional(flags.volumePadding, (t) => t.split(',').map((s) => integer('--volume-padding', s))),
    schedule,
    normalization: optional(flags.zscoreAbove, (t) => ({
      method: 'zscore' as const,
      above: finiteNumber('--zscore-above', t),
    })),
    validateEvery: optional(flags.validateEvery, (t) => positiveInteger('--validate-every', t)),
    checkpointEvery: optional(flags.checkpointEvery, (t) => positiveInteger('--checkpoint-every', t)),
    threads: optional(flags.threads, (t) => positiveInteger('--threads', t)),
    resume: flags.resume === true,
    force: flags.force === true,
  };
}

/** `text` when it is one of `names` (undefined when not given); `invalid_argument` naming `flag` and the names otherwise. */
function oneOf<T extends string>(flag: string, names: readonly T[], text: string | undefined): T | undefined {
  if (text === undefined || (names as readonly string[]).includes(text)) return text as T | undefined;
  throw new MultiraterError(
    'invalid_argument',
    `train: ${flag} must be ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}, got "${text}"`,
  );
}

/** `word` quoted for a POSIX shell when it needs it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function annotatorOptions(flags: TrainFlags): import('../annotators/index.ts').AnnotatorTrainOptions {
  const cm = flags.cm ?? 'pixel';
  if (cm !== 'pixel' && cm !== 'global')
    throw new MultiraterError('invalid_argument', `train: --cm must be "pixel" or "global", got "${cm}"`);
  const perImage = flags.labelsPerImage ?? 'all';
  if (perImage !== 'all' && perImage !== '1')
    throw new MultiraterError('invalid_argument', `train: --labels-per-image must be "all" or 1, got "${perImage}"`);
  const meanLabels = flags.meanLabels === true;
  if (flags.base !== undefined && meanLabels)
    throw new MultiraterError(
      'option_conflict',
      'train: --base applies to annotator-cm models, not to --mean-labels (choose the network with --model)',
    );
  const shared = sharedOptions(flags);
  const modelOptions = flags.base === undefined ? shared.modelOptions : { ...shared.modelOptions, base: flags.base };
  return {
    ...shared,
    modelOptions,
    raters: (flags.raters ?? '').split(',').filter((r) => r.length > 0),
    method: meanLabels ? 'mean-labels' : 'annotator-cm',
    model: flags.model,
    cm,
    traceWeight: optional(flags.traceWeight, (t) => nonNegative('--trace-weight', t)),
    cmLoss: oneOf('--cm-loss', CM_LOSS_NAMES, flags.cmLoss),
    labelsPerImage: perImage === '1' ? 1 : 'all',
    oracle: flags.oracle === true,
    selectBy: parseSelectBy(flags.selectBy),
  };
}

function parseSelectBy(text: string | undefined): 'loss' | 'dice' | undefined {
  if (text !== undefined && text !== 'loss' && text !== 'dice')
    throw new MultiraterError('invalid_argument', `train: --select-by must be "loss" or "dice", got "${text}"`);
  return text;
}

function nonNegative(flag: string, text: string): number {
  const v = Number(text);
  if (!(v >= 0) || text.trim() === '')
    throw new MultiraterError('invalid_argument', `${flag} must be a number ≥ 0, got '${text}'`);
  return v;
}

/** `--case-ids FILE` or `--cases a,b,c` (not both): the cases to train on. */
async function parseCaseIds(flags: TrainFlags): Promise<string[] | undefined> {
  if (flags.caseIds !== undefined && flags.cases !== undefined)
    throw new MultiraterError('option_conflict', 'train: give either --case-ids FILE or --cases A,B,…, not both');
  if (flags.caseIds !== undefined) return (await import('../datasets/index.ts')).readCaseIds(flags.caseIds);
  if (flags.cases === undefined) return undefined;
  const ids = flags.cases.split(',').map((id) => id.trim());
  if (ids.some((id) => id.length === 0))
    throw new MultiraterError(
      'invalid_argument',
      `train: --cases "${flags.cases}": expected case ids separated by commas`,
    );
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined)
    throw new MultiraterError('invalid_argument', `train: --cases: case "${twice}" is listed twice`);
  return ids;
}

async function trainFromAnnotators(flags: TrainFlags): Promise<void> {
  const { trainAnnotators } = await import('../annotators/index.ts');
  const { progressReporter } = await import('../train/index.ts');
  const bar = flags.json ? undefined : progressReporter();
  const result = await trainAnnotators(annotatorOptions(flags), (e) => {
    if (e.type === 'start') bar?.({ ...e, startIteration: 0 });
    if (e.type === 'step') bar?.(e);
    if (e.type === 'validation' && !flags.json) {
      const v = e.validation;
      process.stderr.write(
        `\nvalidation at ${e.iteration}: loss ${v.loss.toFixed(4)}, Dice vs the raters' majority ${v.majorityDice?.toFixed(3) ?? '–'}, mean Dice ${v.meanDice?.toFixed(3) ?? '–'} (vs ${v.reference}), CM error ${v.cmError?.toFixed(4) ?? '–'}${e.improved ? ' *' : ''}\n`,
      );
    }
  });
  const summary = {
    out: result.out,
    model: result.config.model,
    method: result.config.annotators.method,
    raters: result.config.annotators.raters,
    iterations: result.iterations,
    best: result.best,
    finalTrainLoss: result.finalTrainLoss,
    seconds: Number(result.seconds.toFixed(1)),
  };
  if (flags.json) return printJson(summary);
  const b = result.best;
  const selected =
    b === null
      ? 'no validation'
      : `kept iteration ${b.iteration} by validation ${result.config.selectBy === 'loss' ? `loss ${b.loss.toFixed(4)}` : `Dice vs the raters' majority ${b.majorityDice?.toFixed(3) ?? '–'}`}`;
  process.stdout.write(
    `${result.out}: ${result.iterations} iterations in ${summary.seconds} s; ${selected}; mean Dice ${b?.meanDice?.toFixed(3) ?? '–'} (vs ${b?.reference ?? '–'}), CM error ${b?.cmError?.toFixed(4) ?? '–'}\n`,
  );
}
