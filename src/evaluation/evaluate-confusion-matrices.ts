/**
 * CM-estimation error of predicted annotator matrices (the `<caseId>.json` files `multirater predict --cm-out`
 * writes) against a dataset's known ones (SPEC-metrics.md: RMSE over the L×L entries, then the mean over
 * annotators; both sides column-normalised, CM[i][j] = P(says i | truth j)):
 * - per case, against the empirical matrix of each rater's label map of that case against its truth (when the case
 *   has both);
 * - overall, the mean of the per-case estimates (entry by entry, null entries left out) against the dataset's
 *   `confusionMatrices` (pooled counts over all its cases, as `simulate` writes them), or against a file of true
 *   matrices in the same shape (`{ "rater": { "labels": [0, 1], "matrix": [[…], […]] } }`, matrix[i][j] =
 *   P(says labels[i] | truth labels[j]); `labels` may be left out for 0…L−1). Imported data records none, so
 *   without such a file the overall error is null and `cmErrorNote` says why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, resolveCasePath, type Split } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { readLabelMap } from '../io/index.ts';
import { confusionMatrixRmse, empiricalConfusionMatrix } from '../metrics/index.ts';

/** An L×L confusion matrix `m[i][j]`; an entry is null where unknown (e.g. the column of a truth class never seen). */
export type NullableMatrix = (number | null)[][];

/**
 * Options of `evaluateConfusionMatrices` (`multirater eval --cms`): predicted matrices, dataset, split, true matrices.
 */
export interface EvaluateConfusionMatricesOptions {
  /** Folder of `<caseId>.json` files from `predict --cm-out`. */
  cmsDir: string;
  /** Dataset folder (with dataset.json). */
  data: string;
  /** Only cases of this split; default every case with a file in `cmsDir`. */
  split?: Split;
  /** JSON file of true matrices per rater, in the shape of dataset.json's confusionMatrices; default the dataset's. */
  trueCms?: string;
}

/** Result of `evaluateConfusionMatrices`; CM errors are RMSEs over the L×L entries averaged over raters, 0–1. */
export interface ConfusionMatrixEvaluation {
  /** Raters the predicted matrices are for, in the order of the `predict --cm-out` files. */
  raters: string[];
  /** Per case: CM error against the case's empirical matrices (null without truth or rater labels). */
  cases: {
    /** Case id from dataset.json. */
    caseId: string;
    /** Mean over raters of the RMSE of matrix entries (probabilities, 0–1); null without truth or a rater's label. */
    cmError: number | null;
  }[];
  /** Mean over cases of the estimated matrices, per rater. */
  estimated: Record<string, NullableMatrix>;
  /** CM error of `estimated` against the true matrices (`trueCms`, else the dataset's); null when there are none. */
  cmError: number | null;
  /** The file whose true matrices `cmError` is measured against (dataset.json or `trueCms`); null with `cmError`. */
  cmErrorAgainst: string | null;
  /** Why `cmError` is null (no true matrices, or none for some raters); null when it is a number. */
  cmErrorNote: string | null;
}

function meanMatrix(ms: readonly NullableMatrix[]): NullableMatrix {
  const L = ms[0].length;
  return Array.from({ length: L }, (_, i) =>
    Array.from({ length: L }, (_, j) => {
      const vs = ms.map((m) => m[i][j]).filter((v): v is number => v !== null);
      return vs.length === 0 ? null : vs.reduce((a, b) => a + b, 0) / vs.length;
    }),
  );
}

/** Evaluates the predicted matrices in `cmsDir` (see the file comment). */
export function evaluateConfusionMatrices(options: EvaluateConfusionMatricesOptions): ConfusionMatrixEvaluation {
  const { dataset, root } = loadDataset(options.data);
  const cases = dataset.cases.filter(
    (c) =>
      (options.split === undefined || c.meta.split === options.split) &&
      existsSync(join(options.cmsDir, `${c.id}.json`)),
  );
  if (cases.length === 0)
    throw new MultiraterError(
      'invalid_argument',
      `${options.cmsDir}: no <caseId>.json of a case of ${options.data}${options.split ? ` in split ${options.split}` : ''}`,
    );
  let raters: string[] = [];
  const perRater = new Map<string, NullableMatrix[]>();
  const rows = cases.map((c) => {
    const file = join(options.cmsDir, `${c.id}.json`);
    const json = JSON.parse(readFileSync(file, 'utf8')) as {
      raters?: string[];
      confusionMatrices?: Record<string, NullableMatrix>;
    };
    if (!Array.isArray(json.raters) || json.confusionMatrices === undefined)
      throw new MultiraterError(
        'invalid_argument',
        `${file}: expected the JSON written by 'multirater predict --cm-out'`,
      );
    raters = json.raters;
    const estimated = raters.map((r) => json.confusionMatrices?.[r] as NullableMatrix);
    raters.forEach((r, k) => perRater.set(r, [...(perRater.get(r) ?? []), estimated[k]]));
    if (c.truth === undefined || raters.some((r) => c.raters[r] === undefined)) return { caseId: c.id, cmError: null };
    const truth = readLabelMap(resolveCasePath(root, c.truth)).data;
    const empirical = raters.map((r) =>
      empiricalConfusionMatrix(readLabelMap(resolveCasePath(root, c.raters[r])).data, truth, {
        classes: estimated[0].length,
      }),
    );
    return { caseId: c.id, cmError: confusionMatrixRmse(estimated, empirical) };
  });
  const estimated = Object.fromEntries(raters.map((r) => [r, meanMatrix(perRater.get(r) ?? [])]));
  const classes = raters.length === 0 ? 0 : estimated[raters[0]].length;
  const datasetFile = join(root, 'dataset.json');
  const truths =
    options.trueCms !== undefined
      ? fileMatrices(options.trueCms, raters, classes)
      : datasetMatrices(dataset.confusionMatrices, raters, classes, datasetFile);
  if ('note' in truths)
    return { raters, cases: rows, estimated, cmError: null, cmErrorAgainst: null, cmErrorNote: truths.note };
  return {
    raters,
    cases: rows,
    estimated,
    cmError: confusionMatrixRmse(
      raters.map((r) => estimated[r]),
      truths.matrices,
    ),
    cmErrorAgainst: options.trueCms ?? datasetFile,
    cmErrorNote: null,
  };
}

type TrueMatrices = { matrices: NullableMatrix[] } | { note: string };

/** The dataset's true matrices for `raters`, or why there are none (imported datasets record none). */
function datasetMatrices(
  known: Record<string, unknown> | undefined,
  raters: readonly string[],
  classes: number,
  file: string,
): TrueMatrices {
  if (known === undefined || Object.keys(known).length === 0) {
    return {
      note: `${file} records no true confusion matrices (confusionMatrices: simulated datasets have them, imported ones do not)`,
    };
  }
  const missing = raters.filter((r) => !isRecord(known[r]) || !Array.isArray(known[r].matrix));
  if (missing.length > 0)
    return { note: `${file}: confusionMatrices has none for ${missing.map((r) => `"${r}"`).join(', ')}` };
  return { matrices: raters.map((r) => matrixEntry(known[r], classes, `${file}: confusionMatrices.${r}`)) };
}

/** The true matrices of `raters` from a JSON file in the shape of dataset.json's confusionMatrices. */
function fileMatrices(file: string, raters: readonly string[], classes: number): TrueMatrices {
  if (!existsSync(file)) throw new MultiraterError('file_not_found', `${file}: no such file`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new MultiraterError('invalid_argument', `${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(json))
    throw new MultiraterError(
      'invalid_argument',
      `${file}: expected an object of true matrices by rater, {"rater": {"labels": [0, 1], "matrix": [[…], […]]}}`,
    );
  const missing = raters.filter((r) => json[r] === undefined);
  if (missing.length > 0)
    throw new MultiraterError(
      'invalid_argument',
      `${file}: no true matrix for ${missing.map((r) => `"${r}"`).join(', ')} (has: ${Object.keys(json).join(', ') || 'none'})`,
    );
  return { matrices: raters.map((r) => matrixEntry(json[r], classes, `${file}: key "${r}"`)) };
}

/**
 * One `{ labels, matrix }` entry as a classes×classes matrix over labels 0…classes−1 (`labels` absent: 0…L−1);
 * `where` names the entry when it is malformed or does not cover every class.
 */
function matrixEntry(entry: unknown, classes: number, where: string): NullableMatrix {
  const shape =
    'expected {"labels": [0, 1, …], "matrix": [[…], …]} with matrix[i][j] = P(says labels[i] | truth labels[j])';
  if (!isRecord(entry) || !Array.isArray(entry.matrix))
    throw new MultiraterError('invalid_argument', `${where}: ${shape}`);
  const matrix = entry.matrix as unknown[];
  const n = matrix.length;
  if (
    !matrix.every(
      (row) =>
        Array.isArray(row) &&
        row.length === n &&
        row.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v))),
    )
  ) {
    throw new MultiraterError('invalid_argument', `${where}: matrix must be square, of numbers or null (${shape})`);
  }
  const labels = entry.labels === undefined ? [...Array(n).keys()] : entry.labels;
  if (!Array.isArray(labels) || labels.length !== n || !labels.every((l) => Number.isInteger(l))) {
    throw new MultiraterError('invalid_argument', `${where}: labels must be ${n} whole numbers, one per matrix row`);
  }
  const uncovered = [...Array(classes).keys()].filter((c) => !labels.includes(c));
  if (uncovered.length > 0)
    throw new MultiraterError(
      'invalid_argument',
      `${where}: labels [${labels.join(', ')}] lack ${uncovered.join(', ')} of the estimates' 0…${classes - 1}`,
    );
  const rows = matrix as (number | null)[][];
  return Array.from({ length: classes }, (_, i) =>
    Array.from({ length: classes }, (_, j) => rows[labels.indexOf(i)][labels.indexOf(j)]),
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
