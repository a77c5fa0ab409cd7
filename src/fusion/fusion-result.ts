/**
 * What every fusion method returns, and the small pieces they share: the fused label volume on the raters' grid
 * and the per-rater performance record.
 * Confusion matrices follow SPEC-metrics.md: `cm[i][j]` = P(rater says label i | true label j), indices into
 * `labelValues`; every column sums to 1.
 */
import { MultiraterError } from '../errors.ts';
import { createVolume, type Volume } from '../volume/index.ts';
import { MAX_LABEL } from './rater-stack.ts';

/** Names of the built-in fusion methods. */
export type FusionMethodName = 'majority' | 'mean' | 'staple' | 'multilabel-staple' | 'spatial-staple';

/** One rater's estimated performance. Values a method does not estimate are null. */
export interface RaterPerformance {
  /** The rater's name (file path or id). */
  name: string;
  /** P(rater says foreground | truth is foreground), 0–1; binary STAPLE only. */
  sensitivity: number | null;
  /** P(rater says background | truth is background), 0–1; binary STAPLE only. */
  specificity: number | null;
  /** Multi-label methods: cm[i][j] = P(says labelValues[i] | truth labelValues[j]); columns sum to 1. */
  confusionMatrix: number[][] | null;
}

/** The outcome of a fusion. */
export interface FusionResult {
  /** The method that fused. */
  method: FusionMethodName;
  /** Fused labels on the first rater's grid (uint8, or uint16 when a label exceeds 255). */
  labels: Volume;
  /** Foreground probability 0–1 as float32 (binary STAPLE, mean), else null. */
  probability: Volume | null;
  /** The label values the confusion matrices index, ascending. */
  labelValues: number[];
  /** Label written where the method could not decide (ties), or null when it never writes one. */
  undecidedLabel: number | null;
  /** EM iterations run (null for non-iterative methods). */
  iterations: number | null;
  /** Whether EM met its stopping rule before the iteration limit (null for non-iterative methods). */
  converged: boolean | null;
  /** Per rater, in input order. */
  raters: RaterPerformance[];
}

/** A zero label volume on `grid`'s geometry, uint8 when `maxValue` ≤ 255 else uint16, with its data array. */
export function labelVolume(grid: Volume, maxValue: number): { volume: Volume; data: Uint8Array | Uint16Array } {
  const data = maxValue <= 255 ? new Uint8Array(grid.data.length) : new Uint16Array(grid.data.length);
  return { volume: createVolume(grid.shape, data, { spacing: grid.spacing, affine: grid.affine }), data };
}

/** A float32 volume on `grid`'s geometry. */
export function probabilityVolume(grid: Volume, data: Float32Array): Volume {
  return createVolume(grid.shape, data, { spacing: grid.spacing, affine: grid.affine });
}

/** Performance records carrying only names (for methods that estimate nothing). */
export function namesOnly(names: readonly string[]): RaterPerformance[] {
  return names.map((name) => ({ name, sensitivity: null, specificity: null, confusionMatrix: null }));
}

/**
 * The undecided label: `requested`, or by default one above the largest label any rater used (ITK's
 * LabelVotingImageFilter). Throws `invalid_argument` unless it is a whole number 0–MAX_LABEL.
 */
export function undecidedLabelFor(labels: readonly number[], requested: number | undefined): number {
  const label = requested ?? labels[labels.length - 1] + 1;
  if (!Number.isInteger(label) || label < 0 || label > MAX_LABEL) {
    throw new MultiraterError(
      'invalid_argument',
      `undecided label must be a whole number 0–${MAX_LABEL}, got ${label}`,
    );
  }
  return label;
}
