/**
 * U-Net (Ronneberger et al. 2015; 3D: Çiçek et al. 2016) and, with `attention: true`, Attention U-Net (Oktay et al.
 * 2018, "Attention U-Net: Learning Where to Look for the Pancreas"): an encoder of `features.length` levels, each
 * `convsPerLevel` × [conv 3 → norm → activation], down-sampled by 2×2(×2) max-pooling or a stride-2 convolution;
 * a decoder that up-samples by a stride-2 transposed convolution or nearest resize + conv, concatenates the skip
 * (gated by an additive attention gate when `attention` is on) and applies the same block; a 1×1 head to `classes`
 * logits. Dropout (if any) is applied to the bottleneck's output in the training graph only.
 */
import { MultiraterError } from '../errors.ts';
import { F } from '../nn/index.ts';
import type { Value } from '../nn/index.ts';
import { convLayer, convTransposeLayer } from '../nn/index.ts';
import { attentionGate } from './attention-gate.ts';
import {
  convNormAct,
  cube,
  type ActivationKind,
  type BlockContext,
  type ModelInputs,
  type NormKind,
} from './blocks.ts';

/** Options of `unet` (U-Net and Attention U-Net, 2D or 3D); the input side must be a multiple of `unetDivisor`. */
export interface UNetOptions {
  /** Spatial axes: 2 (slices) or 3 (volumes). */
  readonly dims: 2 | 3;
  /** Output classes (background included). */
  readonly classes: number;
  /** Channels per level, shallowest first; the last is the bottleneck. Default [16, 32, 64, 128]. */
  readonly features?: readonly number[];
  /** Convolutions per level; default 2. */
  readonly convsPerLevel?: number;
  /** Default 'batch'. */
  readonly norm?: NormKind;
  /** Expert slots of conditional instance norm (`norm: 'cin'`); default 1. */
  readonly experts?: number;
  /** Default 'relu'. */
  readonly activation?: ActivationKind;
  /** Down-sampling: 'max-pool' (default) or 'strided-conv' (a stride-2 conv 3 → norm → activation). */
  readonly down?: 'max-pool' | 'strided-conv';
  /** Up-sampling: 'transposed-conv' (default, 2×2 stride 2) or 'resize-conv' (nearest ×2 then conv 3). */
  readonly up?: 'transposed-conv' | 'resize-conv';
  /** Dropout probability (0–1) on the bottleneck output while training; default 0. */
  readonly dropout?: number;
  /** Additive attention gates on the skip connections (Attention U-Net); default false. */
  readonly attention?: boolean;
}

/** Every option of a U-Net filled in. */
export type ResolvedUNetOptions = Required<UNetOptions>;

/** Fills defaults and checks the options. */
export function resolveUNetOptions(o: UNetOptions): ResolvedUNetOptions {
  const r: ResolvedUNetOptions = {
    dims: o.dims,
    classes: o.classes,
    features: [...(o.features ?? [16, 32, 64, 128])],
    convsPerLevel: o.convsPerLevel ?? 2,
    norm: o.norm ?? 'batch',
    activation: o.activation ?? 'relu',
    down: o.down ?? 'max-pool',
    up: o.up ?? 'transposed-conv',
    dropout: o.dropout ?? 0,
    attention: o.attention ?? false,
    experts: o.experts ?? 1,
  };
  if (r.features.length < 2 || r.features.some((f) => !Number.isInteger(f) || f < 1)) {
    throw new MultiraterError(
      'invalid_argument',
      `U-Net features must be at least two positive integers, got [${r.features.join(', ')}]`,
    );
  }
  if (!Number.isInteger(r.classes) || r.classes < 2)
    throw new MultiraterError('invalid_argument', `U-Net classes must be an integer ≥ 2, got ${r.classes}`);
  if (!(r.dropout >= 0 && r.dropout < 1))
    throw new MultiraterError('invalid_argument', `U-Net dropout must be within [0, 1), got ${r.dropout}`);
  return r;
}

/** The input side (per spatial axis) must be a multiple of this: 2^(levels − 1). */
export function unetDivisor(o: UNetOptions): number {
  return 2 ** ((o.features?.length ?? 4) - 1);
}

function level(name: string, x: Value, channels: number, convs: number, ctx: BlockContext): Value {
  let h = x;
  for (let i = 1; i <= convs; i++) h = convNormAct(`${name}.${i}`, h, channels, ctx);
  return h;
}

/** Logits [N, classes, spatial…] of the U-Net on `x` [N, C, spatial…]. */
export function unet(x: Value, options: UNetOptions, training: boolean, inputs: ModelInputs = {}): Value {
  const o = resolveUNetOptions(options);
  if (x.rank !== o.dims + 2)
    throw new MultiraterError(
      'shape_error',
      `U-Net ${o.dims}D expects input [N, C, ${o.dims} spatial axes], got ${x.toString()}`,
    );
  const ctx: BlockContext = {
    training,
    norm: o.norm,
    activation: o.activation,
    experts: o.experts,
    expert: inputs.expert,
  };
  const two = cube(2, o.dims);
  const skips: Value[] = [];
  let h = x;
  o.features.forEach((c, i) => {
    if (i > 0) {
      const prev = skips[skips.length - 1];
      h =
        o.down === 'max-pool'
          ? F.maxPool(prev, { kernel: two })
          : convNormAct(`down${i}`, prev, o.features[i - 1], ctx, 3, 2);
    }
    h = level(`enc${i}`, h, c, o.convsPerLevel, ctx);
    skips.push(h);
  });
  skips.pop();
  if (training && o.dropout > 0) h = F.dropout(h, o.dropout, 0);
  for (let i = o.features.length - 2; i >= 0; i--) {
    const c = o.features[i];
    const up =
      o.up === 'transposed-conv'
        ? convTransposeLayer(`up${i}`, h, { outChannels: c, kernel: two, stride: two })
        : convLayer(`up${i}`, F.resize(h, { mode: 'nearest', scales: [1, 1, ...two] }), {
            outChannels: c,
            kernel: cube(3, o.dims),
            padding: cube(1, o.dims),
          });
    let skip = skips[i];
    if (o.attention) skip = attentionGate(`gate${i}`, skip, up, Math.max(1, Math.floor(c / 2)), ctx);
    h = level(`dec${i}`, F.concat([up, skip], 1), c, o.convsPerLevel, ctx);
  }
  return convLayer('head', h, { outChannels: o.classes, kernel: cube(1, o.dims) });
}
