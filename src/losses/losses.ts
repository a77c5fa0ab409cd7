/**
 * Segmentation losses by name, for `train --loss`. Each maps logits [N, C, spatial…] and integer targets
 * [N, spatial…] to a scalar graph value. Cross-entropy, soft Dice (Milletari et al. 2016), MAE (Ghosh et al. 2017)
 * and their sums come from the engine (`nn/losses.ts`, checked against fixtures/nn-reference.json); this file adds:
 * - class-weighted cross-entropy, as PyTorch's `CrossEntropyLoss(weight=w)`: Σ w[t]·(−log p_t) / Σ w[t];
 * - binary cross-entropy on each class's one-hot channel with a sigmoid per channel (`BCEWithLogitsLoss`, mean
 *   over batch, classes and pixels), written as max(z, 0) − z·t + log(1 + e^(−|z|)) for stability; with one
 *   logit channel (HighRes3DNet's binary head) that channel is the foreground's, t = [label ≥ 1];
 * - generalised cross-entropy (Zhang & Sabuncu 2018, "Generalized Cross Entropy Loss for Training Deep Neural
 *   Networks with Noisy Labels"): mean over pixels of (1 − p_t^q)/q with p_t = softmax(logits)[target], q = 0.7;
 *   p_t^q is computed as exp(q·log_softmax) so it stays finite when p_t underflows;
 * - soft Dice per sample, summed over the batch ('sample-dice', the expert-adaptive segmentation study's loss):
 *   Σ_n [1 − mean over foreground classes c ≥ 1 of (2Σp·t + ε)/(Σp + Σt + ε)], sums over the pixels of sample n,
 *   so every (image, expert) sample counts alike whatever the size of its structure.
 */
import { MultiraterError } from '../errors.ts';
import { F } from '../nn/index.ts';
import type { Value } from '../nn/index.ts';
import {
  crossEntropy,
  crossEntropyDice,
  meanAbsoluteError,
  meanAbsoluteErrorDice,
  oneHot,
  softDice,
} from '../nn/index.ts';

/** The names `train --loss` accepts. */
export const LOSS_NAMES = ['ce', 'dice', 'ce+dice', 'mae', 'mae+dice', 'bce', 'gce', 'sample-dice'] as const;
/** One of `LOSS_NAMES`, as `buildLoss` and `train --loss` take it. */
export type LossName = (typeof LOSS_NAMES)[number];

/** Options of `buildLoss`; each applies only to the losses it names. */
export interface LossOptions {
  /** Cross-entropy weight per class (length C, ≥ 0, not all 0); used by 'ce' and 'ce+dice'. Default: all 1. */
  classWeights?: readonly number[];
  /** Generalised cross-entropy exponent q in (0, 1]; default 0.7 (q → 0 is CE, q = 1 is MAE/2). */
  gceQ?: number;
  /** Soft Dice smoothing added to numerator and denominator; default 1e-5. */
  diceSmooth?: number;
}

function sumAll(v: Value): Value {
  return F.reduceSum(
    v,
    v.shape.map((_, i) => i),
    false,
  );
}

/** Cross-entropy with per-class weights w: Σ_pixels w[t]·(−log p_t) / Σ_pixels w[t]. */
export function weightedCrossEntropy(logits: Value, target: Value, weights: readonly number[]): Value {
  const c = logits.staticShape[1];
  if (weights.length !== c || weights.some((w) => !(w >= 0)) || weights.every((w) => w === 0)) {
    throw new MultiraterError(
      'invalid_argument',
      `class weights must be ${c} non-negative numbers, not all 0, got [${weights.join(', ')}]`,
    );
  }
  const g = logits.graph;
  const w = g.constant(
    { dtype: 'float32', shape: [1, c, ...Array(logits.rank - 2).fill(1)], data: Float32Array.from(weights) },
    'class_weights',
  );
  const weightedOneHot = F.mul(oneHot(target, c), w);
  const numerator = sumAll(F.mul(F.logSoftmax(logits, 1), weightedOneHot));
  return F.div(F.neg(numerator), sumAll(weightedOneHot));
}

/**
 * Binary cross-entropy with logits on every class channel against the one-hot target (mean over all entries);
 * one channel is the foreground's (target ≥ 1).
 */
export function binaryCrossEntropy(logits: Value, target: Value): Value {
  const t = logits.staticShape[1] === 1 ? foreground(target) : oneHot(target, logits.staticShape[1]);
  const perEntry = F.add(
    F.sub(F.relu(logits), F.mul(logits, t)),
    F.log(F.add(F.scalarLike(logits, 1), F.exp(F.neg(F.abs(logits))))),
  );
  return F.reduceMean(
    perEntry,
    perEntry.shape.map((_, i) => i),
    false,
  );
}

/** [label ≥ 1] as float32 [N, 1, spatial…] from integer labels [N, spatial…]. */
function foreground(target: Value): Value {
  const g = target.graph;
  const t = target.dtype === 'int64' ? target : F.cast(target, 'int64');
  return F.cast(F.greater(F.unsqueeze(t, [1]), g.scalar(0, 'int64')), 'float32');
}

/** Generalised cross-entropy: mean over pixels of (1 − p_t^q)/q. */
export function generalizedCrossEntropy(logits: Value, target: Value, q = 0.7): Value {
  if (!(q > 0 && q <= 1)) throw new MultiraterError('invalid_argument', `GCE q must be within (0, 1], got ${q}`);
  const logPt = F.reduceSum(F.mul(F.logSoftmax(logits, 1), oneHot(target, logits.staticShape[1])), [1], false);
  const ptq = F.exp(F.mul(logPt, F.scalarLike(logPt, q)));
  const perPixel = F.mul(F.sub(F.scalarLike(ptq, 1), ptq), F.scalarLike(ptq, 1 / q));
  return F.reduceMean(
    perPixel,
    perPixel.shape.map((_, i) => i),
    false,
  );
}

/** Σ over samples of 1 − (mean soft Dice of the foreground classes of that sample). */
export function sampleDice(logits: Value, target: Value, smooth = 1e-5): Value {
  const [n, c] = logits.staticShape;
  if (c < 2)
    throw new MultiraterError(
      'invalid_argument',
      `sample-dice needs at least 2 classes (background and a structure), got ${c}`,
    );
  const p = F.slice(F.softmax(logits, 1), [1], [c], [1]);
  const t = F.slice(oneHot(target, c), [1], [c], [1]);
  const pixels = p.shape.map((_, i) => i).filter((i) => i >= 2);
  const eps = F.scalarLike(p, smooth);
  const inter = F.reduceSum(F.mul(p, t), pixels, false);
  const denom = F.add(F.reduceSum(p, pixels, false), F.reduceSum(t, pixels, false));
  const dice = F.div(F.add(F.mul(inter, F.scalarLike(inter, 2)), eps), F.add(denom, eps));
  return F.sub(F.scalarLike(logits, n), sumAll(F.reduceMean(dice, [1], false)));
}

/** Checks that `name` is a known loss. */
export function parseLossName(name: string): LossName {
  if (!(LOSS_NAMES as readonly string[]).includes(name))
    throw new MultiraterError('unknown_name', `unknown loss "${name}" (known: ${LOSS_NAMES.join(', ')})`);
  return name as LossName;
}

/** The scalar loss `name` of `logits` against `target`. */
export function buildLoss(name: LossName, logits: Value, target: Value, options: LossOptions = {}): Value {
  const dice = { smooth: options.diceSmooth };
  const ce = (): Value =>
    options.classWeights ? weightedCrossEntropy(logits, target, options.classWeights) : crossEntropy(logits, target);
  switch (name) {
    case 'ce':
      return ce();
    case 'dice':
      return softDice(logits, target, dice);
    case 'ce+dice':
      return options.classWeights
        ? F.add(ce(), softDice(logits, target, dice))
        : crossEntropyDice(logits, target, dice);
    case 'mae':
      return meanAbsoluteError(logits, target);
    case 'mae+dice':
      return meanAbsoluteErrorDice(logits, target, dice);
    case 'bce':
      return binaryCrossEntropy(logits, target);
    case 'gce':
      return generalizedCrossEntropy(logits, target, options.gceQ ?? 0.7);
    case 'sample-dice':
      return sampleDice(logits, target, options.diceSmooth);
  }
}
