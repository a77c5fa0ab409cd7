/**
 * Annotator confusion matrices (SPEC-metrics.md; Tanno et al., "Learning from noisy labels by regularized
 * estimation of annotator confusion", CVPR 2019): CM[i][j] = P(annotator says i | truth is j), so each column
 * sums to 1; and the CM-estimation error of that paper's Table 1, the root-mean-square difference between
 * estimated and true entries, averaged over annotators.
 */
import { MultiraterError } from '../errors.ts';
import type { VoxelArray } from '../volume/index.ts';

/** Options of `empiricalConfusionMatrix`. */
export interface EmpiricalConfusionMatrixOptions {
  /** Number of classes K; labels must be 0 … K−1. */
  classes: number;
}

/**
 * The empirical confusion matrix of a rater's label map against the truth (same voxel count): K×K rows = rater's
 * label, columns = truth label; a column whose truth class never occurs is all null.
 */
export function empiricalConfusionMatrix(
  rater: VoxelArray,
  truth: VoxelArray,
  options: EmpiricalConfusionMatrixOptions,
): (number | null)[][] {
  const k = options.classes;
  if (rater.length !== truth.length) {
    throw new MultiraterError(
      'size_mismatch',
      `confusion matrix: rater has ${rater.length} voxels, truth ${truth.length}`,
    );
  }
  const counts = new Float64Array(k * k);
  for (let v = 0; v < rater.length; v++) {
    const i = rater[v];
    const j = truth[v];
    if (!(i >= 0 && i < k && j >= 0 && j < k) || !Number.isInteger(i) || !Number.isInteger(j)) {
      throw new MultiraterError(
        'invalid_label',
        `confusion matrix: label ${i >= 0 && i < k ? j : i} at voxel ${v} is outside 0…${k - 1}`,
      );
    }
    counts[i * k + j]++;
  }
  const cm: (number | null)[][] = [];
  for (let i = 0; i < k; i++) cm.push(new Array<number | null>(k).fill(null));
  for (let j = 0; j < k; j++) {
    let column = 0;
    for (let i = 0; i < k; i++) column += counts[i * k + j];
    if (column === 0) continue;
    for (let i = 0; i < k; i++) cm[i][j] = counts[i * k + j] / column;
  }
  return cm;
}

/**
 * CM estimation error: for each annotator the RMSE over all K×K entries between `estimated[r]` and `truth[r]`,
 * then the mean over annotators. Entries null in either matrix are left out of that annotator's RMSE.
 */
export function confusionMatrixRmse(
  estimated: readonly (readonly (readonly (number | null)[])[])[],
  truth: readonly (readonly (readonly (number | null)[])[])[],
): number {
  if (estimated.length !== truth.length || estimated.length === 0) {
    throw new MultiraterError(
      'size_mismatch',
      `confusion-matrix RMSE: ${estimated.length} estimated matrices for ${truth.length} true ones`,
    );
  }
  let total = 0;
  estimated.forEach((est, r) => {
    const tru = truth[r];
    if (est.length !== tru.length) {
      throw new MultiraterError(
        'size_mismatch',
        `confusion-matrix RMSE: annotator ${r} has a ${est.length}-class estimate for a ${tru.length}-class truth`,
      );
    }
    let sq = 0;
    let n = 0;
    est.forEach((row, i) =>
      row.forEach((e, j) => {
        const t = tru[i][j];
        if (e === null || t === null) return;
        sq += (e - t) ** 2;
        n++;
      }),
    );
    total += n === 0 ? 0 : Math.sqrt(sq / n);
  });
  return total / estimated.length;
}
