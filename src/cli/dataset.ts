/** `multirater dataset import|check`: build dataset.json from a public layout, and check a dataset folder. */
import { Option, type Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import { checkDataset } from '../datasets/index.ts';
import { importDataset, type ImportDatasetOptions } from '../datasets/index.ts';
import type { LayoutName } from '../datasets/index.ts';
import { DATASET_LAYOUTS } from '../datasets/index.ts';
import type { Case, Split } from '../datasets/index.ts';
import { printJson } from './output.ts';
import { finiteNumber, integer } from './parse-number.ts';

interface ImportFlags {
  layout: LayoutName;
  out: string;
  copy?: boolean;
  name?: string;
  task?: string;
  labels?: string;
  casePattern?: string;
  splits?: string;
  splitRatios?: string;
  seed?: string;
  check: boolean;
  json?: boolean;
}

/**
 * Adds `multirater dataset import` (`importDataset`) and `dataset check` (`checkDataset`, exit 1 on problems) to
 * `program`.
 */
export function registerDataset(program: Command): void {
  const dataset = program
    .command('dataset')
    .description('import datasets from public layouts and check dataset folders');
  const layouts = [...DATASET_LAYOUTS.values()].map((l) => `  ${l.name.padEnd(8)} ${l.description}`).join('\n');
  dataset
    .command('import')
    .description('write OUT/dataset.json describing a dataset stored in a known layout')
    .argument('<src>', 'source folder in the chosen layout')
    .addOption(
      new Option('--layout <layout>', 'source layout').choices([...DATASET_LAYOUTS.keys()]).makeOptionMandatory(),
    )
    .requiredOption('--out <dir>', 'output folder for dataset.json')
    .option('--copy', 'copy the files into the output folder (must be new or empty) instead of pointing at the source')
    .option('--name <name>', 'dataset name (default: from the layout)')
    .option('--task <n>', 'qubiq: task number whose raters to import (default 1)')
    .option(
      '--labels <list>',
      'folders: label names as value=name pairs, e.g. 1=RV,2=MYO,3=LV (default: SRC/labels.json, else the values found, named label1, …)',
    )
    .option(
      '--case-pattern <pattern>',
      'fill meta.subject/meta.frame from case ids, e.g. {subject}_{frame} ({frame}: ED, ES or a number)',
    )
    .option(
      '--splits <file>',
      'each case\'s split (train, val, test) from a CSV with columns case,split or a JSON {"caseId": "split"}; unlisted cases keep the layout\'s',
    )
    .option(
      '--split-ratios <list>',
      "draw every case's split in these proportions of train,val,test, e.g. 0.7,0.1,0.2 (largest-remainder rounding)",
    )
    .option('--seed <s>', 'seed of the --split-ratios draw (default 1)')
    .option(
      '--no-check',
      'write dataset.json without reading every file first (default: refuse when `dataset check` would fail)',
    )
    .option('--json', 'print JSON only')
    .addHelpText('after', `\nLayouts:\n${layouts}`)
    .action((src: string, flags: ImportFlags) => {
      const result = importDataset(src, importOptions(flags));
      const d = result.dataset;
      if (flags.json) {
        return printJson({
          file: result.file,
          name: d.name,
          cases: d.cases.length,
          splits: splitCounts(d.cases),
          raters: d.raters,
          labels: d.labels,
          copied: result.copied,
        });
      }
      const raters = d.raters.length ? d.raters.join(', ') : 'none (truth only)';
      process.stdout.write(
        `wrote ${result.file}: ${d.cases.length} cases (${splitSummary(d.cases)}), raters ${raters}${result.copied ? `, ${result.copied} files copied` : ''}\n`,
      );
    });
  dataset
    .command('check')
    .description('check that every file exists, grids match and label values are declared; exit 1 on problems')
    .argument('<dir>', 'dataset folder (holding dataset.json) or a dataset .json file')
    .option(
      '--allow-root <dir>',
      "folder besides the dataset's own (and the source it was imported from) that its paths may lead into (repeatable)",
      (v: string, p: string[]) => [...p, v],
      [] as string[],
    )
    .option('--json', 'print the report as JSON only')
    .action((dir: string, flags: { json?: boolean; allowRoot: string[] }) => {
      const report = checkDataset(dir, { allowRoots: flags.allowRoot });
      if (flags.json) printJson(report);
      else if (report.ok) process.stdout.write(`ok ${report.dataset}: ${report.cases} cases, ${report.files} files\n`);
      else
        process.stdout.write(
          report.problems.map((p) => `${p.caseId ?? '-'}\t${p.code}\t${p.message}`).join('\n') + '\n',
        );
      if (!report.ok) {
        throw new MultiraterError(
          'invalid_dataset',
          `${report.dataset}: ${report.problems.length} problem(s) in ${report.cases} cases`,
        );
      }
    });
}

function importOptions(flags: ImportFlags): ImportDatasetOptions {
  const options: ImportDatasetOptions = {
    layout: flags.layout,
    out: flags.out,
    copy: flags.copy === true,
    check: flags.check,
  };
  if (flags.casePattern !== undefined) options.casePattern = flags.casePattern;
  if (flags.name !== undefined) options.name = flags.name;
  if (flags.task !== undefined) {
    const task = Number(flags.task);
    if (!/^\d+$/.test(flags.task) || task < 1)
      throw new MultiraterError('invalid_argument', `--task: expected a whole number ≥ 1, found "${flags.task}"`);
    options.task = task;
  }
  if (flags.labels !== undefined) options.labels = parseLabelList(flags.labels);
  if (flags.splits !== undefined && flags.splitRatios !== undefined)
    throw new MultiraterError('invalid_argument', '--splits and --split-ratios: give one of them');
  if (flags.seed !== undefined && flags.splitRatios === undefined)
    throw new MultiraterError('option_conflict', '--seed: applies to --split-ratios');
  if (flags.splits !== undefined) options.splitsFile = flags.splits;
  if (flags.splitRatios !== undefined)
    options.splitRatios = flags.splitRatios.split(',').map((t) => finiteNumber('--split-ratios', t.trim()));
  if (flags.seed !== undefined) options.seed = integer('--seed', flags.seed);
  return options;
}

/** Cases per split (`none`: no split). */
function splitCounts(cases: readonly Case[]): Record<Split | 'none', number> {
  const counts = { train: 0, val: 0, test: 0, none: 0 };
  for (const c of cases) counts[c.meta.split ?? 'none']++;
  return counts;
}

/** `train 7, val 1, test 2`, with `no split 3` when some have none; `no splits` when none has one. */
function splitSummary(cases: readonly Case[]): string {
  const counts = splitCounts(cases);
  if (counts.none === cases.length) return 'no splits';
  return (['train', 'val', 'test', 'none'] as const)
    .filter((k) => counts[k] > 0)
    .map((k) => `${k === 'none' ? 'no split' : k} ${counts[k]}`)
    .join(', ');
}

/** `1=RV,2=MYO` → `{"1": "RV", "2": "MYO"}`. */
function parseLabelList(list: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of list.split(',')) {
    const m = /^\s*([1-9][0-9]*)\s*=\s*(\S(?:.*\S)?)\s*$/.exec(pair);
    if (!m) throw new MultiraterError('invalid_argument', `--labels: "${pair}" is not value=name with a value ≥ 1`);
    labels[m[1]] = m[2];
  }
  return labels;
}
