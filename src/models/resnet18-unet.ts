/**
 * U-Net with a ResNet-18 encoder (He et al. 2016, "Deep Residual Learning for Image Recognition"; the layout of
 * segmentation_models_pytorch's `Unet('resnet18')`, the network of the expert-adaptive segmentation study):
 * - encoder: 7×7 stride-2 conv to 64 → norm → ReLU (the stem, ½ resolution), 3×3 stride-2 max-pool, then four
 *   stages of two basic blocks (3×3 conv → norm → ReLU → 3×3 conv → norm, plus the shortcut, → ReLU) with 64, 128,
 *   256, 512 channels; the first block of stages 2–4 has stride 2 and a 1×1 stride-2 conv → norm projection on its
 *   shortcut (where the shape changes);
 * - decoder: five steps of nearest ×2 up-sampling, concatenation with the skip (stages 3, 2, 1, then the stem;
 *   none at full resolution) and two [3×3 conv → norm → ReLU], with 256, 128, 64, 32, 16 channels; a 1×1 head.
 * Convolutions followed by a normalisation have no bias. Normalisation 'batch', 'instance' or 'cin' (conditional
 * instance norm: per-expert γ, β; every other weight shared). The input side must be a multiple of 32.
 */
import { MultiraterError } from '../errors.ts';
import { F } from '../nn/index.ts';
import type { Value } from '../nn/index.ts';
import { convLayer } from '../nn/index.ts';
import { convNormAct, normLayer, type BlockContext, type ModelInputs, type NormKind } from './blocks.ts';

/** Options of `resnet18Unet` (2D only; the input side must be a multiple of `RESNET18_UNET_DIVISOR`). */
export interface ResNet18UNetOptions {
  /** Output classes (background included). */
  readonly classes: number;
  /** Normalisation after each convolution: 'batch' (default), 'instance' or 'cin'. */
  readonly norm?: NormKind;
  /** Expert slots of conditional instance norm (`norm: 'cin'`); default 1. */
  readonly experts?: number;
  /**
   * Channels of the stem and the first stage; default 64 (ResNet-18). Every width scales with it: stages w, 2w,
   * 4w, 8w, decoder 4w, 2w, w, w/2, w/4 (a multiple of 4). Narrower networks serve the quick study presets.
   */
  readonly width?: number;
}

/** Each spatial side of the input must be a multiple of this: five halvings. */
export const RESNET18_UNET_DIVISOR = 32;

/** Channels of the encoder stages and of the decoder steps, per unit of width (the stem and stage 1: 1). */
const STAGES = [1, 2, 4, 8];
const DECODER = [4, 2, 1, 0.5, 0.25];

function basicBlock(name: string, x: Value, channels: number, stride: number, ctx: BlockContext): Value {
  const h = convNormAct(`${name}.1`, x, channels, ctx, 3, stride);
  const conv2 = convLayer(`${name}.2.conv`, h, { outChannels: channels, kernel: [3, 3], padding: [1, 1], bias: false });
  const residual = normLayer(`${name}.2.norm`, conv2, ctx);
  const projected = stride !== 1 || (x.shape[1] as number) !== channels;
  const shortcut = projected
    ? normLayer(
        `${name}.proj.norm`,
        convLayer(`${name}.proj.conv`, x, {
          outChannels: channels,
          kernel: [1, 1],
          stride: [stride, stride],
          bias: false,
        }),
        ctx,
      )
    : x;
  return F.relu(F.add(residual, shortcut));
}

/** Logits [N, classes, H, W] for `x` [N, C, H, W] (H, W multiples of 32). */
export function resnet18Unet(
  x: Value,
  options: ResNet18UNetOptions,
  training: boolean,
  inputs: ModelInputs = {},
): Value {
  if (x.rank !== 4)
    throw new MultiraterError(
      'shape_error',
      `resnet18-unet2d is 2D and expects input [N, C, H, W], got ${x.toString()}`,
    );
  const norm = options.norm ?? 'batch';
  if (norm === 'none')
    throw new MultiraterError('invalid_argument', 'resnet18-unet2d needs a normalisation: batch, instance or cin');
  const width = options.width ?? 64;
  if (!Number.isInteger(width) || width < 4 || width % 4 !== 0)
    throw new MultiraterError(
      'invalid_argument',
      `resnet18-unet2d: width must be a positive multiple of 4, got ${width}`,
    );
  const ctx: BlockContext = {
    training,
    norm,
    activation: 'relu',
    experts: options.experts ?? 1,
    expert: inputs.expert,
  };
  const stem = convNormAct('stem', x, width, ctx, 7, 2);
  let h = F.maxPool(stem, { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  const skips: Value[] = [stem];
  STAGES.forEach((unit, s) => {
    const c = unit * width;
    const stride = s === 0 ? 1 : 2;
    h = basicBlock(`layer${s + 1}.0`, h, c, stride, ctx);
    h = basicBlock(`layer${s + 1}.1`, h, c, 1, ctx);
    if (s < STAGES.length - 1) skips.push(h);
  });
  DECODER.forEach((unit, d) => {
    const c = unit * width;
    h = F.resize(h, { mode: 'nearest', scales: [1, 1, 2, 2] });
    const skip = skips.pop();
    if (skip !== undefined) h = F.concat([h, skip], 1);
    h = convNormAct(`decoder${d}.2`, convNormAct(`decoder${d}.1`, h, c, ctx), c, ctx);
  });
  return convLayer('head', h, { outChannels: options.classes, kernel: [1, 1] });
}
