/**
 * All metrics of a predicted label map against a reference, per label (label ℓ vs not-ℓ), as pinned in
 * SPEC-metrics.md: one counting pass and one surface-distance computation per label, every metric derived from
 * those. Singleton axes are dropped first; undefined values are null.
 */
import { assertSameGrid } from '../volume/index.ts';
import { voxelCount, type Volume } from '../volume/index.ts';
import { readLabelMap } from '../io/index.ts';
import { scanLabel, scanLabels, type LabelScan } from './label-scan.ts';
import { overlapMetrics, type OverlapMetrics } from './overlap.ts';
import { labelSurfaceDistances, metricGrid } from './surface-distances.ts';
import { surfaceMetrics, type SurfaceMetrics } from './surface-metrics.ts';

/** Every metric of one label: overlap counts and ratios, volumes (mm³), surface distances (mm), surface Dice. */
export interface LabelMetrics extends OverlapMetrics, SurfaceMetrics {}

/** The per-case metrics that are summarised and compared over cases, in output order. */
export const METRIC_NAMES = [
  'dice',
  'jaccard',
  'sensitivity',
  'specificity',
  'fpr',
  'fdr',
  'hd',
  'hd95',
  'assd',
  'masd',
  'surfaceDice',
  'volumePred_mm3',
  'volumeRef_mm3',
] as const;

/** One of `METRIC_NAMES`. */
export type MetricName = (typeof METRIC_NAMES)[number];

/** Whether a larger value of the metric is better; null when neither is (volumes). */
export const HIGHER_IS_BETTER: Record<MetricName, boolean | null> = {
  dice: true,
  jaccard: true,
  sensitivity: true,
  specificity: true,
  fpr: false,
  fdr: false,
  hd: false,
  hd95: false,
  assd: false,
  masd: false,
  surfaceDice: true,
  volumePred_mm3: null,
  volumeRef_mm3: null,
};

/** Metrics per label value (as a decimal string key). */
export interface PairEvaluation {
  /** Label value (decimal string) → that label's metrics. */
  labels: Record<string, LabelMetrics>;
}

/** Options of `evaluatePair`: labels, surface Dice tolerance, file names for error messages. */
export interface EvaluatePairOptions {
  /** Label values to evaluate; default every non-zero value present in either map. */
  labels?: readonly number[];
  /** Surface Dice tolerance, mm; default 2. */
  tolerance?: number;
  /** Name of the prediction in error messages (its file); default "prediction". */
  predName?: string;
  /** Name of the reference in error messages (its file); default "reference". */
  refName?: string;
}

/** Metrics of `pred` against `ref` (same grid, else `grid_mismatch` naming both) per label. */
export function evaluatePair(pred: Volume, ref: Volume, options: EvaluatePairOptions = {}): PairEvaluation {
  assertSameGrid(pred, options.predName ?? 'prediction', ref, options.refName ?? 'reference');
  const grid = metricGrid(ref.shape, ref.spacing);
  const scans = scanLabels(pred.data, ref.data, grid.dims, options.labels ?? []);
  const labels = options.labels === undefined ? [...scans.keys()] : [...new Set(options.labels)].sort((a, b) => a - b);
  const voxelVolume = ref.spacing.slice(0, 3).reduce((p, s) => p * s, 1);
  const total = voxelCount(ref.shape);
  const result: Record<string, LabelMetrics> = {};
  labels.forEach((label) => {
    // Background (label 0) is not in the one-pass scan; asked for, it gets its own pass.
    const scan = label === 0 ? scanLabel(pred.data, ref.data, 0, grid.dims) : (scans.get(label) as LabelScan);
    const fp = scan.predCount - scan.tp;
    const fn = scan.refCount - scan.tp;
    const overlap = overlapMetrics({ tp: scan.tp, fp, fn, tn: total - scan.tp - fp - fn }, voxelVolume);
    const distances = labelSurfaceDistances(pred.data, ref.data, label, grid, scan);
    const surface = surfaceMetrics(distances, scan.predCount === 0 && scan.refCount === 0, {
      tolerance: options.tolerance,
    });
    result[String(label)] = {
      tp: overlap.tp,
      fp: overlap.fp,
      fn: overlap.fn,
      tn: overlap.tn,
      dice: overlap.dice,
      jaccard: overlap.jaccard,
      sensitivity: overlap.sensitivity,
      specificity: overlap.specificity,
      fpr: overlap.fpr,
      fdr: overlap.fdr,
      hd: surface.hd,
      hd95: surface.hd95,
      assd: surface.assd,
      masd: surface.masd,
      surfaceDice: surface.surfaceDice,
      volumePred_mm3: overlap.volumePred_mm3,
      volumeRef_mm3: overlap.volumeRef_mm3,
    };
  });
  return { labels: result };
}

/** Reads two label-map files and evaluates `predPath` against `refPath`; errors name the files. */
export function evaluateFiles(
  predPath: string,
  refPath: string,
  options: Omit<EvaluatePairOptions, 'predName' | 'refName'> = {},
): PairEvaluation {
  const pred = readLabelMap(predPath);
  const ref = readLabelMap(refPath);
  return evaluatePair(pred, ref, { ...options, predName: predPath, refName: refPath });
}
