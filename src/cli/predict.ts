/**
 * `multirater predict --model MODELDIR --data DIR [--split test] --out PREDDIR` (one `<caseId>.nii.gz` per case on
 * the case's grid) or `--image FILE --out FILE`; options `--tta`, `--probabilities`, `--largest-component`.
 */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import { predictDataset, predictFile, type PredictOptions } from '../train/predict.ts';
import type { Split } from '../datasets/dataset.ts';
import { printJson } from './output.ts';
import { positiveInteger } from './parse-number.ts';

interface PredictFlags {
  model: string;
  data?: string;
  image?: string;
  split?: string;
  out: string;
  tta?: boolean;
  probabilities?: boolean;
  largestComponent?: boolean;
  rater?: string;
  threads?: string;
  json?: boolean;
}

const SPLITS = ['train', 'val', 'test'];

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('segment images with a trained model folder')
    .requiredOption('--model <dir>', 'model folder written by "multirater train"')
    .option('--data <dir>', 'dataset folder: predict its cases')
    .option('--split <split>', 'with --data: only cases of this split (train, val, test)')
    .option('--image <file>', 'predict one image file instead of a dataset')
    .requiredOption('--out <path>', 'output folder (with --data) or file (with --image)')
    .option('--tta', 'test-time augmentation: average over mirrored inputs')
    .option('--probabilities', 'write class probabilities (float32, classes on a 4th axis) instead of labels')
    .option('--largest-component', "keep each label's largest connected component")
    .option('--rater <name>', 'multi-expert model: the expert whose branch predicts')
    .option('--threads <n>', 'ONNX Runtime threads (default: physical cores)')
    .option('--json', 'print a JSON summary only')
    .action(async (flags: PredictFlags) => {
      if ((flags.data === undefined) === (flags.image === undefined)) throw new MultiraterError('invalid_argument', 'predict: give either --data DIR or --image FILE');
      if (flags.split !== undefined && !SPLITS.includes(flags.split)) throw new MultiraterError('invalid_argument', `predict: --split must be train, val or test, got "${flags.split}"`);
      if (flags.probabilities && flags.largestComponent) throw new MultiraterError('invalid_argument', 'predict: --largest-component applies to labels, not --probabilities');
      const common: PredictOptions & { threads?: number } = {
        tta: flags.tta === true,
        output: flags.probabilities ? 'probabilities' : 'labels',
        largestComponent: flags.largestComponent === true,
        rater: flags.rater,
        threads: flags.threads === undefined ? undefined : positiveInteger('--threads', flags.threads),
      };
      const started = performance.now();
      const written =
        flags.image !== undefined
          ? [await predictFile({ ...common, model: flags.model, image: flags.image, out: flags.out })]
          : await predictDataset({
              ...common,
              model: flags.model,
              data: flags.data as string,
              split: flags.split as Split | undefined,
              out: flags.out,
              onCase: flags.json ? undefined : (id, done, total) => process.stderr.write(`predict: ${done}/${total} ${id}\n`),
            });
      const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
      if (flags.json) return printJson({ written, seconds });
      process.stdout.write(`wrote ${written.length} prediction${written.length === 1 ? '' : 's'} to ${flags.image !== undefined ? flags.out : flags.out + '/'} in ${seconds} s\n`);
    });
}
