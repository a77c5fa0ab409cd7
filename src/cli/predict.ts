/**
 * `multirater predict --model MODELDIR --data DIR [--split test] --out PREDDIR` (one `<caseId>.nii.gz` per case on
 * the case's grid) or `--image FILE --out FILE`; options `--tta`, `--probabilities`, `--largest-component`.
 * For an annotator-cm model, `--cm-out DIR` (with --data) writes each case's annotator matrices (`<caseId>.json`)
 * and, with `--cm-maps`, the per-pixel maps (`<caseId>_<rater>.nii.gz`); `--out` may then be left out. Both
 * outputs are checked before either is written.
 */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import {
  checkDatasetPrediction,
  predictDataset,
  predictFile,
  type PredictDatasetOptions,
  type PredictOptions,
} from '../predict/index.ts';
import type { Split } from '../datasets/index.ts';
import { printJson } from './output.ts';
import { positiveInteger } from './parse-number.ts';
import { runWithFlags } from './option-flags.ts';

interface PredictFlags {
  model: string;
  data?: string;
  image?: string;
  split?: string;
  out?: string;
  cmOut?: string;
  cmMaps?: boolean;
  tta?: boolean;
  probabilities?: boolean;
  largestComponent?: boolean;
  rater?: string;
  threads?: string;
  json?: boolean;
}

const SPLITS = ['train', 'val', 'test'];
/** The annotator matrices' `out` is the flag `--cm-out`. */
const CM_OUT_FLAG = { out: '--cm-out' };

/** Adds `multirater predict` to `program`: `predictDataset` with `--data` or `predictFile` with `--image`. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('segment images with a trained model folder')
    .requiredOption('--model <dir>', 'model folder written by "multirater train"')
    .option('--data <dir>', 'dataset folder: predict its cases')
    .option('--split <split>', 'with --data: only cases of this split (train, val, test)')
    .option('--image <file>', 'predict one image file instead of a dataset')
    .option('--out <path>', 'output folder (with --data) or file (with --image)')
    .option(
      '--cm-out <dir>',
      "annotator-cm models, with --data: write each case's per-annotator confusion matrices (JSON)",
    )
    .option(
      '--cm-maps',
      'with --cm-out: also the per-pixel matrices, one NIfTI per case and annotator (L·L components)',
    )
    .option('--tta', 'test-time augmentation: average over mirrored inputs')
    .option('--probabilities', 'write class probabilities (float32, classes on a 4th axis) instead of labels')
    .option('--largest-component', "keep each label's largest connected component")
    .option('--rater <name>', 'multi-expert model: the expert whose branch predicts')
    .option('--threads <n>', 'ONNX Runtime threads (default: physical cores)')
    .option('--json', 'print a JSON summary only')
    .action(async (flags: PredictFlags) => {
      if ((flags.data === undefined) === (flags.image === undefined))
        throw new MultiraterError('invalid_argument', 'predict: give either --data DIR or --image FILE');
      if (flags.cmOut !== undefined && flags.data === undefined)
        throw new MultiraterError('invalid_argument', 'predict: --cm-out needs --data DIR');
      if (flags.out === undefined && flags.cmOut === undefined)
        throw new MultiraterError(
          'invalid_argument',
          'predict: give --out PATH (or --cm-out DIR for an annotator-cm model)',
        );
      if (flags.split !== undefined && !SPLITS.includes(flags.split))
        throw new MultiraterError(
          'invalid_argument',
          `predict: --split must be train, val or test, got "${flags.split}"`,
        );
      if (flags.probabilities && flags.largestComponent)
        throw new MultiraterError(
          'option_conflict',
          'predict: --largest-component applies to labels, not --probabilities',
        );
      const common: PredictOptions & { threads?: number } = {
        tta: flags.tta === true,
        output: flags.probabilities ? 'probabilities' : 'labels',
        largestComponent: flags.largestComponent === true,
        rater: flags.rater,
        threads: flags.threads === undefined ? undefined : positiveInteger('--threads', flags.threads),
      };
      const started = performance.now();
      const out = flags.out;
      const split = flags.split as Split | undefined;
      const datasetOptions: PredictDatasetOptions | null =
        out === undefined || flags.data === undefined
          ? null
          : {
              ...common,
              model: flags.model,
              data: flags.data,
              split,
              out,
              onCase: flags.json
                ? undefined
                : (id, done, total) => process.stderr.write(`predict: ${done}/${total} ${id}\n`),
            };
      const cms =
        flags.cmOut === undefined
          ? null
          : {
              run: await import('../annotators/index.ts'),
              options: {
                model: flags.model,
                data: flags.data as string,
                split,
                out: flags.cmOut,
                maps: flags.cmMaps === true,
                threads: common.threads,
              },
            };
      // Every output is checked before the first one is written: a refused --cm-out leaves no predictions behind.
      if (datasetOptions !== null) checkDatasetPrediction(datasetOptions);
      if (cms !== null)
        await runWithFlags(CM_OUT_FLAG, async () => cms.run.checkAnnotatorDatasetPrediction(cms.options));
      const written =
        out === undefined
          ? []
          : datasetOptions !== null
            ? await predictDataset(datasetOptions)
            : [await predictFile({ ...common, model: flags.model, image: flags.image as string, out })];
      if (cms !== null)
        written.push(...(await runWithFlags(CM_OUT_FLAG, () => cms.run.predictAnnotatorDataset(cms.options))));
      const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
      if (flags.json) return printJson({ written, seconds });
      const where = [
        out === undefined ? null : flags.image !== undefined ? out : out + '/',
        flags.cmOut === undefined ? null : flags.cmOut + '/',
      ]
        .filter((w) => w !== null)
        .join(' and ');
      const noun = flags.cmOut === undefined ? 'prediction' : 'file';
      process.stdout.write(
        `wrote ${written.length} ${noun}${written.length === 1 ? '' : 's'} to ${where} in ${seconds} s\n`,
      );
    });
}
