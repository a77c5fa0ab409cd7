/**
 * `multirater eval`: metrics of predictions against references.
 * Pair mode: `--pred FILE --ref FILE [--labels 1,2,3] [--tolerance MM] [--json]`.
 * Dataset mode: `--pred-dir DIR --data DATASET_DIR [--split test] [--against truth|RATER] [--json] [--csv FILE]`.
 * Annotator matrices: `--cms DIR --data DATASET_DIR [--split test] [--true-cms FILE] [--json]` (the files of
 * `predict --cm-out`; the true matrices from FILE, else the dataset's).
 */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import type { DatasetEvaluation, EvaluateDatasetOptions } from '../evaluation/index.ts';
import { evaluateFiles, METRIC_NAMES, type PairEvaluation } from '../metrics/index.ts';
import { formatNumber, formatTable } from './format-table.ts';
import { printJson } from './output.ts';

interface EvalFlags {
  pred?: string;
  ref?: string;
  predDir?: string;
  data?: string;
  split?: string;
  against?: string;
  labels?: string;
  tolerance?: string;
  json?: boolean;
  csv?: string;
  cms?: string;
  trueCms?: string;
}

const SHOWN = METRIC_NAMES.filter((m) => !m.startsWith('volume'));

/**
 * Adds `multirater eval` to `program`: pair mode (`evaluateFiles`), dataset mode (`evaluateDataset`) or CM error
 * (`evaluateConfusionMatrices`).
 */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('segmentation metrics (overlap, surface distances, surface Dice) and cardiac clinical indices')
    .option('--pred <file>', 'pair mode: predicted label map (.nii, .nii.gz)')
    .option('--ref <file>', 'pair mode: reference label map')
    .option('--pred-dir <dir>', 'dataset mode: folder of predictions named <caseId>.nii.gz, .nii or .nrrd')
    .option('--data <dir>', 'dataset mode: dataset folder (with dataset.json)')
    .option('--split <split>', 'dataset mode: only cases of this split (train, val, test)')
    .option('--against <ref>', 'dataset mode: reference, "truth" or a rater id', 'truth')
    .option(
      '--labels <list>',
      'label values to evaluate, comma-separated (default: pair mode every label present, dataset mode every named label)',
    )
    .option('--tolerance <mm>', 'surface Dice tolerance in mm (default 2)')
    .option('--csv <file>', 'dataset mode: also write per-case rows to this CSV file')
    .option(
      '--cms <dir>',
      "annotator matrices from 'predict --cm-out': CM-estimation error against the dataset's (with --data)",
    )
    .option(
      '--true-cms <file>',
      'with --cms: the true matrices, a JSON {"rater": {"labels": [0, 1], "matrix": [[…], …]}} as dataset.json\'s confusionMatrices (default the dataset\'s)',
    )
    .option('--json', 'print JSON only')
    .action(async (flags: EvalFlags) => {
      if (flags.cms !== undefined) return evalConfusionMatrices(flags);
      if (flags.trueCms !== undefined)
        throw new MultiraterError('invalid_argument', 'eval: --true-cms goes with --cms DIR');
      const labels = flags.labels === undefined ? undefined : parseLabels(flags.labels);
      const tolerance = flags.tolerance === undefined ? undefined : parseTolerance(flags.tolerance);
      const pairMode = flags.pred !== undefined || flags.ref !== undefined;
      const datasetMode = flags.predDir !== undefined || flags.data !== undefined;
      if (pairMode === datasetMode) {
        throw new MultiraterError(
          'invalid_argument',
          'eval: give either --pred FILE --ref FILE (pair mode) or --pred-dir DIR --data DATASET_DIR (dataset mode)',
        );
      }
      if (pairMode) {
        if (!flags.pred || !flags.ref)
          throw new MultiraterError('invalid_argument', 'eval: pair mode needs both --pred FILE and --ref FILE');
        if (flags.csv)
          throw new MultiraterError('invalid_argument', 'eval: --csv is for dataset mode (--pred-dir, --data)');
        const result = evaluateFiles(flags.pred, flags.ref, { labels, tolerance });
        if (flags.json) return printJson(result);
        return void process.stdout.write(pairTable(result) + '\n');
      }
      if (!flags.predDir || !flags.data)
        throw new MultiraterError(
          'invalid_argument',
          'eval: dataset mode needs both --pred-dir DIR and --data DATASET_DIR',
        );
      const options: EvaluateDatasetOptions = {
        predDir: flags.predDir,
        data: flags.data,
        split: parseSplit(flags.split),
        against: flags.against,
        labels,
        tolerance,
      };
      // Dataset mode loads the dataset schema (zod); pair mode never pays for it.
      const { evaluateDataset } = await import('../evaluation/index.ts');
      const { assertCsvOutput, writeEvaluationCsv } = await import('../evaluation/index.ts');
      if (flags.csv) assertCsvOutput(flags.csv, { predDir: flags.predDir, data: flags.data });
      const result = evaluateDataset(options);
      if (flags.csv) writeEvaluationCsv(flags.csv, result);
      if (flags.json) return printJson(result);
      process.stdout.write(datasetText(result) + '\n');
    });
}

function parseLabels(text: string): number[] {
  const labels = text.split(',').map((s) => s.trim());
  for (const l of labels) {
    if (!/^[0-9]+$/.test(l))
      throw new MultiraterError(
        'invalid_argument',
        `eval: --labels expects comma-separated whole numbers, found "${l}"`,
      );
  }
  return labels.map(Number);
}

function parseTolerance(text: string): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v < 0)
    throw new MultiraterError('invalid_argument', `eval: --tolerance expects a distance ≥ 0 in mm, found "${text}"`);
  return v;
}

function parseSplit(text: string | undefined): EvaluateDatasetOptions['split'] {
  if (text === undefined) return undefined;
  if (text === 'train' || text === 'val' || text === 'test') return text;
  throw new MultiraterError('invalid_argument', `eval: --split expects train, val or test, found "${text}"`);
}

function pairTable(result: PairEvaluation): string {
  const header = ['label', ...SHOWN, 'volPred_mL', 'volRef_mL'];
  const rows = Object.entries(result.labels).map(([label, m]) => [
    label,
    ...SHOWN.map((k) => formatNumber(m[k])),
    formatNumber(m.volumePred_mm3 / 1000),
    formatNumber(m.volumeRef_mm3 / 1000),
  ]);
  return formatTable([header, ...rows]);
}

function meanSd(s: { mean: number | null; sd: number | null }): string {
  return s.mean === null ? '–' : `${formatNumber(s.mean)} ± ${formatNumber(s.sd)}`;
}

function datasetText(result: DatasetEvaluation): string {
  const labels = Object.keys(result.summary.labels);
  const out = [
    `${result.dataset}: ${result.cases.length} case(s) against ${result.against}${result.split ? `, split ${result.split}` : ''}`,
    '',
  ];
  const header = ['metric', ...labels.map((l) => `${l} ${result.labelNames[l] ?? ''}`.trim())];
  const rows = SHOWN.map((metric) => [
    metric,
    ...labels.map((l) => {
      const s = result.summary.labels[l][metric];
      return `${meanSd(s)}${s.skipped ? ` (${s.skipped} null)` : ''}`;
    }),
  ]);
  out.push(formatTable([header, ...rows]));
  if (result.summary.regions) {
    out.push('', 'Dice by slice position (mean ± sd)');
    const regionRows = (['base', 'mid', 'apex'] as const).map((r) => [
      r,
      ...labels.map((l) => meanSd(result.summary.regions![r][l])),
    ]);
    out.push(formatTable([['position', ...header.slice(1)], ...regionRows]));
  }
  if (result.clinical) {
    out.push('', `Clinical indices, ${result.clinical.subjects.length} subject(s) (error = prediction − reference)`);
    const s = result.clinical.summary;
    const clinicalRows = result.clinical.indices.map((name) => [
      name,
      meanSd(s[name].ref),
      meanSd(s[name].pred),
      meanSd(s[name].error),
      meanSd(s[name].absError),
    ]);
    out.push(formatTable([['index', 'reference', 'prediction', 'error', '|error|'], ...clinicalRows]));
  }
  return out.join('\n');
}

async function evalConfusionMatrices(flags: EvalFlags): Promise<void> {
  if (flags.data === undefined || flags.cms === undefined)
    throw new MultiraterError('invalid_argument', 'eval: --cms DIR needs --data DATASET_DIR');
  const { evaluateConfusionMatrices } = await import('../evaluation/index.ts');
  const result = evaluateConfusionMatrices({
    cmsDir: flags.cms,
    data: flags.data,
    split: parseSplit(flags.split),
    trueCms: flags.trueCms,
  });
  if (flags.json) return printJson(result);
  const perCase = result.cases.map((c) => c.cmError).filter((e): e is number => e !== null);
  const mean = perCase.length === 0 ? null : perCase.reduce((a, b) => a + b, 0) / perCase.length;
  const overall =
    result.cmError === null
      ? `CM error of the mean estimate: – (${result.cmErrorNote}; give the true matrices with --true-cms FILE)`
      : `CM error of the mean estimate vs the matrices of ${result.cmErrorAgainst}: ${formatNumber(result.cmError)}`;
  const scored =
    perCase.length === result.cases.length
      ? ''
      : ` (${perCase.length} of ${result.cases.length} cases have a truth and every annotator's labels)`;
  process.stdout.write(
    `${result.cases.length} case(s), annotators ${result.raters.join(', ')}\n${overall}\nCM error per case vs its empirical matrices (mean): ${formatNumber(mean)}${scored}\n`,
  );
}
