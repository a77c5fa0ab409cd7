/**
 * Overlap metrics of one label from its voxel counts, as pinned in SPEC-metrics.md (Dice 1945; Jaccard 1912;
 * the rates of a 2×2 confusion table). Undefined ratios are `null`, never NaN; Dice and Jaccard of two empty
 * masks are 1.
 */

/** Voxel counts of a prediction P against a reference R for one label. */
export interface OverlapCounts {
  /** |P ∩ R| voxels. */
  tp: number;
  /** |P \ R| voxels. */
  fp: number;
  /** |R \ P| voxels. */
  fn: number;
  /** Voxels in neither. */
  tn: number;
}

/** Overlap metrics of one label. Ratios are in [0, 1]; volumes in mm³. */
export interface OverlapMetrics extends OverlapCounts {
  /** 2·TP / (|P| + |R|); 1 when both are empty. */
  dice: number;
  /** TP / (TP + FP + FN); 1 when both are empty. */
  jaccard: number;
  /** TP / (TP + FN); null when R is empty. */
  sensitivity: number | null;
  /** TN / (TN + FP); null when TN + FP = 0. */
  specificity: number | null;
  /** Voxel-wise false positive rate FP / (FP + TN); null when FP + TN = 0. */
  fpr: number | null;
  /** False discovery rate FP / (TP + FP); null when P is empty. */
  fdr: number | null;
  /** |P| × voxel volume, mm³. */
  volumePred_mm3: number;
  /** |R| × voxel volume, mm³. */
  volumeRef_mm3: number;
}

/** Overlap metrics from the counts; `voxelVolume` is the volume of one voxel in mm³. */
export function overlapMetrics(counts: OverlapCounts, voxelVolume: number): OverlapMetrics {
  const { tp, fp, fn, tn } = counts;
  const union = tp + fp + fn;
  return {
    tp,
    fp,
    fn,
    tn,
    dice: union === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn),
    jaccard: union === 0 ? 1 : tp / union,
    sensitivity: ratio(tp, tp + fn),
    specificity: ratio(tn, tn + fp),
    fpr: ratio(fp, fp + tn),
    fdr: ratio(fp, tp + fp),
    volumePred_mm3: (tp + fp) * voxelVolume,
    volumeRef_mm3: (tp + fn) * voxelVolume,
  };
}

function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}
