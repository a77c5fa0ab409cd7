/**
 * The annotator confusion-matrix network of Zhang et al. 2020 ("Disentangling human error from the ground truth in
 * segmentation of medical images", NeurIPS): a registered segmentation network p_θ plus annotator heads on its last
 * decoder features — the input of its final layer — made of two [conv 3 → norm → activation] blocks and a 1×1
 * convolution to R·L·L channels, channel r·L·L + i·L + j, reshaped to [N, R, L(i), L(j), spatial…] with a softmax
 * over i, so every pixel carries one column-stochastic matrix CM[i][j] = P(annotator r says i | truth j) per
 * annotator. Variant `cm: 'global'`: one learned L×L matrix per annotator, [R, L, L], softmax over i.
 * Either starts close to the identity: a constant logit offset puts IDENTITY_PROBABILITY on each diagonal entry, the
 * last layer's bias starts at 0 and its weights small (normal, σ = 1e-3), so the first steps fit p_θ to the annotators as if they were reliable.
 * Parameters of the segmentation network keep the names the network has alone, so its inference export is the
 * plain network's; the heads live under the scope `annotators`.
 */
import { MultiraterError } from '../errors.ts';
import { F } from '../nn/index.ts';
import type { Value } from '../nn/index.ts';
import { convLayer } from '../nn/index.ts';
import { convNormAct, cube, type ActivationKind, type BlockContext, type NormKind } from './blocks.ts';

/** Options of the annotator model (besides those of the network it wraps). */
export interface AnnotatorCmOptions {
  /** The registered segmentation network wrapped; default unet2d (2D) or unet3d (3D). */
  readonly base?: string;
  /** Per-pixel matrices from heads on the decoder features ('pixel', default) or one matrix per annotator ('global'). */
  readonly cm?: 'pixel' | 'global';
  /** Number of annotators R; default 1 (the trainer sets it from the chosen raters). */
  readonly annotators?: number;
  /** Channels of the two head blocks; default the decoder features' channels. */
  readonly headChannels?: number;
}

/** Probability on each diagonal entry of a matrix at initialisation. */
export const IDENTITY_PROBABILITY = 0.9;

/** The logit offset giving IDENTITY_PROBABILITY on the diagonal: e^b / (e^b + L − 1) = P. */
function identityLogit(classes: number): number {
  return Math.log((IDENTITY_PROBABILITY * (classes - 1)) / (1 - IDENTITY_PROBABILITY));
}

/** A [shape] constant that is `identityLogit` where i = j on axes (axisI, axisI + 1), else 0. */
function identityOffset(x: Value, annotators: number, classes: number, rank: number, axisI: number): Value {
  const data = new Float32Array(annotators * classes * classes);
  const b = identityLogit(classes);
  for (let r = 0; r < annotators; r++)
    for (let i = 0; i < classes; i++) data[r * classes * classes + i * classes + i] = b;
  const shape = Array(rank).fill(1);
  shape[axisI - 1] = annotators;
  shape[axisI] = classes;
  shape[axisI + 1] = classes;
  return x.graph.constant({ dtype: 'float32', shape, data }, 'cm_identity');
}

/** The features the network's final layer reads (the input of the node producing `logits`). */
export function finalLayerInput(logits: Value): Value {
  const node = logits.producer;
  const input = node?.inputs[0];
  if (node === null || (node.op !== 'Conv' && node.op !== 'ConvTranspose') || input === null || input === undefined) {
    throw new MultiraterError(
      'invalid_argument',
      `annotator heads need a network whose logits come from a final convolution; ${logits.name} comes from ${node?.op ?? 'a feed'}`,
    );
  }
  return input;
}

/** Head settings taken from the wrapped network's options. */
export interface AnnotatorHeadContext {
  /** Build the training graph (batch statistics) rather than the inference graph (running statistics). */
  readonly training: boolean;
  /** Normalisation in the two head blocks; default 'batch'. */
  readonly norm?: NormKind;
  /** Activation in the two head blocks; default 'relu'. */
  readonly activation?: ActivationKind;
}

/**
 * Adds the annotator part to `logits` (the segmentation network's output): per-pixel heads on its final layer's
 * input, or global matrices. `classes` L, `options.annotators` R.
 */
export function annotatorHeads(
  logits: Value,
  classes: number,
  options: AnnotatorCmOptions,
  head: AnnotatorHeadContext,
): Value {
  const annotators = options.annotators ?? 1;
  if (!Number.isInteger(annotators) || annotators < 1)
    throw new MultiraterError(
      'invalid_argument',
      `annotator-cm: annotators must be a positive integer, got ${annotators}`,
    );
  const g = logits.graph;
  if ((options.cm ?? 'pixel') === 'global') {
    const w = g.scope('annotators', () =>
      g.param('cm', [annotators, classes, classes], { kind: 'constant', value: 0 }),
    );
    return F.softmax(F.add(w, identityOffset(w, annotators, classes, 3, 1)), 1);
  }
  const features = finalLayerInput(logits);
  const dims = features.rank - 2;
  const channels = options.headChannels ?? (features.shape[1] as number);
  const ctx: BlockContext = {
    training: head.training,
    norm: head.norm ?? 'batch',
    activation: head.activation ?? 'relu',
  };
  const h = convNormAct('annotators.block2', convNormAct('annotators.block1', features, channels, ctx), channels, ctx);
  const out = convLayer('annotators.out', h, {
    outChannels: annotators * classes * classes,
    kernel: cube(1, dims),
    bias: false,
    init: () => ({ kind: 'normal', std: 1e-3 }),
  });
  const bias = g.scope('annotators.out', () =>
    g.param('bias', [annotators, classes, classes, ...Array(dims).fill(1)], { kind: 'constant', value: 0 }),
  );
  const spatial = features.shape.slice(2).map((d) => {
    if (typeof d !== 'number')
      throw new MultiraterError('shape_error', `annotator heads need static spatial sizes, got ${features.toString()}`);
    return d;
  });
  const cmLogits = F.reshape(out, [0, annotators, classes, classes, ...spatial]);
  return F.softmax(F.add(F.add(cmLogits, bias), identityOffset(out, annotators, classes, 4 + dims, 2)), 2);
}
