/**
 * Building blocks shared by the networks: a convolution followed by normalisation and activation, with the
 * choices every model exposes (normalisation batch|instance|none, activation), for 2D and 3D alike.
 */
import * as F from '../nn/functional.ts';
import type { Value } from '../nn/graph.ts';
import { batchNormLayer, convLayer, instanceNormLayer } from '../nn/layers.ts';

/** Normalisation after each convolution. */
export type NormKind = 'batch' | 'instance' | 'none';

/** Non-linearity after each normalisation. */
export type ActivationKind = 'relu' | 'leaky-relu' | 'elu' | 'prelu';

/** Per-forward-pass settings shared by every block of a model. */
export interface BlockContext {
  /** Batch statistics and dropout on (training graph) or running statistics, no dropout (inference graph). */
  readonly training: boolean;
  readonly norm: NormKind;
  readonly activation: ActivationKind;
}

/** Normalisation layer `name` of kind `ctx.norm` (identity for 'none'). */
export function normLayer(name: string, x: Value, ctx: BlockContext): Value {
  if (ctx.norm === 'batch') return batchNormLayer(name, x, { training: ctx.training });
  if (ctx.norm === 'instance') return instanceNormLayer(name, x);
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
