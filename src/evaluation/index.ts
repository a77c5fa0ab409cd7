/**
 * Dataset-level evaluation: every case of a dataset against its reference (metrics and clinical indices per case and
 * label, with summaries), its CSV, the paired comparison of two evaluations, and confusion-matrix error against a
 * dataset's raters. Pair-level metrics live in `metrics/`; this folder reads datasets (and their schemas), which
 * `metrics/` does not, so `eval --pred --ref` on two files loads neither.
 */
export {
  compareEvaluations,
  readEvaluation,
  type ComparedIndexErrors,
  type CompareOptions,
  type EvaluationComparison,
  type EvaluationForComparison,
  type MetricComparison,
} from './compare-evaluations.ts';
export {
  evaluateDataset,
  PREDICTION_EXTENSIONS,
  predictionPath,
  type CaseEvaluation,
  type ClinicalEvaluation,
  type DatasetEvaluation,
  type EvaluateDatasetOptions,
  type SubjectClinical,
} from './evaluate-dataset.ts';
export { evaluationCsv, writeEvaluationCsv } from './evaluation-csv.ts';
export { assertCsvOutput } from './evaluation-csv.ts';
export {
  evaluateConfusionMatrices,
  type EvaluateConfusionMatricesOptions,
  type ConfusionMatrixEvaluation,
  type NullableMatrix,
} from './evaluate-confusion-matrices.ts';
