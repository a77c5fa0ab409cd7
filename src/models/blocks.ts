/**
 * Building blocks shared by the networks: a convolution followed by normalisation and activation, with the
 * choices every model exposes (normalisation batch|instance|cin|none, activation), for 2D and 3D alike.
 * 'cin' is conditional instance normalisation: per-expert γ, β ([experts, C]) picked per sample by the fed expert
 * index (`ModelInputs.expert`), every other weight shared.
 */
import { MultiraterError } from '../errors.ts';
import { F } from '../nn/index.ts';
import type { Value } from '../nn/index.ts';
import { batchNormLayer, conditionalInstanceNormLayer, convLayer, instanceNormLayer } from '../nn/index.ts';

/** The normalisations after each convolution: 'cin' is conditional instance norm (one γ, β row per expert). */
export const NORM_KINDS = ['batch', 'instance', 'cin', 'none'] as const;

/** Normalisation after each convolution. */
export type NormKind = (typeof NORM_KINDS)[number];

/** Inputs a network takes besides the image. */
export interface ModelInputs {
  /** Expert index per sample ([N], int64, 0 … experts − 1): selects each conditional instance norm's γ, β row. */
  readonly expert?: Value;
}

/** Non-linearity after each normalisation. */
export type ActivationKind = 'relu' | 'leaky-relu' | 'elu' | 'prelu';

/** Per-forward-pass settings shared by every block of a model. */
export interface BlockContext {
  /** Batch statistics and dropout on (training graph) or running statistics, no dropout (inference graph). */
  readonly training: boolean;
  /** Normalisation after each convolution ('none': no layer, and the convolution keeps its bias). */
  readonly norm: NormKind;
  /** Non-linearity after each normalisation. */
  readonly activation: ActivationKind;
  /** Conditional instance norm: the number of expert slots and the fed per-sample expert index. */
  readonly experts?: number;
  /** Conditional instance norm: expert index per sample ([N], int64); required when `norm` is 'cin'. */
  readonly expert?: Value;
}

/** Normalisation layer `name` of kind `ctx.norm` (identity for 'none'). */
export function normLayer(name: string, x: Value, ctx: BlockContext): Value {
  if (ctx.norm === 'batch') return batchNormLayer(name, x, { training: ctx.training });
  if (ctx.norm === 'instance') return instanceNormLayer(name, x);
  if (ctx.norm === 'cin') {
    if (ctx.expert === undefined || ctx.experts === undefined || !(ctx.experts >= 1)) {
      throw new MultiraterError(
        'invalid_argument',
        `${name}: conditional instance norm needs the number of experts and the expert index input`,
      );
    }
    return conditionalInstanceNormLayer(name, x, ctx.expert, ctx.experts);
  }
  return x;
}

/** Activation `ctx.activation`; PReLU learns one slope per channel (initial 0.25, as PyTorch), named `name.slope`. */
export function activate(name: string, x: Value, kind: ActivationKind): Value {
  switch (kind) {
    case 'relu':
      return F.relu(x);
    case 'leaky-relu':
      return F.leakyRelu(x, 0.01);
    case 'elu':
      return F.elu(x);
    case 'prelu': {
      const g = x.graph;
      const slope = g.scope(name, () => g.param('slope', [x.shape[1] as number], { kind: 'constant', value: 0.25 }));
      return F.prelu(x, slope);
    }
  }
}

/** Kernel of `size` pixels along each of `dims` axes. */
export function cube(size: number, dims: number): number[] {
  return Array(dims).fill(size);
}

/**
 * Conv (kernel k, 'same' padding, stride s) → norm → activation, named `name.conv`, `name.norm`, `name.act`.
 * The convolution has no bias when a normalisation follows (its bias would be cancelled).
 */
export function convNormAct(name: string, x: Value, outChannels: number, ctx: BlockContext, k = 3, stride = 1): Value {
  const dims = x.rank - 2;
  const h = convLayer(`${name}.conv`, x, {
    outChannels,
    kernel: cube(k, dims),
    stride: cube(stride, dims),
    padding: cube(Math.floor(k / 2), dims),
    bias: ctx.norm === 'none',
  });
  return activate(`${name}.act`, normLayer(`${name}.norm`, h, ctx), ctx.activation);
}
