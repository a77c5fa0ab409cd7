/**
 * CM-estimation error of predicted annotator matrices (the `<caseId>.json` files `multirater predict --cm-out`
 * writes) against a dataset's known ones (SPEC-metrics.md: RMSE over the L×L entries, then the mean over
 * annotators; both sides column-normalised, CM[i][j] = P(says i | truth j)):
 * - per case, against the empirical matrix of each rater's label map of that case against its truth (when the case
 *   has both);
 * - overall, the mean of the per-case estimates (entry by entry, null entries left out) against the dataset's
 *   `confusionMatrices` (pooled counts over all its cases, as `simulate` writes them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, resolveCasePath, type Split } from '../datasets/dataset.ts';
import { MultiraterError } from '../errors.ts';
import { readLabelMap } from '../io/read-volume.ts';
import { confusionMatrixRmse, empiricalConfusionMatrix } from './confusion-matrix.ts';

type Matrix = (number | null)[][];

export interface EvaluateConfusionMatricesOptions {
  /** Folder of `<caseId>.json` files from `predict --cm-out`. */
  cmsDir: string;
  /** Dataset folder (with dataset.json). */
  data: string;
  /** Only cases of this split; default every case with a file in `cmsDir`. */
  split?: Split;
}

export interface ConfusionMatrixEvaluation {
  raters: string[];
  /** Per case: CM error against the case's empirical matrices (null without truth or rater labels). */
  cases: { caseId: string; cmError: number | null }[];
  /** Mean over cases of the estimated matrices, per rater. */
  estimated: Record<string, Matrix>;
  /** CM error of `estimated` against the dataset's confusionMatrices; null when the dataset has none for a rater. */
  cmError: number | null;
}

function meanMatrix(ms: readonly Matrix[]): Matrix {
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
  const cases = dataset.cases.filter((c) => (options.split === undefined || c.meta.split === options.split) && existsSync(join(options.cmsDir, `${c.id}.json`)));
  if (cases.length === 0) throw new MultiraterError('invalid_argument', `${options.cmsDir}: no <caseId>.json of a case of ${options.data}${options.split ? ` in split ${options.split}` : ''}`);
  let raters: string[] = [];
  const perRater = new Map<string, Matrix[]>();
  const rows = cases.map((c) => {
    const file = join(options.cmsDir, `${c.id}.json`);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { raters?: string[]; confusionMatrices?: Record<string, Matrix> };
    if (!Array.isArray(json.raters) || json.confusionMatrices === undefined) throw new MultiraterError('invalid_argument', `${file}: expected the JSON written by 'multirater predict --cm-out'`);
    raters = json.raters;
    const estimated = raters.map((r) => json.confusionMatrices?.[r] as Matrix);
    raters.forEach((r, k) => perRater.set(r, [...(perRater.get(r) ?? []), estimated[k]]));
    if (c.truth === undefined || raters.some((r) => c.raters[r] === undefined)) return { caseId: c.id, cmError: null };
    const truth = readLabelMap(resolveCasePath(root, c.truth)).data;
    const empirical = raters.map((r) => empiricalConfusionMatrix(readLabelMap(resolveCasePath(root, c.raters[r])).data, truth, { classes: estimated[0].length }));
    return { caseId: c.id, cmError: confusionMatrixRmse(estimated, empirical) };
  });
  const estimated = Object.fromEntries(raters.map((r) => [r, meanMatrix(perRater.get(r) ?? [])]));
  const known = dataset.confusionMatrices ?? {};
  const truths = raters.map((r) => (known[r] as { matrix?: Matrix } | undefined)?.matrix);
  const cmError = truths.every((t) => t !== undefined) ? confusionMatrixRmse(raters.map((r) => estimated[r]), truths as Matrix[]) : null;
  return { raters, cases: rows, estimated, cmError };
}
