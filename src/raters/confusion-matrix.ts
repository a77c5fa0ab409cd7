/**
 * True confusion matrices of simulated raters (SPEC-metrics.md): CM[i][j] = P(rater says label i | truth is j),
 * columns sum to 1; a truth label with no voxel has a column of nulls. Counts are kept so matrices pool over cases
 * by adding counts, not by averaging ratios.
 */
import { MultiraterError } from '../errors.ts';

/** Voxel counts of one rater's labels against the truth (`confusionCounts`), to be pooled over cases by adding. */
export interface ConfusionCounts {
  /** Label values, in matrix order (background 0 first). */
  labels: number[];
  /** counts[i][j] = voxels where the rater says labels[i] and the truth is labels[j]. */
  counts: number[][];
}

/** A rater's true confusion matrix (`confusionMatrix`), as dataset.json's `confusionMatrices` records it. */
export interface ConfusionMatrix {
  /** Label values, in matrix order (background 0 first). */
  labels: number[];
  /** matrix[i][j] = P(rater = labels[i] | truth = labels[j]); null columns where the truth never has labels[j]. */
  matrix: (number | null)[][];
  /** Voxels of each truth label (column totals). */
  truthVoxels: number[];
}

/** Voxel counts of (rater, truth) label pairs; voxels with a label outside `labels` are an error. */
export function confusionCounts(
  truth: ArrayLike<number>,
  rater: ArrayLike<number>,
  labels: readonly number[],
  into?: ConfusionCounts,
): ConfusionCounts {
  if (truth.length !== rater.length)
    throw new MultiraterError(
      'size_mismatch',
      `confusion matrix: truth has ${truth.length} voxels, rater ${rater.length}`,
    );
  const index = new Int32Array(256).fill(-1);
  labels.forEach((l, n) => (index[l] = n));
  const k = labels.length;
  const flat = new Float64Array(k * k);
  for (let v = 0; v < truth.length; v++) {
    const j = index[truth[v]];
    const i = index[rater[v]];
    if (i < 0 || j < 0)
      throw new MultiraterError(
        'invalid_label',
        `confusion matrix: label ${i < 0 ? rater[v] : truth[v]} is not one of ${labels.join(', ')}`,
      );
    flat[i * k + j]++;
  }
  const out = into ?? { labels: [...labels], counts: labels.map(() => labels.map(() => 0)) };
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out.counts[i][j] += flat[i * k + j];
  return out;
}

/** Column-normalised matrix of `counts`. */
export function confusionMatrix(counts: ConfusionCounts): ConfusionMatrix {
  const truthVoxels = counts.labels.map((_, j) => counts.counts.reduce((s, row) => s + row[j], 0));
  const matrix = counts.counts.map((row) => row.map((c, j) => (truthVoxels[j] > 0 ? c / truthVoxels[j] : null)));
  return { labels: [...counts.labels], matrix, truthVoxels };
}
