/**
 * Typed functions over graph values, one per operator: `relu(x)`, `conv(x, w, b, { pads })`. Each adds a node to
 * the graph its inputs belong to. Models, losses and the gradient rules are written with these.
 */
import { MultiraterError } from '../errors.ts';
import type { Value } from './graph.ts';
import type { Attrs } from './ops/types.ts';
import { broadcastAxes, sameShape, type DType } from './shape.ts';

function one(op: string, inputs: readonly (Value | null)[], attrs: Attrs = {}): Value {
  const first = inputs.find((v): v is Value => v !== null);
  if (first === undefined) throw new MultiraterError('invalid_argument', `${op}: no input`);
  return first.graph.apply(op, inputs, attrs)[0];
}

/** A scalar constant with `x`'s dtype. */
export function scalarLike(x: Value, v: number): Value {
  return x.graph.scalar(v, x.dtype);
}

// Elementwise arithmetic (numpy broadcasting).
/** a + b. */
export const add = (a: Value, b: Value): Value => one('Add', [a, b]);
/** a − b. */
export const sub = (a: Value, b: Value): Value => one('Sub', [a, b]);
/** a · b, elementwise. */
export const mul = (a: Value, b: Value): Value => one('Mul', [a, b]);
/** a / b, elementwise. */
export const div = (a: Value, b: Value): Value => one('Div', [a, b]);
/** −x. */
export const neg = (x: Value): Value => one('Neg', [x]);
/** `x ** p` for a constant exponent `p`. */
export const pow = (x: Value, p: number): Value => one('Pow', [x, scalarLike(x, p)]);
/** eˣ. */
export const exp = (x: Value): Value => one('Exp', [x]);
/** Natural logarithm; −∞ at 0, NaN below (clip first where x can reach 0). */
export const log = (x: Value): Value => one('Log', [x]);
/** √x; its gradient 1/(2√x) is infinite at 0. */
export const sqrt = (x: Value): Value => one('Sqrt', [x]);
/** |x|; gradient sign(x), so 0 at x = 0. */
export const abs = (x: Value): Value => one('Abs', [x]);
/** −1, 0 or 1 by the sign of x; no gradient. */
export const sign = (x: Value): Value => one('Sign', [x]);
/** ⌊x⌋; no gradient. */
export const floor = (x: Value): Value => one('Floor', [x]);
/** Elementwise maximum; on ties the gradient goes to `a`. */
export const max = (a: Value, b: Value): Value => one('Max', [a, b]);
/** Elementwise minimum; on ties the gradient goes to `a`. */
export const min = (a: Value, b: Value): Value => one('Min', [a, b]);
/** Clamps to [lo, hi]; `undefined` leaves that side open. */
export function clip(x: Value, lo?: number, hi?: number): Value {
  return one('Clip', [x, lo === undefined ? null : scalarLike(x, lo), hi === undefined ? null : scalarLike(x, hi)]);
}
/** `a` where the bool `cond` is true, else `b` (broadcast); no gradient to `cond`. */
export const where = (cond: Value, a: Value, b: Value): Value => one('Where', [cond, a, b]);
/** `x` converted to dtype `to`; the gradient flows only between float dtypes. */
export const cast = (x: Value, to: DType): Value => one('Cast', [x], { to });
/** `x` unchanged, as a new node (e.g. to give an output its own name). */
export const identity = (x: Value): Value => one('Identity', [x]);
/** a = b as bool (broadcast); no gradient. */
export const equal = (a: Value, b: Value): Value => one('Equal', [a, b]);
/** a > b as bool (broadcast); no gradient. */
export const greater = (a: Value, b: Value): Value => one('Greater', [a, b]);
/** a < b as bool (broadcast); no gradient. */
export const less = (a: Value, b: Value): Value => one('Less', [a, b]);
/** Logical not of a bool value. */
export const not = (x: Value): Value => one('Not', [x]);
/** Logical and of bool values (broadcast). */
export const and = (a: Value, b: Value): Value => one('And', [a, b]);

// Activations.
/** max(x, 0); gradient 0 at x = 0. */
export const relu = (x: Value): Value => one('Relu', [x]);
/** x for x > 0, else alpha·x; default alpha 0.01 (PyTorch's). */
export const leakyRelu = (x: Value, alpha = 0.01): Value => one('LeakyRelu', [x], { alpha });
/** PRelu with one slope per channel (axis 1), as PyTorch's `nn.PReLU(C)`; `slope` has shape [C] or [1]. */
export function prelu(x: Value, slope: Value): Value {
  const s =
    slope.rank === 1 && x.rank > 2 ? reshape(slope, [slope.shape[0] as number, ...Array(x.rank - 2).fill(1)]) : slope;
  return one('PRelu', [x, s]);
}
/** x for x > 0, else alpha·(eˣ − 1) (Clevert et al. 2016); default alpha 1. */
export const elu = (x: Value, alpha = 1): Value => one('Elu', [x], { alpha });
/** 1 / (1 + e⁻ˣ). */
export const sigmoid = (x: Value): Value => one('Sigmoid', [x]);
/** Hyperbolic tangent. */
export const tanh = (x: Value): Value => one('Tanh', [x]);
/** Softmax along `axis` (default 1, the class axis of [N, C, …]). */
export const softmax = (x: Value, axis = 1): Value => one('Softmax', [x], { axis });
/** log softmax along `axis` (default 1), computed stably rather than as log(softmax). */
export const logSoftmax = (x: Value, axis = 1): Value => one('LogSoftmax', [x], { axis });
/** Inverted dropout with a fixed seed: a fresh session draws the same masks in the same order. */
export const dropout = (x: Value, ratio: number, seed: number): Value => one('Dropout', [x], { ratio, seed });

// Linear algebra.
/** Matrix product over the last two axes, batch axes broadcast (numpy `matmul`). */
export const matmul = (a: Value, b: Value): Value => one('MatMul', [a, b]);
/** Options of `gemm`. */
export interface GemmOptions {
  /** Factor on A·B; default 1. */
  alpha?: number;
  /** Factor on C; default 1. */
  beta?: number;
  /** Use Aᵀ; default false. */
  transA?: boolean;
  /** Use Bᵀ (a [out, in] weight, as PyTorch's `Linear`); default false. */
  transB?: boolean;
}
/** ONNX Gemm on 2-D matrices: alpha·A′·B′ + beta·C, A′ = A or Aᵀ, B′ = B or Bᵀ, C (optional) broadcast. */
export function gemm(a: Value, b: Value, c: Value | null, o: GemmOptions = {}): Value {
  return one('Gemm', [a, b, c], {
    alpha: o.alpha ?? 1,
    beta: o.beta ?? 1,
    transA: o.transA ? 1 : 0,
    transB: o.transB ? 1 : 0,
  });
}

// Convolution.
/** Options of `conv` (ONNX Conv attributes, spatial axes in the input's order). */
export interface ConvOptions {
  /** Per spatial axis, in pixels; default 1. */
  strides?: readonly number[];
  /** [begin…, end…] per spatial axis, in pixels; default 0. */
  pads?: readonly number[];
  /** Per spatial axis; default 1. */
  dilations?: readonly number[];
  /** Channel groups: C and M split into `group` blocks, each convolved separately; default 1. */
  group?: number;
}
/** Options of `convTranspose`. */
export interface ConvTransposeOptions extends ConvOptions {
  /** Extra output size at the end of each spatial axis, in pixels; default 0. */
  outputPadding?: readonly number[];
}
/** Convolution (cross-correlation, as ONNX and PyTorch) of x [N, C, …] with w [M, C/group, k…], plus bias b [M]. */
export function conv(x: Value, w: Value, b: Value | null, o: ConvOptions = {}): Value {
  return one('Conv', [x, w, b], convAttrs(x.rank - 2, o));
}
/** Transposed convolution of x [N, C, …] with w [C, M/group, k…] (ONNX layout), plus bias b [M]. */
export function convTranspose(x: Value, w: Value, b: Value | null, o: ConvTransposeOptions = {}): Value {
  const k = x.rank - 2;
  return one('ConvTranspose', [x, w, b], { ...convAttrs(k, o), output_padding: o.outputPadding ?? Array(k).fill(0) });
}
/** The ONNX Conv attributes for `k` spatial axes, defaults filled in (stride 1, no padding, dilation 1, 1 group). */
export function convAttrs(k: number, o: ConvOptions): Attrs {
  return {
    strides: o.strides ?? Array(k).fill(1),
    pads: o.pads ?? Array(2 * k).fill(0),
    dilations: o.dilations ?? Array(k).fill(1),
    group: o.group ?? 1,
  };
}

// Pooling.
/** Options of the pooling functions (`maxPool`, `averagePool`, `maxPoolWithIndices`, `maxUnpool`). */
export interface PoolOptions {
  /** Window size per spatial axis, in pixels. */
  kernel: readonly number[];
  /** Default: the kernel size. */
  strides?: readonly number[];
  /** [begin…, end…] per spatial axis, in pixels; default 0. */
  pads?: readonly number[];
}
function poolAttrs(x: Value, o: PoolOptions): Attrs {
  const k = x.rank - 2;
  return { kernel_shape: o.kernel, strides: o.strides ?? o.kernel, pads: o.pads ?? Array(2 * k).fill(0) };
}
/** Max pooling; returns the pooled values and the flat indices (over N·C·spatial) of the maxima. */
export function maxPoolWithIndices(x: Value, o: PoolOptions): [Value, Value] {
  const [y, i] = x.graph.apply('MaxPool', [x], { ...poolAttrs(x, o), indices: 1 });
  return [y, i];
}
/** Max pooling over each window; the gradient goes to the window's maximum. */
export const maxPool = (x: Value, o: PoolOptions): Value => one('MaxPool', [x], poolAttrs(x, o));
/** Average pooling; padded cells are not counted (PyTorch `count_include_pad=False`). */
export const averagePool = (x: Value, o: PoolOptions): Value => one('AveragePool', [x], poolAttrs(x, o));
/** Mean over all spatial axes: [N, C, …] → [N, C, 1, …]. */
export const globalAveragePool = (x: Value): Value => one('GlobalAveragePool', [x]);
/** Inverse of max pooling (ENet): `x` placed at `indices` from `maxPoolWithIndices` in zeros of `outputShape`. */
export function maxUnpool(x: Value, indices: Value, o: PoolOptions & { outputShape: readonly number[] }): Value {
  return one('MaxUnpool', [x, indices], { ...poolAttrs(x, o), output_shape: o.outputShape });
}

// Resampling.
/** Options of `resize`. */
export interface ResizeOptions {
  /** 'nearest' needs integer scales; 'linear' uses half-pixel centres (PyTorch `align_corners=False`). */
  mode: 'nearest' | 'linear';
  /** One scale per axis, including N and C (which must be 1). */
  scales: readonly number[];
}
/** Resamples `x` by `scales` (output size = input size × scale per axis). */
export const resize = (x: Value, o: ResizeOptions): Value => one('Resize', [x], { mode: o.mode, scales: o.scales });

// Layout.
/** Joins `vs` along `axis`; the other axes must agree. */
export const concat = (vs: readonly Value[], axis: number): Value => one('Concat', vs, { axis });
/** Cuts `x` along `axis` into consecutive pieces of `sizes` (which sum to that axis's length). */
export function split(x: Value, axis: number, sizes: readonly number[]): Value[] {
  return x.graph.apply('Split', [x], { axis, split: sizes });
}
/** Slices with per-axis starts, ends, steps (ONNX semantics: negative indices count from the end). */
export function slice(
  x: Value,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
  steps?: readonly number[],
): Value {
  return one('Slice', [x], { starts, ends, axes, steps: steps ?? starts.map(() => 1) });
}
/** Permutes the axes: output axis i is input axis perm[i]. */
export const transpose = (x: Value, perm: readonly number[]): Value => one('Transpose', [x], { perm });
/** Reshape with ONNX semantics (0 copies the input dimension, -1 is inferred). */
export const reshape = (x: Value, shape: readonly number[]): Value => one('Reshape', [x], { shape });
/** Reshapes `x` to the run-time shape of `like`. */
export const reshapeLike = (x: Value, like: Value): Value => one('ReshapeLike', [x, like]);
/** 2-D reshape: axes before `axis` into rows, the rest into columns (ONNX Flatten); default axis 1. */
export const flatten = (x: Value, axis = 1): Value => one('Flatten', [x], { axis });
/** Removes the listed size-1 axes. */
export const squeeze = (x: Value, axes: readonly number[]): Value => one('Squeeze', [x], { axes });
/** Inserts size-1 axes at `axes` (positions in the output). */
export const unsqueeze = (x: Value, axes: readonly number[]): Value => one('Unsqueeze', [x], { axes });
/** Broadcasts `x` to `shape` (numpy rules; ONNX Expand). */
export const expand = (x: Value, shape: readonly number[]): Value => one('Expand', [x], { shape });
/** Broadcasts `x` to the run-time shape of `like`. */
export const expandLike = (x: Value, like: Value): Value => one('ExpandLike', [x, like]);
/** Options of `pad`. */
export interface PadOptions {
  /** [begin…, end…] for every axis, in elements. */
  pads: readonly number[];
  /** 'constant' (default) fills with `value`; 'reflect' mirrors without repeating the edge (numpy 'reflect'). */
  mode?: 'constant' | 'reflect';
  /** Fill value of 'constant' padding; default 0. */
  value?: number;
}
/** `x` padded per axis by `o.pads`. */
export const pad = (x: Value, o: PadOptions): Value =>
  one('Pad', [x], { pads: o.pads, mode: o.mode ?? 'constant', value: o.value ?? 0 });
/** Rows of `table` picked by the integer `indices` along `axis` (an embedding lookup for axis 0). */
export const gather = (table: Value, indices: Value, axis = 0): Value => one('Gather', [table, indices], { axis });
/** Elements of `data` at integer `indices` (same rank) along `axis` (ONNX GatherElements). */
export const gatherElements = (data: Value, indices: Value, axis: number): Value =>
  one('GatherElements', [data, indices], { axis });
/** `data` with `updates` added at `indices` along `axis` (ONNX ScatterElements, reduction add or none). */
export function scatterElements(
  data: Value,
  indices: Value,
  updates: Value,
  axis: number,
  reduction: 'add' | 'none',
): Value {
  return one('ScatterElements', [data, indices, updates], { axis, reduction });
}

// Reductions (keepdims defaults to true).
/** Sum over `axes`; `keepdims` (default true) keeps them as size 1. */
export const reduceSum = (x: Value, axes: readonly number[], keepdims = true): Value =>
  one('ReduceSum', [x], { axes, keepdims: keepdims ? 1 : 0 });
/** Mean over `axes`; `keepdims` (default true) keeps them as size 1. */
export const reduceMean = (x: Value, axes: readonly number[], keepdims = true): Value =>
  one('ReduceMean', [x], { axes, keepdims: keepdims ? 1 : 0 });
/** Maximum over `axes`; `keepdims` (default true) keeps them as size 1. */
export const reduceMax = (x: Value, axes: readonly number[], keepdims = true): Value =>
  one('ReduceMax', [x], { axes, keepdims: keepdims ? 1 : 0 });

// Normalisation.
/** Instance norm: each (sample, channel) over its spatial axes, then scale [C] and bias [C]; ε default 1e-5. */
export const instanceNorm = (x: Value, scale: Value, bias: Value, epsilon = 1e-5): Value =>
  one('InstanceNormalization', [x, scale, bias], { epsilon });
/** Batch normalisation with given per-channel mean and variance [C] (running statistics); ε default 1e-5. */
export function batchNormInference(
  x: Value,
  scale: Value,
  bias: Value,
  mean: Value,
  variance: Value,
  epsilon = 1e-5,
): Value {
  return one('BatchNormalization', [x, scale, bias, mean, variance], { epsilon });
}
/** Batch normalisation with batch statistics: returns [y, batch mean, biased batch variance], each per channel. */
export function batchNormTraining(x: Value, scale: Value, bias: Value, epsilon = 1e-5): [Value, Value, Value] {
  const [y, m, v] = x.graph.apply('BatchNormTraining', [x, scale, bias], { epsilon });
  return [y, m, v];
}

/** Sums a broadcast gradient `dy` back to the shape of `x` (the reduction every broadcasting rule needs). */
export function sumTo(dy: Value, x: Value): Value {
  if (sameShape(dy.shape, x.shape)) return dy;
  const axes = broadcastAxes(x.shape, dy.shape);
  const s = axes.length > 0 ? reduceSum(dy, axes, true) : dy;
  return sameShape(s.shape, x.shape) ? s : reshapeLike(s, x);
}
