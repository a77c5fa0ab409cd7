/**
 * Dataset-mode evaluation: every case of a dataset (optionally one split) whose prediction is
 * `predDir/<caseId>.nii.gz` (or `.nii`, `.nrrd`; exactly one of them), against the case's truth or one rater, per label; a summary per label and metric
 * over cases (mean ± sd, median, IQR, n, nulls skipped); and for cardiac datasets (a label named LV, optionally
 * MYO and RV: clinical.ts) Dice per base/mid/apex third and the clinical indices per subject from its ED and ES
 * cases — those the evaluated structures allow (LV only: volumes and EF; + MYO: mass; + RV: the RV indices).
 */
import { join } from 'node:path';
import { loadDataset, resolveCasePath, type Case } from '../datasets/index.ts';
import { isFile } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { readLabelMap } from '../io/index.ts';
import { summarize, type Summary } from '../stats/index.ts';
import {
  CARDIAC_INDEX_NAMES,
  cardiacIndexErrors,
  cardiacIndexNamesFor,
  cardiacIndices,
  cardiacLabelsOf,
  cardiacVolumes,
  subjectFrames,
  type CardiacIndexErrors,
  type CardiacIndexName,
  type CardiacIndices,
  type CardiacLabels,
} from '../metrics/index.ts';
import { evaluatePair, METRIC_NAMES, type LabelMetrics, type MetricName } from '../metrics/index.ts';
import { DEFAULT_SURFACE_TOLERANCE_MM } from '../metrics/index.ts';
import { regionDice, slicePositions, type SlicePosition } from '../metrics/index.ts';

/**
 * Options of `evaluateDataset` (`multirater eval` in dataset mode): predictions, dataset, split, reference, labels,
 * tolerance.
 */
export interface EvaluateDatasetOptions {
  /** Folder holding one prediction per case, named `<caseId>.nii.gz`, `<caseId>.nii` or `<caseId>.nrrd`. */
  predDir: string;
  /** Dataset folder (holding dataset.json) or the dataset.json file itself. */
  data: string;
  /** Evaluate only the cases of this split (Case.meta.split); default all cases. */
  split?: 'train' | 'val' | 'test';
  /** Reference: 'truth' (default, Case.truth) or a rater id (Case.raters[id]). */
  against?: string;
  /** Label values to evaluate; default every label named in the dataset. */
  labels?: readonly number[];
  /** Surface Dice tolerance, mm; default 2. */
  tolerance?: number;
}

/** One evaluated case. */
export interface CaseEvaluation {
  /** Case id from dataset.json. */
  caseId: string;
  /** The case's `meta.subject`; null when it has none. */
  subject: string | null;
  /** The case's `meta.frame` (cardiac phase or frame number); null when it has none. */
  frame: 'ED' | 'ES' | number | null;
  /** The case's `meta.group` (ACDC's Group, M&Ms' Pathology); null when it has none. */
  group: string | null;
  /** The case's `meta.vendor` (M&Ms scanner vendor code); null when it has none. */
  vendor: string | null;
  /** Prediction file. */
  pred: string;
  /** Reference file. */
  ref: string;
  /** Label value → metrics of the prediction against the reference (`evaluatePair`). */
  labels: Record<string, LabelMetrics>;
  /** Cardiac datasets: Dice per label within the base, mid and apex thirds of the reference's slices. */
  regions: Record<SlicePosition, Record<string, number>> | null;
}

/** Clinical indices of one subject from prediction and reference, with errors (mL, percentage points, g). */
export interface SubjectClinical {
  /** Subject id (`meta.subject`). */
  subject: string;
  /** Id of the subject's end-diastolic case. */
  edCase: string;
  /** Id of the subject's end-systolic case. */
  esCase: string;
  /** Indices from the predicted label maps (null for structures not evaluated). */
  pred: CardiacIndices;
  /** Indices from the reference label maps (null for structures not evaluated). */
  ref: CardiacIndices;
  /** Signed error per index, prediction − reference; null where either is null. */
  error: CardiacIndexErrors;
  /** Absolute error per index, |prediction − reference|; null where either is null. */
  absError: CardiacIndexErrors;
}

/** Clinical block of a cardiac dataset: per subject, and summaries per index (null indices for structures not evaluated). */
export interface ClinicalEvaluation {
  /** Label values of LV, MYO and RV among the evaluated labels (MYO, RV null when not evaluated). */
  labels: CardiacLabels;
  /** The indices the evaluated structures allow, in output order; the others are null throughout. */
  indices: CardiacIndexName[];
  /** One entry per subject with exactly one ED and one ES case, sorted by subject. */
  subjects: SubjectClinical[];
  /** Per index: summaries over subjects of the predicted and reference values and of the signed and absolute errors. */
  summary: Record<
    (typeof CARDIAC_INDEX_NAMES)[number],
    {
      /** Over subjects: the index from the predicted label maps (mL, %, g). */
      pred: Summary;
      /** Over subjects: the index from the reference label maps. */
      ref: Summary;
      /** Over subjects: prediction − reference. */
      error: Summary;
      /** Over subjects: |prediction − reference|. */
      absError: Summary;
    }
  >;
}

/** Result of `evaluateDataset`. */
export interface DatasetEvaluation {
  /** The dataset's name (dataset.json `name`). */
  dataset: string;
  /** The reference: 'truth' or the rater id. */
  against: string;
  /** The evaluated split; null when every case was evaluated. */
  split: string | null;
  /** Surface Dice tolerance used, mm. */
  tolerance_mm: number;
  /** Label value → name, for the evaluated labels. */
  labelNames: Record<string, string>;
  /** One entry per evaluated case, in dataset order. */
  cases: CaseEvaluation[];
  /** Summaries over cases (nulls skipped) per label and metric, and, for cardiac datasets, per base/mid/apex third. */
  summary: {
    /** Label value → metric → summary over the evaluated cases. */
    labels: Record<string, Record<MetricName, Summary>>;
    /** Base/mid/apex third → label value → summary of the cases' Dice there; null unless the dataset is cardiac. */
    regions: Record<SlicePosition, Record<string, Summary>> | null;
  };
  /** Clinical indices per subject and their summaries; null unless the dataset is cardiac and LV is evaluated. */
  clinical: ClinicalEvaluation | null;
}

/** Evaluates every selected case's prediction against its reference; see the file comment. */
export function evaluateDataset(options: EvaluateDatasetOptions): DatasetEvaluation {
  const { dataset, root } = loadDataset(options.data);
  const against = options.against ?? 'truth';
  const cases = dataset.cases.filter((c) => options.split === undefined || c.meta.split === options.split);
  if (cases.length === 0) {
    throw new MultiraterError(
      'invalid_argument',
      `${join(root, 'dataset.json')}: no cases${options.split ? ` in split "${options.split}"` : ''}`,
    );
  }
  if (against !== 'truth' && !dataset.raters.includes(against)) {
    throw new MultiraterError(
      'invalid_argument',
      `${join(root, 'dataset.json')}: no rater "${against}" (raters: ${dataset.raters.join(', ') || 'none'})`,
    );
  }
  const labels =
    options.labels ??
    Object.keys(dataset.labels)
      .map(Number)
      .sort((a, b) => a - b);
  const cardiac = evaluatedCardiacLabels(cardiacLabelsOf(dataset.labels), labels);
  const evaluations = cases.map((c) =>
    evaluateCase(c, root, options.predDir, against, labels, options.tolerance, cardiac !== null),
  );
  const labelNames = Object.fromEntries(labels.map((l) => [String(l), dataset.labels[String(l)] ?? String(l)]));
  return {
    dataset: dataset.name,
    against,
    split: options.split ?? null,
    tolerance_mm: options.tolerance ?? DEFAULT_SURFACE_TOLERANCE_MM,
    labelNames,
    cases: evaluations,
    summary: {
      labels: summarizeLabels(evaluations, labels),
      regions: cardiac ? summarizeRegions(evaluations, labels) : null,
    },
    clinical: cardiac ? clinicalBlock(cases, evaluations, cardiac) : null,
  };
}

/** The cardiac labels among the evaluated ones; null unless the LV cavity is evaluated. */
function evaluatedCardiacLabels(named: CardiacLabels | null, labels: readonly number[]): CardiacLabels | null {
  if (named === null || !labels.includes(named.lv)) return null;
  const keep = (l: number | null) => (l !== null && labels.includes(l) ? l : null);
  return { lv: named.lv, myo: keep(named.myo), rv: keep(named.rv) };
}

function referencePath(c: Case, against: string, root: string): string {
  const rel = against === 'truth' ? c.truth : c.raters[against];
  if (rel === undefined) {
    throw new MultiraterError(
      'invalid_dataset',
      `${join(root, 'dataset.json')}: case "${c.id}" has no ${against === 'truth' ? 'truth' : `label map from rater "${against}"`}`,
    );
  }
  return resolveCasePath(root, rel);
}

/** Extensions a prediction file may have, in the order they are looked for. */
export const PREDICTION_EXTENSIONS = ['.nii.gz', '.nii', '.nrrd'] as const;

/** `predDir/<caseId>` with the one extension of PREDICTION_EXTENSIONS that exists; `file_not_found` or `invalid_argument` otherwise. */
export function predictionPath(predDir: string, caseId: string): string {
  const found = PREDICTION_EXTENSIONS.map((ext) => join(predDir, `${caseId}${ext}`)).filter(isFile);
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    const others = PREDICTION_EXTENSIONS.slice(1).join(', ');
    throw new MultiraterError(
      'file_not_found',
      `${join(predDir, caseId + PREDICTION_EXTENSIONS[0])}: no such file, nor ${others}: no prediction for case "${caseId}"`,
    );
  }
  throw new MultiraterError(
    'invalid_argument',
    `${found.join(' and ')}: two predictions for case "${caseId}"; keep one`,
  );
}

function evaluateCase(
  c: Case,
  root: string,
  predDir: string,
  against: string,
  labels: readonly number[],
  tolerance: number | undefined,
  cardiac: boolean,
): CaseEvaluation {
  const refPath = referencePath(c, against, root);
  const predPath = predictionPath(predDir, c.id);
  const pred = readLabelMap(predPath);
  const ref = readLabelMap(refPath);
  const metrics = evaluatePair(pred, ref, { labels, tolerance, predName: predPath, refName: refPath });
  const frame = c.meta.frame ?? null;
  return {
    caseId: c.id,
    subject: c.meta.subject ?? null,
    frame,
    group: c.meta.group ?? null,
    vendor: c.meta.vendor ?? null,
    pred: predPath,
    ref: refPath,
    labels: metrics.labels,
    regions: cardiac ? regionDice(pred, ref, labels, slicePositions(ref)) : null,
  };
}

function summarizeLabels(
  cases: readonly CaseEvaluation[],
  labels: readonly number[],
): Record<string, Record<MetricName, Summary>> {
  const out: Record<string, Record<MetricName, Summary>> = {};
  for (const label of labels) {
    const key = String(label);
    const perMetric = {} as Record<MetricName, Summary>;
    for (const metric of METRIC_NAMES) perMetric[metric] = summarize(cases.map((c) => c.labels[key][metric]));
    out[key] = perMetric;
  }
  return out;
}

function summarizeRegions(
  cases: readonly CaseEvaluation[],
  labels: readonly number[],
): Record<SlicePosition, Record<string, Summary>> {
  const out = {} as Record<SlicePosition, Record<string, Summary>>;
  for (const region of ['base', 'mid', 'apex'] as const) {
    out[region] = {};
    for (const label of labels)
      out[region][String(label)] = summarize(cases.map((c) => c.regions?.[region][String(label)] ?? null));
  }
  return out;
}

function clinicalBlock(
  cases: readonly Case[],
  evaluations: readonly CaseEvaluation[],
  labels: CardiacLabels,
): ClinicalEvaluation {
  const byId = new Map(evaluations.map((e) => [e.caseId, e]));
  const volumes = (e: CaseEvaluation, key: 'volumePred_mm3' | 'volumeRef_mm3') =>
    cardiacVolumes(Object.fromEntries(Object.entries(e.labels).map(([l, m]) => [l, m[key]])), labels);
  const subjects = subjectFrames(cases).map(({ subject, ed, es }): SubjectClinical => {
    const edEval = byId.get(ed.id)!;
    const esEval = byId.get(es.id)!;
    const pred = cardiacIndices(volumes(edEval, 'volumePred_mm3'), volumes(esEval, 'volumePred_mm3'));
    const ref = cardiacIndices(volumes(edEval, 'volumeRef_mm3'), volumes(esEval, 'volumeRef_mm3'));
    const { signed, absolute } = cardiacIndexErrors(pred, ref);
    return { subject, edCase: ed.id, esCase: es.id, pred, ref, error: signed, absError: absolute };
  });
  const summary = {} as ClinicalEvaluation['summary'];
  for (const name of CARDIAC_INDEX_NAMES) {
    summary[name] = {
      pred: summarize(subjects.map((s) => s.pred[name])),
      ref: summarize(subjects.map((s) => s.ref[name])),
      error: summarize(subjects.map((s) => s.error[name])),
      absError: summarize(subjects.map((s) => s.absError[name])),
    };
  }
  return { labels, indices: cardiacIndexNamesFor(labels), subjects, summary };
}
