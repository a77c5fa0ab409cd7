/**
 * HighRes3DNet (Li et al. 2017, "On the compactness, efficiency, and representation of 3D convolutional networks:
 * brain parcellation as a pretext task"), laid out as NiftyNet's `highres3dnet` and the PyTorch twin
 * `../shared/tools/pytorch-highres3dnet-bench.py`: conv 3³ → 16 + BN + ReLU; three stages of `blocksPerStage`
 * residual blocks of 16 (dilation 1), 32 (dilation 2) and 64 (dilation 4) channels, each block two pre-activation
 * units BN → ReLU → conv 3³ (padding = dilation, no bias) plus the identity, zero-padded in channels where the
 * width grows (⌊(C_out − C_in)/2⌋ channels before, the rest after); conv 1³ → 80 + BN + ReLU; conv 1³ → classes
 * (with bias). The resolution never changes, so any input side works (divisor 1). Dilations are real ONNX `Conv`
 * dilations. One input and one output channel: 808,865 trainable parameters, as the twin counts.
 */
import { F } from '../nn/index.ts';
import type { Value } from '../nn/index.ts';
import { batchNormLayer, convLayer } from '../nn/index.ts';

/** Options of `highres3dnet` (3D only, any input side). */
export interface HighRes3DNetOptions {
  /** Output channels (logits). */
  readonly classes: number;
  /** Residual blocks per stage (16/32/64 channels); default 3 (NiftyNet). */
  readonly blocksPerStage?: number;
}

/** The three stages: channels and dilation (voxels). */
const STAGES: readonly (readonly [number, number])[] = [
  [16, 1],
  [32, 2],
  [64, 4],
];

function conv3(name: string, x: Value, outChannels: number, dilation: number, bias: boolean): Value {
  return convLayer(name, x, {
    outChannels,
    kernel: [3, 3, 3],
    padding: [dilation, dilation, dilation],
    dilation: [dilation, dilation, dilation],
    bias,
  });
}

/** Zero-pads x [N, C, …] to `channels` channels, ⌊(channels − C)/2⌋ before and the rest after. */
function padChannels(x: Value, channels: number): Value {
  const c = x.shape[1] as number;
  if (c === channels) return x;
  const pads = Array(2 * x.rank).fill(0);
  pads[1] = Math.floor((channels - c) / 2);
  pads[x.rank + 1] = channels - c - pads[1];
  return F.pad(x, { pads });
}

/**
 * One residual block `name` (`name.bn1`, `name.conv1`, `name.bn2`, `name.conv2`): two pre-activation units of
 * `channels` dilated 3³ convolutions plus the channel-padded identity.
 */
export function highResBlock(name: string, x: Value, channels: number, dilation: number, training: boolean): Value {
  const unit = (i: number, h: Value): Value =>
    conv3(`${name}.conv${i}`, F.relu(batchNormLayer(`${name}.bn${i}`, h, { training })), channels, dilation, false);
  return F.add(unit(2, unit(1, x)), padChannels(x, channels));
}

/** HighRes3DNet on x [N, C, D, H, W] → logits [N, classes, D, H, W]. */
export function highres3dnet(x: Value, options: HighRes3DNetOptions, training: boolean): Value {
  const bnRelu = (name: string, h: Value): Value => F.relu(batchNormLayer(name, h, { training }));
  let h = bnRelu('bn0', conv3('conv0', x, 16, 1, false));
  const blocks = options.blocksPerStage ?? 3;
  STAGES.forEach(([channels, dilation], s) => {
    for (let b = 0; b < blocks; b++) h = highResBlock(`stage${s}.block${b}`, h, channels, dilation, training);
  });
  h = bnRelu('bn1', convLayer('conv1', h, { outChannels: 80, kernel: [1, 1, 1], bias: false }));
  return convLayer('head', h, { outChannels: options.classes, kernel: [1, 1, 1] });
}
