/**
 * An annotator's image-level confusion matrix from the model's per-pixel ones: P(says i | truth j) estimated as the
 * mean of column j of A_r(x) over the pixels x whose reference label is j — the truth when it is known (validation),
 * else p_θ's arg-max (prediction). This is the per-pixel counterpart of the empirical matrix of a rater against the
 * truth (raters/confusion-matrix.ts, pooled counts), so the two compare entry by entry (`confusionMatrixRmse`,
 * SPEC-metrics.md); columns must be read where they apply, because elsewhere a per-pixel column is unconstrained
 * by the labels and the trace term drives it away from the identity. For global matrices it is the matrix itself.
 * Columns whose class never occurs in the reference are null.
 */

/** Running sums of the columns that apply, per annotator. */
export class ImageCmAccumulator {
  private readonly num: Float64Array;
  private readonly den: Float64Array;

  /** Empty sums for `annotators` R annotators and `classes` L classes. */
  constructor(
    /** R, the number of annotators (matrices). */
    readonly annotators: number,
    /** L, the number of classes (each matrix is L×L). */
    readonly classes: number,
  ) {
    this.num = new Float64Array(annotators * classes * classes);
    this.den = new Float64Array(annotators * classes);
  }

  /**
   * Adds `n` samples: `cms` [n, R, L, L, P] (per pixel) or [R, L, L] (global) and the reference labels
   * `reference` [n, P] (values ≥ L are skipped, e.g. a padding marker).
   */
  add(cms: Float32Array, reference: Uint8Array, n: number): void {
    const R = this.annotators;
    const L = this.classes;
    const pixels = reference.length / n;
    const global = cms.length === R * L * L;
    for (let s = 0; s < n; s++) {
      for (let x = 0; x < pixels; x++) {
        const j = reference[s * pixels + x];
        if (j >= L) continue;
        for (let r = 0; r < R; r++) {
          this.den[r * L + j]++;
          for (let i = 0; i < L; i++)
            this.num[(r * L + i) * L + j] += global
              ? cms[(r * L + i) * L + j]
              : cms[(((s * R + r) * L + i) * L + j) * pixels + x];
        }
      }
    }
  }

  /** The matrices [R][L][L] so far (null columns where the reference never has class j). */
  matrices(): (number | null)[][][] {
    const R = this.annotators;
    const L = this.classes;
    return Array.from({ length: R }, (_, r) =>
      Array.from({ length: L }, (_, i) =>
        Array.from({ length: L }, (_, j) =>
          this.den[r * L + j] > 0 ? this.num[(r * L + i) * L + j] / this.den[r * L + j] : null,
        ),
      ),
    );
  }
}
