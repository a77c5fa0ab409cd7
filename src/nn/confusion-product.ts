/**
 * The annotator model's per-pixel confusion-matrix product (Zhang et al. 2020, "Disentangling human error from
 * the ground truth in segmentation of medical images"): an annotator's label distribution is
 * out[n, i, …] = Σ_j A[n, i, j, …] · p[n, j, …], with A's columns (axis 1) summing to one.
 */
import * as F from './functional.ts';
import type { Value } from './graph.ts';

/** `cm` [N, L, L, spatial…] (column-stochastic), `p` [N, L, spatial…] → [N, L, spatial…]. */
export function confusionProduct(cm: Value, p: Value): Value {
  return F.reduceSum(F.mul(cm, F.unsqueeze(p, [1])), [2], false);
}
