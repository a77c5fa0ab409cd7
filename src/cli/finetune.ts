/**
 * `multirater finetune --model DIR --data DIR --rater NEW --samples N --way K [--mode full|expert-only]
 * [--init identity|copy:EXP] --out DIR`: adapts a multi-expert model (norm cin) to a new expert from N of its
 * training images, those of way K of the seed study's sub-set rule (see src/train/finetune.ts).
 */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import { printJson } from './output.ts';
import { integer, optional, positiveInteger, positiveNumber } from './parse-number.ts';

interface FinetuneFlags {
  model: string;
  data: string;
  rater: string;
  samples: string;
  way: string;
  ways?: string;
  mode: string;
  init: string;
  out: string;
  iterations?: string;
  lr?: string;
  batch?: string;
  seed?: string;
  threads?: string;
  json?: boolean;
}

/**
 * Adds `multirater finetune` to `program`: `finetune` of a multi-expert (`--norm cin`) model folder to a new expert.
 */
export function registerFinetune(program: Command): void {
  program
    .command('finetune')
    .description('fine-tune a multi-expert model (--norm cin) to a new expert from a few of its images')
    .requiredOption('--model <dir>', 'model folder written by "multirater train --norm cin"')
    .requiredOption('--data <dir>', 'dataset folder with the new expert’s label maps')
    .requiredOption('--rater <name>', 'the new expert (a rater id of the dataset)')
    .requiredOption('--samples <n>', 'training images of the new expert to use')
    .requiredOption('--way <k>', 'which way of the sub-set rule (0-based: 0 … ways − 1)')
    .option('--ways <n>', 'ways of the sub-set rule (default 10)')
    .option('--mode <mode>', '"full" trains every weight; "expert-only" only the new expert’s γ, β', 'full')
    .option('--init <init>', 'the new expert’s γ, β: "identity" (1, 0) or "copy:EXP"', 'identity')
    .requiredOption('--out <dir>', 'model folder to write')
    .option('--iterations <n>', 'optimiser steps (default 1000)')
    .option('--lr <x>', 'peak learning rate (default: the base model’s)')
    .option('--batch <n>', 'samples per batch (default: the base model’s)')
    .option('--seed <s>', 'seed of the batches (default: the base model’s)')
    .option('--threads <n>', 'ONNX Runtime threads (default: physical cores)')
    .option('--json', 'print a JSON summary only (no progress)')
    .action(async (flags: FinetuneFlags) => {
      if (flags.mode !== 'full' && flags.mode !== 'expert-only')
        throw new MultiraterError(
          'invalid_argument',
          `finetune: --mode must be "full" or "expert-only", got "${flags.mode}"`,
        );
      const { finetune } = await import('../train/index.ts');
      const { progressReporter } = await import('../train/index.ts');
      const result = await finetune(
        {
          model: flags.model,
          data: flags.data,
          rater: flags.rater,
          samples: positiveInteger('--samples', flags.samples),
          way: integer('--way', flags.way),
          ways: optional(flags.ways, (t) => positiveInteger('--ways', t)),
          mode: flags.mode,
          init: flags.init as 'identity',
          out: flags.out,
          iterations: optional(flags.iterations, (t) => positiveInteger('--iterations', t)),
          lr: optional(flags.lr, (t) => positiveNumber('--lr', t)),
          batchSize: optional(flags.batch, (t) => positiveInteger('--batch', t)),
          seed: optional(flags.seed, (t) => integer('--seed', t)),
          threads: optional(flags.threads, (t) => positiveInteger('--threads', t)),
        },
        flags.json ? undefined : progressReporter(),
      );
      const summary = {
        out: result.out,
        experts: result.config.experts,
        ...result.finetune,
        iterations: result.iterations,
        finalTrainLoss: result.finalTrainLoss,
        seconds: Number(result.seconds.toFixed(1)),
      };
      if (flags.json) return printJson(summary);
      process.stdout.write(
        `${result.out}: expert ${flags.rater} (${flags.mode}) from ${result.finetune.caseIds.length} images (way ${result.finetune.way}) in ${summary.seconds} s\n`,
      );
    });
}
