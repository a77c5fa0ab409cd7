export {
  CARDIAC_INDEX_NAMES,
  MYOCARDIUM_DENSITY_G_PER_ML,
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
  type CardiacVolumes,
  type SubjectFrames,
} from './clinical.ts';
export {
  confusionMatrixRmse,
  empiricalConfusionMatrix,
  type EmpiricalConfusionMatrixOptions,
} from './confusion-matrix.ts';
export {
  evaluateFiles,
  evaluatePair,
  HIGHER_IS_BETTER,
  METRIC_NAMES,
  type EvaluatePairOptions,
  type LabelMetrics,
  type MetricName,
  type PairEvaluation,
} from './evaluate-pair.ts';
export { scanLabel, type LabelScan } from './label-scan.ts';
export { overlapMetrics, type OverlapCounts, type OverlapMetrics } from './overlap.ts';
export { regionDice, slicePositions, type SlicePosition, type SlicePositionOptions } from './slice-position.ts';
export {
  labelSurfaceDistances,
  metricGrid,
  surfaceDistances,
  type MetricGrid,
  type SurfaceDistances,
} from './surface-distances.ts';
export {
  DEFAULT_SURFACE_TOLERANCE_MM,
  surfaceMetrics,
  type SurfaceMetrics,
  type SurfaceMetricsOptions,
} from './surface-metrics.ts';
export { surfaceMask } from './surface.ts';
