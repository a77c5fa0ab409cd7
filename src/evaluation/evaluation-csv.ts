/** CSV of a dataset evaluation: one row per case and label, every metric a column; null values are empty cells. */
import { datasetInputs } from '../datasets/index.ts';
import { loadDataset } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';
import { assertOutputsDistinct, filesUnder } from '../io/index.ts';
import type { DatasetEvaluation } from './evaluate-dataset.ts';
import { METRIC_NAMES } from '../metrics/index.ts';

const COUNT_COLUMNS = ['tp', 'fp', 'fn', 'tn'] as const;

/** The CSV text (RFC 4180 quoting, header first, "\n" line ends) of `evaluation`'s per-case rows. */
export function evaluationCsv(evaluation: DatasetEvaluation): string {
  const header = [
    'caseId',
    'subject',
    'frame',
    'group',
    'vendor',
    'label',
    'labelName',
    ...COUNT_COLUMNS,
    ...METRIC_NAMES,
  ];
  const lines = [header.join(',')];
  for (const c of evaluation.cases) {
    for (const [label, m] of Object.entries(c.labels)) {
      const cells = [c.caseId, c.subject, c.frame, c.group, c.vendor, label, evaluation.labelNames[label] ?? label];
      lines.push([...cells, ...COUNT_COLUMNS.map((k) => m[k]), ...METRIC_NAMES.map((k) => m[k])].map(cell).join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** Writes `evaluationCsv(evaluation)` to `path` atomically. */
export function writeEvaluationCsv(path: string, evaluation: DatasetEvaluation): void {
  writeFileAtomic(path, evaluationCsv(evaluation));
}

/**
 * Throws before an evaluation when `path` cannot be its CSV: not named `.csv`, or one of the inputs (a file in the
 * prediction folder, the dataset's `dataset.json` or a file it names).
 */
export function assertCsvOutput(path: string, inputs: { predDir: string; data: string }): void {
  if (!/\.csv$/i.test(path))
    throw new MultiraterError('unsupported_format', `${path}: options.csv must name a .csv file`);
  assertOutputsDistinct(
    [['options.csv', path]],
    [...filesUnder(inputs.predDir), ...datasetInputs(loadDataset(inputs.data))],
  );
}

function cell(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
