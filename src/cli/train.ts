/**
 * `multirater train --data DIR --rater NAME|truth --model NAME --loss NAME [--iterations N] [--batch B] [--lr X]
 * [--seed S] [--resume] --out MODELDIR`: trains a network (see src/train/trainer.ts). Progress on stderr (a bar on
 * a terminal, none with --json); the summary on stdout.
 */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import { BUILTIN_MODELS } from '../models/builtins.ts';
import { LOSS_NAMES, parseLossName } from '../train/losses.ts';
import { progressReporter } from '../train/progress.ts';
import type { TrainOptions } from '../train/train-config.ts';
import { train } from '../train/trainer.ts';
import { printJson } from './output.ts';
import { finiteNumber, integer, positiveInteger, positiveNumber } from './parse-number.ts';

interface TrainFlags {
  data: string;
  rater: string;
  model: string;
  loss: string;
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
  resume?: boolean;
  json?: boolean;
}

function optional<T>(text: string | undefined, parse: (t: string) => T): T | undefined {
  return text === undefined ? undefined : parse(text);
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a segmentation network on one label source of a dataset')
    .requiredOption('--data <dir>', 'dataset folder (with dataset.json)')
    .requiredOption('--rater <name>', 'label source: "truth" or a rater id')
    .option('--model <name>', `network: ${[...BUILTIN_MODELS.keys()].join(', ')}`, 'unet2d')
    .option('--loss <name>', `loss: ${LOSS_NAMES.join(', ')}`, 'ce+dice')
    .requiredOption('--out <dir>', 'model folder to write (model.onnx, config.json, train-log.jsonl, checkpoint/)')
    .option('--iterations <n>', 'optimiser steps (default 600)')
    .option('--batch <n>', 'samples per batch (default 8 for 2D, 2 for 3D)')
    .option('--lr <x>', 'peak learning rate (default 0.003, polynomial decay)')
    .option('--seed <s>', 'seed of weights and batches (default 1)')
    .option('--patch <list>', 'patch size in voxels, e.g. 96,96 (default: the largest image, rounded up)')
    .option('--volume-padding <list>', 'voxels uniform patches may overhang each side of the volume: one number or one per axis (default 0)')
    .option('--schedule <name>', 'learning rate over the run: poly (default), cosine or constant')
    .option('--zscore-above <value>', 'z-score each image with the mean and SD of its voxels above this (e.g. 900 HU: bone, the noisy-ratio study)')
    .option('--validate-every <n>', 'iterations between validations (default 100)')
    .option('--checkpoint-every <n>', 'iterations between checkpoints (default 100)')
    .option('--select-by <metric>', 'keep the weights with the best validation "loss" (default) or "dice"')
    .option('--patience <n>', 'stop after this many validations without improvement (default: never)')
    .option('--threads <n>', 'ONNX Runtime threads (default: physical cores)')
    .option('--resume', 'continue from MODELDIR/checkpoint where an interrupted run stopped')
    .option('--json', 'print a JSON summary only (no progress)')
    .action(async (flags: TrainFlags) => {
      const selectBy = flags.selectBy;
      if (selectBy !== undefined && selectBy !== 'loss' && selectBy !== 'dice') throw new MultiraterError('invalid_argument', `train: --select-by must be "loss" or "dice", got "${selectBy}"`);
      const schedule = flags.schedule;
      if (schedule !== undefined && schedule !== 'poly' && schedule !== 'cosine' && schedule !== 'constant') throw new MultiraterError('invalid_argument', `train: --schedule must be poly, cosine or constant, got "${schedule}"`);
      const options: TrainOptions = {
        data: flags.data,
        labelSource: flags.rater,
        out: flags.out,
        model: flags.model,
        loss: parseLossName(flags.loss),
        iterations: optional(flags.iterations, (t) => positiveInteger('--iterations', t)),
        batchSize: optional(flags.batch, (t) => positiveInteger('--batch', t)),
        lr: optional(flags.lr, (t) => positiveNumber('--lr', t)),
        seed: optional(flags.seed, (t) => integer('--seed', t)),
        patchSize: optional(flags.patch, (t) => t.split(',').map((s) => positiveInteger('--patch', s))),
        volumePadding: optional(flags.volumePadding, (t) => t.split(',').map((s) => integer('--volume-padding', s))),
        schedule,
        normalization: optional(flags.zscoreAbove, (t) => ({ method: 'zscore' as const, above: finiteNumber('--zscore-above', t) })),
        validateEvery: optional(flags.validateEvery, (t) => positiveInteger('--validate-every', t)),
        checkpointEvery: optional(flags.checkpointEvery, (t) => positiveInteger('--checkpoint-every', t)),
        selectBy,
        earlyStoppingPatience: optional(flags.patience, (t) => positiveInteger('--patience', t)),
        threads: optional(flags.threads, (t) => positiveInteger('--threads', t)),
        resume: flags.resume === true,
      };
      const result = await train(options, flags.json ? undefined : progressReporter());
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
      const best = result.best ? `best validation at iteration ${result.best.iteration} (loss ${result.best.loss.toFixed(4)}, mean Dice ${result.best.meanDice?.toFixed(3) ?? '–'})` : 'no validation cases: kept the last weights';
      process.stdout.write(`${result.out}: ${result.iterations} iterations in ${summary.seconds} s; ${best}\n`);
    });
}
