/**
 * Layers: parameter creation (PyTorch default initialisation, names `scope.name.weight`) plus the operator call.
 * Models in `models/` are built from these. Normalisation layers take `training` to pick batch statistics (and
 * running-average updates) or the running statistics.
 */
import * as F from './functional.ts';
import type { Graph, Value } from './graph.ts';
import { ones, torchBias, torchWeight, zeros, type Initializer } from './init.ts';
import { conditionalInstanceNorm } from './normalization.ts';

/** Options of `convLayer` and `convTransposeLayer`. */
export interface ConvLayerOptions {
  /** Output channels (filters). */
  readonly outChannels: number;
  /** Kernel size per spatial axis, in pixels. */
  readonly kernel: readonly number[];
  /** Per spatial axis, in pixels; default 1. */
  readonly stride?: readonly number[];
  /** Symmetric zero padding per spatial axis, in pixels; default 0. */
  readonly padding?: readonly number[];
  /** Kernel dilation per spatial axis; default 1. */
  readonly dilation?: readonly number[];
  /** Channel groups (input and output channels divisible by it); default 1. */
  readonly groups?: number;
  /** Default true. */
  readonly bias?: boolean;
  /** Weight initialiser from the weight shape; default PyTorch's (`torchWeight`). */
  readonly init?: (shape: readonly number[]) => Initializer;
}

function pads(padding: readonly number[] | undefined, k: number): number[] {
  const p = padding ?? Array(k).fill(0);
  return [...p, ...p];
}

/** Conv layer named `name` on x [N, C, spatial…]. */
export function convLayer(name: string, x: Value, o: ConvLayerOptions): Value {
  return withConvParams(name, x, o, (groups) => [o.outChannels, (x.shape[1] as number) / groups], F.conv);
}

/** Transposed conv layer (weight [C_in, C_out/groups, k…]), e.g. the 2×2 stride-2 up-sampling of a U-Net. */
export function convTransposeLayer(name: string, x: Value, o: ConvLayerOptions): Value {
  return withConvParams(name, x, o, (groups) => [x.shape[1] as number, o.outChannels / groups], F.convTranspose);
}

/** A conv-like op in scope `name`: its weight (channel dims from `channels`, then the kernel) and bias, PyTorch init. */
function withConvParams(
  name: string,
  x: Value,
  o: ConvLayerOptions,
  channels: (groups: number) => number[],
  op: typeof F.conv,
): Value {
  const g = x.graph;
  return g.scope(name, () => {
    const groups = o.groups ?? 1;
    const shape = [...channels(groups), ...o.kernel];
    const w = g.param('weight', shape, (o.init ?? torchWeight)(shape));
    const b = o.bias === false ? null : g.param('bias', [o.outChannels], torchBias(shape));
    return op(x, w, b, {
      strides: o.stride,
      pads: pads(o.padding, o.kernel.length),
      dilations: o.dilation,
      group: groups,
    });
  });
}

/** Options of `linearLayer`. */
export interface LinearLayerOptions {
  /** Output features; the weight is [outFeatures, inFeatures] (PyTorch layout). */
  readonly outFeatures: number;
  /** Add a bias [outFeatures]; default true. */
  readonly bias?: boolean;
}

/** Fully connected layer on x [N, features]. */
export function linearLayer(name: string, x: Value, o: LinearLayerOptions): Value {
  const g = x.graph;
  return g.scope(name, () => {
    const shape = [o.outFeatures, x.shape[1] as number];
    const w = g.param('weight', shape, torchWeight(shape));
    const b = o.bias === false ? null : g.param('bias', [o.outFeatures], torchBias(shape));
    return F.gemm(x, w, b, { transB: true });
  });
}

/** Options of `batchNormLayer`. */
export interface NormLayerOptions {
  /** Batch statistics (true) or running statistics (false). */
  readonly training: boolean;
  /** Default 1e-5. */
  readonly epsilon?: number;
  /** Running-average momentum (PyTorch convention: new = (1−m)·old + m·batch); default 0.1. */
  readonly momentum?: number;
}

/**
 * BatchNorm layer with `weight`, `bias` and buffers `running_mean`, `running_var`. In training it normalises with
 * the batch statistics and records running-average updates (unbiased variance, as PyTorch).
 */
export function batchNormLayer(name: string, x: Value, o: NormLayerOptions): Value {
  const g: Graph = x.graph;
  return g.scope(name, () => {
    const c = x.shape[1] as number;
    const scale = g.param('weight', [c], ones);
    const bias = g.param('bias', [c], zeros);
    const mean = g.param('running_mean', [c], zeros, { trainable: false });
    const variance = g.param('running_var', [c], ones, { trainable: false });
    const eps = o.epsilon ?? 1e-5;
    if (!o.training) return F.batchNormInference(x, scale, bias, mean, variance, eps);
    const [y, bm, bv] = F.batchNormTraining(x, scale, bias, eps);
    const m = o.momentum ?? 0.1;
    const n = x.staticShape.reduce((a, b) => a * b, 1) / c;
    const blend = (old: Value, batch: Value): Value => F.add(F.mul(old, g.scalar(1 - m)), F.mul(batch, g.scalar(m)));
    g.updateBuffer(g.scopedName('running_mean'), blend(mean, bm));
    g.updateBuffer(g.scopedName('running_var'), blend(variance, F.mul(bv, g.scalar(n / Math.max(n - 1, 1)))));
    return y;
  });
}

/** InstanceNorm layer with affine `weight` and `bias` (same in training and inference). */
export function instanceNormLayer(name: string, x: Value, o: { epsilon?: number } = {}): Value {
  const g = x.graph;
  return g.scope(name, () => {
    const c = x.shape[1] as number;
    return F.instanceNorm(x, g.param('weight', [c], ones), g.param('bias', [c], zeros), o.epsilon ?? 1e-5);
  });
}

/**
 * Conditional InstanceNorm layer: `weight` and `bias` of shape [experts, C] (initial γ = 1, β = 0), row e[n]
 * applied to sample n; `expert` holds one integer index per sample ([N], int64).
 */
export function conditionalInstanceNormLayer(
  name: string,
  x: Value,
  expert: Value,
  experts: number,
  o: { epsilon?: number } = {},
): Value {
  const g = x.graph;
  return g.scope(name, () => {
    const c = x.shape[1] as number;
    return conditionalInstanceNorm(
      x,
      g.param('weight', [experts, c], ones),
      g.param('bias', [experts, c], zeros),
      expert,
      o.epsilon ?? 1e-5,
    );
  });
}
