/**
 * The annotator confusion-matrix loss of Zhang et al. 2020 ("Disentangling human error from the ground truth in
 * segmentation of medical images", NeurIPS; eq. 4), as pinned by `fixtures/nn-wave2.json` (`cm_loss_pixelwise`,
 * `cm_loss_global`): with p = softmax(seg logits) [N, L, …] and annotator r's column-stochastic confusion matrices A_r
 * (CM[i][j] = P(annotator says i | truth j)), annotator r's label distribution is q_r = A_r·p per pixel, and
 *   loss = (1/N) Σ_n Σ_r mask[n, r] · ( mean_pixels −log q_r[label_r] + λ · mean_pixels tr(A_r) ).
 * The product is already a distribution, so it is not passed through a second softmax. `mask[n, r]` is 1 where
 * annotator r labelled image n, so missing labels add nothing; the sum is divided by the batch size N, not by the
 * number of labels. This is variant 'paper' (the default).
 * Variant 'published' is the authors' public code (moucheng2017/Learn_Noisy_Labels_Medical_Images, Loss.py,
 * `noisy_label_loss`): per annotator `nn.CrossEntropyLoss(reduction='mean')(A_r·p, label_r)`, which treats the
 * probabilities A_r·p as logits, i.e. −log softmax_i((A_r·p)_i)[label_r] averaged over the batch's N·H·W pixels,
 * plus λ · tr(Σ_pixels A_r) / (N·H·W); the annotators' terms are summed (not averaged). So
 *   loss = (1/N) Σ_n Σ_r mask[n, r] · ( mean_pixels −log softmax(q_r)[label_r] + λ · mean_pixels tr(A_r) ),
 * the same reduction as 'paper' with only the second softmax added: with every mask entry 1 (the published code has
 * no missing labels) it is the published loss exactly; the mask extends it as for 'paper'. Its `cm / cm.sum(1)`
 * normalisation is the identity here (A_r arrives column-stochastic), and log softmax needs no clipping.
 * Also the naive baseline's soft-target cross-entropy against the mean label (the fraction of annotators of each
 * image saying each class).
 */
import { MultiraterError } from '../errors.ts';
import { F } from '../nn/index.ts';
import type { Value } from '../nn/index.ts';

/** q below this is clipped before the logarithm (float32 safety; never reached by a softmax product in practice). */
const MIN_PROBABILITY = 1e-12;

/** The annotator CM loss's variants (see the file comment): the paper's equations, or the authors' published code. */
export const CM_LOSS_NAMES = ['paper', 'published'] as const;
/** One of `CM_LOSS_NAMES`: 'paper' or 'published'. */
export type CmLossName = (typeof CM_LOSS_NAMES)[number];

/** `name` as a CM loss variant; `unknown_name` listing the known ones otherwise. */
export function parseCmLossName(name: string): CmLossName {
  if (!(CM_LOSS_NAMES as readonly string[]).includes(name))
    throw new MultiraterError(
      'unknown_name',
      `unknown annotator CM loss "${name}" (known: ${CM_LOSS_NAMES.join(', ')})`,
    );
  return name as CmLossName;
}

/** Options of `annotatorCmLoss`: the trace penalty's weight and the loss variant. */
export interface AnnotatorCmLossOptions {
  /** λ, the weight of the mean trace of the annotators' matrices (dimensionless); default 0. */
  readonly traceWeight?: number;
  /** 'paper' (default: −log of A·p) or 'published' (−log softmax of A·p, as the authors' code). */
  readonly variant?: CmLossName;
}

function classIds(labels: Value, classes: number, axis: number): Value {
  const shape = Array(labels.rank + 1).fill(1);
  shape[axis] = classes;
  return labels.graph.constant(
    { dtype: 'int64', shape, data: BigInt64Array.from({ length: classes }, (_, i) => BigInt(i)) },
    'class_ids',
  );
}

/** One-hot float32 of integer `labels` [N, R, spatial…] with the classes inserted at axis 2 → [N, R, L, spatial…]. */
function oneHotAxis2(labels: Value, classes: number): Value {
  const t = labels.dtype === 'int64' ? labels : F.cast(labels, 'int64');
  return F.cast(F.equal(F.unsqueeze(t, [2]), classIds(labels, classes, 2)), 'float32');
}

function spatialAxes(v: Value, first: number): number[] {
  return v.shape.map((_, i) => i).slice(first);
}

/**
 * Annotator r's label distribution q [N, R, L, spatial…] from `cm` — per pixel [N, R, L, L, spatial…] or one per
 * annotator [R, L, L] — and the segmentation probabilities `p` [N, L, spatial…].
 */
export function annotatorDistributions(cm: Value, p: Value): Value {
  const spatial = p.rank - 2;
  const a = cm.rank === 3 ? F.unsqueeze(cm, [0, ...Array.from({ length: spatial }, (_, k) => 4 + k)]) : cm;
  return F.reduceSum(F.mul(a, F.unsqueeze(p, [1, 2])), [3], false);
}

/** Per (image, annotator) mean trace [N or 1, R] of `cm` (per pixel or global). */
function meanTrace(cm: Value, classes: number): Value {
  const g = cm.graph;
  const eye = new Float32Array(classes * classes);
  for (let i = 0; i < classes; i++) eye[i * classes + i] = 1;
  if (cm.rank === 3) {
    const diag = F.mul(cm, g.constant({ dtype: 'float32', shape: [1, classes, classes], data: eye }, 'eye'));
    return F.unsqueeze(F.reduceSum(diag, [1, 2], false), [0]);
  }
  const shape = [1, 1, classes, classes, ...Array(cm.rank - 4).fill(1)];
  const diag = F.mul(cm, g.constant({ dtype: 'float32', shape, data: eye }, 'eye'));
  return F.reduceMean(
    F.reduceSum(diag, [2, 3], false),
    spatialAxes(cm, 4).map((a) => a - 2),
    false,
  );
}

/**
 * The annotator CM loss (see the file comment): `segLogits` [N, L, spatial…]; `cm` column-stochastic (softmax over
 * axis i already applied), [N, R, L, L, spatial…] or [R, L, L]; `labels` integer [N, R, spatial…] (any value where
 * the mask is 0); `mask` float32 [N, R] of 0/1. Returns a scalar.
 */
export function annotatorCmLoss(
  segLogits: Value,
  cm: Value,
  labels: Value,
  mask: Value,
  options: AnnotatorCmLossOptions = {},
): Value {
  const classes = segLogits.staticShape[1];
  const n = segLogits.staticShape[0];
  const q = annotatorDistributions(cm, F.softmax(segLogits, 1));
  const logQ = options.variant === 'published' ? F.logSoftmax(q, 2) : F.log(F.clip(q, MIN_PROBABILITY));
  const picked = F.reduceSum(F.mul(logQ, oneHotAxis2(labels, classes)), [2], false);
  const nll = F.neg(F.reduceMean(picked, spatialAxes(picked, 2), false));
  const lambda = options.traceWeight ?? 0;
  const perLabel = lambda === 0 ? nll : F.add(nll, F.mul(meanTrace(cm, classes), F.scalarLike(nll, lambda)));
  return F.mul(F.reduceSum(F.mul(perLabel, mask), [0, 1], false), F.scalarLike(nll, 1 / n));
}

/**
 * Cross-entropy against soft targets: the mean over images and pixels of −Σ_c t_c log softmax(logits)_c, where t is
 * the fraction of the image's annotators (mask[n, r] = 1) whose label is c. `labels` [N, R, spatial…], `mask`
 * [N, R]; an image without any label contributes 0.
 */
export function meanLabelCrossEntropy(segLogits: Value, labels: Value, mask: Value): Value {
  const classes = segLogits.staticShape[1];
  const spatial = segLogits.rank - 2;
  const m = F.unsqueeze(mask, [2, ...Array.from({ length: spatial }, (_, k) => 3 + k)]);
  const votes = F.reduceSum(F.mul(oneHotAxis2(labels, classes), m), [1], false);
  const count = F.max(F.reduceSum(mask, [1], true), F.scalarLike(mask, 1));
  const target = F.div(
    votes,
    F.unsqueeze(
      count,
      Array.from({ length: spatial }, (_, k) => 2 + k),
    ),
  );
  const ce = F.reduceSum(F.mul(F.logSoftmax(segLogits, 1), target), [1], false);
  return F.neg(
    F.reduceMean(
      ce,
      ce.shape.map((_, i) => i),
      false,
    ),
  );
}
