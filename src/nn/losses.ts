/**
 * Segmentation losses as graph-building functions (logits [N, C, spatial…], integer targets [N, spatial…]), each
 * returning a scalar. Definitions match `fixtures/nn-reference.json`: cross-entropy is the mean over pixels of
 * −log softmax(logits)[target]; soft Dice (Milletari et al. 2016) is 1 − mean over classes of
 * (2Σp·t + ε)/(Σp + Σt + ε) with sums over batch and pixels; MAE (Ghosh et al. 2017) is the mean over pixels of
 * Σ_c |p − t|.
 */
import * as F from './functional.ts';
import type { Value } from './graph.ts';

/** One-hot float32 encoding of integer `target` [N, spatial…] over `classes` on axis 1. */
export function oneHot(target: Value, classes: number): Value {
  const ids = target.graph.constant(
    {
      dtype: 'int64',
      shape: [1, classes, ...Array(target.rank - 1).fill(1)],
      data: BigInt64Array.from({ length: classes }, (_, i) => BigInt(i)),
    },
    'class_ids',
  );
  const t = target.dtype === 'int64' ? target : F.cast(target, 'int64');
  return F.cast(F.equal(F.unsqueeze(t, [1]), ids), 'float32');
}

function allAxes(v: Value): number[] {
  return v.shape.map((_, i) => i);
}

function pixelCount(logits: Value): number {
  const s = logits.staticShape;
  return s[0] * s.slice(2).reduce((a, b) => a * b, 1);
}

/** Cross-entropy: the mean over the batch's pixels of −log softmax(logits)[target]. */
export function crossEntropy(logits: Value, target: Value): Value {
  const picked = F.mul(F.logSoftmax(logits, 1), oneHot(target, logits.staticShape[1]));
  return F.mul(F.reduceSum(picked, allAxes(picked), false), F.scalarLike(logits, -1 / pixelCount(logits)));
}

/** Options of `softDice` (and of the sums that include it). */
export interface SoftDiceOptions {
  /** Added to numerator and denominator; default 1e-5. */
  readonly smooth?: number;
}

/**
 * Soft Dice loss (Milletari et al. 2016): 1 − mean over all C classes, background included, of
 * (2Σp·t + ε)/(Σp + Σt + ε), p = softmax(logits), sums over the whole batch's pixels.
 */
export function softDice(logits: Value, target: Value, options: SoftDiceOptions = {}): Value {
  const smooth = F.scalarLike(logits, options.smooth ?? 1e-5);
  const p = F.softmax(logits, 1);
  const t = oneHot(target, logits.staticShape[1]);
  const axes = allAxes(p).filter((i) => i !== 1);
  const inter = F.reduceSum(F.mul(p, t), axes, false);
  const denom = F.add(F.reduceSum(p, axes, false), F.reduceSum(t, axes, false));
  const dice = F.div(F.add(F.mul(inter, F.scalarLike(inter, 2)), smooth), F.add(denom, smooth));
  return F.sub(F.scalarLike(logits, 1), F.reduceMean(dice, [0], false));
}

/** MAE (Ghosh et al. 2017): the mean over pixels of Σ_c |softmax(logits)_c − onehot(target)_c| (0–2). */
export function meanAbsoluteError(logits: Value, target: Value): Value {
  const diff = F.abs(F.sub(F.softmax(logits, 1), oneHot(target, logits.staticShape[1])));
  return F.mul(F.reduceSum(diff, allAxes(diff), false), F.scalarLike(logits, 1 / pixelCount(logits)));
}

/** Cross-entropy plus soft Dice, as in the non-expert cardiac study. */
export function crossEntropyDice(logits: Value, target: Value, options: SoftDiceOptions = {}): Value {
  return F.add(crossEntropy(logits, target), softDice(logits, target, options));
}

/** MAE plus soft Dice. */
export function meanAbsoluteErrorDice(logits: Value, target: Value, options: SoftDiceOptions = {}): Value {
  return F.add(meanAbsoluteError(logits, target), softDice(logits, target, options));
}
