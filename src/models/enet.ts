/**
 * ENet (Paszke et al. 2016, "ENet: A Deep Neural Network Architecture for Real-Time Semantic Segmentation"), 2D:
 * an initial block (3×3 stride-2 conv with 16 − C_in filters concatenated with a 2×2 max-pool of the input), then
 * bottlenecks — 1×1 (or 2×2 stride-2 when down-sampling) projection to a quarter of the channels, a regular,
 * dilated or asymmetric (5×1 then 1×5) 3×3 conv, 1×1 expansion, each followed by BatchNorm and PReLU, spatial
 * dropout, added to the main branch — in stages 1 (64 channels), 2 and 3 (128; dilations 2, 4, 8, 16 and asymmetric
 * 5), and a decoder of up-sampling bottlenecks whose main branch max-unpools with the encoder's pooling positions,
 * then a final 2×2 stride-2 transposed conv to the classes.
 * Max-unpooling is written as nearest ×2 up-sampling times the mask of positions that equalled their window's
 * maximum in the encoder (differentiable with the engine's operators); on exact ties every tied position receives
 * the value, where PyTorch's MaxUnpool2d keeps one. Dropout is the element-wise kind (the paper uses spatial).
 */
import { MultiraterError } from '../errors.ts';
import { F } from '../nn/index.ts';
import type { Value } from '../nn/index.ts';
import { batchNormLayer, convLayer, convTransposeLayer, type ConvLayerOptions } from '../nn/index.ts';
import { activate } from './blocks.ts';

/** Options of `enet` (the 2D ENet; the input side must be a multiple of `ENET_DIVISOR`). */
export interface ENetOptions {
  /** Output classes (background included). */
  readonly classes: number;
  /** Dropout probability in stage 1 while training; default 0.01 (paper). */
  readonly dropoutStage1?: number;
  /** Dropout probability in later stages while training; default 0.1 (paper). */
  readonly dropout?: number;
}

interface Ctx {
  training: boolean;
  nextSeed: number;
}

/** Positions where the pooled maximum came from, as a float mask on the pre-pool grid. */
interface PoolMask {
  mask: Value;
}

function bnPrelu(name: string, x: Value, ctx: Ctx): Value {
  return activate(`${name}.act`, batchNormLayer(`${name}.bn`, x, { training: ctx.training }), 'prelu');
}

function drop(x: Value, p: number, ctx: Ctx): Value {
  return ctx.training && p > 0 ? F.dropout(x, p, ctx.nextSeed++) : x;
}

function maxPoolMask(x: Value): { pooled: Value; unpool: PoolMask } {
  const pooled = F.maxPool(x, { kernel: [2, 2] });
  const expanded = F.resize(pooled, { mode: 'nearest', scales: [1, 1, 2, 2] });
  return { pooled, unpool: { mask: F.cast(F.equal(x, expanded), 'float32') } };
}

/**
 * A bottleneck's extension branch: the projection `proj` of x (its conv's options), BN, PReLU; `mid` of that (the
 * bottleneck's own conv), BN, PReLU; the 1×1 expansion to `outChannels`, BN; dropout p.
 */
function extension(
  name: string,
  x: Value,
  proj: ConvLayerOptions,
  mid: (h: Value) => Value,
  outChannels: number,
  p: number,
  ctx: Ctx,
): Value {
  let h = bnPrelu(`${name}.proj`, convLayer(`${name}.proj.conv`, x, proj), ctx);
  h = bnPrelu(`${name}.mid`, mid(h), ctx);
  h = batchNormLayer(
    `${name}.expand.bn`,
    convLayer(`${name}.expand.conv`, h, { outChannels, kernel: [1, 1], bias: false }),
    { training: ctx.training },
  );
  return drop(h, p, ctx);
}

function initialBlock(x: Value, ctx: Ctx): Value {
  const conv = convLayer('initial.conv', x, {
    outChannels: 16 - (x.shape[1] as number),
    kernel: [3, 3],
    stride: [2, 2],
    padding: [1, 1],
    bias: false,
  });
  return bnPrelu('initial', F.concat([conv, F.maxPool(x, { kernel: [2, 2] })], 1), ctx);
}

type Kind = { type: 'regular' } | { type: 'dilated'; rate: number } | { type: 'asymmetric' };

function bottleneck(name: string, x: Value, kind: Kind, p: number, ctx: Ctx): Value {
  const c = x.shape[1] as number;
  const inner = c / 4;
  const mid = (h: Value): Value => {
    if (kind.type === 'asymmetric') {
      const h5 = convLayer(`${name}.conv5x1`, h, { outChannels: inner, kernel: [5, 1], padding: [2, 0], bias: false });
      return convLayer(`${name}.conv1x5`, h5, { outChannels: inner, kernel: [1, 5], padding: [0, 2], bias: false });
    }
    const d = kind.type === 'dilated' ? kind.rate : 1;
    return convLayer(`${name}.conv`, h, {
      outChannels: inner,
      kernel: [3, 3],
      padding: [d, d],
      dilation: [d, d],
      bias: false,
    });
  };
  const h = extension(name, x, { outChannels: inner, kernel: [1, 1], bias: false }, mid, c, p, ctx);
  return activate(`${name}.out`, F.add(x, h), 'prelu');
}

function downBottleneck(
  name: string,
  x: Value,
  outChannels: number,
  p: number,
  ctx: Ctx,
): { y: Value; unpool: PoolMask } {
  const c = x.shape[1] as number;
  const { pooled, unpool } = maxPoolMask(x);
  const main = F.pad(pooled, { pads: [0, 0, 0, 0, 0, outChannels - c, 0, 0] });
  const inner = outChannels / 4;
  const h = extension(
    name,
    x,
    { outChannels: inner, kernel: [2, 2], stride: [2, 2], bias: false },
    (h) => convLayer(`${name}.conv`, h, { outChannels: inner, kernel: [3, 3], padding: [1, 1], bias: false }),
    outChannels,
    p,
    ctx,
  );
  return { y: activate(`${name}.out`, F.add(main, h), 'prelu'), unpool };
}

function upBottleneck(name: string, x: Value, outChannels: number, unpool: PoolMask, p: number, ctx: Ctx): Value {
  const main = batchNormLayer(
    `${name}.main.bn`,
    convLayer(`${name}.main.conv`, x, { outChannels, kernel: [1, 1], bias: false }),
    { training: ctx.training },
  );
  const unpooled = F.mul(F.resize(main, { mode: 'nearest', scales: [1, 1, 2, 2] }), unpool.mask);
  const inner = (x.shape[1] as number) / 4;
  const h = extension(
    name,
    x,
    { outChannels: inner, kernel: [1, 1], bias: false },
    (h) => convTransposeLayer(`${name}.up`, h, { outChannels: inner, kernel: [2, 2], stride: [2, 2], bias: false }),
    outChannels,
    p,
    ctx,
  );
  return F.relu(F.add(unpooled, h));
}

/** Each spatial side of an ENet input must be a multiple of this. */
export const ENET_DIVISOR = 8;

/** Logits [N, classes, H, W] of ENet on `x` [N, C, H, W] (C < 16; H, W multiples of 8). */
export function enet(x: Value, options: ENetOptions, training: boolean): Value {
  if (x.rank !== 4)
    throw new MultiraterError('shape_error', `ENet is 2D and expects input [N, C, H, W], got ${x.toString()}`);
  const p1 = options.dropoutStage1 ?? 0.01;
  const p = options.dropout ?? 0.1;
  const ctx: Ctx = { training, nextSeed: 1 };
  let h = initialBlock(x, ctx);
  const d1 = downBottleneck('b1_0', h, 64, p1, ctx);
  h = d1.y;
  for (let i = 1; i <= 4; i++) h = bottleneck(`b1_${i}`, h, { type: 'regular' }, p1, ctx);
  const d2 = downBottleneck('b2_0', h, 128, p, ctx);
  h = d2.y;
  const stage: Kind[] = [
    { type: 'regular' },
    { type: 'dilated', rate: 2 },
    { type: 'asymmetric' },
    { type: 'dilated', rate: 4 },
    { type: 'regular' },
    { type: 'dilated', rate: 8 },
    { type: 'asymmetric' },
    { type: 'dilated', rate: 16 },
  ];
  for (const s of [2, 3]) stage.forEach((kind, i) => (h = bottleneck(`b${s}_${i + 1}`, h, kind, p, ctx)));
  h = upBottleneck('b4_0', h, 64, d2.unpool, p, ctx);
  for (let i = 1; i <= 2; i++) h = bottleneck(`b4_${i}`, h, { type: 'regular' }, p, ctx);
  h = upBottleneck('b5_0', h, 16, d1.unpool, p, ctx);
  h = bottleneck('b5_1', h, { type: 'regular' }, p, ctx);
  return convTransposeLayer('fullconv', h, { outChannels: options.classes, kernel: [2, 2], stride: [2, 2] });
}
